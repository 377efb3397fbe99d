package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/app"
	"github.com/boussole/boussole/internal/config"
)

// runServe runs the bot until ctx is done, with its settings from getenv.
func runServe(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "boussole: the configuration needs fixing:\n%v\n\nSee the table in README.md.\n", err)
		return exitCode(2)
	}
	app.TuneGC(getenv)
	return app.Serve(ctx, cfg, newLogger(stdout, cfg.LogLevel), app.Options{})
}

func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}
