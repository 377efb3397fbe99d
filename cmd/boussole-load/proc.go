package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// botProc is the bot under load, a separate process so that its CPU time
// (/proc/<pid>/stat) is its own and not the fake's or the driver's.
type botProc struct {
	pid     int
	control string // base URL of the control endpoint; "" when the bot has none
	cmd     *exec.Cmd
	exited  chan struct{}
	cleanup func()
}

// botEnv is the environment of a bot talking to the fake and the test Redis.
func botEnv(apiURL, token, redisURL, logLevel string) []string {
	env := os.Environ()
	return append(env,
		"GOMAXPROCS=1",
		"TELEGRAM_TOKEN="+token,
		"TELEGRAM_API_URL="+apiURL,
		"REDIS_URL="+redisURL,
		"MODE=polling",
		"POLL_TIMEOUT=1s",
		"LOG_LEVEL="+logLevel,
	)
}

// pinned prefixes argv with taskset -c cpu when taskset exists and cpu >= 0.
// taskset execs the program, so the pid stays the bot's.
func pinned(cpu int, argv []string) []string {
	if cpu < 0 {
		return argv
	}
	ts, err := exec.LookPath("taskset")
	if err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load: taskset not found, the bot is not pinned to a core")
		return argv
	}
	return append([]string{ts, "-c", strconv.Itoa(cpu)}, argv...)
}

// startSelf runs this binary's bot role as the child.
func startSelf(ctx context.Context, env []string, cpu int, limits string) (*botProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return startChild(ctx, pinned(cpu, []string{self, "bot", "-limits", limits}), env, true, nil)
}

// startBoussole builds ./cmd/boussole to a temporary binary and runs
// `boussole serve` as the child. It paces sends as Telegram requires (30/s).
func startBoussole(ctx context.Context, env []string, cpu int) (*botProc, error) {
	dir, err := os.MkdirTemp("", "boussole-load-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	bin := filepath.Join(dir, "boussole")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/boussole")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		cleanup()
		return nil, fmt.Errorf("go build ./cmd/boussole (run from the repository root): %w", err)
	}
	return startChild(ctx, pinned(cpu, []string{bin, "serve"}), env, false, cleanup)
}

func startChild(ctx context.Context, argv, env []string, hasControl bool, cleanup func()) (*botProc, error) {
	if cleanup == nil {
		cleanup = func() {}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	// The bot's health and metrics endpoints on a free port unless env
	// names one (the last value of a variable wins).
	cmd.Env = append([]string{"LISTEN_ADDR=127.0.0.1:0"}, env...)
	// If the driver dies, the bot does not outlive it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cleanup()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return nil, err
	}
	p := &botProc{pid: cmd.Process.Pid, cmd: cmd, exited: make(chan struct{}), cleanup: cleanup}
	control := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if c, ok := strings.CutPrefix(sc.Text(), "control="); ok {
				control <- c
				continue
			}
			fmt.Fprintln(os.Stderr, "bot:", sc.Text())
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() { _ = cmd.Wait(); close(p.exited) }()
	if !hasControl {
		return p, nil
	}
	select {
	case p.control = <-control:
		return p, nil
	case <-p.exited:
		cleanup()
		return nil, errors.New("the bot exited while starting")
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, errors.New("the bot did not start within 30s")
	case <-ctx.Done():
		p.stop()
		return nil, ctx.Err()
	}
}

// stop asks the child to finish (SIGTERM, as systemd would), then kills it
// after 25 s.
func (p *botProc) stop() {
	if p.cmd != nil {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(25 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	p.cleanup()
}

// stats asks the bot's control endpoint for its counters.
func (p *botProc) stats(ctx context.Context) (botStats, bool) {
	var s botStats
	if p.control == "" {
		return s, false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.control+"/stats", nil)
	if err != nil {
		return s, false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return s, false
	}
	defer resp.Body.Close()
	return s, json.NewDecoder(resp.Body).Decode(&s) == nil
}

// profile fetches a CPU profile of the next d from the bot into file.
func (p *botProc) profile(ctx context.Context, d time.Duration, file string) error {
	if p.control == "" {
		return errors.New("-cpuprofile needs -bot self")
	}
	url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", p.control, int(d/time.Second))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: HTTP %d", resp.StatusCode)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
