package ops

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one condition of readiness: nil when it holds, else an error
// whose text says why in a few plain words (never a person's data).
type Check struct {
	Name string
	Test func(ctx context.Context) error
}

// Ready answers /readyz: every check holds and the replica is not stopping.
type Ready struct {
	Checks []Check
	// Timeout bounds each check; default 2 s.
	Timeout  time.Duration
	stopping atomic.Bool
}

// Stopping makes /readyz answer 503 from now on: the replica is shutting
// down and takes no new work.
func (r *Ready) Stopping() { r.stopping.Store(true) }

// Problems runs the checks and returns what fails, one line each.
func (r *Ready) Problems(ctx context.Context) []string {
	if r.stopping.Load() {
		return []string{"stopping: the replica is shutting down"}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	var out []string
	for _, c := range r.Checks {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		err := c.Test(cctx)
		cancel()
		if err != nil {
			out = append(out, c.Name+": "+err.Error())
		}
	}
	return out
}

// Mount adds /healthz, /readyz and /metrics to mux.
func (m *Metrics) Mount(mux *http.ServeMux, ready *Ready) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if probs := ready.Problems(r.Context()); len(probs) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(strings.Join(probs, "\n") + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry: m.reg, Timeout: 10 * time.Second, MaxRequestsInFlight: 4,
	}))
}
