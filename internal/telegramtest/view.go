package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind is the kind of a message in the chat view.
type Kind string

// Message kinds.
const (
	KindText      Kind = "text"
	KindSticker   Kind = "sticker"
	KindVoice     Kind = "voice"
	KindPhoto     Kind = "photo"
	KindVideo     Kind = "video"
	KindDocument  Kind = "document"
	KindAnimation Kind = "animation"
	KindAudio     Kind = "audio"
	KindVideoNote Kind = "video_note"
	KindLocation  Kind = "location"
	KindVenue     Kind = "venue"
	KindContact   Kind = "contact"
	KindPoll      Kind = "poll"
	KindDice      Kind = "dice"
	// KindService is a service message: members joined or left.
	KindService Kind = "service"
	// KindCopy is no longer given to messages: a copy keeps the kind of
	// its source, and [Message.CopyOf] tells that it is a copy.
	KindCopy  Kind = "copy"
	KindOther Kind = "other" // pushed messages of other kinds
)

// Button is an inline keyboard button as the user sees it.
type Button struct {
	Text string
	Data string // callback_data, "" for other buttons
	URL  string // url, "" for other buttons
}

// MessageRef points at a message of a chat.
type MessageRef struct {
	ChatID    int64
	MessageID int
}

// Message is a message currently visible in a chat, as its user sees it.
type Message struct {
	ChatID    int64
	ID        int
	FromBot   bool
	Kind      Kind
	From      int64  // user id of the sender; 0 for the bot
	Text      string // as sent (markup of parse_mode included); "" for media
	Caption   string // caption of a media message
	ParseMode string
	Buttons   [][]Button // inline keyboard
	Keyboard  [][]string // custom reply keyboard sent with the message
	Protected bool       // protect_content
	Date      time.Time
	Edited    bool
	EditDate  time.Time
	ReplyTo   int         // message id replied to, 0 if none
	CopyOf    *MessageRef // source of a copyMessage or copyMessages
	// Album is the media_group_id: the parts of one album share it.
	Album string
	// Media is the JSON of the kind's field ("photo", "video", "poll",
	// "location", ...), nil for text and service messages.
	Media json.RawMessage
	// FileName is the file_name of a document (audio, video, animation),
	// or the name of a photo as the bot uploaded it. [Server.File] has the
	// bytes of the files the bot uploaded.
	FileName string
}

// IsCopy reports whether the bot made the message with copyMessage or
// copyMessages.
func (m Message) IsCopy() bool { return m.CopyOf != nil }

// Data returns the callback data of the first button whose text is text.
func (m Message) Data(text string) (string, bool) {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == text {
				return b.Data, true
			}
		}
	}
	return "", false
}

// String renders the message on one line, for test failure output.
func (m Message) String() string {
	who := "user"
	if m.FromBot {
		who = "bot"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %q", m.ID, who, m.Kind, m.Text)
	if m.FileName != "" {
		fmt.Fprintf(&b, " file=%q", m.FileName)
	}
	if m.Caption != "" {
		fmt.Fprintf(&b, " caption=%q", m.Caption)
	}
	if m.CopyOf != nil {
		fmt.Fprintf(&b, " copy-of=%d/%d", m.CopyOf.ChatID, m.CopyOf.MessageID)
	}
	if m.Album != "" {
		fmt.Fprintf(&b, " album=%s", m.Album)
	}
	if m.ReplyTo != 0 {
		fmt.Fprintf(&b, " reply-to=%d", m.ReplyTo)
	}
	if m.Protected {
		b.WriteString(" protected")
	}
	for _, row := range m.Buttons {
		b.WriteString(" [")
		for i, btn := range row {
			if i > 0 {
				b.WriteString(" | ")
			}
			fmt.Fprintf(&b, "%s→%s", btn.Text, btn.Data+btn.URL)
		}
		b.WriteString("]")
	}
	return b.String()
}

// Chat returns the messages currently visible in the chat, in both
// directions, in order, with edits and deletions applied.
func (s *Server) Chat(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = viewOf(chatID, m)
	}
	return out
}

// BotMessages returns the bot's messages currently visible in the chat.
func (s *Server) BotMessages(chatID int64) []Message {
	var out []Message
	for _, m := range s.Chat(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// LastBotMessage returns the bot's most recent visible message in the chat.
func (s *Server) LastBotMessage(chatID int64) (Message, bool) {
	msgs := s.BotMessages(chatID)
	if len(msgs) == 0 {
		return Message{}, false
	}
	return msgs[len(msgs)-1], true
}

// Chats returns the ids of the chats the fake knows, sorted.
func (s *Server) Chats() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.chats))
	for id := range s.chats {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ChatActions returns the actions (typing, ...) the bot sent to the chat.
func (s *Server) ChatActions(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		return append([]string(nil), c.actions...)
	}
	return nil
}

// Answered reports whether the bot answered the callback query.
func (s *Server) Answered(callbackQueryID string) bool {
	_, ok := s.CallbackAnswer(callbackQueryID)
	return ok
}

// CallbackAnswer returns the bot's answer to the callback query, if any.
func (s *Server) CallbackAnswer(callbackQueryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cq := s.callbacks[callbackQueryID]
	if cq == nil || !cq.answered {
		return CallbackAnswer{}, false
	}
	return cq.answer, true
}

// Call records one Bot API request.
type Call struct {
	Method string // canonical name, e.g. "sendMessage"
	// Params holds the parameters: strings as sent, other JSON values
	// (numbers, objects, arrays) as JSON text. Treat it as read-only.
	Params map[string]string
	Time   time.Time
	Code   int             // HTTP status and error_code; 200 on success
	Error  string          // description of a failure
	Result json.RawMessage // "result" of a success
}

// OK reports whether the call succeeded.
func (c Call) OK() bool { return c.Code == 200 }

func (s *Server) record(method string, p params, start time.Time, res *result) {
	call := Call{Method: method, Params: make(map[string]string, len(p)), Time: start, Code: res.code}
	for k, v := range p {
		call.Params[k] = v
	}
	if res.code == 200 && res.rawBody == nil {
		call.Result = marshal(res.value)
	} else if res.code != 200 {
		call.Error = res.desc
		if res.rawBody != nil {
			call.Error = string(res.rawBody)
		}
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	if n := s.cfg.maxCalls; n > 0 && len(s.calls) > n {
		s.calls = append(s.calls[:0:0], s.calls[len(s.calls)-n:]...)
	}
	s.bumpLocked()
	s.mu.Unlock()
	if s.cfg.onCall != nil {
		s.cfg.onCall(call)
	}
}

// Calls returns the recorded calls of method (case-insensitive), or of all
// methods when method is "" or "*", in the order they completed.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || method == AnyMethod || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// CallCount returns the number of recorded calls of method ("" or "*" for
// all), failed ones included.
func (s *Server) CallCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if method == "" || method == AnyMethod || strings.EqualFold(c.Method, method) {
			n++
		}
	}
	return n
}

// WaitFor blocks until cond returns true, ctx ends or the server closes. cond
// is evaluated now and after every state change of the server (a call, an
// update, a delivery...), never while the server's lock is held, so it may
// call the inspection methods.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			if cond() {
				return nil
			}
			return ctx.Err()
		case <-s.closed:
			if cond() {
				return nil
			}
			return ErrClosed
		}
	}
}

// WaitMessages waits until at least n messages of the bot are visible in the
// chat and returns them. On timeout the error lists the chat.
func (s *Server) WaitMessages(chatID int64, n int, timeout time.Duration) ([]Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var got []Message
	err := s.WaitFor(ctx, func() bool {
		got = s.BotMessages(chatID)
		return len(got) >= n
	})
	if err != nil {
		return got, fmt.Errorf("telegramtest: waited %v for %d bot messages in chat %d, have %d: %w\n%s",
			timeout, n, chatID, len(got), err, s.dumpChat(chatID))
	}
	return got, nil
}

// WaitCalls waits until at least n calls of method were recorded and
// returns them.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) ([]Call, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var got []Call
	err := s.WaitFor(ctx, func() bool {
		got = s.Calls(method)
		return len(got) >= n
	})
	if err != nil {
		return got, fmt.Errorf("telegramtest: waited %v for %d %s calls, have %d: %w", timeout, n, method, len(got), err)
	}
	return got, nil
}

// WaitIdle waits until no update is pending (all confirmed by the bot).
func (s *Server) WaitIdle(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.WaitFor(ctx, func() bool { return len(s.Pending()) == 0 })
	if err != nil {
		return fmt.Errorf("telegramtest: updates still pending after %v: %v: %w", timeout, s.Pending(), err)
	}
	return nil
}

func (s *Server) dumpChat(chatID int64) string {
	var b strings.Builder
	for _, m := range s.Chat(chatID) {
		b.WriteString("  ")
		b.WriteString(m.String())
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return "  (empty chat)"
	}
	return b.String()
}
