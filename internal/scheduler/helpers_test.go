package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// clock is a fake clock shared by the schedulers of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// memLock is redisstore.Lock's rule in memory: a name is taken when free
// or already the owner's. It records every name asked for.
type memLock struct {
	mu     sync.Mutex
	owners map[string]string
	ttls   map[string]time.Duration
	asked  []string
}

func newMemLock() *memLock {
	return &memLock{owners: map[string]string{}, ttls: map[string]time.Duration{}}
}

func (m *memLock) Lock(_ context.Context, name, owner string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, name)
	if cur, ok := m.owners[name]; ok && cur != owner {
		return false, nil
	}
	m.owners[name] = owner
	m.ttls[name] = ttl
	return true, nil
}

// logBuf collects log lines; zerolog writes each line in one Write.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runs returns the summary lines, decoded.
func (b *logBuf) runs(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["message"] == LogMessage {
			out = append(out, m)
		}
	}
	return out
}

// outcomes counts the summary lines by outcome.
func (b *logBuf) outcomes(t *testing.T) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range b.runs(t) {
		n[m["outcome"].(string)]++
	}
	return n
}

// fnJob is a Job from a function; it counts its runs.
type fnJob struct {
	name string
	runs atomic.Int64
	fn   func(ctx context.Context, now time.Time) (string, error)
}

func (j *fnJob) Name() string { return j.name }

func (j *fnJob) Run(ctx context.Context, now time.Time) (string, error) {
	j.runs.Add(1)
	if j.fn == nil {
		return "done=1", nil
	}
	return j.fn(ctx, now)
}

// newTest returns a scheduler on clk and lock, logging to buf, named owner.
func newTest(owner string, clk *clock, lock LockFunc, buf *logBuf) *Scheduler {
	return New(Config{Owner: owner, Now: clk.Now}, lock, zerolog.New(buf))
}

// fire does what cron does when name's time comes: it runs the wrapped
// job (SkipIfStillRunning, Recover, the runner) and returns when it ends.
// A name never added panics: the test is wrong.
func (s *Scheduler) fire(name string) {
	s.mu.Lock()
	r, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		panic("no job " + name)
	}
	r.wrapped.Run()
}

// at is a wall time in Paris.
func at(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, paris)
}
