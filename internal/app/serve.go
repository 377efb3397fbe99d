// Package app wires Boussole together: configuration → store → Telegram
// runtime → conversation service, then starts them and stops them in
// reverse. The boussole command and the load tool both run the bot through
// it, so what is measured is what runs.
package app

import (
	"context"
	"crypto/rand"
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
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// Options adjust a run beyond the configuration; the zero value is production.
type Options struct {
	// Limits replaces Telegram's sending limits (a load run against a fake
	// Bot API lifts them; never do so against Telegram).
	Limits *telegram.Limits
	// RedisHooks observe the Redis client (the load tool counts round trips).
	RedisHooks []redis.Hook
}

// TuneGC collects garbage half as often unless GOGC says otherwise: the live
// heap is small and made of short-lived garbage, so this costs little memory
// and about 10 µs of CPU per step.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

// Serve runs the bot until ctx is done.
func Serve(ctx context.Context, cfg config.Config, log zerolog.Logger, opts Options) error {
	bundle, err := i18n.New()
	if err != nil {
		return err
	}
	f, err := loadServeFlow(cfg.FlowsDir)
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
	store := redisstore.New(rdb, redisstore.Options{CacheSize: 50000})
	if err := store.Preload(ctx); err != nil {
		// Redis may come back: the bot answers from memory meanwhile.
		log.Warn().Str("error", "store unavailable").Msg("Redis is not answering at start; the bot answers with the emergency numbers until it does")
	}

	logKey := []byte(cfg.LogKey)
	if len(logKey) == 0 {
		logKey = make([]byte, 32)
		_, _ = rand.Read(logKey)
	}
	client := telegram.NewClient(cfg.TelegramAPIURL, cfg.TelegramToken, nil)
	limits := telegram.DefaultLimits
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	sender := telegram.NewSender(client, limits, cfg.ProtectContent)
	svc := &conversation.Service{
		Flow: func() *flow.Flow { return f }, Bundle: bundle, Store: store, Sender: sender,
		Now: time.Now, Retention: cfg.Retention, TypingAfter: 700 * time.Millisecond,
	}
	bot := telegram.NewBot(client, sender, svc, log, logKey)
	if err := bot.SetCommands(ctx, bundle); err != nil {
		log.Warn().Str("error", errClass(err)).Msg("could not publish the command menu")
	}
	resumePending(ctx, store, svc, log)

	go bot.RetryUnsent(ctx, 15*time.Second)
	log.Info().Str("mode", cfg.Mode).Str("flow", f.ID).Str("version", f.Version).Msg("boussole started")
	defer log.Info().Msg("boussole stopped")
	if cfg.Mode == "webhook" {
		return serveWebhook(ctx, cfg, bot, log)
	}
	return bot.Poll(ctx, cfg.PollTimeout)
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

// openRedis connects to REDIS_URL, or starts the embedded store and says
// loudly that it keeps nothing across restarts.
func openRedis(url string, log zerolog.Logger) (*redis.Client, func(), error) {
	if url == "" {
		c, stop, err := redisstore.Embedded()
		if err != nil {
			return nil, nil, err
		}
		log.Warn().Msg("REDIS_URL is empty: using an in-process store. NOTHING SURVIVES A RESTART. Fine for a try, never for production.")
		return c, func() { _ = c.Close(); stop() }, nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	if opt.PoolSize == 0 {
		// Up to 256 chats are handled at once: a pool sized for the core
		// count would make them queue and time out into the degraded reply.
		opt.PoolSize = 64
	}
	c := redis.NewClient(opt)
	return c, func() { _ = c.Close() }, nil
}

// resumePending sends what a previous run stored but did not send.
func resumePending(ctx context.Context, store *redisstore.Store, svc *conversation.Service, log zerolog.Logger) {
	chats, err := store.Pending(ctx, 10000)
	if err != nil {
		return
	}
	for _, chat := range chats {
		_ = svc.Resume(ctx, chat)
	}
	if len(chats) > 0 {
		log.Info().Int("chats", len(chats)).Msg("re-sent replies left unsent by the previous run")
	}
}

func serveWebhook(ctx context.Context, cfg config.Config, bot *telegram.Bot, log zerolog.Logger) error {
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	path := "/"
	if u, err := neturl.Parse(cfg.WebhookURL); err == nil && u.Path != "" {
		path = u.Path
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, bot.Webhook(cfg.WebhookSecret, 50*time.Second))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
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
