package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestHangDelaysThenHandles(t *testing.T) {
	s := newServer(t)
	s.AddChat(7)
	s.Hang("sendMessage", 1, 300*time.Millisecond)
	start := time.Now()
	if env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 7, "text": "late"}); !env.OK {
		t.Fatalf("hung call: %+v", env)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("the call hung only %v", d)
	}
	// Consumed: the next call is immediate.
	start = time.Now()
	callJSON(t, s, "sendMessage", map[string]any{"chat_id": 7, "text": "quick"})
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("the hang was not consumed: %v", d)
	}
	if n := len(s.BotMessages(7)); n != 2 {
		t.Fatalf("bot messages = %d", n)
	}
}

func TestHangCallerGivesUp(t *testing.T) {
	s := newServer(t)
	s.AddChat(7)
	s.Hang(AnyMethod, 1, time.Minute)
	s.Fail("sendMessage", 1, http.StatusInternalServerError, 0) // still queued after the hang
	b := newBot(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 7, Text: "lost"})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	calls, werr := s.WaitCalls("sendMessage", 1, 5*time.Second)
	if werr != nil || calls[0].Code != codeClientGone {
		t.Fatalf("calls = %+v, %v", calls, werr)
	}
	if n := len(s.Chat(7)); n != 0 {
		t.Fatalf("a call whose caller gave up reached the chat: %v", s.Chat(7))
	}
	// The fault behind the hang is still there; ClearFaults drops hangs too.
	s.Hang("sendMessage", 3, time.Minute)
	s.ClearFaults()
	if _, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: 7, Text: "ok"}); err != nil {
		t.Fatalf("after ClearFaults: %v", err)
	}
}

func TestHangEndsOnClose(t *testing.T) {
	s := New()
	s.AddChat(7)
	s.Hang("sendMessage", 1, time.Hour)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = http.Post(s.URL()+"/bot"+s.Token()+"/sendMessage?chat_id=7&text=x", "", nil)
	}()
	if err := s.WaitFor(ctxTimeout(t, 5*time.Second), func() bool { return s.Hanging() == 1 }); err != nil {
		t.Fatal("the call never hung")
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a hung call")
	}
	<-done
}

func TestSetNextUpdateIDGoesLower(t *testing.T) {
	s := newServer(t)
	s.SetNextUpdateID(1_500_000_000)
	if id, _ := s.SendText(9, "before"); id != 1_500_000_000 {
		t.Fatalf("id = %d", id)
	}
	s.SetNextUpdateID(3)
	if id, _ := s.SendText(9, "after a quiet week"); id != 3 {
		t.Fatalf("id = %d", id)
	}
	if got := s.Pending(); len(got) != 2 || got[0] != 1_500_000_000 || got[1] != 3 {
		t.Fatalf("pending = %v", got)
	}
}

func TestBlockSendsMyChatMember(t *testing.T) {
	s := newServer(t)
	s.AddChat(7)
	s.Block(7)
	s.Block(7) // no change, no update
	s.Unblock(7)
	s.Unblock(7)
	var got []models.Update
	if err := json.Unmarshal(callJSON(t, s, "getUpdates", nil).Result, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("updates = %+v", got)
	}
	for i, want := range []models.ChatMemberType{models.ChatMemberTypeBanned, models.ChatMemberTypeMember} {
		u := got[i].MyChatMember
		if u == nil || u.Chat.ID != 7 || u.From.ID != 7 || u.NewChatMember.Type != want {
			t.Fatalf("update %d = %+v", i, got[i])
		}
		if m := u.NewChatMember; want == models.ChatMemberTypeBanned && (m.Banned == nil || m.Banned.User.ID != s.BotID()) {
			t.Fatalf("kicked member = %+v", m)
		}
	}

	// A bot whose allowed_updates leave my_chat_member out never sees them.
	callJSON(t, s, "getUpdates", map[string]any{"offset": got[1].ID + 1, "allowed_updates": []string{"message"}})
	s.Block(7)
	s.SendText(7, "hi")
	var rest []models.Update
	_ = json.Unmarshal(callJSON(t, s, "getUpdates", nil).Result, &rest)
	if len(rest) != 1 || rest[0].Message == nil {
		t.Fatalf("filtered = %+v", rest)
	}
}

func TestParallelWebhookKeepsOrderPerChat(t *testing.T) {
	s := newServer(t, WithParallelWebhook(), WithWebhookRetry(time.Millisecond, 5*time.Millisecond))
	release := make(chan struct{})
	var mu sync.Mutex
	var got []string
	failB := 2
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u models.Update
		_ = json.NewDecoder(r.Body).Decode(&u)
		mu.Lock()
		if u.Message.Chat.ID == 2 && failB > 0 {
			failB--
			mu.Unlock()
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		got = append(got, u.Message.Text)
		mu.Unlock()
		if u.Message.Text == "a1" {
			<-release
		}
	}))
	defer hook.Close()
	callJSON(t, s, "setWebhook", map[string]any{"url": hook.URL})
	s.SendText(1, "a1")
	s.SendText(1, "a2")
	s.SendText(2, "b1")
	s.SendText(3, "c1")
	seen := func(want ...string) func() bool {
		return func() bool {
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for _, g := range got {
				for _, w := range want {
					if g == w {
						n++
					}
				}
			}
			return n == len(want)
		}
	}
	// a1 hangs; the other chats go on, b1 after its failures.
	if err := s.WaitFor(ctxTimeout(t, 5*time.Second), seen("a1", "b1", "c1")); err != nil {
		t.Fatalf("delivered = %v", got)
	}
	mu.Lock()
	for _, g := range got {
		if g == "a2" {
			t.Errorf("a2 was delivered while a1 was in flight: %v", got)
		}
	}
	mu.Unlock()
	close(release)
	if err := s.WaitFor(ctxTimeout(t, 5*time.Second), seen("a2")); err != nil {
		t.Fatalf("a2 never delivered: %v", got)
	}
	if err := s.WaitIdle(5 * time.Second); err != nil {
		t.Fatal(err)
	}
}
