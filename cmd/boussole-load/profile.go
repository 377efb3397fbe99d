package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// profileRun profiles the bot over one more run, not counted in the
// figures: with the Go profiler (-cpuprofile, through the bot's control
// endpoint) and/or with perf (-perf), which also sees the kernel's share.
func profileRun(ctx context.Context, o options, dr *driver, bot *botProc, load func(time.Duration) (int, time.Duration)) error {
	errc := make(chan error, 2)
	n := 0
	if o.cpuprofile != "" {
		n++
		go func() { errc <- bot.profile(ctx, o.duration, o.cpuprofile) }()
	}
	if o.perf != "" {
		n++
		go func() { errc <- perfRecord(ctx, bot.pid, o.duration, o.perf) }()
	}
	time.Sleep(100 * time.Millisecond) // let the profilers start before the load
	load(o.duration)
	var first error
	for range n {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	dr.settle(15 * time.Second)
	fmt.Println()
	if o.cpuprofile != "" {
		fmt.Printf("Go CPU profile of the bot over one more run: go tool pprof -top %s\n", o.cpuprofile)
	}
	if o.perf != "" {
		fmt.Printf("perf record of the bot over one more run: perf report -i %s --no-children --sort sym\n", o.perf)
	}
	return nil
}

// perfRecord samples the bot on the cpu-clock (the only event a VM offers)
// with call graphs, kernel frames included.
func perfRecord(ctx context.Context, pid int, d time.Duration, file string) error {
	if pid <= 0 {
		return errors.New("-perf needs the bot's pid")
	}
	secs := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
	cmd := exec.CommandContext(ctx, "perf", "record", "-q", "-e", "cpu-clock", "-F", "4000", "-g",
		"-p", strconv.Itoa(pid), "-o", file, "--", "sleep", secs)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("perf record: %w", err)
	}
	return nil
}
