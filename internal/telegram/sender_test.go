package telegram

import (
	"context"
	"errors"
	"reflect"
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

// A copy goes to the destination chat from it.From, protected, as a reply
// even when the message it answers is gone.
func TestSendCopiesFromTheSource(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	_, src := tg.SendText(9, "bonjour")
	q, err := s.SendNow(ctx, 5, delivery.Item{Text: "Ticket 1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, replyTo := range []int{q, 999} {
		ids, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{src}, ReplyTo: replyTo})
		if err != nil || len(ids) != 1 {
			t.Fatal(ids, err)
		}
		m, _ := tg.LastBotMessage(5)
		if m.ID != ids[0] || !m.IsCopy() || m.Text != "bonjour" || !m.Protected ||
			m.CopyOf == nil || *m.CopyOf != (telegramtest.MessageRef{ChatID: 9, MessageID: src}) {
			t.Errorf("copied %+v", m)
		}
		if want := map[int]int{q: q, 999: 0}[replyTo]; m.ReplyTo != want {
			t.Errorf("reply to %d, want %d", m.ReplyTo, want)
		}
	}
}

func TestCopyFailures(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	_, src := tg.SendText(9, "bonjour")
	for _, it := range []delivery.Item{
		{Kind: delivery.KindCopy, IDs: []int{src}}, // no source chat
		{Kind: delivery.KindCopy, From: 9},         // no message
		{Kind: delivery.KindEdit, Text: "x"},       // no message
		{Kind: 9, Text: "x"},                       // unknown
	} {
		if _, err := s.Send(ctx, 5, it); !errors.Is(err, delivery.ErrRejected) {
			t.Errorf("%+v: %v", it, err)
		}
	}
	if n := len(tg.Calls("")); n != 0 {
		t.Errorf("%d calls for items that cannot be sent", n)
	}
	if _, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{src + 100}}); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("a copy of a missing message: %v", err)
	}
	tg.Block(5)
	if _, err := s.Send(ctx, 5, delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{src}}); !errors.Is(err, delivery.ErrBlocked) {
		t.Errorf("a copy to a person who blocked the bot: %v", err)
	}
}

// An edit replaces the text; an edit to the same text succeeds; an edit of
// a message gone is rejected.
func TestSendEditsText(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	id, err := s.SendNow(ctx, 5, delivery.Item{Text: "avant"})
	if err != nil {
		t.Fatal(err)
	}
	edit := delivery.Item{Kind: delivery.KindEdit, IDs: []int{id}, Text: "après"}
	for range 2 {
		ids, err := s.Send(ctx, 5, edit)
		if err != nil || ids != nil {
			t.Fatal(ids, err)
		}
	}
	if m, _ := tg.LastBotMessage(5); m.Text != "après" || !m.Edited {
		t.Errorf("edited %+v", m)
	}
	if n := tg.CallCount("editMessageText"); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	edit.IDs = []int{id + 100}
	if _, err := s.Send(ctx, 5, edit); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("an edit of a message gone: %v", err)
	}
}

// The fake has no copyMessages, editMessageCaption or getChatMember (yet):
// their answers come from a recorder.

func TestSendCopiesAnAlbum(t *testing.T) {
	rec, s := newRecorder(t, map[string][]string{
		"copyMessages": {failure(429, "Too Many Requests: retry after 3"), `{"ok":true,"result":[{"message_id":20},{"message_id":21},{"message_id":22}]}`},
	})
	it := delivery.Item{Kind: delivery.KindCopy, From: 9, IDs: []int{12, 10, 11}, Album: "g", ReplyTo: 4}
	if _, err := s.Send(context.Background(), 5, it); err == nil {
		t.Fatal("429 succeeded")
	}
	ids, err := s.Send(context.Background(), 5, it)
	if err != nil || !reflect.DeepEqual(ids, []int{20, 21, 22}) {
		t.Fatal(ids, err)
	}
	if !reflect.DeepEqual(it.IDs, []int{12, 10, 11}) {
		t.Errorf("the item's ids were reordered: %v", it.IDs)
	}
	want := `{"chat_id":5,"from_chat_id":9,"message_ids":[10,11,12],"protect_content":true}`
	if got := strings.TrimSpace(string(rec.body(t, "copyMessages", 1))); got != want {
		t.Errorf("sent %s\nwant %s", got, want)
	}
}

func TestSendEditsCaption(t *testing.T) {
	rec, s := newRecorder(t, map[string][]string{
		"editMessageCaption": {`{"ok":true,"result":{"message_id":4,"date":1,"chat":{"id":5,"type":"private"},"caption":""}}`,
			failure(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"),
			failure(400, "Bad Request: message to edit not found"),
			failure(403, "Forbidden: bot was blocked by the user")},
	})
	ctx := context.Background()
	it := delivery.Item{Kind: delivery.KindEdit, IDs: []int{4}, Caption: true} // the caption removed
	for i, check := range []func(error) bool{
		func(err error) bool { return err == nil },
		func(err error) bool { return err == nil },
		func(err error) bool { return errors.Is(err, delivery.ErrRejected) },
		func(err error) bool { return errors.Is(err, delivery.ErrBlocked) },
	} {
		if ids, err := s.Send(ctx, 5, it); !check(err) || ids != nil {
			t.Errorf("answer %d: %v %v", i, ids, err)
		}
	}
	want := `{"chat_id":5,"message_id":4,"caption":""}`
	if got := strings.TrimSpace(string(rec.body(t, "editMessageCaption", 0))); got != want {
		t.Errorf("sent %s\nwant %s", got, want)
	}
	if rec.calls("editMessageText") != 0 {
		t.Error("a caption edited as a text")
	}
}
