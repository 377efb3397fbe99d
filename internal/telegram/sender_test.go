package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/telegramtest"
)

func newTestSender(t *testing.T) (*Sender, *telegramtest.Server) {
	t.Helper()
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	tg.AddChat(5)
	return NewSender(NewClient(tg.URL(), tg.Token(), nil), true), tg
}

func TestSendRendersKeyboardAndProtects(t *testing.T) {
	s, tg := newTestSender(t)
	id, err := s.SendNow(context.Background(), 5, delivery.Item{Text: "مرحبا",
		Buttons: [][]flow.Button{{{Label: "نعم", Data: "v:n:0"}}, {{Label: "⬅️", Data: flow.ButtonBack}}}})
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	m, _ := tg.LastBotMessage(5)
	if m.Text != "مرحبا" || !m.Protected || len(m.Buttons) != 2 || m.Buttons[0][0].Data != "v:n:0" {
		t.Errorf("sent %+v", m)
	}
}

// The sender neither waits nor retries: it tells the delivery engine what
// Telegram said, one call per attempt.
func TestSendClassifiesFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*telegramtest.Server)
		item  delivery.Item
		check func(error) bool
	}{
		{"429 says when to come back", func(tg *telegramtest.Server) { tg.Fail("sendMessage", 1, 429, 7) },
			delivery.Item{Text: "x"}, func(err error) bool {
				var ra *delivery.RetryAfter
				return errors.As(err, &ra) && ra.Wait == 7*time.Second
			}},
		{"403 is blocked", func(tg *telegramtest.Server) { tg.Block(5) },
			delivery.Item{Text: "x"}, func(err error) bool { return errors.Is(err, delivery.ErrBlocked) }},
		{"400 is rejected", func(*telegramtest.Server) {},
			delivery.Item{Text: "x", Buttons: [][]flow.Button{{{Label: "b", Data: strings.Repeat("d", 65)}}}},
			func(err error) bool { return errors.Is(err, delivery.ErrRejected) }},
		{"500 is temporary", func(tg *telegramtest.Server) {
			tg.FailWith("sendMessage", 1, 500, "Internal Server Error", 0)
		}, delivery.Item{Text: "x"}, func(err error) bool {
			var ra *delivery.RetryAfter
			return err != nil && !errors.As(err, &ra) && !errors.Is(err, delivery.ErrBlocked) &&
				!errors.Is(err, delivery.ErrRejected)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, tg := newTestSender(t)
			tc.fault(tg)
			_, err := s.Send(context.Background(), 5, tc.item)
			if !tc.check(err) {
				t.Errorf("got %v", err)
			}
			if n := tg.CallCount("sendMessage"); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
		})
	}
}

// A hung call ends at the client's deadline: it never holds a chat.
func TestCallHasADeadline(t *testing.T) {
	s, tg := newTestSender(t)
	s.c.Timeout = 200 * time.Millisecond
	tg.Hang("sendMessage", 1, 10*time.Second)
	start := time.Now()
	_, err := s.Send(context.Background(), 5, delivery.Item{Text: "x"})
	if err == nil {
		t.Fatal("a hung call succeeded")
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the call was not cut at its deadline")
	}
}

func TestAnswerButtonCarriesText(t *testing.T) {
	s, tg := newTestSender(t)
	_, cb := tg.Tap(5, 1, "x")
	if err := s.AnswerButton(context.Background(), cb, "Un instant…"); err != nil {
		t.Fatal(err)
	}
	if a, ok := tg.CallbackAnswer(cb); !ok || a.Text != "Un instant…" {
		t.Errorf("answer %+v", a)
	}
}
