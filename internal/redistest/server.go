package redistest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Real servers for the Redis Cluster and Sentinel tests (StartCluster,
// StartSentinel): a miniredis can be neither. Each test starts its own
// redis-server processes on 127.0.0.1 and kills them when it ends, so it
// never touches the shared server of TEST_REDIS_URL (6379) nor its
// database numbers (the DB* constants of redistest.go): a cluster has database
// 0, and it is the test's own.
//
// Ports: each server takes the first free port from a random point between
// 17000 and 18999 upward, random so that packages tested at once (and other
// people's tests on the machine) rarely collide. A cluster node also needs
// its bus port, port+10000 (27000-28999), which must be free too. Whatever
// the choice, a server is only used once INFO says it is the process this
// test started, so a port taken in between is retried, never shared.

// waitTimeout bounds every wait on a server's condition.
const waitTimeout = 15 * time.Second

// binaries returns the paths of redis-server and redis-cli. Without them
// the test is skipped, except in CI (CI=true), where it fails: CI must run
// these tests, not skip them quietly.
func binaries(t testing.TB) (server, cli string) {
	t.Helper()
	server, err1 := exec.LookPath("redis-server")
	cli, err2 := exec.LookPath("redis-cli")
	var missing string
	switch {
	case err1 != nil:
		missing = "redis-server not found: Cluster and Sentinel tests need it"
	case err2 != nil:
		missing = "redis-cli not found: Cluster and Sentinel tests need it"
	default:
		return server, cli
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(missing + " (CI=true: install Redis 7)")
	}
	t.Skip(missing)
	return "", ""
}

// server is a redis-server (or sentinel) process of the test.
type server struct {
	Addr string
	Port int
	Dir  string
	pid  int
}

// client returns a plain client on the server (no cluster routing), for
// the test's own checks; it is closed when the test ends.
func (s *server) client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr, DisableIdentity: true, MaxRetries: -1,
		DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// startServer starts redis-server on a free port with args after the port
// (a config file first when conf is not empty), waits until it answers as
// the process started, and kills it when the test ends. bus asks for the
// cluster bus port (port+10000) to be free too.
func startServer(t testing.TB, bin, conf string, bus bool, args ...string) *server {
	t.Helper()
	dir := t.TempDir()
	port := 17000 + rand.IntN(2000)
	for range 30 {
		port = freePort(port, bus)
		s, err := tryServer(t, bin, dir, conf, port, args)
		if err == nil {
			return s
		}
		if !errors.Is(err, errPortTaken) {
			t.Fatal(err)
		}
		port++
	}
	t.Fatal("redistest: no free port for redis-server after 30 tries")
	return nil
}

var errPortTaken = errors.New("port taken")

// freePort returns the first port from p upward that can be listened on
// (with p+10000 too when bus is set).
func freePort(p int, bus bool) int {
	for ; ; p++ {
		if p >= 19000 {
			p = 17000
		}
		if !canListen(p) || bus && !canListen(p+10000) {
			continue
		}
		return p
	}
}

func canListen(p int) bool {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	_ = ln.Close()
	return true
}

func tryServer(t testing.TB, bin, dir, conf string, port int, args []string) (*server, error) {
	logFile := filepath.Join(dir, "redis-"+strconv.Itoa(port)+".log")
	var argv []string
	if conf != "" {
		argv = append(argv, conf)
	}
	argv = append(argv, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--logfile", logFile, "--daemonize", "no")
	argv = append(argv, args...)
	cmd := exec.Command(bin, argv...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("redistest: start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	kill := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	s := &server{Addr: "127.0.0.1:" + strconv.Itoa(port), Port: port, Dir: dir, pid: cmd.Process.Pid}
	c := redis.NewClient(&redis.Options{Addr: s.Addr, DisableIdentity: true, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: time.Second})
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(waitTimeout)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logFile)
			if strings.Contains(string(log), "Address already in use") {
				return nil, errPortTaken
			}
			return nil, fmt.Errorf("redistest: %s on port %d exited at start:\n%s", bin, port, log)
		default:
		}
		// The server is ours when it reports our process id: another
		// server that took the port meanwhile is never used.
		if info, err := c.Info(context.Background(), "server").Result(); err == nil {
			if infoField(info, "process_id") == strconv.Itoa(s.pid) {
				t.Cleanup(kill)
				return s, nil
			}
			kill()
			return nil, errPortTaken
		}
		if time.Now().After(deadline) {
			kill()
			return nil, fmt.Errorf("redistest: %s on port %d did not answer within %v", bin, port, waitTimeout)
		}
		time.Sleep(10 * time.Millisecond) // poll: the condition is the server answering
	}
}

// infoField reads "name:value" from an INFO (or CLUSTER INFO) reply.
func infoField(info, name string) string {
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// waitUntil polls cond until it holds, failing the test with what cond last
// said when timeout passes.
func waitUntil(t testing.TB, what string, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("redistest: %s: not within %v; last: %s", what, timeout, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
