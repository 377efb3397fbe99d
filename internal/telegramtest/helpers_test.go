package telegramtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
)

// newServer starts a Server that is closed when the test ends.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	t.Cleanup(s.Close)
	return s
}

// newBot returns a go-telegram client talking to s.
func newBot(t *testing.T, s *Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	base := []bot.Option{
		bot.WithServerURL(s.URL()),
		bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(error) {}),
		bot.WithDebugHandler(func(string, ...any) {}),
	}
	b, err := bot.New(s.Token(), append(base, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// envelope is a decoded Bot API answer.
type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// post sends a raw request and returns the status and the raw body.
func post(t *testing.T, s *Server, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// callJSON calls method with a JSON body and decodes the envelope.
func callJSON(t *testing.T, s *Server, method string, params any) envelope {
	t.Helper()
	body, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	code, raw := post(t, s, "/bot"+s.Token()+"/"+method, "application/json", string(body))
	var env envelope
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		t.Fatalf("%s: invalid JSON answer %q: %v", method, raw, err)
	}
	if env.OK && code != http.StatusOK || !env.OK && code != env.ErrorCode {
		t.Fatalf("%s: HTTP %d does not match envelope %s", method, code, raw)
	}
	return env
}

// callForm calls method with an application/x-www-form-urlencoded body.
func callForm(t *testing.T, s *Server, method string, values url.Values) envelope {
	t.Helper()
	_, raw := post(t, s, "/bot"+s.Token()+"/"+method, "application/x-www-form-urlencoded", values.Encode())
	var env envelope
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		t.Fatalf("%s: invalid JSON answer %q: %v", method, raw, err)
	}
	return env
}

func wantError(t *testing.T, env envelope, code int, desc string) {
	t.Helper()
	if env.OK || env.ErrorCode != code || env.Description != desc {
		t.Fatalf("got ok=%v %d %q, want %d %q", env.OK, env.ErrorCode, env.Description, code, desc)
	}
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
