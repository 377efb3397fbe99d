// Package app wires Boussole together: configuration → store → Telegram
// runtime → conversation service, then starts them and stops them in
// reverse. The boussole command and the load tool both run the bot through
// it, so what is measured is what runs.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"runtime/debug"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/admin"
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// Options adjust a run beyond the configuration; the zero value is production.
type Options struct {
	// Unlimited lifts Telegram's sending limits (a load run against a fake
	// Bot API; never against Telegram).
	Unlimited bool
	// RedisHooks observe the Redis client (the load tool counts round trips).
	RedisHooks []redis.Hook
	// Tune adjusts the delivery engine (the load tool compares policies).
	Tune func(*delivery.Config)
}

// TuneGC collects garbage half as often unless GOGC says otherwise: the live
// heap is small and made of short-lived garbage, so this costs little memory
// and about 10 µs of CPU per step.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

// Serve runs the bot until ctx is done. It starts receiving first, then the
// delivery engine (which also takes over outboxes a crash left), and stops
// in reverse: receiving ends and the steps in flight finish, then the sends
// in flight finish and the sending leases are handed back, then Redis closes.
func Serve(ctx context.Context, cfg config.Config, log zerolog.Logger, opts Options) error {
	bundle, err := i18n.New()
	if err != nil {
		return err
	}
	rdb, stopRedis, err := openRedis(cfg.RedisURL, log)
	if err != nil {
		return err
	}
	defer stopRedis()
	for _, h := range opts.RedisHooks {
		rdb.AddHook(h)
	}
	lib, versions, err := newLibrary(ctx, cfg.FlowsDir, cfg.VolunteerChatID == 0, rdb, log)
	if err != nil {
		return err
	}
	mon := newMonitor(rdb)
	mon.m.FlowVersion(lib.Current().N)
	lib.OnSwitch(func(v redisstore.Version) { mon.m.FlowVersion(v.N) })
	dcfg := deliveryConfig(cfg, opts)
	store := redisstore.New(rdb, redisstore.Options{CacheSize: 50000, LeaseTTL: dcfg.LeaseTTL})
	if err := store.Preload(ctx); err != nil {
		// Redis may come back: the bot answers from memory meanwhile.
		log.Warn().Str("error", "store unavailable").Msg("Redis is not answering at start; the bot answers with the emergency numbers until it does")
	}

	logKey := []byte(cfg.LogKey)
	if len(logKey) == 0 {
		logKey = make([]byte, 32)
		_, _ = rand.Read(logKey)
	}
	client := telegram.NewClient(cfg.TelegramAPIURL, cfg.TelegramToken, mon.httpClient())
	sender := telegram.NewSender(client, cfg.ProtectContent)
	var bot *telegram.Bot
	pseudo := func(chat int64) string { return bot.Pseudonym(chat) }
	engine := delivery.New(dcfg, store, sender, globalLimiter(rdb, cfg, opts), log, pseudo)
	svc := &conversation.Service{
		Flow: lib.Live, Held: lib.Held, Bundle: bundle, Store: store, Outbox: engine, Channel: sender,
		Owner: dcfg.Owner, Now: time.Now, Retention: cfg.Retention, GlobalRate: cfg.SendRateGlobal,
	}
	ses := newSessions(ctx, cfg, rdb, store, engine, sender, bundle, dcfg.Owner, log)
	svc.Ateliers = ses.cards
	obs := newObserver(rdb, cfg)
	counter := eventCounter{obs, mon.m}
	svc.Counter = counter
	svc.Start()
	var desk *handoff.Desk
	if cfg.VolunteerChatID != 0 {
		if desk, err = newDesk(ctx, cfg, rdb, store, engine, sender, svc, bundle, dcfg.Owner, deskKey(cfg), counter, log, opts); err != nil {
			return err
		}
	}
	stats := &admin.Stats{Admins: cfg.AdminIDs, Recorder: obs.rec, Sender: sender, Bundle: bundle, Log: log, Now: time.Now}
	editor := &admin.Editor{Admins: cfg.AdminIDs, Library: lib, Store: versions, Sender: sender, Bundle: bundle,
		Log: log, Now: time.Now}
	bot = telegram.NewBot(client, counted{router{desk: desk, people: svc, stats: stats, editor: editor, sessions: ses.admin}, mon.m}, log, logKey)
	setCommands(ctx, bot, bundle, cfg.AdminIDs, log)
	mon.live = func() *flow.Flow { return svc.Flow() }
	if err := mon.listen(ctx, cfg, log); err != nil {
		return err
	}
	defer mon.close()

	live := lib.Current()
	log.Info().Str("mode", cfg.Mode).Str("flow", lib.Live().ID).Int64("version", live.N).Str("hash", live.Hash).
		Msg("boussole started")
	defer log.Info().Msg("boussole stopped")

	sendCtx, stopSending := context.WithCancel(context.Background())
	defer stopSending()
	sent := make(chan struct{})
	receiving := make(chan error, 1)
	go func() {
		if cfg.Mode == "webhook" {
			receiving <- serveWebhook(ctx, cfg, bot, mon.mount, log)
		} else {
			receiving <- bot.Poll(ctx, cfg.PollTimeout)
		}
	}()
	// A stop ends within 10 s (Docker's grace before SIGKILL): at most 6 s
	// of sending what is held, then the leases go back for the next process.
	go func() { engine.Run(sendCtx, 6*time.Second); close(sent) }()
	go lib.Run(sendCtx, flowCheckEvery)
	go mon.run(sendCtx, cfg, rdb, engine, sender, log)
	sched, err := newScheduler(cfg, rdb, dcfg.Owner, desk, sender, svc.Flow, obs, ses, bundle, mon.m.Job, log)
	if err != nil {
		return err
	}
	sched.Start()
	counted := make(chan struct{})
	go func() { obs.b.Run(sendCtx, observeEvery); close(counted) }()
	boardDone := make(chan struct{})
	if desk != nil {
		go func() { desk.Run(sendCtx); close(boardDone) }()
	} else {
		close(boardDone)
	}
	err = <-receiving // returns once receiving stopped and the steps in flight are done
	stopSending()
	<-sent
	<-boardDone
	<-counted
	stopJobs, cancelJobs := context.WithTimeout(context.Background(), 3*time.Second)
	_ = sched.Stop(stopJobs) // a job still running past that is cut; its lock expires
	cancelJobs()
	return err
}

// deliveryConfig turns the settings into the delivery engine's.
func deliveryConfig(cfg config.Config, opts Options) delivery.Config {
	d := delivery.DefaultConfig
	d.Owner = leaseOwner(cfg)
	d.Chat.Interval = perMessage(cfg.SendRateChat)
	d.Group.Interval = perMessage(cfg.SendRateGroup)
	// Long polling allows one receiver per token, so a restarted poller is
	// the only replica: it takes the dead process's leases at once.
	d.StealAtStart = cfg.Mode == "polling"
	if opts.Tune != nil {
		opts.Tune(&d)
	}
	if opts.Unlimited {
		d.Chat = delivery.Pace{Interval: time.Microsecond, Burst: 1 << 20}
		d.Group = d.Chat
		d.Parallel = 256
	}
	return d
}

// leaseOwner names this replica in the sending leases. A webhook replica is
// named by its host and listening address, which no other live process can
// share: restarted after a crash, it takes back its own leases at once
// instead of waiting for them to expire. A poller (the only receiver of its
// token) takes every lease at start anyway, so a random name serves.
func leaseOwner(cfg config.Config) string {
	if cfg.Mode == "webhook" {
		if host, err := os.Hostname(); err == nil && host != "" {
			return host + "/" + cfg.ListenAddr
		}
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func perMessage(rate float64) time.Duration {
	if rate <= 0 {
		return time.Second
	}
	return time.Duration(float64(time.Second) / rate)
}

// unlimited lets every message go.
type unlimited struct{}

func (unlimited) Take(context.Context) (time.Duration, error) { return 0, nil }

func globalLimiter(rdb redis.UniversalClient, cfg config.Config, opts Options) delivery.Limiter {
	if opts.Unlimited {
		return unlimited{}
	}
	// A burst of a fifth of a second's budget: Telegram counts over short
	// windows, and a full second's burst at once draws 429s.
	return redisstore.NewLimiter(rdb, "bsl", cfg.SendRateGlobal, max(1, int(cfg.SendRateGlobal/5)))
}

// setCommands publishes the command menu, without holding the start for long.
func setCommands(ctx context.Context, bot *telegram.Bot, bundle *i18n.Bundle, admins []int64, log zerolog.Logger) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := bot.SetCommands(cctx, bundle); err != nil {
		log.Warn().Str("error", errClass(err)).Msg("could not publish the command menu")
	}
	if err := bot.SetAdminCommands(cctx, bundle, admins); err != nil {
		log.Warn().Str("error", errClass(err)).Msg("could not publish a coordinator's menu (they must write to the bot first)")
	}
}

func loadServeFlow(dir string) (*flow.Flow, error) {
	var set flows.Set
	if dir == "" {
		s, err := flows.Default()
		if err != nil {
			return nil, err
		}
		set = s
	} else {
		s, probs, err := flows.Load(os.DirFS(dir), ".")
		if err != nil {
			return nil, err
		}
		if errs := probs.Errors(); len(errs) > 0 {
			return nil, fmt.Errorf("FLOWS_DIR %s has errors; run: boussole flows check %s", dir, dir)
		}
		set = s
	}
	f := set["orientation"]
	if f == nil {
		return nil, errors.New("no flow with id orientation")
	}
	return f, nil
}

// openRedis connects to REDIS_URL (one server, Sentinel or Cluster: see
// newRedisClient), or starts the embedded store and says loudly that it
// keeps nothing across restarts.
func openRedis(url string, log zerolog.Logger) (redis.UniversalClient, func(), error) {
	if url == "" {
		c, stop, err := redisstore.Embedded()
		if err != nil {
			return nil, nil, err
		}
		log.Warn().Msg("REDIS_URL is empty: using an in-process store. NOTHING SURVIVES A RESTART. Fine for a try, never for production.")
		return c, func() { _ = c.Close(); stop() }, nil
	}
	c, err := newRedisClient(url)
	if err != nil {
		return nil, nil, err
	}
	return c, func() { _ = c.Close() }, nil
}

func serveWebhook(ctx context.Context, cfg config.Config, bot *telegram.Bot, mount func(config.Config, *http.ServeMux), log zerolog.Logger) error {
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	path := "/"
	if u, err := neturl.Parse(cfg.WebhookURL); err == nil && u.Path != "" {
		path = u.Path
	}
	mux := http.NewServeMux()
	mux.Handle(path, bot.Webhook(cfg.WebhookSecret, 20*time.Second))
	mount(cfg, mux) // /healthz, /readyz, /metrics unless METRICS_ADDR serves them
	srv := telegram.NewServer(mux)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if err := bot.SetWebhook(ctx, cfg.WebhookURL, cfg.WebhookSecret); err != nil {
		_ = srv.Close()
		return fmt.Errorf("setWebhook: %s", errClass(err))
	}
	log.Info().Str("listen", ln.Addr().String()).Msg("webhook listening")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop taking deliveries, then finish the ones in flight.
	shut, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	bot.Drain()
	return nil
}

func errClass(err error) string {
	var ae *telegram.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("telegram %s %d", ae.Method, ae.Code)
	}
	return "unreachable"
}
