package telegramtest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestBotGetMe(t *testing.T) {
	s := newServer(t, WithBotName("Boussole", "boussole_bot"))
	b, err := bot.New(s.Token(), bot.WithServerURL(s.URL()))
	if err != nil {
		t.Fatal(err)
	}
	me, err := b.GetMe(context.Background())
	if err != nil || me.ID != 123456 || !me.IsBot || me.Username != "boussole_bot" {
		t.Fatalf("getMe = %+v, %v", me, err)
	}
}

func TestBotSendMessageWithInlineKeyboard(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	s.SendText(42, "/start")

	msg, err := b.SendMessage(context.Background(), &bot.SendMessageParams{
		ChatID:         42,
		Text:           "Choose",
		ProtectContent: true,
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
			{{Text: "A", CallbackData: "pick:a"}, {Text: "B", CallbackData: "pick:b"}},
			{{Text: "Site", URL: "https://example.com"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Chat.ID != 42 || msg.From == nil || !msg.From.IsBot || msg.ReplyMarkup == nil ||
		msg.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "pick:b" || !msg.HasProtectedContent {
		t.Fatalf("returned message = %+v", msg)
	}
	chat := s.Chat(42)
	if len(chat) != 2 || chat[0].FromBot || chat[0].Text != "/start" {
		t.Fatalf("chat = %v", chat)
	}
	got := chat[1]
	want := [][]Button{{{Text: "A", Data: "pick:a"}, {Text: "B", Data: "pick:b"}}, {{Text: "Site", URL: "https://example.com"}}}
	if !got.FromBot || got.ID != msg.ID || got.Text != "Choose" || !got.Protected || got.Kind != KindText ||
		len(got.Buttons) != 2 || got.Buttons[0][1] != want[0][1] || got.Buttons[1][0] != want[1][0] {
		t.Fatalf("view = %+v", got)
	}
	if d, ok := got.Data("B"); !ok || d != "pick:b" {
		t.Fatalf("Data(B) = %q %v", d, ok)
	}
}

func TestBotErrorsAreTyped(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	s.AddChat(7)
	ctx := context.Background()
	send := func() error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 7, Text: "hi"})
		return err
	}

	s.Fail("sendMessage", 1, http.StatusTooManyRequests, 3)
	var tooMany *bot.TooManyRequestsError
	if err := send(); !errors.As(err, &tooMany) || tooMany.RetryAfter != 3 {
		t.Fatalf("429: %v", err)
	}
	s.Fail("sendMessage", 1, http.StatusForbidden, 0)
	if err := send(); !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("403: %v", err)
	}
	if err := send(); err != nil {
		t.Fatalf("after faults: %v", err)
	}
	s.Block(7)
	for i := 0; i < 2; i++ {
		if err := send(); !errors.Is(err, bot.ErrorForbidden) {
			t.Fatalf("blocked: %v", err)
		}
	}
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: 7, Action: models.ChatActionTyping}); !errors.Is(err, bot.ErrorForbidden) {
		t.Fatalf("blocked chat action: %v", err)
	}
	s.Unblock(7)
	if err := send(); err != nil {
		t.Fatalf("unblocked: %v", err)
	}
	if n := len(s.Chat(7)); n != 2 {
		t.Fatalf("failed sends reached the chat: %v", s.Chat(7))
	}

	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 7, Text: strings.Repeat("x", 4097)})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: message is too long") {
		t.Fatalf("too long: %v", err)
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 8, Text: "who?"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("unknown chat: %v", err)
	}
}

// collector gathers the updates a bot handler receives.
type collector struct {
	mu      sync.Mutex
	updates []*models.Update
	changed chan struct{}
}

func newCollector() *collector { return &collector{changed: make(chan struct{}, 1)} }

func (c *collector) handle(_ context.Context, _ *bot.Bot, u *models.Update) {
	c.mu.Lock()
	c.updates = append(c.updates, u)
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

func (c *collector) wait(t *testing.T, n int) []*models.Update {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		c.mu.Lock()
		got := append([]*models.Update(nil), c.updates...)
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-c.changed:
		case <-deadline:
			t.Fatalf("got %d updates, want %d", len(got), n)
		}
	}
}

func TestBotLongPolling(t *testing.T) {
	s := newServer(t)
	col := newCollector()
	b := newBot(t, s, bot.WithDefaultHandler(col.handle), bot.WithNotAsyncHandlers())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Start(ctx) }()
	defer func() { cancel(); <-done }()

	var ids []int64
	for _, text := range []string{"/start", "un", "deux"} {
		id, _ := s.SendText(99, text, Lang("fr"))
		ids = append(ids, id)
	}
	got := col.wait(t, 3)
	for i, u := range got {
		if u.ID != ids[i] || u.Message == nil || u.Message.From.LanguageCode != "fr" {
			t.Fatalf("update %d = %+v", i, u)
		}
	}
	if got[0].Message.Text != "/start" || len(got[0].Message.Entities) != 1 ||
		got[0].Message.Entities[0].Type != models.MessageEntityTypeBotCommand || got[0].Message.Entities[0].Length != 6 {
		t.Fatalf("command entity = %+v", got[0].Message)
	}
	// The next getUpdates confirms them: nothing pending, nothing redelivered.
	if err := s.WaitIdle(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	id4, _ := s.SendText(99, "trois")
	got = col.wait(t, 4)
	if len(got) != 4 || got[3].ID != id4 {
		t.Fatalf("updates = %d, last %d", len(got), got[len(got)-1].ID)
	}

	// A callback query on the bot's message, answered once.
	sent, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: 99, Text: "Q?",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Oui", CallbackData: "yes"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, cqID := s.Tap(99, sent.ID, "yes")
	got = col.wait(t, 5)
	cq := got[4].CallbackQuery
	if cq == nil || cq.ID != cqID || cq.Data != "yes" || cq.Message.Message == nil || cq.Message.Message.ID != sent.ID {
		t.Fatalf("callback = %+v", got[4])
	}
	if ok, err := b.AnswerCallbackQuery(context.Background(), &bot.AnswerCallbackQueryParams{CallbackQueryID: cqID, Text: "Noté"}); !ok || err != nil {
		t.Fatalf("answer: %v %v", ok, err)
	}
	if a, ok := s.CallbackAnswer(cqID); !ok || a.Text != "Noté" || !s.Answered(cqID) {
		t.Fatalf("answer = %+v %v", a, ok)
	}
	_, err = b.AnswerCallbackQuery(context.Background(), &bot.AnswerCallbackQueryParams{CallbackQueryID: cqID})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), queryTooOld) {
		t.Fatalf("second answer: %v", err)
	}

	// Redelivery hands the same update_id out again even though it was confirmed.
	if !s.Redeliver(ids[1]) {
		t.Fatal("Redeliver failed")
	}
	got = col.wait(t, 6)
	if got[5].ID != ids[1] || got[5].Message.Text != "un" {
		t.Fatalf("redelivered = %+v", got[5])
	}
	if err := s.WaitIdle(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	if calls := s.Calls("getUpdates"); len(calls) < 3 {
		t.Fatalf("getUpdates calls = %d", len(calls))
	}
}

func TestBotWebhookDelivery(t *testing.T) {
	s := newServer(t)
	col := newCollector()
	b := newBot(t, s, bot.WithDefaultHandler(col.handle), bot.WithNotAsyncHandlers(),
		bot.WithWebhookSecretToken("s3cr3t_token"))

	var attempts atomic.Int32
	var badSecret atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cr3t_token" {
			badSecret.Add(1)
		}
		if attempts.Add(1) == 1 {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		b.WebhookHandler()(w, r)
	}))
	defer hook.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.StartWebhook(ctx) }()
	defer func() { cancel(); <-done }()

	ok, err := b.SetWebhook(context.Background(), &bot.SetWebhookParams{URL: hook.URL + "/tg", SecretToken: "s3cr3t_token"})
	if !ok || err != nil {
		t.Fatalf("setWebhook: %v %v", ok, err)
	}
	wantError(t, callJSON(t, s, "getUpdates", nil), http.StatusConflict, conflictHookSet)

	id1, _ := s.SendText(5, "hello")
	id2, _ := s.SendSticker(5, "👍")
	got := col.wait(t, 2)
	if got[0].ID != id1 || got[1].ID != id2 || got[1].Message.Sticker == nil || got[1].Message.Text != "" {
		t.Fatalf("updates = %+v %+v", got[0], got[1])
	}
	if err := s.WaitIdle(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	if badSecret.Load() != 0 {
		t.Fatal("secret header missing")
	}
	d := s.Deliveries()
	if len(d) != 3 || d[0].UpdateID != id1 || d[0].Status != 500 || d[1].UpdateID != id1 || d[1].Status != 200 || d[2].UpdateID != id2 {
		t.Fatalf("deliveries = %+v", d)
	}
	info, err := b.GetWebhookInfo(context.Background())
	if err != nil || info.URL != hook.URL+"/tg" || info.PendingUpdateCount != 0 ||
		info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" {
		t.Fatalf("webhook info = %+v, %v", info, err)
	}
}

func TestBotDeleteEditCopyCommands(t *testing.T) {
	s := newServer(t)
	b := newBot(t, s)
	ctx := context.Background()
	s.SendText(3, "salut")
	var ids []int
	for _, text := range []string{"one", "two", "three"} {
		m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 3, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if ok, err := b.DeleteMessages(ctx, &bot.DeleteMessagesParams{ChatID: 3, MessageIDs: []int{ids[0], ids[2], 999}}); !ok || err != nil {
		t.Fatalf("deleteMessages: %v %v", ok, err)
	}
	if msgs := s.BotMessages(3); len(msgs) != 1 || msgs[0].Text != "two" {
		t.Fatalf("after delete = %v", msgs)
	}

	edited, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 3, MessageID: ids[1], Text: "deux",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok", CallbackData: "ok"}}}}})
	if err != nil || edited.Text != "deux" || edited.EditDate == 0 {
		t.Fatalf("edit = %+v %v", edited, err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 3, MessageID: ids[1]}); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.LastBotMessage(3); m.Text != "deux" || m.Buttons != nil || !m.Edited {
		t.Fatalf("after edits = %+v", m)
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 3, MessageID: ids[0], Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message to edit not found") {
		t.Fatalf("edit deleted: %v", err)
	}

	s.AddChat(4)
	mid, err := b.CopyMessage(ctx, &bot.CopyMessageParams{ChatID: 4, FromChatID: 3, MessageID: ids[1]})
	if err != nil {
		t.Fatal(err)
	}
	cp := s.Chat(4)
	if len(cp) != 1 || cp[0].ID != mid.ID || cp[0].Kind != KindText || !cp[0].IsCopy() || cp[0].Text != "deux" ||
		cp[0].CopyOf == nil || *cp[0].CopyOf != (MessageRef{ChatID: 3, MessageID: ids[1]}) {
		t.Fatalf("copy = %+v", cp)
	}

	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: 3, Action: models.ChatActionTyping}); err != nil {
		t.Fatal(err)
	}
	if a := s.ChatActions(3); len(a) != 1 || a[0] != "typing" {
		t.Fatalf("actions = %v", a)
	}

	for lang, cmd := range map[string]string{"": "start", "ar": "ibda"} {
		if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{LanguageCode: lang,
			Commands: []models.BotCommand{{Command: cmd, Description: "begin"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Scope: &models.BotCommandScopeChat{ChatID: 3},
		Commands: []models.BotCommand{{Command: "admin", Description: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if c := s.Commands("ar"); len(c) != 1 || c[0].Command != "ibda" {
		t.Fatalf("ar commands = %v", c)
	}
	if c := s.ScopedCommands(&models.BotCommandScopeChat{ChatID: 3}, ""); len(c) != 1 || c[0].Command != "admin" {
		t.Fatalf("chat commands = %v", c)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "de"})
	if err != nil || len(got) != 0 {
		t.Fatalf("de commands = %v %v", got, err)
	}
	_, err = b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Start", Description: "x"}}})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Fatalf("invalid command: %v", err)
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{LanguageCode: "ar"}); err != nil || len(s.Commands("ar")) != 0 {
		t.Fatalf("delete commands: %v %v", err, s.Commands("ar"))
	}
}

func TestTapOnDeletedMessage(t *testing.T) {
	s := newServer(t)
	col := newCollector()
	b := newBot(t, s, bot.WithDefaultHandler(col.handle), bot.WithNotAsyncHandlers())
	s.AddChat(11)
	_, cq := s.Tap(11, 12345, "stale")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Start(ctx) }()
	defer func() { cancel(); <-done }()
	u := col.wait(t, 1)[0]
	if u.CallbackQuery == nil || u.CallbackQuery.ID != cq ||
		u.CallbackQuery.Message.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage ||
		u.CallbackQuery.Message.InaccessibleMessage.MessageID != 12345 {
		t.Fatalf("update = %+v", u.CallbackQuery)
	}
}

func TestWaitMessagesTimeout(t *testing.T) {
	s := newServer(t)
	s.SendText(1, "anyone?")
	_, err := s.WaitMessages(1, 1, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), `"anyone?"`) {
		t.Fatalf("err = %v", err)
	}
}
