package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/observatory"
)

// runStats is `boussole stats export`: the observatory's anonymous figures
// for a period, protected (a cell of fewer than 11 hidden, with the cells
// that would let it be worked out; the rest rounded to 5), as CSV or JSON.
func runStats(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprint(stderr, usage)
		return exitCode(2)
	}
	fs := flag.NewFlagSet("stats export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	today := time.Now().Format("2006-01-02")
	from := fs.String("from", time.Now().AddDate(0, -1, 0).Format("2006-01-02"), "first day (YYYY-MM-DD)")
	to := fs.String("to", today, "last day (YYYY-MM-DD)")
	format := fs.String("format", "csv", "csv or json")
	if err := fs.Parse(args[1:]); err != nil {
		return exitCode(2)
	}
	f, err1 := time.Parse("2006-01-02", *from)
	t, err2 := time.Parse("2006-01-02", *to)
	if err1 != nil || err2 != nil || t.Before(f) {
		fmt.Fprintln(stderr, "stats export: --from and --to are days like 2026-11-01, --from not after --to")
		return exitCode(2)
	}
	if *format != "csv" && *format != "json" {
		fmt.Fprintln(stderr, "stats export: --format csv or json")
		return exitCode(2)
	}
	url := getenv("REDIS_URL")
	if url == "" {
		fmt.Fprintln(stderr, "stats export: REDIS_URL is not set: the figures live in the bot's Redis")
		return exitCode(2)
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		fmt.Fprintln(stderr, "stats export: REDIS_URL must look like redis://host:6379/0")
		return exitCode(2)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	tab, err := observatory.NewRecorder(rdb, nil).Read(ctx, f, t)
	if err != nil {
		fmt.Fprintln(stderr, "stats export: Redis does not answer:", err)
		return exitCode(1)
	}
	pub, _ := observatory.Protect(tab)
	if *format == "json" {
		return observatory.WriteJSON(stdout, pub)
	}
	return observatory.WriteCSV(stdout, pub)
}
