package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/redistest"
	"github.com/boussole/boussole/internal/telegramtest"
)

// e2eRedisDB is this package's database on the shared test Redis.
const e2eRedisDB = redistest.DBEndToEnd

// testRedis returns the URL of an empty Redis for one test: the real server
// at TEST_REDIS_URL (CI), or an in-process miniredis on a laptop.
func testRedis(t *testing.T) (string, *redis.Client) {
	t.Helper()
	base := os.Getenv("TEST_REDIS_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI must test against a real Redis: set TEST_REDIS_URL")
		}
		m := miniredis.RunT(t)
		base = "redis://" + m.Addr()
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/%d", e2eRedisDB)
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	if err := c.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("test Redis at %s: %v", base, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return u.String(), c
}

// syncBuffer collects the bot's logs safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// botProc is one run of `boussole serve` inside the test.
type botProc struct {
	cancel context.CancelFunc
	done   chan error
}

// startBot runs the whole program against the fake Bot API, as an operator
// would start it, with env on top of the defaults.
func startBot(t *testing.T, tg *telegramtest.Server, redisURL string, logs io.Writer, env map[string]string) *botProc {
	t.Helper()
	vars := map[string]string{
		"TELEGRAM_TOKEN":   tg.Token(),
		"TELEGRAM_API_URL": tg.URL(),
		"REDIS_URL":        redisURL,
		"POLL_TIMEOUT":     "1s",
		"LOG_LEVEL":        "info",
		// The health and metrics endpoints, on a port of their own per bot.
		"LISTEN_ADDR": "127.0.0.1:0",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &botProc{cancel: cancel, done: make(chan error, 1)}
	go func() {
		p.done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), logs, logs)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop sends the equivalent of SIGTERM and waits for a clean exit.
func (p *botProc) stop(t *testing.T) {
	t.Helper()
	if p.cancel == nil {
		return
	}
	p.cancel()
	p.cancel = nil
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("bot exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("bot did not stop within 30 s")
	}
}

// proxy stands between the bot and Redis so a test can cut Redis off and
// bring it back, as a network failure or a Redis restart would.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newProxy(t *testing.T, redisURL string) (*proxy, string) {
	t.Helper()
	u, _ := url.Parse(redisURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: u.Host, conns: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() { _ = ln.Close(); p.cut() })
	u.Host = ln.Addr().String()
	return p, u.String()
}

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	}
}

// cut drops every connection and refuses new ones.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// family is a person on the fake Telegram.
type family struct {
	t    *testing.T
	tg   *telegramtest.Server
	chat int64
	opts []telegramtest.UserOpt
	mark int // bot messages seen before the last action
}

// say sends text and waits until the bot has sent want more messages.
func (f *family) say(text string, want int) []telegramtest.Message {
	f.t.Helper()
	f.mark = len(f.tg.BotMessages(f.chat))
	f.tg.SendText(f.chat, text, f.opts...)
	return f.await(f.mark + want)
}

// tap presses the button labelled label on the bot's last message.
func (f *family) tap(label string, want int) []telegramtest.Message {
	f.t.Helper()
	last, ok := f.tg.LastBotMessage(f.chat)
	if !ok {
		f.t.Fatal("no bot message to tap")
	}
	return f.tapOn(last, label, want)
}

func (f *family) tapOn(m telegramtest.Message, label string, want int) []telegramtest.Message {
	f.t.Helper()
	data, ok := m.Data(label)
	if !ok {
		f.t.Fatalf("no button %q on message %q; buttons: %v", label, m.Text, m.Buttons)
	}
	f.mark = len(f.tg.BotMessages(f.chat))
	_, cb := f.tg.Tap(f.chat, m.ID, data, f.opts...)
	got := f.await(f.mark + want)
	f.waitAnswered(cb)
	return got
}

func (f *family) waitAnswered(cb string) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.tg.WaitFor(ctx, func() bool { return f.tg.Answered(cb) }); err != nil {
		f.t.Fatalf("callback %s never answered", cb)
	}
}

func (f *family) await(n int) []telegramtest.Message {
	f.t.Helper()
	msgs, err := f.tg.WaitMessages(f.chat, n, 15*time.Second)
	if err != nil {
		f.t.Fatal(err)
	}
	return msgs[len(msgs)-min(len(msgs), n-f.mark):]
}

func (f *family) last() telegramtest.Message {
	m, _ := f.tg.LastBotMessage(f.chat)
	return m
}

// transcript renders the chat as the person sees it on their phone.
func transcript(msgs []telegramtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		who := "👤"
		if m.FromBot {
			who = "🤖"
		}
		text := m.Text
		if m.Kind != "" && m.Kind != "text" {
			text = "[" + string(m.Kind) + "]"
		}
		fmt.Fprintf(&b, "%s %s\n", who, strings.ReplaceAll(text, "\n", "\n   "))
		for _, row := range m.Buttons {
			var cells []string
			for _, btn := range row {
				cells = append(cells, "["+btn.Text+"]")
			}
			fmt.Fprintf(&b, "   %s\n", strings.Join(cells, " "))
		}
	}
	return b.String()
}

// redisFor opens a client on the test's Redis URL.
func redisFor(t *testing.T, u string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}
