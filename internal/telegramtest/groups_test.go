package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

const desk = -1001234567890

func getUpdates(t *testing.T, s *Server, params map[string]any) []models.Update {
	t.Helper()
	var got []models.Update
	env := callJSON(t, s, "getUpdates", params)
	if err := json.Unmarshal(env.Result, &got); err != nil {
		t.Fatalf("getUpdates: %v %s", err, env.Result)
	}
	if len(got) > 0 {
		callJSON(t, s, "getUpdates", map[string]any{"offset": got[len(got)-1].ID + 1, "timeout": 0})
	}
	return got
}

func TestGetChatMemberStatuses(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := context.Background()
	s.AddGroup(desk, "Desk")
	s.AddMember(desk, 1, AsCreator(), FirstName("Cora"))
	s.AddMember(desk, 2, AsAdmin())
	s.AddMember(desk, 3, FirstName("Vera"), Username("vera"))
	s.AddMember(desk, 4, AsRestricted())
	s.AddMember(desk, 5)
	s.RemoveMember(desk, 5)
	s.AddMember(desk, 6)
	s.KickMember(desk, 6)
	for user, want := range map[int64]models.ChatMemberType{
		1: models.ChatMemberTypeOwner, 2: models.ChatMemberTypeAdministrator, 3: models.ChatMemberTypeMember,
		4: models.ChatMemberTypeRestricted, 5: models.ChatMemberTypeLeft, 6: models.ChatMemberTypeBanned,
		99: models.ChatMemberTypeLeft, s.BotID(): models.ChatMemberTypeAdministrator,
	} {
		m, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: desk, UserID: user})
		if err != nil || m.Type != want {
			t.Fatalf("user %d: %+v %v, want %s", user, m, err, want)
		}
		if s.MemberStatus(desk, user) != string(want) && user != s.BotID() {
			t.Fatalf("MemberStatus(%d) = %s", user, s.MemberStatus(desk, user))
		}
	}
	m, _ := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: desk, UserID: 3})
	if m.Member.User.ID != 3 || m.Member.User.FirstName != "Vera" || m.Member.User.Username != "vera" {
		t.Fatalf("member = %+v", m.Member.User)
	}
	_, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: -42, UserID: 3})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: chat not found") {
		t.Fatalf("unknown chat: %v", err)
	}
	// Adding a member does not let the bot write to them privately.
	wantError(t, callJSON(t, s, "sendMessage", map[string]any{"chat_id": 3, "text": "hi"}), 400, "Bad Request: chat not found")
	s.AddChat(3)
	if c := s.Chat(3); len(c) != 0 {
		t.Fatalf("private chat = %v", c)
	}
	if env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 3, "text": "hi"}); !env.OK ||
		!strings.Contains(string(env.Result), `"first_name":"Vera"`) {
		t.Fatalf("after AddChat: %+v", env)
	}
}

func TestMembershipUpdates(t *testing.T) {
	s := newServer(t)
	s.AddGroup(desk, "Desk")
	s.AddMember(desk, 1, AsCreator())
	// Without chat_member in allowed_updates, only the service messages.
	s.AddMember(desk, 2, FirstName("Vera"))
	got := getUpdates(t, s, nil)
	if len(got) != 2 || got[1].Message == nil || len(got[1].Message.NewChatMembers) != 1 ||
		got[1].Message.NewChatMembers[0].FirstName != "Vera" || got[1].Message.Chat.Type != "supergroup" ||
		got[1].Message.Chat.Title != "Desk" {
		t.Fatalf("updates = %+v", got)
	}
	getUpdates(t, s, map[string]any{"allowed_updates": []string{"message", "chat_member"}})
	s.AddMember(desk, 2, AsAdmin()) // a promotion: no service message
	s.RemoveMember(desk, 2)
	s.AddMember(desk, 3)
	s.KickMember(desk, 3)
	s.RemoveMember(desk, 3) // not in the group: nothing
	got = getUpdates(t, s, nil)
	var kinds []string
	for _, u := range got {
		switch {
		case u.ChatMember != nil:
			cm := u.ChatMember
			kinds = append(kinds, string(cm.OldChatMember.Type)+">"+string(cm.NewChatMember.Type))
			if cm.Chat.ID != desk || cm.Date == 0 {
				t.Fatalf("chat_member = %+v", cm)
			}
		case u.Message != nil && u.Message.LeftChatMember != nil:
			kinds = append(kinds, "left-message")
		case u.Message != nil:
			kinds = append(kinds, "join-message")
		}
	}
	want := "member>administrator,left-message,administrator>left,join-message,left>member,left-message,member>kicked"
	if strings.Join(kinds, ",") != want {
		t.Fatalf("updates = %s", strings.Join(kinds, ","))
	}
	if from := got[len(got)-1].ChatMember.From.ID; from != 1 {
		t.Fatalf("kicked by %d, want the creator", from)
	}
	if cm := got[2].ChatMember; cm.From.ID != 2 || cm.NewChatMember.Left.User.ID != 2 {
		t.Fatalf("leave = %+v", cm)
	}
}

func TestGroupTextAndTaps(t *testing.T) {
	s := newServer(t)
	s.AddGroup(desk, "Desk")
	s.AddMember(desk, 7, FirstName("Vera"))
	s.AddMember(desk, 9, AsRestricted())
	getUpdates(t, s, nil)
	_, mid := s.SendText(desk, "/dispo on", From(7))
	env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": desk, "text": "Ticket #1",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Take", "callback_data": "take:1"}}}}})
	var card models.Message
	_ = json.Unmarshal(env.Result, &card)
	_, cq := s.Tap(desk, card.ID, "take:1", From(7))
	got := getUpdates(t, s, nil)
	if len(got) != 2 {
		t.Fatalf("updates = %+v", got)
	}
	msg := got[0].Message
	if msg.ID != mid || msg.From.ID != 7 || msg.Chat.ID != desk || msg.Chat.Type != "supergroup" ||
		len(msg.Entities) != 1 || msg.Entities[0].Type != models.MessageEntityTypeBotCommand || msg.Entities[0].Length != 6 {
		t.Fatalf("message = %+v", msg)
	}
	q := got[1].CallbackQuery
	if q.ID != cq || q.From.ID != 7 || q.From.FirstName != "Vera" || q.Message.Message == nil ||
		q.Message.Message.Chat.ID != desk || q.Message.Message.ID != card.ID || q.Data != "take:1" {
		t.Fatalf("callback = %+v", q)
	}
	if env := callJSON(t, s, "answerCallbackQuery", map[string]any{"callback_query_id": cq}); !env.OK {
		t.Fatal(env)
	}
	if m := s.Chat(desk); m[len(m)-2].From != 7 || m[len(m)-2].Text != "/dispo on" {
		t.Fatalf("group = %v", m)
	}
	for name, act := range map[string]func(){
		"no From":    func() { s.SendText(desk, "x") },
		"restricted": func() { s.SendPhoto(desk, "x", From(9)) },
		"not member": func() { s.SendText(desk, "x", From(8)) },
		"no group":   func() { s.Tap(-5, 1, "x", From(7)) },
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

func TestGroupLimitCountsEdits(t *testing.T) {
	clock := newFakeClock()
	s := newServer(t, WithClock(clock.Now), WithRateLimitConfig(RateLimits{PerGroup: 1.0 / 3, PerGroupBurst: 3}))
	s.AddGroup(desk, "Desk")
	s.AddChat(5)
	send := func(chat int64) int {
		var m models.Message
		env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": chat, "text": "card"})
		_ = json.Unmarshal(env.Result, &m)
		return m.ID
	}
	card := send(desk)
	edit := func(chat int64, id int, text string) envelope {
		return callJSON(t, s, "editMessageText", map[string]any{"chat_id": chat, "message_id": id, "text": text})
	}
	if !edit(desk, card, "card v2").OK {
		t.Fatal("first edit")
	}
	wantError(t, edit(desk, card, "card v2"), 400, "Bad Request: "+notModified) // costs nothing
	if env := callJSON(t, s, "editMessageReplyMarkup", map[string]any{"chat_id": desk, "message_id": card,
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Take", "callback_data": "t"}}}}}); !env.OK {
		t.Fatal(env)
	}
	wantError(t, edit(desk, card, "card v3"), 429, "Too Many Requests: retry after 3")
	clock.Advance(3 * 1e9)
	if !edit(desk, card, "card v3").OK {
		t.Fatal("edit after waiting")
	}
	if m := s.Chat(desk)[0]; m.Text != "card v3" || m.Buttons != nil {
		t.Fatalf("card = %+v", m)
	}
	// Edits in private chats are not limited.
	id := send(5)
	for i := 0; i < 10; i++ {
		if !edit(5, id, strings.Repeat("x", i+1)).OK {
			t.Fatalf("private edit %d", i)
		}
	}
}
