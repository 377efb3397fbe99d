package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// The operator's endpoints of a live `boussole serve`: /healthz, /readyz
// following Redis, and /metrics following a family's journey without ever
// naming them.
func TestOpsEndpoints(t *testing.T) {
	tg, redisURL, logs := setup(t)
	px, viaProxy := newProxy(t, redisURL)
	addr := freeAddr(t)
	startBot(t, tg, viaProxy, logs, map[string]string{"LISTEN_ADDR": addr})
	base := "http://" + addr

	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		waitHTTP(t, base+"/healthz", "alive", func(code int, _ string) bool { return code == 200 })
	}
	waitHTTP(t, base+"/readyz", "ready", func(code int, _ string) bool { return code == 200 })

	before := scrape(t, base)
	const (
		chat     = 31415926
		first    = "Zoubida"
		username = "zoubida_13e"
		wrote    = "Mon fils Karim ne rentre plus depuis hier"
	)
	f := &family{t: t, tg: tg, chat: chat, opts: []telegramtest.UserOpt{
		telegramtest.Lang("fr"), telegramtest.FirstName(first), telegramtest.Username(username),
	}}
	tg.Fail("sendMessage", 1, 429, 1) // a 429 is visible, by method
	f.say("/start", 1)
	f.tap("Oui", 1)
	f.say(wrote, 1)
	f.say("ils ont une ARME devant chez moi", 1) // the emergency screen

	var after string
	waitHTTP(t, base+"/metrics", "the journey counted", func(_ int, body string) bool {
		after = body
		return metric(body, "boussole_updates_total") >= metric(before, "boussole_updates_total")+4 &&
			metric(body, `boussole_botapi_calls_total{method="sendMessage",status="200"}`) >=
				metric(before, `boussole_botapi_calls_total{method="sendMessage",status="200"}`)+4 &&
			metric(body, "boussole_emergency_screens_total") >= 1 &&
			metric(body, `boussole_replies_total{result="sent"}`) >= 3
	})
	for _, want := range []string{
		`boussole_updates_total{kind="text",outcome="ok"}`,
		`boussole_updates_total{kind="button",outcome="ok"}`,
		`boussole_step_seconds_bucket{kind="text",le="`,
		`boussole_botapi_calls_total{method="sendMessage",status="429"} 1`,
		`boussole_botapi_calls_total{method="getUpdates",status="200"}`,
		`boussole_outbox_chats`,
		`boussole_outbox_oldest_seconds`,
		`boussole_replies_total{result="dropped"} 0`,
		`boussole_flow_version`,
		`process_resident_memory_bytes`,
		`go_goroutines`,
	} {
		if !strings.Contains(after, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, secret := range []string{strconv.Itoa(chat), first, username, "Karim", "rentre", "ARME", tg.Token()} {
		if strings.Contains(after, secret) {
			t.Errorf("/metrics contains %q", secret)
		}
	}

	// Redis cut: not ready, saying why; Redis back: ready again.
	px.cut()
	waitHTTP(t, base+"/readyz", "503 with Redis cut", func(code int, body string) bool {
		return code == 503 && strings.Contains(body, "redis")
	})
	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz with Redis cut: %d (the process is alive)", code)
	}
	px.restore()
	waitHTTP(t, base+"/readyz", "200 with Redis back", func(code int, _ string) bool { return code == 200 })
}

// The endpoints on METRICS_ADDR, beside a webhook on LISTEN_ADDR.
func TestOpsOnMetricsAddr(t *testing.T) {
	tg, redisURL, logs := setup(t)
	metricsAddr := freeAddr(t)
	_, hook := startIn(t, "webhook", tg, redisURL, logs, map[string]string{"METRICS_ADDR": metricsAddr})
	waitHTTP(t, "http://"+metricsAddr+"/readyz", "ready", func(code int, _ string) bool { return code == 200 })
	if code, _ := httpGet(t, "http://"+hook+"/metrics"); code == 200 {
		t.Error("/metrics is also served on the webhook's public address")
	}
	f := newFamily(t, tg, 31415927, "fr")
	f.say("/start", 1)
	waitHTTP(t, "http://"+metricsAddr+"/metrics", "the update counted", func(_ int, body string) bool {
		return metric(body, "boussole_updates_total") >= 1 && metric(body, `boussole_botapi_calls_total{method="setWebhook",status="200"}`) == 1
	})
}

// SIGTERM under load, the real binary: it stops receiving, finishes what
// is in flight, hands its sending leases back and exits within 10 s; every
// action acknowledged is answered (by it, or by the next process), none
// twice.
func TestSigtermUnderLoad(t *testing.T) {
	bin := boussoleBinary(t)
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			rdb := redisFor(t, redisURL)
			addr := ""
			if mode == "webhook" {
				addr = freeAddr(t)
			}
			env := processEnv(tg, redisURL, mode, addr)
			proc := startProcess(t, bin, env, logs)
			waitReceiving(t, tg, mode, addr)

			chats := make([]int64, 40)
			for i := range chats {
				chats[i] = int64(7801 + i)
			}
			stop := make(chan struct{})
			actions, walked := walkers(tg, chats, stop)
			// Load until a good number of replies went, then SIGTERM.
			_ = tg.WaitFor(ctxFor(20*time.Second), func() bool { return tg.CallCount("sendMessage") >= 150 })
			sentBefore := tg.CallCount("sendMessage")
			start := time.Now()
			_ = proc.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-proc.done:
			case <-time.After(20 * time.Second):
				t.Fatalf("no exit 20 s after SIGTERM")
			}
			took := time.Since(start)
			code := proc.cmd.ProcessState.ExitCode()
			t.Logf("%s: SIGTERM after %d sendMessage under load of %d families: exit %d in %v", mode, sentBefore, len(chats), code, took.Round(time.Millisecond))
			if took > 10*time.Second {
				t.Errorf("exit took %v, more than 10 s", took)
			}
			if code != 0 {
				t.Errorf("exit status %d", code)
			}
			if keys, err := rdb.Keys(context.Background(), "*lease*").Result(); err != nil || len(keys) > 0 {
				t.Errorf("sending leases left behind: %v %v", keys, err)
			}

			// The next process takes over what came in meanwhile.
			proc = startProcess(t, bin, env, logs)
			waitReceiving(t, tg, mode, addr)
			_ = tg.WaitFor(ctxFor(20*time.Second), func() bool { return tg.CallCount("sendMessage") >= sentBefore+100 })
			close(stop)
			walked()

			lost, doubled, total := countAnswers(t, tg, chats, actions)
			t.Logf("%s: %d actions, %d lost, %d doubled", mode, total, lost, doubled)
			if lost > 0 {
				t.Errorf("%d acknowledged actions were never answered", lost)
			}
			if doubled > 0 {
				t.Errorf("%d double answers after a graceful stop", doubled)
			}
		})
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitHTTP polls url until ok holds for its answer, 20 s at most.
func waitHTTP(t *testing.T, url, what string, ok func(code int, body string) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var code int
	var body string
	for {
		if code, body = httpGet(t, url); ok(code, body) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s never happened; last answer %d:\n%.2000s", url, what, code, body)
		}
		tick, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		<-tick.Done()
		cancel()
	}
}

func scrape(t *testing.T, base string) string {
	t.Helper()
	code, body := httpGet(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	return body
}

// metric sums the samples of body whose line starts with prefix (a name,
// or a name and the start of its labels).
func metric(body, prefix string) float64 {
	sum := 0.0
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		rest := line[len(prefix):]
		if rest == "" || rest[0] != ' ' && rest[0] != '{' && prefix[len(prefix)-1] != '}' && prefix[len(prefix)-1] != ',' {
			continue // another metric whose name starts the same
		}
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
				sum += v
			}
		}
	}
	return sum
}

// With a desk, /metrics shows the requests by state, how long the first in
// line has waited and the volunteers, as read from Redis every 10 s.
func TestOpsDeskFigures(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	addr := freeAddr(t)
	startBot(t, tg, redisURL, logs, deskEnv(map[string]string{"LISTEN_ADDR": addr}))
	waitHTTP(t, "http://"+addr+"/readyz", "ready", func(code int, _ string) bool { return code == 200 })
	f := newFamily(t, tg, 31415928, "fr")
	askForSomeone(t, f, "fr")
	waitHTTP(t, "http://"+addr+"/metrics", "one request queued", func(_ int, body string) bool {
		return metric(body, `boussole_tickets{state="queued"}`) == 1 &&
			metric(body, "boussole_ticket_oldest_waiting_seconds") > 0 &&
			metric(body, "boussole_desk_hours_open") == 1 &&
			metric(body, "boussole_events_total") >= 1
	})
}
