package jobs

import (
	"context"
	"errors"
	"sync"
)

// sent is one message a fakeSender was asked to send.
type sent struct {
	chat    int64
	kind    string // "text", "photo", "document"
	name    string
	data    []byte
	caption string // or the text
}

// fakeSender records what it sends; the chats in blocked fail, as a chat
// that blocked the bot does.
type fakeSender struct {
	mu      sync.Mutex
	blocked map[int64]bool
	out     []sent
}

var errBlocked = errors.New("Forbidden: bot was blocked by the user")

func (f *fakeSender) add(s sent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.blocked[s.chat] {
		return errBlocked
	}
	f.out = append(f.out, s)
	return nil
}

func (f *fakeSender) SendPhoto(_ context.Context, chat int64, png []byte, caption string) (int, error) {
	return 1, f.add(sent{chat: chat, kind: "photo", data: png, caption: caption})
}

func (f *fakeSender) SendDocument(_ context.Context, chat int64, name string, data []byte, caption string) (int, error) {
	return 1, f.add(sent{chat: chat, kind: "document", name: name, data: data, caption: caption})
}

func (f *fakeSender) SendText(_ context.Context, chat int64, text string) error {
	return f.add(sent{chat: chat, kind: "text", caption: text})
}

func (f *fakeSender) to(chat int64) []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sent
	for _, s := range f.out {
		if s.chat == chat {
			out = append(out, s)
		}
	}
	return out
}
