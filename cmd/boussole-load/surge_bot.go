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

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/app"
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/delivery"
)

// runSurgeBotRole is `boussole-load surge-bot`: the bot run by internal/app
// exactly as `boussole serve` runs it, Telegram's limits kept, with the
// delivery engine's order chosen by -first-boost (a negative value: plain
// FIFO; 0: the engine's default).
func runSurgeBotRole(args []string) int {
	fs := flag.NewFlagSet("surge-bot", flag.ExitOnError)
	boost := fs.Duration("first-boost", 0, "delivery.Config.FirstBoost: < 0 for FIFO, 0 for the default")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveSurgeBot(ctx, *boost); err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load surge-bot:", err)
		return 1
	}
	return 0
}

func serveSurgeBot(ctx context.Context, boost time.Duration) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if cfg.RedisURL == "" {
		return errors.New("REDIS_URL is required: replicas share the global rate through Redis")
	}
	lvl, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	log := zerolog.New(os.Stderr).Level(lvl).With().Timestamp().Logger()
	opts := app.Options{Tune: func(c *delivery.Config) {
		if boost != 0 {
			c.FirstBoost = boost
		}
	}}
	app.TuneGC(os.Getenv)
	return app.Serve(ctx, cfg, log, opts)
}
