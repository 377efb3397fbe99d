package telegram

import (
	"context"
	"errors"
	"testing"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

// A card is sent once, then edited in place; without buttons its keyboard
// goes; when someone deleted it, it is sent again.
func TestCardIsSentThenEdited(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	take := [][]flow.Button{{{Label: "Je prends", Data: "d:take:1"}}}
	id, err := s.Card(ctx, 5, 0, "Ticket 1: en attente", take)
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	if m, _ := tg.LastBotMessage(5); m.ID != id || m.Text != "Ticket 1: en attente" || !m.Protected ||
		len(m.Buttons) != 1 || m.Buttons[0][0].Data != "d:take:1" {
		t.Errorf("card %+v", m)
	}
	for range 2 { // the second edit changes nothing: Telegram says "not modified"
		got, err := s.Card(ctx, 5, id, "Ticket 1: pris", nil)
		if err != nil || got != id {
			t.Fatal(got, err)
		}
	}
	if m, _ := tg.LastBotMessage(5); m.ID != id || m.Text != "Ticket 1: pris" || len(m.Buttons) != 0 || !m.Edited {
		t.Errorf("card %+v", m)
	}
	if n := tg.CallCount("sendMessage"); n != 1 {
		t.Errorf("%d cards sent, want 1", n)
	}
	if err := s.Delete(ctx, 5, []int{id}); err != nil {
		t.Fatal(err)
	}
	again, err := s.Card(ctx, 5, id, "Ticket 1: rendu", take)
	if err != nil || again == id || again == 0 {
		t.Fatal(again, err)
	}
	if m, _ := tg.LastBotMessage(5); m.ID != again || m.Text != "Ticket 1: rendu" || len(m.Buttons) != 1 {
		t.Errorf("card %+v", m)
	}
}

func TestCardFailures(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	id, err := s.Card(ctx, 5, 0, "Ticket", nil)
	if err != nil {
		t.Fatal(err)
	}
	tg.Fail("editMessageText", 1, 429, 4)
	var ra *delivery.RetryAfter
	if _, err := s.Card(ctx, 5, id, "Ticket 2", nil); !errors.As(err, &ra) {
		t.Errorf("429: %v", err)
	}
	tg.Block(5)
	if _, err := s.Card(ctx, 5, 0, "Ticket 3", nil); !errors.Is(err, delivery.ErrBlocked) {
		t.Errorf("403: %v", err)
	}
}

func TestAnswerShowsAnAlert(t *testing.T) {
	s, tg := newTestSender(t)
	ctx := context.Background()
	_, cb := tg.Tap(5, 1, "d:take:1")
	if err := s.Answer(ctx, cb, "Déjà pris par quelqu'un", true); err != nil {
		t.Fatal(err)
	}
	if a, ok := tg.CallbackAnswer(cb); !ok || a.Text != "Déjà pris par quelqu'un" || !a.ShowAlert {
		t.Errorf("answer %+v", a)
	}
	if err := s.Answer(ctx, cb, "again", false); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("a second answer: %v", err)
	}
}

func TestMeIsAskedOnce(t *testing.T) {
	s, tg := newTestSender(t)
	for range 2 {
		name, err := s.Me(context.Background())
		if err != nil || name == "" {
			t.Fatal(name, err)
		}
	}
	if n := tg.CallCount("getMe"); n != 1 {
		t.Errorf("%d getMe calls, want 1", n)
	}
}

func TestMember(t *testing.T) {
	rec, s := newRecorder(t, map[string][]string{
		"getChatMember": {`{"ok":true,"result":{"status":"left","user":{"id":12,"is_bot":false,"first_name":"V"}}}`,
			failure(400, "Bad Request: PARTICIPANT_ID_INVALID"),
			failure(429, "Too Many Requests: retry after 2")},
	})
	ctx := context.Background()
	if status, err := s.Member(ctx, -100, 12); err != nil || status != "left" {
		t.Errorf("%q %v", status, err)
	}
	if _, err := s.Member(ctx, -100, 13); !errors.Is(err, delivery.ErrRejected) {
		t.Errorf("unknown user: %v", err)
	}
	var ra *delivery.RetryAfter
	if _, err := s.Member(ctx, -100, 12); !errors.As(err, &ra) {
		t.Errorf("429: %v", err)
	}
	if got, want := string(rec.body(t, "getChatMember", 0)), `{"chat_id":-100,"user_id":12}`+"\n"; got != want {
		t.Errorf("sent %s", got)
	}
}
