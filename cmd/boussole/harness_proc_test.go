package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// The SIGKILL tests run the real binary as a separate process: a kill in
// the middle of a step is something an in-process run cannot play.

var (
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
	buildOut  []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// boussoleBinary builds `boussole` once per test run, without -race (its
// packages are cached by the plain `go test` pass, so this costs a link).
//
// The tests that run it are skipped with -short, and under the race
// detector: the binary is built without it, so the race pass would only run
// them again, slower; the plain pass runs them.
func boussoleBinary(t *testing.T) string {
	t.Helper()
	switch {
	case testing.Short():
		t.Skip("builds and runs the binary (not with -short)")
	case raceDetector:
		t.Skip("runs the binary built without the race detector: the plain `go test` pass runs it")
	}
	buildOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		if buildDir, buildErr = os.MkdirTemp("", "boussole-e2e-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "boussole")
		buildOut, buildErr = exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// process is one run of the boussole binary.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startProcess runs `boussole serve` with env and nothing else from the
// test's environment but PATH.
func startProcess(t *testing.T, bin string, env map[string]string, logs *syncBuffer) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)
	return p
}

// kill is SIGKILL: no goodbye, nothing flushed.
func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop is SIGTERM, then SIGKILL if the process lingers.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.kill()
	}
}

// processEnv is the environment of a subprocess bot in mode; addr is its
// webhook listen address, kept across restarts.
func processEnv(tg *telegramtest.Server, redisURL, mode, addr string) map[string]string {
	env := map[string]string{
		"TELEGRAM_TOKEN": tg.Token(), "TELEGRAM_API_URL": tg.URL(), "REDIS_URL": redisURL,
		"POLL_TIMEOUT": "1s", "LOG_LEVEL": "warn", "LOG_KEY": "e2e-kill",
		"LISTEN_ADDR": "127.0.0.1:0", // health and metrics, on a port of their own
	}
	if mode == "webhook" {
		env["MODE"], env["LISTEN_ADDR"], env["WEBHOOK_SECRET"] = "webhook", addr, webhookSecret
		env["WEBHOOK_URL"] = "http://" + addr + "/tg"
	}
	return env
}
