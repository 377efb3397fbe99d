package telegramtest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestUserEditsReachTheBot(t *testing.T) {
	s := newServer(t)
	s.AddGroup(desk, "Desk")
	s.AddMember(desk, 7)
	_, text := s.SendText(1, "helo")
	_, photo := s.SendPhoto(1, "cat")
	_, inGroup := s.SendText(desk, "/dispo of", From(7))
	getUpdates(t, s, nil)

	u1 := s.EditText(1, text, "hello")
	u2 := s.EditCaption(1, photo, "my cat")
	u3 := s.EditText(desk, inGroup, "/dispo off")
	got := getUpdates(t, s, nil)
	if len(got) != 3 || got[0].ID != u1 || got[1].ID != u2 || got[2].ID != u3 {
		t.Fatalf("updates = %+v", got)
	}
	e := got[0].EditedMessage
	if e == nil || e.ID != text || e.Text != "hello" || e.EditDate == 0 || e.From.ID != 1 {
		t.Fatalf("edited text = %+v", e)
	}
	if e := got[1].EditedMessage; e.Caption != "my cat" || len(e.Photo) != 3 {
		t.Fatalf("edited caption = %+v", e)
	}
	if e := got[2].EditedMessage; e.Chat.ID != desk || e.From.ID != 7 || e.Entities[0].Type != models.MessageEntityTypeBotCommand {
		t.Fatalf("edited in group = %+v", e)
	}
	if m := s.Chat(1); m[0].Text != "hello" || !m[0].Edited || m[1].Caption != "my cat" {
		t.Fatalf("chat = %v", m)
	}
	// Left out of allowed_updates: the message changes, no update.
	getUpdates(t, s, map[string]any{"allowed_updates": []string{"message"}})
	if id := s.EditText(1, text, "hello!"); id != 0 || s.Chat(1)[0].Text != "hello!" {
		t.Fatalf("edit not allowed: update %d, %v", id, s.Chat(1)[0])
	}
	for name, act := range map[string]func(){
		"missing":    func() { s.EditText(1, 99, "x") },
		"caption":    func() { s.EditCaption(1, text, "x") },
		"text photo": func() { s.EditText(1, photo, "x") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			act()
		}()
	}
}

func TestBotEditsCaption(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := context.Background()
	s.AddChat(20)
	_, photo := s.SendPhoto(10, "cat")
	_, text := s.SendText(10, "hi")
	cp, err := b.CopyMessage(ctx, &bot.CopyMessageParams{ChatID: 20, FromChatID: 10, MessageID: photo})
	if err != nil {
		t.Fatal(err)
	}
	s.EditCaption(10, photo, "my cat")
	m, err := b.EditMessageCaption(ctx, &bot.EditMessageCaptionParams{ChatID: 20, MessageID: cp.ID, Caption: "my cat"})
	if err != nil || m.Caption != "my cat" || m.EditDate == 0 || len(m.Photo) != 3 {
		t.Fatalf("edit caption = %+v %v", m, err)
	}
	if v := s.Chat(20)[0]; v.Caption != "my cat" || !v.Edited || v.Kind != KindPhoto {
		t.Fatalf("view = %+v", v)
	}
	_, err = b.EditMessageCaption(ctx, &bot.EditMessageCaptionParams{ChatID: 20, MessageID: cp.ID, Caption: "my cat"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: "+notModified) {
		t.Fatalf("same caption: %v", err)
	}
	tc, _ := b.CopyMessage(ctx, &bot.CopyMessageParams{ChatID: 20, FromChatID: 10, MessageID: text})
	_, err = b.EditMessageCaption(ctx, &bot.EditMessageCaptionParams{ChatID: 20, MessageID: tc.ID, Caption: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "there is no caption in the message to edit") {
		t.Fatalf("caption of text: %v", err)
	}
	_, err = b.EditMessageCaption(ctx, &bot.EditMessageCaptionParams{ChatID: 10, MessageID: photo, Caption: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message can't be edited") {
		t.Fatalf("user's message: %v", err)
	}
	// editMessageText refuses an unchanged text the same way, and a photo.
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 20, MessageID: tc.ID, Text: "hi"}); !errors.Is(err, bot.ErrorBadRequest) ||
		!strings.Contains(err.Error(), "Bad Request: "+notModified) {
		t.Fatalf("same text: %v", err)
	}
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 20, MessageID: cp.ID, Text: "x"}); !errors.Is(err, bot.ErrorBadRequest) ||
		!strings.Contains(err.Error(), "there is no text in the message to edit") {
		t.Fatalf("text of photo: %v", err)
	}
}
