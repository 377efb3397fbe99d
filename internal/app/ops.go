package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/ops"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// monitor is the replica's side for operators: its metrics, its readiness,
// and the server of /healthz, /readyz and /metrics when it has one of its
// own (polling mode, or METRICS_ADDR); in webhook mode without
// METRICS_ADDR the webhook's server carries them.
type monitor struct {
	m     *ops.Metrics
	ready *ops.Ready
	srv   *http.Server
	done  chan struct{}
	// live is the flow the replica answers with; set before listen.
	live func() *flow.Flow
}

// deskEvery is how often the desk's figures are read from Redis.
const deskEvery = 10 * time.Second

func newMonitor(rdb redis.UniversalClient) *monitor {
	m := ops.New()
	o := &monitor{m: m}
	o.ready = &ops.Ready{Checks: []ops.Check{
		{Name: "redis", Test: func(ctx context.Context) error {
			if err := rdb.Ping(ctx).Err(); err != nil {
				return errors.New("not answering")
			}
			return nil
		}},
		{Name: "flow", Test: func(context.Context) error {
			if o.live == nil || o.live() == nil {
				return errors.New("no flow loaded")
			}
			return nil
		}},
		m.APICheck(),
	}}
	return o
}

// httpClient is the Bot API client's, counted.
func (o *monitor) httpClient() *http.Client {
	return &http.Client{Transport: o.m.Transport(telegram.NewTransport())}
}

// ownServer says whether the endpoints need a server of their own.
func ownServer(cfg config.Config) bool {
	return cfg.Mode != "webhook" || cfg.MetricsAddr != "" && cfg.MetricsAddr != cfg.ListenAddr
}

// mount adds the endpoints to the webhook's server when they are served there.
func (o *monitor) mount(cfg config.Config, mux *http.ServeMux) {
	if !ownServer(cfg) {
		o.m.Mount(mux, o.ready)
	}
}

// listen starts the endpoints' own server, if they need one. Once ctx is
// done /readyz says the replica is stopping.
func (o *monitor) listen(ctx context.Context, cfg config.Config, log zerolog.Logger) error {
	go func() { <-ctx.Done(); o.ready.Stopping() }()
	if !ownServer(cfg) {
		return nil
	}
	addr, name := cfg.ListenAddr, "LISTEN_ADDR"
	if cfg.MetricsAddr != "" {
		addr, name = cfg.MetricsAddr, "METRICS_ADDR"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s=%s: cannot listen for /healthz, /readyz and /metrics: %w", name, addr, err)
	}
	mux := http.NewServeMux()
	o.m.Mount(mux, o.ready)
	o.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 60 * time.Second}
	o.done = make(chan struct{})
	go func() { _ = o.srv.Serve(ln); close(o.done) }()
	log.Info().Str("listen", ln.Addr().String()).Msg("health and metrics listening")
	return nil
}

// close stops the endpoints' own server (the last thing a stop does).
func (o *monitor) close() {
	if o.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = o.srv.Shutdown(ctx)
	<-o.done
}

// run feeds the metrics until ctx is done: the delivery engine's figures
// at scrape, the Bot API probed when quiet, the desk read every deskEvery.
func (o *monitor) run(ctx context.Context, cfg config.Config, rdb redis.UniversalClient, engine *delivery.Engine,
	sender *telegram.Sender, log zerolog.Logger) {
	o.m.ReadDelivery(func() ops.Delivery {
		chats, oldest := engine.Holding()
		return ops.Delivery{Sent: engine.Stats.Sent.Load(), Dropped: engine.Stats.Dropped.Load(),
			Expired: engine.Stats.Expired.Load(), Blocked: engine.Stats.Blocked.Load(), Chats: chats, Oldest: oldest}
	})
	go o.m.Probe(ctx, 30*time.Second, func(ctx context.Context) error { _, err := sender.Me(ctx); return err })
	if cfg.VolunteerChatID == 0 {
		<-ctx.Done()
		return
	}
	desk := redisstore.NewDesk(rdb, redisstore.DeskOptions{Retention: cfg.Retention, CodeKey: deskKey(cfg)})
	t := time.NewTicker(deskEvery)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		d, err := readDesk(rctx, desk, cfg.VolunteerHours, time.Now())
		cancel()
		if err == nil {
			o.m.SetDesk(d)
		} else if ctx.Err() == nil {
			log.Debug().Str("error", "store unavailable").Msg("desk figures not read")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readDesk counts the open tickets by state, how long the first in line
// has waited, and the volunteers by state: counts only, never who.
func readDesk(ctx context.Context, desk *redisstore.Desk, hours handoff.Hours, now time.Time) (ops.Desk, error) {
	d := ops.Desk{HoursOpen: hours.Open(now)}
	ts, err := desk.Active(ctx)
	if err != nil {
		return d, err
	}
	var oldest time.Time
	for _, t := range ts {
		switch t.Status {
		case handoff.Queued:
			d.Queued++
			if !t.Queued.IsZero() && (oldest.IsZero() || t.Queued.Before(oldest)) {
				oldest = t.Queued
			}
		case handoff.Claimed:
			d.Claimed++
		}
	}
	if !oldest.IsZero() {
		d.OldestWaiting = max(0, now.Sub(oldest))
	}
	ids, err := desk.Volunteers(ctx)
	if err != nil {
		return d, err
	}
	for _, id := range ids {
		v, ok, err := desk.Volunteer(ctx, id)
		if err != nil {
			return d, err
		}
		switch {
		case !ok:
		case v.Off:
			d.Off++
		case len(v.Tickets) >= max(1, v.Capacity):
			d.Busy++
		default:
			d.Available++
		}
	}
	return d, nil
}

// counted handles updates and counts them: kind and outcome, and the
// step's time.
type counted struct {
	h telegram.Handler
	m *ops.Metrics
}

var kindNames = map[conversation.Kind]string{
	conversation.KindText: "text", conversation.KindButton: "button",
	conversation.KindOther: "other", conversation.KindMember: "member",
}

func (c counted) Handle(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	start := time.Now()
	res, err := c.h.Handle(ctx, u)
	outcome := res.Outcome
	if err != nil {
		outcome = "error"
	} else if outcome == "" {
		outcome = "ok"
	}
	kind, ok := kindNames[u.Kind]
	if !ok {
		kind = "other"
	}
	c.m.Update(kind, outcome, time.Since(start))
	return res, err
}

// eventCounter counts the observatory's events in the metrics too (the
// kind only), then passes them on.
type eventCounter struct {
	observer
	m *ops.Metrics
}

func (e eventCounter) Count(now time.Time, kind, lang, need, arrondissement string) {
	e.m.Event(kind)
	e.observer.Count(now, kind, lang, need, arrondissement)
}
