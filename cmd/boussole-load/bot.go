package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/app"
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/redistest"
)

// runBotRole is `boussole-load bot`: the bot run by internal/app exactly as
// `boussole serve` runs it (settings from the same environment), plus a control endpoint on 127.0.0.1 for the driver:
// the Redis round trips counted by a go-redis hook, and a CPU profile of a
// window. -limits none lifts Telegram's 30 messages/s pacing, which would
// otherwise cap any load run at 30 steps/s.
func runBotRole(args []string) int {
	fs := flag.NewFlagSet("bot", flag.ExitOnError)
	limits := fs.String("limits", "none", "sender pacing: none, or telegram (30/s overall, 1/s per chat)")
	embedded := fs.Bool("embedded", false, "allow an empty REDIS_URL: the bot's embedded in-process store")
	byCommand := fs.Bool("trips-by-command", false, "also count round trips by command and key pattern (GET /stats)")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveBot(ctx, *limits, *embedded, *byCommand); err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load bot:", err)
		return 1
	}
	return 0
}

func serveBot(ctx context.Context, limitsName string, embedded, byCommand bool) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if cfg.RedisURL == "" && !embedded {
		return errors.New("REDIS_URL is required: a load run measures the real store")
	}
	lvl, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	log := zerolog.New(os.Stderr).Level(lvl).With().Timestamp().Logger()
	opts := app.Options{RedisHooks: []redis.Hook{&trips}}
	if byCommand {
		tripsByCommand = newCmdCounter()
		opts.RedisHooks = append(opts.RedisHooks, tripsByCommand)
	}
	switch limitsName {
	case "telegram":
	case "none":
		opts.Unlimited = true
	default:
		return fmt.Errorf("-limits %q: choose none or telegram", limitsName)
	}
	stopControl, err := serveControl(&trips)
	if err != nil {
		return err
	}
	defer stopControl()
	app.TuneGC(os.Getenv)
	return app.Serve(ctx, cfg, log, opts)
}

// trips counts the bot's Redis round trips, for the control endpoint.
var trips redistest.Counter

// serveControl answers the driver on 127.0.0.1 and prints where, on stdout.
func serveControl(trips *redistest.Counter) (func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(botStats{RedisRoundTrips: trips.N(), RedisByCommand: tripsByCommand.counts()})
	})
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/{name}", pprof.Index) // goroutine, heap… for a stuck run
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("control=http://%s\n", ln.Addr())
	return func() { _ = srv.Close() }, nil
}

// botStats is what the control endpoint reports.
type botStats struct {
	RedisRoundTrips int64 `json:"redis_round_trips"`
	// RedisByCommand is the same count by command and key pattern (bot
	// -trips-by-command only), e.g. "evalsha bsl:conv:{N}".
	RedisByCommand map[string]int64 `json:"redis_by_command,omitempty"`
}
