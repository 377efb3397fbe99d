package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// surgeDB is the only database a surge run may flush.
const surgeDB = 12

type surgeOptions struct {
	families int
	over     time.Duration
	policy   string
	boost    time.Duration
	replicas int
	mode     string
	urgent   float64
	redisURL string
	wait     time.Duration
	logLevel string
}

// runSurge is `boussole-load surge`: new families arrive evenly over a
// window, against a fake that enforces Telegram's limits, and the tool
// prints how long each kind of reply took. It prints figures, it passes or
// fails nothing, and it stops by itself.
//
//	go run ./cmd/boussole-load surge -families 2000 -over 60s -policy first
//	go run ./cmd/boussole-load surge -families 2000 -over 60s -policy fifo
//	go run ./cmd/boussole-load surge -families 2000 -over 60s -policy first -replicas 2
func runSurge(args []string) int {
	var o surgeOptions
	fs := flag.NewFlagSet("surge", flag.ContinueOnError)
	fs.IntVar(&o.families, "families", 2000, "new families (each: /start, then one tap or, if urgent, the emergency phrase)")
	fs.DurationVar(&o.over, "over", 60*time.Second, "window over which they arrive, evenly")
	fs.StringVar(&o.policy, "policy", "first", "delivery order: first (a conversation's first reply goes ahead by -boost) or fifo")
	fs.DurationVar(&o.boost, "boost", 0, "with -policy first: delivery.Config.FirstBoost (0: the engine's default)")
	fs.IntVar(&o.replicas, "replicas", 1, "bot processes; more than 1 run in webhook mode behind a round-robin proxy, sharing Redis")
	fs.StringVar(&o.mode, "mode", "", "polling or webhook (default: polling for 1 replica, webhook for more)")
	fs.Float64Var(&o.urgent, "urgent", 0.02, "fraction of families who type the emergency phrase instead of tapping")
	fs.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/12", "Redis of the run (database 12, flushed first)")
	fs.DurationVar(&o.wait, "wait", 0, "give up on replies this long after the last arrival (0: 2 minutes plus twice the ideal sending time)")
	fs.StringVar(&o.logLevel, "log-level", "warn", "the bots' LOG_LEVEL")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.mode == "" {
		o.mode = "polling"
		if o.replicas > 1 {
			o.mode = "webhook"
		}
	}
	switch {
	case o.families < 1 || o.over <= 0 || o.replicas < 1:
		fmt.Fprintln(os.Stderr, "boussole-load surge: need -families ≥ 1, -over > 0, -replicas ≥ 1")
		return 2
	case o.policy != "first" && o.policy != "fifo":
		fmt.Fprintln(os.Stderr, "boussole-load surge: -policy first or fifo")
		return 2
	case o.mode != "polling" && o.mode != "webhook", o.mode == "polling" && o.replicas > 1:
		fmt.Fprintln(os.Stderr, "boussole-load surge: -mode polling (one replica) or webhook")
		return 2
	case o.urgent < 0 || o.urgent > 1:
		fmt.Fprintln(os.Stderr, "boussole-load surge: -urgent is a fraction in [0, 1]")
		return 2
	}
	if o.wait <= 0 {
		ideal := time.Duration(float64(2*o.families) / 30 * float64(time.Second))
		o.wait = 2*time.Minute + 2*ideal
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.over+o.wait+3*time.Minute)
	defer cancel()
	if err := driveSurge(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load surge:", err)
		return 1
	}
	return 0
}

func driveSurge(ctx context.Context, o surgeOptions) error {
	machine(os.Stdout)
	if err := flushSurgeDB(ctx, o.redisURL); err != nil {
		return err
	}
	s := newSurge(o.families, o.urgent)
	fakeOpts := []telegramtest.Option{
		telegramtest.WithRateLimits(),
		telegramtest.WithCallLogLimit(16),
		telegramtest.WithCallHook(s.onCall),
	}
	if o.mode == "webhook" {
		fakeOpts = append(fakeOpts, telegramtest.WithParallelWebhook())
	}
	fake := telegramtest.New(fakeOpts...)
	defer fake.Close()
	s.fake = fake

	boost := o.boost
	if o.policy == "fifo" {
		boost = -1
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	argv := []string{self, "surge-bot", "-first-boost", boost.String()}
	env := botEnv(fake.URL(), fake.Token(), o.redisURL, o.logLevel)
	var bots []*botProc
	defer func() {
		for _, b := range bots {
			b.stop()
		}
	}()
	if o.mode == "polling" {
		b, err := startChild(ctx, argv, env, false, nil)
		if err != nil {
			return err
		}
		bots = append(bots, b)
	} else {
		var backends []string
		var addrs []string
		for range o.replicas {
			a, err := freeAddr()
			if err != nil {
				return err
			}
			addrs = append(addrs, a)
			backends = append(backends, "http://"+a)
		}
		proxy, err := startRRProxy(backends)
		if err != nil {
			return err
		}
		defer proxy.close()
		for _, a := range addrs {
			e := append(slices.Clip(env), "MODE=webhook", "LISTEN_ADDR="+a,
				"WEBHOOK_URL=http://"+proxy.addr+"/hook", "WEBHOOK_SECRET=surge-secret")
			b, err := startChild(ctx, argv, e, false, nil)
			if err != nil {
				return err
			}
			bots = append(bots, b)
		}
	}
	if err := waitReady(ctx, s, o); err != nil {
		return err
	}
	fmt.Printf("surge: %d families over %v, policy %s (FirstBoost %v), %d replica(s), %s, %.1f%% urgent; fake with Telegram's limits (30/s burst 30, 1/s per chat burst 3)\n",
		o.families, o.over, o.policy, boostName(boost), o.replicas, o.mode, 100*o.urgent)

	stopWork := make(chan struct{})
	defer close(stopWork)
	go s.act(stopWork)
	t0 := time.Now()
	go s.arrive(t0, o.over, stopWork)
	deadline := t0.Add(o.over + o.wait)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	lastPrint := t0
	for !s.done() && time.Now().Before(deadline) && ctx.Err() == nil {
		<-tick.C
		if time.Since(lastPrint) >= 15*time.Second {
			lastPrint = time.Now()
			s.progress(t0)
		}
	}
	end := time.Now()
	// Late answers to the taps may still be on their way.
	time.Sleep(500 * time.Millisecond)
	s.report(os.Stdout, t0, end)
	return nil
}

func boostName(b time.Duration) string {
	switch {
	case b < 0:
		return "none, FIFO"
	case b == 0:
		return "default"
	}
	return b.String()
}

// waitReady waits for every replica to receive: a getUpdates in polling, a
// setWebhook per replica in webhook mode.
func waitReady(ctx context.Context, s *surge, o surgeOptions) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		if o.mode == "polling" && s.getUpdates.Load() > 0 ||
			o.mode == "webhook" && s.setWebhook.Load() >= int64(o.replicas) {
			time.Sleep(200 * time.Millisecond) // let the engines start too
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the bot(s) never started receiving")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// flushSurgeDB empties the run's database, 12 only, on 127.0.0.1 only.
func flushSurgeDB(ctx context.Context, url string) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return fmt.Errorf("-redis: %w", err)
	}
	if opt.DB != surgeDB {
		return fmt.Errorf("refusing to FLUSHDB database %d: surge runs use database %d", opt.DB, surgeDB)
	}
	if host := opt.Addr; len(host) < 10 || host[:10] != "127.0.0.1:" {
		return fmt.Errorf("refusing to FLUSHDB %s: surge runs use a Redis on 127.0.0.1", host)
	}
	c := redis.NewClient(opt)
	defer func() { _ = c.Close() }()
	return c.FlushDB(ctx).Err()
}
