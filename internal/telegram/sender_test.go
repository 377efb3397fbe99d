package telegram

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/telegramtest"
)

func newTestSender(t *testing.T) (*Sender, *telegramtest.Server, *[]time.Duration) {
	t.Helper()
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	tg.AddChat(5)
	lim := DefaultLimits
	lim.Backoff = time.Millisecond
	lim.PerChat, lim.ChatBurst = 1000, 100
	s := NewSender(NewClient(tg.URL(), tg.Token(), nil), lim, true)
	var slept []time.Duration
	var mu sync.Mutex
	s.sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
		return nil
	}
	return s, tg, &slept
}

func TestSendRendersKeyboardAndProtects(t *testing.T) {
	s, tg, _ := newTestSender(t)
	id, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "مرحبا",
		Buttons: [][]flow.Button{{{Label: "نعم", Data: "v:n:0"}}, {{Label: "⬅️", Data: flow.ButtonBack}}}})
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	m, _ := tg.LastBotMessage(5)
	if m.Text != "مرحبا" || !m.Protected || len(m.Buttons) != 2 || m.Buttons[0][0].Data != "v:n:0" {
		t.Errorf("sent %+v", m)
	}
}

func TestSendHonoursRetryAfter(t *testing.T) {
	s, tg, slept := newTestSender(t)
	tg.Fail("sendMessage", 2, 429, 7)
	if _, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if len(*slept) != 2 || (*slept)[0] != 7*time.Second {
		t.Errorf("waits %v, want two of 7s", *slept)
	}
	if n := len(tg.BotMessages(5)); n != 1 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestSendRetries5xxThenGivesUpTemporarily(t *testing.T) {
	s, tg, _ := newTestSender(t)
	tg.FailWith("sendMessage", 2, 500, "Internal Server Error", 0)
	if _, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "x"}); err != nil {
		t.Fatalf("two 500s then success: %v", err)
	}
	tg.FailWith("sendMessage", 100, 500, "Internal Server Error", 0)
	_, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "y"})
	if err == nil || errors.Is(err, conversation.ErrRejected) || errors.Is(err, conversation.ErrBlocked) {
		t.Errorf("a lasting 500 should be a temporary error, got %v", err)
	}
}

func TestBlockedIsFinal(t *testing.T) {
	s, tg, _ := newTestSender(t)
	tg.Block(5)
	for i := 0; i < 3; i++ {
		if _, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "x"}); !errors.Is(err, conversation.ErrBlocked) {
			t.Fatalf("got %v", err)
		}
	}
	if n := tg.CallCount("sendMessage"); n != 1 {
		t.Errorf("%d sends to a chat that blocked the bot, want 1", n)
	}
}

func TestRejectedIsNotRetried(t *testing.T) {
	s, tg, _ := newTestSender(t)
	_, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: "x",
		Buttons: [][]flow.Button{{{Label: "b", Data: strings.Repeat("d", 65)}}}})
	if !errors.Is(err, conversation.ErrRejected) || tg.CallCount("sendMessage") != 1 {
		t.Errorf("err %v after %d calls", err, tg.CallCount("sendMessage"))
	}
}

func TestLongTextIsSplit(t *testing.T) {
	s, tg, _ := newTestSender(t)
	para := strings.Repeat("Ceci est une phrase assez longue pour remplir. ", 40)
	text := strings.Join([]string{para, para, para}, "\n\n")
	if _, err := s.Send(context.Background(), 5, conversation.Outgoing{Text: text,
		Buttons: [][]flow.Button{{{Label: "ok", Data: "d"}}}}); err != nil {
		t.Fatal(err)
	}
	msgs := tg.BotMessages(5)
	if len(msgs) < 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs {
		if telegramtest.UTF16Len(m.Text) > 4096 {
			t.Errorf("part %d too long", i)
		}
		if (len(m.Buttons) > 0) != (i == len(msgs)-1) {
			t.Errorf("buttons must go with the last part only (part %d)", i)
		}
	}
}

func TestSplitKeepsCharactersWhole(t *testing.T) {
	text := strings.Repeat("😀ب", 3000) // surrogate pairs and Arabic
	parts := splitText(text, 4096)
	if strings.Join(parts, "") != text {
		t.Error("split lost or broke characters")
	}
	for _, p := range parts {
		if units(p) > 4096 {
			t.Errorf("part of %d units", units(p))
		}
	}
}
