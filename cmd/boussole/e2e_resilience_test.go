package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

func TestEraseDeletesBothDirections(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 2001, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	f.tap("On me menace, on m'intimide", 1)
	tg.SendText(f.chat, "/effacer", f.opts...)
	// Nothing is left: a confirmation would be the chat's preview, telling
	// whoever looks at the phone that something was hidden.
	msgs := waitChat(t, tg, f.chat, func(m []telegramtest.Message) bool { return len(m) == 0 })
	if len(msgs) != 0 {
		t.Fatalf("after /effacer the chat should be empty, it holds:\n%s", transcript(msgs))
	}
	if n := tg.CallCount("deleteMessages"); n == 0 {
		t.Error("deleteMessages was never called")
	}
	// The state is gone too: the next message starts afresh.
	tg.SendText(f.chat, "bonjour", f.opts...)
	got := waitChat(t, tg, f.chat, func(m []telegramtest.Message) bool { return len(m) == 2 })
	if !strings.Contains(got[1].Text, "endroit sûr") {
		t.Errorf("after /effacer the conversation should start again: %q", got[0].Text)
	}
}

func TestForgetDeletesEverything(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 2002, "ar")
	f.say("/start", 1)
	f.tap("نعم", 1)
	f.say("/oubli", 1)
	data, _ := f.last().Data("نعم، احذف كل شيء")
	tg.Tap(f.chat, f.last().ID, data, f.opts...)
	// Nothing is left on the phone, not even a confirmation.
	waitChat(t, tg, f.chat, func(m []telegramtest.Message) bool { return len(m) == 0 })
	if err := tg.WaitIdle(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	// The last deletion's acknowledgement follows it by a moment.
	rdb := redisFor(t, redisURL)
	left := func() []string {
		keys, _ := rdb.Keys(context.Background(), "*").Result()
		var mine []string
		for _, k := range keys {
			if strings.Contains(k, "2002") {
				mine = append(mine, k)
			}
		}
		return mine
	}
	_ = tg.WaitFor(ctxFor(10*time.Second), func() bool { return len(left()) == 0 })
	for _, k := range left() {
		t.Errorf("key %s survived /oubli", k)
	}
}

func TestTooManyRequestsStormLosesNothing(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	tg.Fail("sendMessage", 4, 429, 1)
	fams := []*family{newFamily(t, tg, 2101, "fr"), newFamily(t, tg, 2102, "ar"), newFamily(t, tg, 2103, "fr")}
	for _, f := range fams {
		tg.SendText(f.chat, "/start", f.opts...)
	}
	for _, f := range fams {
		if _, err := tg.WaitMessages(f.chat, 1, 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	// Every retry came after the retry_after Telegram asked for.
	calls := tg.Calls("sendMessage")
	for i, c := range calls {
		if c.Code != 429 {
			continue
		}
		for _, next := range calls[i+1:] {
			if next.Params["chat_id"] == c.Params["chat_id"] {
				if gap := next.Time.Sub(c.Time); gap < 900*time.Millisecond {
					t.Errorf("retry %v after a 429 with retry_after=1", gap)
				}
				break
			}
		}
	}
}

func TestRedisDownAtStartThenBack(t *testing.T) {
	tg, redisURL, logs := setup(t)
	px, viaProxy := newProxy(t, redisURL)
	px.cut()
	startBot(t, tg, viaProxy, logs, nil)
	f := newFamily(t, tg, 2201, "fr")
	got := f.say("/start", 1)
	if !strings.Contains(got[0].Text, "17") || !strings.Contains(got[0].Text, "114") {
		t.Fatalf("with Redis down the bot should answer with the emergency numbers, got %q", got[0].Text)
	}
	px.restore()
	got = f.await(2)
	if !strings.Contains(got[len(got)-1].Text, "endroit sûr") {
		t.Fatalf("once Redis is back the /start should be answered: %q", got[len(got)-1].Text)
	}
}

func TestRedisDownMidConversation(t *testing.T) {
	tg, redisURL, logs := setup(t)
	px, viaProxy := newProxy(t, redisURL)
	startBot(t, tg, viaProxy, logs, nil)
	f := newFamily(t, tg, 2202, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	px.cut()
	got := f.say("8", 1)
	if !strings.Contains(got[0].Text, "problème technique") {
		t.Fatalf("with Redis down: %q", got[0].Text)
	}
	px.restore()
	got = f.await(f.mark + 2)
	if !strings.Contains(got[len(got)-1].Text, "Pour parler à quelqu'un maintenant") { // "8": the 8th option
		t.Fatalf("the answer given during the outage was lost: %q", got[len(got)-1].Text)
	}
}

func TestRestartBetweenTwoMessages(t *testing.T) {
	tg, redisURL, logs := setup(t)
	first := startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 2301, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	first.stop(t)
	startBot(t, tg, redisURL, logs, nil)
	got := f.say("4", 1)
	if !strings.Contains(got[0].Text, "Toutes nos condoléances") { // "4": the 4th option
		t.Fatalf("after a restart the conversation should go on: %q", got[0].Text)
	}
}

func TestWebhookMode(t *testing.T) {
	tg, redisURL, logs := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	startBot(t, tg, redisURL, logs, map[string]string{"MODE": "webhook", "LISTEN_ADDR": addr,
		"WEBHOOK_URL": "http://" + addr + "/tg", "WEBHOOK_SECRET": "s3cret"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tg.WaitFor(ctx, func() bool { return tg.CallCount("setWebhook") > 0 }); err != nil {
		t.Fatal("the bot never set its webhook")
	}
	// Without the secret, the bot refuses.
	resp, err := http.Post("http://"+addr+"/tg", "application/json", strings.NewReader(`{"update_id":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("no secret: status %d, want 403", resp.StatusCode)
	}
	f := newFamily(t, tg, 2401, "fr")
	f.say("/start", 1)
	got := f.tap("Oui", 1)
	if !strings.Contains(got[0].Text, "De quoi avez-vous besoin") {
		t.Fatalf("webhook journey: %q", got[0].Text)
	}
}

func TestCommandMenuInBothLanguages(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = tg.WaitFor(ctx, func() bool { return len(tg.Commands("ar")) > 0 })
	for _, lang := range []string{"", "fr", "ar"} {
		cmds := tg.Commands(lang)
		if len(cmds) != 9 {
			t.Errorf("menu %q has %d commands", lang, len(cmds))
		}
	}
	if ar := tg.Commands("ar"); len(ar) > 0 && !strings.ContainsAny(ar[0].Description, "ابتدئ") {
		t.Errorf("Arabic menu not in Arabic: %q", ar[0].Description)
	}
}

// waitChat waits until the chat, as the person sees it, satisfies ok.
func waitChat(t *testing.T, tg *telegramtest.Server, chat int64, ok func([]telegramtest.Message) bool) []telegramtest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var msgs []telegramtest.Message
	if err := tg.WaitFor(ctx, func() bool { msgs = tg.Chat(chat); return ok(msgs) }); err != nil {
		t.Fatalf("chat %d never reached the expected state:\n%s", chat, transcript(msgs))
	}
	return msgs
}

// SIGTERM while a reply is in flight: the bot finishes it before exiting.
func TestStopDrainsUpdatesInFlight(t *testing.T) {
	tg, redisURL, logs := setup(t)
	p := startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 2501, "fr")
	f.say("/start", 1)
	tg.Fail("sendMessage", 1, 429, 2) // the next reply has to wait 2 s
	tg.SendText(f.chat, "/aide", f.opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = tg.WaitFor(ctx, func() bool { return tg.CallCount("sendMessage") >= 2 }) // the 429 happened
	p.stop(t)
	if n := len(tg.BotMessages(f.chat)); n != 2 {
		t.Fatalf("the reply in flight at stop was lost: %d bot messages", n)
	}
}

// A malformed update (a field of the wrong type, garbage around it) does not
// stop the bot nor lose the updates around it.
func TestMalformedUpdatesAreSurvived(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 2601, "fr")
	f.say("/start", 1)
	tg.PushRaw([]byte(`{"message":{"message_id":"x","from":{"id":2601},"chat":{"id":2601,"type":"private"},"text":42}}`))
	tg.PushRaw([]byte(`{"callback_query":{"id":"q9","from":{"id":2601},"data":{"nested":true}}}`))
	// The text of the wrong type reads as a message the bot cannot read.
	got := f.say("/aide", 2)
	if !strings.Contains(got[0].Text, "ne peut pas écouter les messages vocaux") || !strings.Contains(got[1].Text, "/effacer") {
		t.Fatalf("malformed updates:\n%s", transcript(got))
	}
}
