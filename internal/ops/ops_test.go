package ops

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestEndpoints(t *testing.T) {
	m := New()
	redisUp := true
	ready := &Ready{Checks: []Check{
		{Name: "redis", Test: func(context.Context) error {
			if !redisUp {
				return errors.New("not answering")
			}
			return nil
		}},
		m.APICheck(),
	}}
	mux := http.NewServeMux()
	m.Mount(mux, ready)

	if code, _ := get(t, mux, "/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	code, body := get(t, mux, "/readyz")
	if code != 503 || !strings.Contains(body, "telegram: the Bot API has not answered") {
		t.Errorf("/readyz before any Bot API answer: %d %q", code, body)
	}
	m.apiSucceeded(time.Now())
	if code, body := get(t, mux, "/readyz"); code != 200 {
		t.Errorf("/readyz: %d %q", code, body)
	}
	redisUp = false
	if code, body := get(t, mux, "/readyz"); code != 503 || !strings.Contains(body, "redis: not answering") {
		t.Errorf("/readyz, Redis down: %d %q", code, body)
	}
	redisUp = true
	m.apiSucceeded(time.Now().Add(-3 * time.Minute))
	if code, body := get(t, mux, "/readyz"); code != 503 || !strings.Contains(body, "no successful Bot API answer for 3m") {
		t.Errorf("/readyz, Bot API silent: %d %q", code, body)
	}
	m.apiSucceeded(time.Now())
	ready.Stopping()
	if code, body := get(t, mux, "/readyz"); code != 503 || !strings.Contains(body, "stopping") {
		t.Errorf("/readyz, stopping: %d %q", code, body)
	}

	m.Update("text", "ok", 30*time.Millisecond)
	m.Update("button", "Some Odd Value with a name", time.Millisecond)
	m.Event("emergency")
	m.Job("purge", "ok", time.Second)
	m.FlowVersion(7)
	m.SetDesk(Desk{Queued: 2, Claimed: 1, OldestWaiting: 90 * time.Second, Available: 3, HoursOpen: true})
	m.ReadDelivery(func() Delivery {
		return Delivery{Sent: 5, Dropped: 1, Chats: 2, Oldest: time.Now().Add(-4 * time.Second)}
	})
	_, body = get(t, mux, "/metrics")
	for _, want := range []string{
		`boussole_updates_total{kind="text",outcome="ok"} 1`,
		`boussole_updates_total{kind="button",outcome="other"} 1`,
		`boussole_step_seconds_bucket{kind="text",le="0.05"} 1`,
		`boussole_emergency_screens_total 1`,
		`boussole_events_total{kind="emergency"} 1`,
		`boussole_job_runs_total{job_name="purge",result="ok"} 1`,
		`boussole_flow_version 7`,
		`boussole_tickets{state="queued"} 2`,
		`boussole_ticket_oldest_waiting_seconds 90`,
		`boussole_volunteers{state="available"} 3`,
		`boussole_desk_hours_open 1`,
		`boussole_outbox_chats 2`,
		`boussole_replies_total{result="dropped"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(body, "boussole_outbox_oldest_seconds 4") {
		t.Errorf("/metrics: oldest reply's age not about 4 s:\n%s", grep(body, "outbox_oldest"))
	}
}

func grep(body, s string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestTransportCountsByMethodNeverToken(t *testing.T) {
	const token = "123456:SECRET-token_AAA"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") && r.URL.Query().Get("busy") != "" {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"ok":false,"error_code":429,"parameters":{"retry_after":3}}`)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true,"result":true}`)
	}))
	defer api.Close()
	m := New()
	hc := &http.Client{Transport: m.Transport(nil)}
	for _, p := range []string{"/sendMessage", "/sendMessage?busy=1", "/getUpdates", "/"} {
		resp, err := hc.Post(api.URL+"/bot"+token+p, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, err := hc.Post("http://127.0.0.1:1/bot"+token+"/getMe", "application/json", nil); err == nil {
		t.Fatal("no error from a closed port")
	}
	mux := http.NewServeMux()
	m.Mount(mux, &Ready{})
	_, body := get(t, mux, "/metrics")
	for _, want := range []string{
		`boussole_botapi_calls_total{method="sendMessage",status="200"} 1`,
		`boussole_botapi_calls_total{method="sendMessage",status="429"} 1`,
		`boussole_botapi_calls_total{method="getUpdates",status="200"} 1`,
		`boussole_botapi_calls_total{method="other",status="200"} 1`,
		`boussole_botapi_calls_total{method="getMe",status="error"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s\n%s", want, grep(body, "botapi_calls"))
		}
	}
	if strings.Contains(body, "SECRET") || strings.Contains(body, "123456") {
		t.Error("/metrics shows the token")
	}
	if m.LastAPISuccess().IsZero() {
		t.Error("a 200 did not count as the Bot API answering")
	}
}

func TestProbeCallsOnlyWhenQuiet(t *testing.T) {
	m := New()
	calls := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Probe(ctx, time.Millisecond, func(context.Context) error {
		m.apiSucceeded(time.Now())
		calls <- struct{}{}
		return nil
	})
	select {
	case <-calls:
	case <-time.After(5 * time.Second):
		t.Fatal("a replica with no Bot API answer yet was not probed")
	}
	// Now fresh: no further probe for a minute.
	select {
	case <-calls:
		t.Error("probed while the Bot API answered a moment ago")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{"ok": "ok", "locked-elsewhere": "locked-elsewhere", "": "other",
		"Jean Dupont": "other", "+33612345678": "other", "4242": "other", "g2": "g2", strings.Repeat("a", 33): "other"} {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %q, want %q", in, got, want)
		}
	}
}
