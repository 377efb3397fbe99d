package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Chat ids of the two kinds of families: the ones that carry the load, and
// the ones whose idle conversations are weighed afterwards.
const (
	loadChats   = 100_000_000
	weighChats  = 200_000_000
	setupWindow = 90 * time.Second
)

type options struct {
	bot        string
	pid        int
	limits     string
	cpu        int
	redisURL   string
	flush      bool
	chats      int
	rate       float64
	inflight   int
	warmup     time.Duration
	duration   time.Duration
	runs       int
	idleChats  int
	session    int
	cpuprofile string
	perf       string
	logLevel   string
	timeout    time.Duration
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("boussole-load", flag.ContinueOnError)
	fs.StringVar(&o.bot, "bot", "self", "bot under load: self (this binary runs the bot through internal/app, as serve does), boussole (go build ./cmd/boussole; Telegram's 30/s pacing applies), external (already running; give -pid)")
	fs.IntVar(&o.pid, "pid", 0, "with -bot external: the bot's pid, for its CPU time")
	fs.StringVar(&o.limits, "limits", "none", "with -bot self: sender pacing, none or telegram")
	fs.IntVar(&o.cpu, "cpu", 1, "core the bot is pinned to with taskset; -1 to leave it free")
	fs.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/15", "Redis of the run (database 15 is flushed first)")
	fs.BoolVar(&o.flush, "flush", true, "FLUSHDB the run's database (15 only) before starting")
	fs.IntVar(&o.chats, "chats", 2000, "families carrying the load")
	fs.Float64Var(&o.rate, "rate", 500, "steps offered per second (open loop); 0 for saturation (closed loop, -inflight steps outstanding)")
	fs.IntVar(&o.inflight, "inflight", 64, "with -rate 0: steps outstanding at any time")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "unmeasured load before the runs")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "length of each measured run")
	fs.IntVar(&o.runs, "runs", 3, "measured runs (the summary gives medians)")
	fs.IntVar(&o.idleChats, "idle-chats", 1000, "families weighed in Redis after the runs (0: skip)")
	fs.IntVar(&o.session, "session", 10, "taps of each weighed family after its /start")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "with -bot self: write a CPU profile of the bot over one extra run (not counted) to this file")
	fs.StringVar(&o.perf, "perf", "", "record the bot with perf (cpu-clock, call graphs, kernel included) over one extra run into this file")
	fs.StringVar(&o.logLevel, "log-level", "warn", "the bot's LOG_LEVEL (info writes one line per update)")
	fs.DurationVar(&o.timeout, "timeout", 9*time.Minute, "the whole tool stops after this")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.chats < 1 || o.runs < 1 || o.duration < time.Second:
		return o, errors.New("need -chats ≥ 1, -runs ≥ 1 and -duration ≥ 1s")
	case o.rate < 0 || o.rate == 0 && o.inflight < 1:
		return o, errors.New("-rate must be positive, or 0 with -inflight ≥ 1")
	case o.rate == 0 && o.inflight > o.chats:
		return o, errors.New("-inflight cannot exceed -chats")
	case o.cpuprofile != "" && o.bot != "self":
		return o, errors.New("-cpuprofile needs -bot self (or use -perf)")
	case o.perf != "" && o.bot == "external" && o.pid == 0:
		return o, errors.New("-perf with -bot external needs -pid")
	}
	return o, nil
}

func runDriver(args []string) int {
	o, err := parseOptions(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "boussole-load:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	if err := drive(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load:", err)
		return 1
	}
	return 0
}

func drive(ctx context.Context, o options) error {
	machine(os.Stdout)
	dr := newDriver()
	fake := telegramtest.New(telegramtest.WithCallLogLimit(16), telegramtest.WithCallHook(dr.onCall))
	defer fake.Close()
	dr.fake = fake
	fmt.Printf("fake Bot API: %s (token %s)\n", fake.URL(), fake.Token())

	rdb, err := openRedis(ctx, o.redisURL, o.flush)
	if err != nil {
		return err
	}
	defer func() { _ = rdb.Close() }()

	bot, err := startBot(ctx, o, fake)
	if err != nil {
		return err
	}
	defer bot.stop()
	if err := waitPolling(ctx, dr); err != nil {
		return err
	}
	fmt.Printf("bot: pid %d (%s), polling\n", bot.pid, o.bot)

	fams := dr.newGroup(loadChats, o.chats, 1)
	t0 := time.Now()
	dr.runBudget(ctx, fams, 200, setupWindow)
	if !dr.finished(fams) {
		return fmt.Errorf("only %d of %d families got an answer to /start within %v", dr.replies.Load(), o.chats, setupWindow)
	}
	fmt.Printf("setup: %d families started in %v\n", o.chats, time.Since(t0).Round(time.Millisecond))
	dr.unlimit(fams)

	load := func(d time.Duration) (int, time.Duration) {
		if o.rate > 0 {
			return dr.openLoop(ctx, fams, o.rate, d)
		}
		dr.closedLoop(ctx, fams, o.inflight, d)
		return 0, 0
	}
	if o.warmup > 0 {
		load(o.warmup)
		dr.settle(15 * time.Second)
	}
	mode := fmt.Sprintf("open loop, %.0f steps/s offered", o.rate)
	if o.rate == 0 {
		mode = fmt.Sprintf("closed loop (saturation), %d steps in flight", o.inflight)
	}
	fmt.Printf("\n%s, %d families, %d runs of %v\n%s\n", mode, o.chats, o.runs, o.duration, resultHeader)
	var results []result
	for i := range o.runs {
		r, err := measureRun(ctx, o, dr, bot, rdb, load)
		if err != nil {
			return err
		}
		results = append(results, r)
		fmt.Println(r.row(fmt.Sprint(i + 1)))
	}
	fmt.Println(medianOf(results).row("med"))

	if o.cpuprofile != "" || o.perf != "" {
		if err := profileRun(ctx, o, dr, bot, load); err != nil {
			return err
		}
	}
	if o.idleChats > 0 {
		if err := weigh(ctx, o, dr, rdb); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func startBot(ctx context.Context, o options, fake *telegramtest.Server) (*botProc, error) {
	env := botEnv(fake.URL(), fake.Token(), o.redisURL, o.logLevel)
	switch o.bot {
	case "self":
		return startSelf(ctx, env, o.cpu, o.limits)
	case "boussole":
		return startBoussole(ctx, env, o.cpu)
	case "external":
		fmt.Printf("start the bot now, e.g.:\n  TELEGRAM_API_URL=%s TELEGRAM_TOKEN=%s REDIS_URL=%s POLL_TIMEOUT=1s LOG_LEVEL=warn GOMAXPROCS=1 taskset -c 1 boussole serve\n",
			fake.URL(), fake.Token(), o.redisURL)
		return &botProc{pid: o.pid, exited: make(chan struct{}), cleanup: func() {}}, nil
	}
	return nil, fmt.Errorf("-bot %q: choose self, boussole or external", o.bot)
}

// waitPolling waits for the bot's first getUpdates.
func waitPolling(ctx context.Context, dr *driver) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for dr.getUpdates.Load() == 0 {
		select {
		case <-ctx.Done():
			return errors.New("the bot never called getUpdates")
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// measureRun is one measured window, then a pause until its last replies
// are in (they count for latency, not for throughput or CPU).
func measureRun(ctx context.Context, o options, dr *driver, bot *botProc, rdb *redis.Client,
	load func(time.Duration) (int, time.Duration)) (result, error) {
	dr.forgetLatencies()
	a := takeSnapshot(ctx, dr, bot, rdb)
	missed, lag := load(o.duration)
	b := takeSnapshot(ctx, dr, bot, rdb)
	if !dr.settle(15 * time.Second) {
		fmt.Fprintf(os.Stderr, "boussole-load: %d steps still unanswered after the run\n", dr.waiting.Load())
	}
	if ctx.Err() != nil {
		return result{}, ctx.Err()
	}
	r := compare(a, b, dr.latenciesIn(a.at, b.at))
	r.missed, r.lag = int64(missed), lag
	return r, nil
}
