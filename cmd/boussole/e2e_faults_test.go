package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// One unreadable stored record harms no one else, and its owner starts
// afresh (with buttons, not only an outage notice).
func TestCorruptRecordIsSetAside(t *testing.T) {
	tg, redisURL, logs := setupDelivery(t)
	rdb := redisFor(t, redisURL)
	first, _ := startIn(t, "polling", tg, redisURL, logs, nil)
	a := newFamily(t, tg, 7201, "fr")
	a.say("/start", 1)
	a.tap("Oui", 1)
	first.stop(t)
	keys := chatKeys(t, rdb, a.chat)
	if len(keys) == 0 {
		t.Fatal("no Redis key holds the person's chat id")
	}
	for _, k := range keys {
		cutValues(t, rdb, k)
	}
	startIn(t, "polling", tg, redisURL, logs, nil)

	had := len(tg.BotMessages(a.chat))
	tg.SendText(a.chat, "bonjour", a.opts...)
	time.Sleep(300 * time.Millisecond) // someone else arrives a moment later; not a synchronisation
	b := &walker{tg: tg, chat: 7202, lang: "ar"}
	for n := range 2 {
		if act := b.act(n, 3*time.Second); !act.ok {
			t.Errorf("another person's %s is not answered within 3 s while one record is unreadable", act.what)
			break
		}
	}
	fresh := func() bool {
		msgs := tg.BotMessages(a.chat)
		for _, m := range msgs[min(had, len(msgs)):] {
			if len(m.Buttons) > 0 {
				return true
			}
		}
		return false
	}
	if err := tg.WaitFor(ctxFor(5*time.Second), fresh); err != nil {
		t.Errorf("the person whose record is unreadable got no answer with buttons within 5 s:\n%s", transcript(tg.Chat(a.chat)))
	}
	if keys := keysWithoutTTL(t, rdb); len(keys) > 0 {
		t.Errorf("keys without a TTL stay for ever: %v", keys)
	}
}

// cutValues cuts every value of key in half, whatever its type, keeping
// its TTL: what a partial restore or a schema change could leave.
func cutValues(t *testing.T, rdb *redis.Client, key string) {
	t.Helper()
	ctx := context.Background()
	cut := func(v string) string { return v[:len(v)/2] }
	ttl := rdb.PTTL(ctx, key).Val()
	switch typ := rdb.Type(ctx, key).Val(); typ {
	case "string":
		rdb.Set(ctx, key, cut(rdb.Get(ctx, key).Val()), redis.KeepTTL)
	case "hash":
		for f, v := range rdb.HGetAll(ctx, key).Val() {
			rdb.HSet(ctx, key, f, cut(v))
		}
	case "list":
		for i, v := range rdb.LRange(ctx, key, 0, -1).Val() {
			rdb.LSet(ctx, key, int64(i), cut(v))
		}
	case "set":
		for _, v := range rdb.SMembers(ctx, key).Val() {
			rdb.SRem(ctx, key, v)
			rdb.SAdd(ctx, key, cut(v))
		}
	case "zset":
		for _, z := range rdb.ZRangeWithScores(ctx, key, 0, -1).Val() {
			v := z.Member.(string)
			rdb.ZRem(ctx, key, v)
			rdb.ZAdd(ctx, key, redis.Z{Score: z.Score, Member: cut(v)})
		}
	default:
		t.Logf("key %s of type %s left as it is", key, typ)
	}
	if ttl > 0 {
		rdb.PExpire(ctx, key, ttl)
	}
}

// A person taps, blocks the bot before the reply, later unblocks it and
// taps again: that tap is answered.
func TestTapAfterUnblock(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			startIn(t, mode, tg, redisURL, logs, nil)
			a := newFamily(t, tg, 7301, "fr")
			a.say("/start", 1)
			a.tap("Oui", 1)

			tg.Hang("sendMessage", 1, 500*time.Millisecond) // the reply is on its way when...
			last := a.last()
			tg.Tap(a.chat, last.ID, last.Buttons[0][0].Data, a.opts...)
			if err := tg.WaitFor(ctxFor(10*time.Second), func() bool { return tg.Hanging() > 0 }); err != nil {
				t.Fatal("the reply to the tap never went out")
			}
			tg.Block(a.chat) // ...the person blocks the bot
			refused := func() bool {
				for _, c := range tg.Calls("sendMessage") {
					if c.Code == http.StatusForbidden && c.Params["chat_id"] == fmt.Sprint(a.chat) {
						return true
					}
				}
				return false
			}
			if err := tg.WaitFor(ctxFor(10*time.Second), refused); err != nil {
				t.Fatal("the reply never met the block")
			}
			if err := tg.WaitIdle(10 * time.Second); err != nil {
				t.Fatal(err)
			}

			tg.Unblock(a.chat)
			had := len(tg.BotMessages(a.chat))
			last = a.last()
			tg.Tap(a.chat, last.ID, last.Buttons[0][0].Data, a.opts...)
			if took, ok := waitAnswer(tg, a.chat, had, 3*time.Second); !ok {
				t.Errorf("after unblocking, the tap is not answered within 3 s:\n%s", transcript(tg.Chat(a.chat)))
			} else {
				t.Logf("answered %v after the unblocked tap", took.Round(time.Millisecond))
			}
			if !asksFor(tg, mode, "my_chat_member") {
				t.Error("the bot does not ask for my_chat_member updates: it never learns of a block or an unblock")
			}
		})
	}
}

// asksFor reports whether the bot's allowed_updates let updates of kind
// through (no list at all means Telegram's default, which has them).
func asksFor(tg *telegramtest.Server, mode, kind string) bool {
	method := "getUpdates"
	if mode == "webhook" {
		method = "setWebhook"
	}
	calls := tg.Calls(method)
	if len(calls) == 0 {
		return false
	}
	list, ok := calls[len(calls)-1].Params["allowed_updates"]
	return !ok || list == "" || list == "[]" || strings.Contains(list, `"`+kind+`"`)
}

// Clients that send POST headers and no body cannot hold the webhook port:
// without the secret they get 403 (or are dropped) within 2 s; with it they
// are dropped within 30 s; a person is answered meanwhile.
func TestSlowClientsOnWebhookPort(t *testing.T) {
	tg, redisURL, logs := setupDelivery(t)
	_, addr := startIn(t, "webhook", tg, redisURL, logs, nil)
	type outcome struct {
		secret bool
		took   time.Duration
		ok     bool
	}
	results := make(chan outcome, 250)
	var wg sync.WaitGroup
	for i := range 250 {
		secret := i%5 == 0 // 50 with the secret, 200 without
		bound := 2 * time.Second
		header := ""
		if secret {
			bound = 30 * time.Second
			header = "X-Telegram-Bot-Api-Secret-Token: " + webhookSecret + "\r\n"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				results <- outcome{secret: secret, ok: true} // refused: not held either
				return
			}
			defer c.Close()
			start := time.Now()
			fmt.Fprintf(c, "POST /tg HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n%s\r\n", addr, header)
			_ = c.SetReadDeadline(start.Add(bound + 500*time.Millisecond))
			line, err := bufio.NewReader(c).ReadString('\n')
			took := time.Since(start)
			var ne net.Error
			timedOut := err != nil && errors.As(err, &ne) && ne.Timeout()
			ok := !timedOut && took <= bound
			if !secret && err == nil && !strings.Contains(line, " 403 ") {
				ok = false
			}
			results <- outcome{secret: secret, took: took, ok: ok}
		}()
	}
	p := &walker{tg: tg, chat: 7401, lang: "fr"}
	for n := range 2 {
		if a := p.act(n, 3*time.Second); !a.ok {
			t.Errorf("with slow clients on the port, a person's %s is not answered within 3 s", a.what)
			break
		}
	}
	wg.Wait()
	close(results)
	held := map[bool]int{}
	for r := range results {
		if !r.ok {
			held[r.secret]++
		}
	}
	if held[false] > 0 {
		t.Errorf("%d of 200 clients without the secret neither got 403 nor were dropped within 2 s", held[false])
	}
	if held[true] > 0 {
		t.Errorf("%d of 50 clients with the secret and no body were still connected after 30 s", held[true])
	}
}
