package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestCopyMessageKeepsKind(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := context.Background()
	const person, volunteer = 10, 20
	s.AddChat(volunteer)
	_, anchor := s.SendText(volunteer, "ready")
	sends := []struct {
		kind Kind
		send func() int
	}{
		{KindText, func() int { _, id := s.SendText(person, "/file please"); return id }},
		{KindPhoto, func() int { _, id := s.SendPhoto(person, "my photo"); return id }},
		{KindVoice, func() int { _, id := s.SendVoice(person, 3); return id }},
		{KindVideo, func() int { _, id := s.SendVideo(person, "clip"); return id }},
		{KindDocument, func() int { _, id := s.SendDocument(person, "a.pdf", "doc"); return id }},
		{KindSticker, func() int { _, id := s.SendSticker(person, "🙂"); return id }},
		{KindAnimation, func() int { _, id := s.SendAnimation(person, "gif"); return id }},
		{KindAudio, func() int { _, id := s.SendAudio(person, "song"); return id }},
		{KindVideoNote, func() int { _, id := s.SendVideoNote(person, 5); return id }},
		{KindLocation, func() int { _, id := s.SendLocation(person, 48.85, 2.35); return id }},
		{KindVenue, func() int { _, id := s.SendVenue(person, 48.85, 2.35, "Café", "1 rue X"); return id }},
		{KindContact, func() int { _, id := s.SendContact(person, "+33600000000", "Zoé"); return id }},
		{KindPoll, func() int { _, id := s.SendPoll(person, "Q?", []string{"a", "b"}); return id }},
		{KindPoll, func() int { _, id := s.SendPoll(person, "Quiz?", []string{"a", "b"}, Quiz(1)); return id }},
		{KindDice, func() int { _, id := s.SendDice(person, ""); return id }},
	}
	for i, c := range sends {
		src := c.send()
		mid, err := b.CopyMessage(ctx, &bot.CopyMessageParams{
			ChatID: volunteer, FromChatID: person, MessageID: src, ProtectContent: true,
			ReplyParameters: &models.ReplyParameters{MessageID: anchor},
		})
		if err != nil {
			t.Fatalf("%d %s: %v", i, c.kind, err)
		}
		got := s.Chat(volunteer)
		m := got[len(got)-1]
		if m.ID != mid.ID || m.Kind != c.kind || !m.IsCopy() || *m.CopyOf != (MessageRef{person, src}) ||
			!m.Protected || m.ReplyTo != anchor || !m.FromBot || (c.kind != KindText && m.Media == nil) {
			t.Fatalf("%d %s: copy = %+v", i, c.kind, m)
		}
		orig := s.Chat(person)[len(s.Chat(person))-1]
		if m.Caption != orig.Caption || m.Text != orig.Text {
			t.Fatalf("%d %s: copy %v of %v", i, c.kind, m, orig)
		}
	}
	// The bot sees the same shapes it would from Telegram: a copied photo
	// with its caption, and the command entity of a copied text.
	var upd []models.Update
	_ = json.Unmarshal(callJSON(t, s, "getUpdates", nil).Result, &upd)
	if len(upd) < 3 || upd[1].Message.Entities[0].Type != models.MessageEntityTypeBotCommand ||
		len(upd[2].Message.Photo) != 3 || upd[2].Message.Caption != "my photo" {
		t.Fatalf("updates = %+v", upd)
	}
	if m := s.Chat(volunteer)[1]; m.Text != "/file please" {
		t.Fatalf("copied text = %+v", m)
	}
	// A protected copy can't be copied again.
	_, err := b.CopyMessage(ctx, &bot.CopyMessageParams{ChatID: person, FromChatID: volunteer, MessageID: 2})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "protected content") {
		t.Fatalf("copy of protected: %v", err)
	}
}

func TestCopyMessageRefusals(t *testing.T) {
	s := newServer(t)
	s.AddChat(1)
	s.AddGroup(-100, "Desk")
	s.AddMember(-100, 7)
	_, quiz := s.SendPoll(1, "?", []string{"a", "b"}, Quiz(-1))
	copyOf := func(from int64, id int, extra map[string]any) envelope {
		p := map[string]any{"chat_id": 1, "from_chat_id": from, "message_id": id}
		for k, v := range extra {
			p[k] = v
		}
		return callJSON(t, s, "copyMessage", p)
	}
	service := s.Chat(-100)[0]
	if service.Kind != KindService {
		t.Fatalf("join message = %+v", service)
	}
	wantError(t, copyOf(-100, service.ID, nil), 400, "Bad Request: message can't be copied")
	wantError(t, copyOf(1, quiz, nil), 400, "Bad Request: message can't be copied")
	wantError(t, copyOf(1, 999, nil), 400, "Bad Request: message to copy not found")
	wantError(t, copyOf(-5, 1, nil), 400, "Bad Request: chat not found")
	_, text := s.SendText(1, "hello")
	wantError(t, copyOf(1, text, map[string]any{"reply_parameters": map[string]any{"message_id": 555}}),
		400, "Bad Request: message to be replied not found")
	env := copyOf(1, text, map[string]any{"reply_parameters": map[string]any{"message_id": 555, "allow_sending_without_reply": true}})
	if !env.OK {
		t.Fatalf("allow_sending_without_reply: %+v", env)
	}
	if m := s.Chat(1); m[len(m)-1].ReplyTo != 0 || m[len(m)-1].Text != "hello" {
		t.Fatalf("copy = %v", m[len(m)-1])
	}
}

func TestCopyMessagesKeepsAlbums(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := context.Background()
	const person, volunteer = 10, 20
	s.AddChat(volunteer)
	_, album := s.SendAlbum(person, 3, "three cats", "", "last")
	_, text := s.SendText(person, "see?")
	if len(album) != 3 || album[1] != album[0]+1 || album[2] != album[1]+1 {
		t.Fatalf("album ids = %v", album)
	}
	src := s.Chat(person)
	if src[0].Album == "" || src[0].Album != src[2].Album || src[0].Kind != KindPhoto {
		t.Fatalf("album = %v", src)
	}
	ids, err := b.CopyMessages(ctx, &bot.CopyMessagesParams{ChatID: volunteer, FromChatID: person,
		MessageIDs: []int{album[0], album[1], album[2], text, 77}, ProtectContent: true})
	if err != nil || len(ids) != 4 {
		t.Fatalf("copyMessages = %v %v", ids, err)
	}
	got := s.Chat(volunteer)
	for i, m := range got {
		if m.ID != ids[i].ID || !m.IsCopy() || !m.Protected {
			t.Fatalf("copy %d = %+v", i, m)
		}
	}
	if got[0].Album == "" || got[0].Album == src[0].Album || got[1].Album != got[0].Album ||
		got[2].Album != got[0].Album || got[3].Album != "" || got[0].Caption != "three cats" ||
		got[3].Text != "see?" || got[2].Kind != KindPhoto {
		t.Fatalf("copies = %v", got)
	}
	// remove_caption, and the errors.
	ids, err = b.CopyMessages(ctx, &bot.CopyMessagesParams{ChatID: volunteer, FromChatID: person,
		MessageIDs: album, RemoveCaption: true})
	if err != nil || len(ids) != 3 {
		t.Fatal(err)
	}
	if m := s.Chat(volunteer)[4]; m.Caption != "" || m.Album == got[0].Album {
		t.Fatalf("without caption = %+v", m)
	}
	p := map[string]any{"chat_id": volunteer, "from_chat_id": person}
	for ids, desc := range map[string]string{
		`[]`:      "Bad Request: message identifiers are not specified",
		`[2,1]`:   "Bad Request: message identifiers must be in a strictly increasing order",
		`[1,1]`:   "Bad Request: message identifiers must be in a strictly increasing order",
		`["x"]`:   "Bad Request: invalid message identifier specified",
		`[1,2,3`:  "Bad Request: can't parse message_ids JSON object",
		`{"a":1}`: "Bad Request: expected an Array of message identifiers",
	} {
		p["message_ids"] = json.RawMessage(ids)
		if ids == `[1,2,3` {
			p["message_ids"] = ids
		}
		wantError(t, callJSON(t, s, "copyMessages", p), 400, desc)
	}
	p["message_ids"] = []int{500, 501}
	if env := callJSON(t, s, "copyMessages", p); !env.OK || string(env.Result) != "[]" {
		t.Fatalf("all missing = %+v", env)
	}
}

func TestCopyCountsAgainstRateLimits(t *testing.T) {
	clock := newFakeClock()
	s := newServer(t, WithClock(clock.Now), WithRateLimitConfig(RateLimits{PerChat: 1, PerChatBurst: 3}))
	s.AddChat(20)
	_, album := s.SendAlbum(10, 4)
	one := map[string]any{"chat_id": 20, "from_chat_id": 10, "message_id": album[0]}
	for i := 0; i < 2; i++ {
		if env := callJSON(t, s, "copyMessage", one); !env.OK {
			t.Fatalf("copy %d: %+v", i, env)
		}
	}
	// One token left: three copies at once wait two seconds.
	p := map[string]any{"chat_id": 20, "from_chat_id": 10, "message_ids": album[1:]}
	wantError(t, callJSON(t, s, "copyMessages", p), 429, "Too Many Requests: retry after 2")
	if len(s.Chat(20)) != 2 {
		t.Fatalf("refused copies are visible: %v", s.Chat(20))
	}
	clock.Advance(2 * time.Second)
	if env := callJSON(t, s, "copyMessages", p); !env.OK {
		t.Fatalf("3 copies: %+v", env)
	}
	wantError(t, callJSON(t, s, "copyMessage", one), 429, "Too Many Requests: retry after 1")
}
