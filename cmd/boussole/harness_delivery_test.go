package main

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Fixtures of the delivery tests (issue 6): both receiving modes, people who
// walk the menus and time their answers, and Redis seen from outside.

const webhookSecret = "s3cret"

// modes are the two ways the bot receives updates; delivery must hold in both.
var modes = []string{"polling", "webhook"}

// setupDelivery is setup with a fake that delivers webhooks as Telegram
// does, in parallel across chats: sequential delivery would make one chat's
// flood hold back the others in the fake itself.
func setupDelivery(t *testing.T) (*telegramtest.Server, string, *syncBuffer) {
	t.Helper()
	tg := telegramtest.New(telegramtest.WithParallelWebhook())
	t.Cleanup(tg.Close)
	url, _ := testRedis(t)
	return tg, url, &syncBuffer{}
}

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// startIn starts the bot in mode ("polling" or "webhook") and waits until it
// receives. It returns the bot and, in webhook mode, its listen address.
func startIn(t *testing.T, mode string, tg *telegramtest.Server, redisURL string, logs *syncBuffer, env map[string]string) (*botProc, string) {
	t.Helper()
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = v
	}
	addr := ""
	if mode == "webhook" {
		addr = freeAddr(t)
		vars["MODE"], vars["LISTEN_ADDR"] = "webhook", addr
		vars["WEBHOOK_SECRET"] = webhookSecret
		if vars["WEBHOOK_URL"] == "" {
			vars["WEBHOOK_URL"] = "http://" + addr + "/tg"
		}
	}
	p := startBot(t, tg, redisURL, logs, vars)
	waitReceiving(t, tg, mode, addr)
	return p, addr
}

// waitReceiving waits until the bot polls, or has set its webhook and
// listens.
func waitReceiving(t *testing.T, tg *telegramtest.Server, mode, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ok := func() bool { return tg.Polling() }
	if mode == "webhook" {
		ok = func() bool {
			if tg.CallCount("setWebhook") == 0 {
				return false
			}
			c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
			if err != nil {
				return false
			}
			_ = c.Close()
			return true
		}
	}
	for !ok() {
		if ctx.Err() != nil {
			t.Fatalf("the bot never started receiving (%s)", mode)
		}
		_ = tg.WaitFor(ctxFor(50*time.Millisecond), func() bool { return false })
	}
}

// ctxFor is a context that ends after d: with WaitFor, a bounded pause that
// wakes on the fake's next change.
func ctxFor(d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	_ = cancel // released by the timeout
	return ctx
}

// waitAnswer waits until chat shows more than had bot messages, for at most
// d, and says how long it took.
func waitAnswer(tg *telegramtest.Server, chat int64, had int, d time.Duration) (time.Duration, bool) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	err := tg.WaitFor(ctx, func() bool { return len(tg.BotMessages(chat)) > had })
	return time.Since(start), err == nil
}

// walker is a person who walks the menus: /start, then the first button of
// the newest message, again and again, and times each answer.
type walker struct {
	tg   *telegramtest.Server
	chat int64
	lang string
}

// action is one thing a person did and how long the answer took.
type action struct {
	chat  int64
	what  string
	took  time.Duration
	ok    bool
	start time.Time
}

// act does the person's next action and waits up to d for its answer.
func (w *walker) act(n int, d time.Duration) action {
	opts := []telegramtest.UserOpt{telegramtest.Lang(w.lang)}
	had := len(w.tg.BotMessages(w.chat))
	last, ok := w.tg.LastBotMessage(w.chat)
	a := action{chat: w.chat, start: time.Now()}
	if n%8 == 0 || !ok || len(last.Buttons) == 0 {
		a.what = "/start"
		w.tg.SendText(w.chat, "/start", opts...)
	} else {
		a.what = "tap " + last.Buttons[0][0].Text
		w.tg.Tap(w.chat, last.ID, last.Buttons[0][0].Data, opts...)
	}
	a.took, a.ok = waitAnswer(w.tg, w.chat, had, d)
	return a
}

// walk makes each person act in a closed loop until stop, waiting up to
// d for each answer, and returns every action.
func walk(tg *telegramtest.Server, chats []int64, d time.Duration, stop <-chan struct{}) []action {
	var (
		mu  sync.Mutex
		all []action
		wg  sync.WaitGroup
	)
	for i, chat := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &walker{tg: tg, chat: chat, lang: []string{"fr", "ar"}[i%2]}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				a := w.act(n, d)
				mu.Lock()
				all = append(all, a)
				mu.Unlock()
				if !a.ok {
					return
				}
			}
		}()
	}
	wg.Wait()
	return all
}

// slowest summarises actions for failure messages: how many, how many
// unanswered, and the slowest answers.
func slowest(acts []action) string {
	sorted := append([]action(nil), acts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].took > sorted[j].took })
	failed := 0
	for _, a := range acts {
		if !a.ok {
			failed++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d actions, %d unanswered; slowest:", len(acts), failed)
	for _, a := range sorted[:min(5, len(sorted))] {
		fmt.Fprintf(&b, " [chat %d %s %v answered=%v]", a.chat, a.what, a.took.Round(time.Millisecond), a.ok)
	}
	return b.String()
}

// chatKeys returns the Redis keys whose name holds the chat id.
func chatKeys(t *testing.T, rdb *redis.Client, chat int64) []string {
	t.Helper()
	var keys []string
	iter := rdb.Scan(context.Background(), 0, "*"+strconv.FormatInt(chat, 10)+"*", 1000).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	return keys
}

// footprint is the memory the keys take: MEMORY USAGE on a real Redis, the
// size of their contents where the server lacks it (miniredis).
func footprint(t *testing.T, rdb *redis.Client, keys []string) int64 {
	t.Helper()
	ctx := context.Background()
	var total int64
	for _, k := range keys {
		if n, err := rdb.MemoryUsage(ctx, k).Result(); err == nil {
			total += n
			continue
		}
		total += int64(len(k))
		switch rdb.Type(ctx, k).Val() {
		case "string":
			total += int64(len(rdb.Get(ctx, k).Val()))
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				total += int64(len(f) + len(v))
			}
		case "list":
			for _, v := range rdb.LRange(ctx, k, 0, -1).Val() {
				total += int64(len(v))
			}
		case "set":
			for _, v := range rdb.SMembers(ctx, k).Val() {
				total += int64(len(v))
			}
		case "zset":
			for _, v := range rdb.ZRange(ctx, k, 0, -1).Val() {
				total += int64(len(v)) + 8
			}
		case "stream":
			for _, m := range rdb.XRange(ctx, k, "-", "+").Val() {
				total += int64(len(m.ID))
				for f, v := range m.Values {
					total += int64(len(f) + len(fmt.Sprint(v)))
				}
			}
		}
	}
	return total
}

// keysWithoutTTL returns the keys that would stay for ever.
func keysWithoutTTL(t *testing.T, rdb *redis.Client) []string {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		if d, err := rdb.PTTL(ctx, k).Result(); err == nil && d == -1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// waitQuiet waits until the bot has made no Bot API call but getUpdates for
// quiet (its outboxes are empty), for at most max. It reports whether it
// got quiet.
func waitQuiet(tg *telegramtest.Server, quiet, max time.Duration) bool {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		n := tg.CallCount("") - tg.CallCount("getUpdates")
		ctx, cancel := context.WithTimeout(context.Background(), quiet)
		err := tg.WaitFor(ctx, func() bool { return tg.CallCount("")-tg.CallCount("getUpdates") != n })
		cancel()
		if err != nil {
			return true
		}
	}
	return false
}

// countAnswers waits until every action is acknowledged and answered (or
// the waits give up), then counts the actions never answered (lost) and
// the answers too many (doubled); each walker's action gets one answer.
func countAnswers(t *testing.T, tg *telegramtest.Server, chats []int64, actions []int) (lost, doubled, total int) {
	t.Helper()
	if err := tg.WaitIdle(20 * time.Second); err != nil {
		t.Errorf("not every action was acknowledged: %v", err)
	}
	answered := func() bool {
		for i, chat := range chats {
			if len(tg.BotMessages(chat)) < actions[i] {
				return false
			}
		}
		return true
	}
	_ = tg.WaitFor(ctxFor(20*time.Second), answered)
	waitQuiet(tg, 1500*time.Millisecond, 10*time.Second)
	for i, chat := range chats {
		got := len(tg.BotMessages(chat))
		total += actions[i]
		switch {
		case got < actions[i]:
			lost += actions[i] - got
			t.Logf("chat %d: %d actions, %d answers:\n%s", chat, actions[i], got, transcript(tg.Chat(chat)))
		case got > actions[i]:
			doubled += got - actions[i]
		}
	}
	return lost, doubled, total
}

// walkers makes each person act in a closed loop until stop, waiting up to
// 5 s for each answer (one unanswered is counted by countAnswers);
// actions[i] is person i's count once walked has returned.
func walkers(tg *telegramtest.Server, chats []int64, stop <-chan struct{}) (actions []int, walked func()) {
	actions = make([]int, len(chats))
	var wg sync.WaitGroup
	for i, chat := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &walker{tg: tg, chat: chat, lang: []string{"fr", "ar"}[i%2]}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				w.act(n, 5*time.Second)
				actions[i]++
			}
		}()
	}
	return actions, wg.Wait
}
