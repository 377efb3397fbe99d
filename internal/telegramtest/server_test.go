package telegramtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

func TestAuthAndRouting(t *testing.T) {
	s := newServer(t)

	code, body := post(t, s, "/bot999:wrong/getMe", "", "")
	if code != 401 || body != `{"ok":false,"error_code":401,"description":"Unauthorized"}` {
		t.Fatalf("wrong token: %d %s", code, body)
	}
	code, body = post(t, s, "/bot"+s.Token()+"/noSuchMethod", "", "")
	if code != 404 || body != `{"ok":false,"error_code":404,"description":"Not Found"}` {
		t.Fatalf("unknown method: %d %s", code, body)
	}
	code, body = post(t, s, "/elsewhere", "", "")
	if code != 404 {
		t.Fatalf("other path: %d %s", code, body)
	}
	// Method names are case-insensitive, like Telegram's.
	code, body = post(t, s, "/bot"+s.Token()+"/GETME", "", "")
	if code != 200 || !strings.HasPrefix(body, `{"ok":true,"result":{"id":123456,"is_bot":true,`) {
		t.Fatalf("getMe: %d %s", code, body)
	}
	// Unauthorized calls are recorded too.
	if calls := s.Calls("getMe"); len(calls) != 2 || calls[0].Code != 401 || calls[1].Code != 200 {
		t.Fatalf("Calls(getMe) = %+v", calls)
	}
}

func TestParameterEncodings(t *testing.T) {
	s := newServer(t)
	s.AddChat(10)
	markup := `{"inline_keyboard":[[{"text":"Yes","callback_data":"y"}]]}`

	// JSON with a nested object.
	env := callJSON(t, s, "sendMessage", map[string]any{
		"chat_id": 10, "text": "json", "reply_markup": json.RawMessage(markup),
	})
	if !env.OK {
		t.Fatalf("json: %+v", env)
	}
	// Form-encoded with a nested JSON string.
	env = callForm(t, s, "sendMessage", url.Values{"chat_id": {"10"}, "text": {"form"}, "reply_markup": {markup}})
	if !env.OK {
		t.Fatalf("form: %+v", env)
	}
	// Query parameters only.
	code, body := post(t, s, "/bot"+s.Token()+"/sendMessage?chat_id=10&text=query", "", "")
	if code != 200 {
		t.Fatalf("query: %d %s", code, body)
	}
	// Multipart, the way go-telegram/bot sends.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("chat_id", "10")
	_ = mw.WriteField("text", "multipart")
	_ = mw.WriteField("reply_markup", markup)
	_ = mw.Close()
	code, body = post(t, s, "/bot"+s.Token()+"/sendMessage", mw.FormDataContentType(), buf.String())
	if code != 200 {
		t.Fatalf("multipart: %d %s", code, body)
	}

	var texts []string
	for _, m := range s.Chat(10) {
		texts = append(texts, m.Text)
	}
	if got := strings.Join(texts, ","); got != "json,form,query,multipart" {
		t.Fatalf("chat = %s", got)
	}
	if b := s.Chat(10)[1].Buttons; len(b) != 1 || b[0][0] != (Button{Text: "Yes", Data: "y"}) {
		t.Fatalf("buttons = %+v", b)
	}
	if c := s.Calls("sendMessage")[0]; c.Params["chat_id"] != "10" || c.Params["text"] != "json" || !c.OK() {
		t.Fatalf("call = %+v", c)
	}
}

func TestSendMessageValidation(t *testing.T) {
	s := newServer(t)
	s.AddChat(1)
	long := strings.Repeat("😀", 2049) // 4098 UTF-16 code units, 2049 runes
	cases := []struct {
		name   string
		params map[string]any
		desc   string
	}{
		{"empty", map[string]any{"chat_id": 1, "text": ""}, "Bad Request: message text is empty"},
		{"blank", map[string]any{"chat_id": 1, "text": "  \n "}, "Bad Request: message text is empty"},
		{"too long", map[string]any{"chat_id": 1, "text": long}, "Bad Request: message is too long"},
		{"unknown chat", map[string]any{"chat_id": 2, "text": "hi"}, "Bad Request: chat not found"},
		{"no chat", map[string]any{"text": "hi"}, "Bad Request: chat_id is empty"},
		{"callback data", map[string]any{"chat_id": 1, "text": "hi", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "x", "callback_data": strings.Repeat("d", 65)}}},
		}}, "Bad Request: BUTTON_DATA_INVALID"},
		{"text button", map[string]any{"chat_id": 1, "text": "hi", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "x"}}},
		}}, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"bad markup", map[string]any{"chat_id": 1, "text": "hi", "reply_markup": "{"}, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"reply missing", map[string]any{"chat_id": 1, "text": "hi", "reply_parameters": map[string]any{"message_id": 77}}, "Bad Request: message to be replied not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, callJSON(t, s, "sendMessage", c.params), 400, c.desc)
		})
	}
	if msgs := s.Chat(1); len(msgs) != 0 {
		t.Fatalf("failed calls changed the chat: %v", msgs)
	}
	// Exactly 4096 UTF-16 code units is fine; 64 bytes of callback data too.
	env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": strings.Repeat("😀", 2048),
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "x", "callback_data": strings.Repeat("d", 64)}}}}})
	if !env.OK {
		t.Fatalf("4096 units: %+v", env)
	}
	// HTML tags do not count.
	env = callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "parse_mode": "HTML",
		"text": "<b>" + strings.Repeat("a", 4096) + "</b>"})
	if !env.OK {
		t.Fatalf("HTML: %+v", env)
	}
	wantError(t, callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "parse_mode": "HTML", "text": "<b> </b>"}),
		400, "Bad Request: message text is empty")
}

func TestEditAndDeleteErrors(t *testing.T) {
	s := newServer(t)
	_, userMsg := s.SendText(1, "hello")
	env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "menu"})
	var sent struct {
		MessageID int `json:"message_id"`
	}
	_ = json.Unmarshal(env.Result, &sent)

	wantError(t, callJSON(t, s, "editMessageText", map[string]any{"chat_id": 1, "message_id": 99, "text": "x"}),
		400, "Bad Request: message to edit not found")
	wantError(t, callJSON(t, s, "editMessageText", map[string]any{"chat_id": 1, "message_id": userMsg, "text": "x"}),
		400, "Bad Request: message can't be edited")
	wantError(t, callJSON(t, s, "editMessageText", map[string]any{"chat_id": 1, "message_id": sent.MessageID, "text": "menu"}),
		400, "Bad Request: "+notModified)
	if env := callJSON(t, s, "editMessageText", map[string]any{"chat_id": 1, "message_id": sent.MessageID, "text": "menu 2"}); !env.OK {
		t.Fatalf("edit: %+v", env)
	}
	wantError(t, callJSON(t, s, "deleteMessage", map[string]any{"chat_id": 1, "message_id": 99}),
		400, "Bad Request: message to delete not found")
	wantError(t, callJSON(t, s, "deleteMessages", map[string]any{"chat_id": 1, "message_ids": make([]int, 101)}),
		400, "Bad Request: too many message identifiers specified")
	wantError(t, callJSON(t, s, "deleteMessages", map[string]any{"chat_id": 1}),
		400, "Bad Request: message identifiers are not specified")

	msgs := s.Chat(1)
	if len(msgs) != 2 || msgs[1].Text != "menu 2" || !msgs[1].Edited || msgs[0].FromBot {
		t.Fatalf("chat = %v", msgs)
	}
	if env := callJSON(t, s, "deleteMessage", map[string]any{"chat_id": 1, "message_id": userMsg}); !env.OK {
		t.Fatalf("delete user message: %+v", env)
	}
	if msgs := s.Chat(1); len(msgs) != 1 || msgs[0].ID != sent.MessageID {
		t.Fatalf("chat after delete = %v", msgs)
	}
}

func TestDeleteAfter48Hours(t *testing.T) {
	clock := newFakeClock()
	s := newServer(t, WithClock(clock.Now))
	_, id := s.SendText(1, "old")
	clock.Advance(49 * time.Hour)
	wantError(t, callJSON(t, s, "deleteMessage", map[string]any{"chat_id": 1, "message_id": id}),
		400, "Bad Request: message can't be deleted")
}

func TestCommandEntities(t *testing.T) {
	cases := map[string]string{
		"/start":            `[{"offset":0,"length":6,"type":"bot_command"}]`,
		"/start payload":    `[{"offset":0,"length":6,"type":"bot_command"}]`,
		"/help@test_bot x":  `[{"offset":0,"length":14,"type":"bot_command"}]`,
		"😀 /aide":           `[{"offset":3,"length":5,"type":"bot_command"}]`,
		"/démarrer":         ``,
		"a/b":               ``,
		"hello":             ``,
		"/a /b":             `[{"offset":0,"length":2,"type":"bot_command"},{"offset":3,"length":2,"type":"bot_command"}]`,
		"/new_game, please": `[{"offset":0,"length":9,"type":"bot_command"}]`,
	}
	for text, want := range cases {
		if got := string(commandEntities(text)); got != want {
			t.Errorf("commandEntities(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestLongPollRaw(t *testing.T) {
	s := newServer(t)
	path := "/bot" + s.Token() + "/getUpdates"

	// A long poll returns as soon as an update arrives.
	done := make(chan string, 1)
	go func() {
		_, body := post(t, s, path+"?timeout=30", "", "")
		done <- body
	}()
	// Wait until the poll is parked, then produce an update.
	if err := s.WaitFor(ctxTimeout(t, time.Second), s.Polling); err != nil {
		t.Fatal(err)
	}
	upd, _ := s.SendText(5, "/start", Lang("ar"), FirstName("Amal"))
	var env envelope
	select {
	case body := <-done:
		_ = json.Unmarshal([]byte(body), &env)
	case <-time.After(3 * time.Second):
		t.Fatal("long poll did not return")
	}
	var updates []struct {
		UpdateID int64 `json:"update_id"`
		Message  struct {
			Text string `json:"text"`
			From struct {
				ID           int64  `json:"id"`
				FirstName    string `json:"first_name"`
				LanguageCode string `json:"language_code"`
			} `json:"from"`
		} `json:"message"`
	}
	if err := json.Unmarshal(env.Result, &updates); err != nil || len(updates) != 1 {
		t.Fatalf("updates = %s (%v)", env.Result, err)
	}
	u := updates[0]
	if u.UpdateID != upd || u.Message.Text != "/start" || u.Message.From.ID != 5 ||
		u.Message.From.FirstName != "Amal" || u.Message.From.LanguageCode != "ar" {
		t.Fatalf("update = %+v", u)
	}

	// Not confirmed yet: returned again; offset confirms it.
	if env := callJSON(t, s, "getUpdates", map[string]any{}); string(env.Result) == "[]" {
		t.Fatal("unconfirmed update was dropped")
	}
	if env := callJSON(t, s, "getUpdates", map[string]any{"offset": upd + 1}); string(env.Result) != "[]" {
		t.Fatalf("after offset: %s", env.Result)
	}
	if p := s.Pending(); len(p) != 0 {
		t.Fatalf("pending = %v", p)
	}

	// A second long poll terminates the first one with 409.
	first := make(chan envelope, 1)
	go func() {
		_, body := post(t, s, path+"?timeout=30&offset="+strconvI(upd+1), "", "")
		var e envelope
		_ = json.Unmarshal([]byte(body), &e)
		first <- e
	}()
	if err := s.WaitFor(ctxTimeout(t, time.Second), s.Polling); err != nil {
		t.Fatal(err)
	}
	second := make(chan struct{})
	go func() {
		defer close(second)
		post(t, s, path+"?timeout=30&offset="+strconvI(upd+1), "", "")
	}()
	select {
	case e := <-first:
		wantError(t, e, 409, conflictOtherPoll)
	case <-time.After(3 * time.Second):
		t.Fatal("first long poll was not terminated")
	}

	// Close ends the remaining long poll at once.
	start := time.Now()
	s.Close()
	<-second
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }

func TestWebhookInfoAndConflict(t *testing.T) {
	s := newServer(t)
	s.SendText(1, "queued")
	env := callJSON(t, s, "getWebhookInfo", nil)
	if string(env.Result) != `{"url":"","has_custom_certificate":false,"pending_update_count":1}` {
		t.Fatalf("info = %s", env.Result)
	}
	wantError(t, callJSON(t, s, "setWebhook", map[string]any{"url": "https://example.com/hook", "secret_token": "a b"}),
		400, "Bad Request: secret token contains unallowed characters")
	// Point the webhook at a closed port so the update stays pending.
	dead := New()
	deadURL := dead.URL()
	dead.Close()
	env = callJSON(t, s, "setWebhook", map[string]any{"url": deadURL + "/hook"})
	if !env.OK || env.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %+v", env)
	}
	wantError(t, callJSON(t, s, "getUpdates", nil), 409, conflictHookSet)
	if err := s.WaitFor(ctxTimeout(t, 2*time.Second), func() bool { return len(s.Deliveries()) > 0 }); err != nil {
		t.Fatal(err)
	}
	var info struct {
		URL              string `json:"url"`
		Pending          int    `json:"pending_update_count"`
		LastErrorMessage string `json:"last_error_message"`
	}
	_ = json.Unmarshal(callJSON(t, s, "getWebhookInfo", nil).Result, &info)
	if info.URL != deadURL+"/hook" || info.Pending != 1 || info.LastErrorMessage != "Connection refused" {
		t.Fatalf("info = %+v", info)
	}
	env = callJSON(t, s, "deleteWebhook", map[string]any{"drop_pending_updates": true})
	if !env.OK || env.Description != "Webhook was deleted" || len(s.Pending()) != 0 {
		t.Fatalf("deleteWebhook: %+v pending=%v", env, s.Pending())
	}
	if env := callJSON(t, s, "deleteWebhook", nil); env.Description != "Webhook is already deleted" {
		t.Fatalf("deleteWebhook again: %+v", env)
	}
}

func TestFailHTMLAndCallLog(t *testing.T) {
	s := newServer(t)
	s.Fail("getMe", 1, http.StatusBadGateway, 0)
	code, body := post(t, s, "/bot"+s.Token()+"/getMe", "", "")
	if code != 502 || !strings.Contains(body, "502 Bad Gateway") {
		t.Fatalf("502: %d %s", code, body)
	}
	s.Fail(AnyMethod, 1, 500, 0)
	wantError(t, callJSON(t, s, "getMe", nil), 500, "Internal Server Error")
	if env := callJSON(t, s, "getMe", nil); !env.OK {
		t.Fatalf("fault not consumed: %+v", env)
	}
	calls := s.Calls("getMe")
	if len(calls) != 3 || calls[0].Code != 502 || calls[1].Code != 500 || calls[2].Code != 200 {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestRateLimits(t *testing.T) {
	clock := newFakeClock()
	s := newServer(t, WithClock(clock.Now), WithRateLimits())
	s.AddChat(1)
	send := func() envelope { return callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}) }
	for i := 0; i < DefaultRateLimits.PerChatBurst; i++ {
		if env := send(); !env.OK {
			t.Fatalf("burst message %d: %+v", i, env)
		}
	}
	env := send()
	wantError(t, env, 429, "Too Many Requests: retry after 1")
	if env.Parameters == nil || env.Parameters.RetryAfter != 1 {
		t.Fatalf("parameters = %+v", env.Parameters)
	}
	if n := len(s.Chat(1)); n != DefaultRateLimits.PerChatBurst {
		t.Fatalf("refused message is visible: %d messages", n)
	}
	clock.Advance(time.Second)
	if env := send(); !env.OK {
		t.Fatalf("after waiting: %+v", env)
	}
	// The global limit: 30 chats at once, then 429.
	for i := int64(100); i < 130; i++ {
		s.AddChat(i)
	}
	clock.Advance(10 * time.Second)
	refused := 0
	for i := int64(100); i < 130; i++ {
		if !callJSON(t, s, "sendMessage", map[string]any{"chat_id": i, "text": "x"}).OK {
			refused++
		}
	}
	if env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}); env.OK || refused != 0 {
		t.Fatalf("global limit: refused=%d last=%+v", refused, env)
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(WithWebhookRetry(time.Millisecond, 5*time.Millisecond))
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	// A failing webhook keeps the sender busy with retries...
	dead := New()
	deadURL := dead.URL()
	dead.Close()
	s.SendText(1, "x")
	if env := callJSON(t, s, "setWebhook", map[string]any{"url": deadURL}); !env.OK {
		t.Fatalf("setWebhook: %+v", env)
	}
	if env := callJSON(t, s, "deleteWebhook", nil); !env.OK {
		t.Fatalf("deleteWebhook: %+v", env)
	}
	// ...and a long poll is parked when the server closes.
	polled := make(chan error, 1)
	go func() {
		resp, err := client.Post(s.URL()+"/bot"+s.Token()+"/getUpdates?timeout=50&offset=100", "", nil)
		if err == nil {
			_ = resp.Body.Close()
		}
		polled <- err
	}()
	if err := s.WaitFor(ctxTimeout(t, time.Second), s.Polling); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := <-polled; err != nil {
		t.Fatalf("long poll: %v", err)
	}
	client.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPushAndAllowedUpdates(t *testing.T) {
	s := newServer(t)
	// chat_member updates are not sent unless asked for, like Telegram.
	member := models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &models.User{ID: 9}}}
	s.Push(models.Update{ChatMember: &models.ChatMemberUpdated{Chat: models.Chat{ID: -100, Type: "supergroup"},
		OldChatMember: member, NewChatMember: member}})
	edited := s.Push(models.Update{EditedMessage: &models.Message{ID: 3, Date: 1, Chat: models.Chat{ID: 9, Type: "private"}, Text: "fixed"}})
	msg := s.Push(models.Update{Message: &models.Message{ID: 40, Chat: models.Chat{ID: -100, Type: "supergroup", Title: "G"},
		From: &models.User{ID: 9, FirstName: "Ann"}, Text: "in a group"}})
	cb := s.Push(models.Update{CallbackQuery: &models.CallbackQuery{ID: "cq-1", From: models.User{ID: 9},
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: 9, Type: "private"}, MessageID: 1}}}})

	var got []struct {
		UpdateID int64 `json:"update_id"`
	}
	_ = json.Unmarshal(callJSON(t, s, "getUpdates", nil).Result, &got)
	if len(got) != 3 || got[0].UpdateID != edited || got[1].UpdateID != msg || got[2].UpdateID != cb {
		t.Fatalf("updates = %+v", got)
	}
	// The pushed group message is visible and the bot may answer there.
	if m := s.Chat(-100); len(m) != 1 || m[0].ID != 40 || m[0].Text != "in a group" {
		t.Fatalf("group chat = %v", m)
	}
	if env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": -100, "text": "hi all"}); !env.OK {
		t.Fatalf("reply in group: %+v", env)
	}
	if env := callJSON(t, s, "answerCallbackQuery", map[string]any{"callback_query_id": "cq-1"}); !env.OK || !s.Answered("cq-1") {
		t.Fatalf("answer pushed query: %+v", env)
	}

	// allowed_updates narrows what comes next.
	callJSON(t, s, "getUpdates", map[string]any{"offset": cb + 1, "allowed_updates": []string{"callback_query"}})
	s.SendText(9, "ignored")
	_, cq := s.Tap(9, 1, "x")
	_ = json.Unmarshal(callJSON(t, s, "getUpdates", nil).Result, &got)
	if len(got) != 1 {
		t.Fatalf("filtered updates = %+v", got)
	}
	raw, _ := s.Update(got[0].UpdateID)
	if !strings.Contains(string(raw), cq) {
		t.Fatalf("update = %s", raw)
	}

	// A corrupt raw update breaks the whole answer, as it would for real.
	callJSON(t, s, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1, "allowed_updates": []string{}})
	bad := s.PushRaw([]byte(`{"update_id":`))
	_, body := post(t, s, "/bot"+s.Token()+"/getUpdates", "", "")
	if json.Valid([]byte(body)) || !strings.Contains(body, `{"update_id":`) {
		t.Fatalf("corrupt update answer = %s", body)
	}
	// A raw object gets its update_id set.
	callJSON(t, s, "getUpdates", map[string]any{"offset": bad + 1})
	id := s.PushRaw([]byte(`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":9,"type":"private"},"text":"raw"}}`))
	env := callJSON(t, s, "getUpdates", nil)
	if !strings.Contains(string(env.Result), `"update_id":`+strconvI(id)) {
		t.Fatalf("raw update = %s", env.Result)
	}
}

func TestWebhookAnswerWithMethod(t *testing.T) {
	s := newServer(t)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"method":"sendMessage","chat_id":5,"text":"pong"}`))
	}))
	defer hook.Close()
	if env := callJSON(t, s, "setWebhook", map[string]any{"url": hook.URL}); !env.OK {
		t.Fatalf("setWebhook: %+v", env)
	}
	s.SendText(5, "ping")
	msgs, err := s.WaitMessages(5, 1, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "pong" || len(s.Pending()) != 0 {
		t.Fatalf("messages = %v, pending = %v", msgs, s.Pending())
	}
}
