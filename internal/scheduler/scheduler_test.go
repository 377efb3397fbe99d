package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fireTogether fires name on every scheduler at once and waits for all.
func fireTogether(t *testing.T, name string, ss ...*Scheduler) {
	t.Helper()
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for _, s := range ss {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			s.fire(name)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
}

func TestTwoSchedulersRunEachFiringOnce(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 3, 30))
	lock := newMemLock()
	var logA, logB logBuf
	a := newTest("a", clk, lock.Lock, &logA)
	b := newTest("b", clk, lock.Lock, &logB)
	jobA, jobB := &fnJob{name: "purge"}, &fnJob{name: "purge"}
	if err := a.Add("30 3 * * *", jobA, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.Add("30 3 * * *", jobB, time.Minute); err != nil {
		t.Fatal(err)
	}
	runs := func() int64 { return jobA.runs.Load() + jobB.runs.Load() }

	fireTogether(t, "purge", a, b)
	if n := runs(); n != 1 {
		t.Fatalf("first firing ran %d times, want 1", n)
	}
	// A late duplicate wake-up on either replica, seconds later, is the same firing.
	clk.Set(at(2027, time.January, 10, 3, 30).Add(40 * time.Second))
	a.fire("purge")
	b.fire("purge")
	if n := runs(); n != 1 {
		t.Fatalf("the first firing ran %d times, want 1", n)
	}

	// The next day's firing runs once too, whichever replica wakes late.
	clk.Set(at(2027, time.January, 11, 3, 31).Add(10 * time.Second))
	fireTogether(t, "purge", b, a)
	if n := runs(); n != 2 {
		t.Fatalf("two firings ran %d times, want 2", n)
	}

	got := map[string]int{}
	for k, v := range logA.outcomes(t) {
		got[k] += v
	}
	for k, v := range logB.outcomes(t) {
		got[k] += v
	}
	if got[OutcomeOK] != 2 || got[OutcomeLockedElsewhere] != 4 || len(got) != 2 {
		t.Fatalf("outcomes %v, want 2 ok and 4 locked-elsewhere", got)
	}
	lock.mu.Lock()
	defer lock.mu.Unlock()
	for _, name := range lock.asked {
		if name != "job:purge:2027-01-10T02:30Z" && name != "job:purge:2027-01-11T02:30Z" {
			t.Errorf("lock %q, want job:purge:<firing minute UTC>", name)
		}
	}
	if ttl := lock.ttls["job:purge:2027-01-10T02:30Z"]; ttl != time.Minute+DefaultLockMargin {
		t.Errorf("lock ttl %v, want timeout + margin", ttl)
	}
}

// explode stands for a job's code deep down, handed a chat id and a text.
//
//go:noinline
func explode(chatID int64, text string) int {
	var none []int
	return none[chatID] + len(text)
}

func TestPanicIsRecoveredLoggedAndNextFiringRuns(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 4, 0))
	var buf logBuf
	s := newTest("a", clk, newMemLock().Lock, &buf)
	job := &fnJob{name: "close-idle"}
	job.fn = func(context.Context, time.Time) (string, error) {
		if job.runs.Load() == 1 {
			explode(123456789, "je suis en danger")
		}
		return "closed=1", nil
	}
	if err := s.Add("0 4 * * *", job, time.Minute); err != nil {
		t.Fatal(err)
	}
	s.fire("close-idle")

	lines := buf.runs(t)
	if len(lines) != 1 || lines[0]["outcome"] != OutcomePanic || lines[0]["level"] != "error" {
		t.Fatalf("lines %v, want one panic line at error level", lines)
	}
	if at, _ := lines[0]["panic_at"].(string); !strings.Contains(at, "explode (scheduler_test.go:") {
		t.Errorf("panic_at %q does not say where", at)
	}
	if typ := lines[0]["panic_type"]; typ != "runtime.boundsError" {
		t.Errorf("panic_type %v", typ)
	}
	noPersonalData(t, buf.String(), 123456789, "je suis en danger")

	clk.Set(at(2027, time.January, 11, 4, 0))
	s.fire("close-idle")
	if n := job.runs.Load(); n != 2 {
		t.Fatalf("the firing after the panic did not run (runs %d)", n)
	}
	if got := buf.outcomes(t); got[OutcomePanic] != 1 || got[OutcomeOK] != 1 {
		t.Fatalf("outcomes %v", got)
	}
}

// noPersonalData fails if the logs hold the chat id (in decimal or, as a
// stack trace's argument, in hex) or the text.
func noPersonalData(t *testing.T, logs string, chatID int64, text string) {
	t.Helper()
	for _, s := range []string{strconv.FormatInt(chatID, 10), strconv.FormatInt(chatID, 16), text} {
		if strings.Contains(strings.ToLower(logs), strings.ToLower(s)) {
			t.Errorf("the log holds %q:\n%s", s, logs)
		}
	}
}

func TestLogLineHoldsNoChatIDOrText(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 5, 0))
	var buf logBuf
	s := newTest("a", clk, newMemLock().Lock, &buf)
	// A job that works on a person's data and reports only counts.
	job := &fnJob{name: "remind", fn: func(context.Context, time.Time) (string, error) {
		chatID, text := int64(987654321), "mon fils deale"
		_ = fmt.Sprint(chatID, text)
		return "reminded=1 waiting=2", nil
	}}
	if err := s.Add("0 5 * * *", job, time.Minute); err != nil {
		t.Fatal(err)
	}
	s.fire("remind")
	lines := buf.runs(t)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	allowed := map[string]bool{"level": true, "job": true, "firing": true, "duration_ms": true, "outcome": true, "summary": true, "message": true}
	for k := range lines[0] {
		if !allowed[k] {
			t.Errorf("field %q in the summary line", k)
		}
	}
	if lines[0]["job"] != "remind" || lines[0]["firing"] != "2027-01-10T05:00:00+01:00" || lines[0]["outcome"] != OutcomeOK || lines[0]["summary"] != "reminded=1 waiting=2" {
		t.Errorf("line %v", lines[0])
	}
	noPersonalData(t, buf.String(), 987654321, "mon fils deale")
}

func TestStillRunningIsSkipped(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 6, 0))
	var buf logBuf
	s := newTest("a", clk, newMemLock().Lock, &buf)
	started, release := make(chan struct{}), make(chan struct{})
	job := &fnJob{name: "report", fn: func(context.Context, time.Time) (string, error) {
		close(started)
		<-release
		return "sent=1", nil
	}}
	if err := s.Add("*/10 6 * * *", job, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.fire("report")
	}()
	<-started
	clk.Set(at(2027, time.January, 10, 6, 10))
	s.fire("report") // returns at once: skipped
	if n := job.runs.Load(); n != 1 {
		t.Fatalf("runs %d while the first is still going, want 1", n)
	}
	close(release)
	<-done

	got := buf.outcomes(t)
	if got[OutcomeSkipped] != 1 || got[OutcomeOK] != 1 {
		t.Fatalf("outcomes %v, want 1 skipped and 1 ok", got)
	}
	for _, l := range buf.runs(t) {
		if l["outcome"] == OutcomeSkipped && (l["job"] != "report" || l["firing"] != "2027-01-10T06:10:00+01:00" || l["level"] != "warn") {
			t.Errorf("skip line %v", l)
		}
	}
}

func TestJobErrorAndTimeoutAreLogged(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 7, 0))
	var buf logBuf
	s := newTest("a", clk, newMemLock().Lock, &buf)
	failing := &fnJob{name: "verify", fn: func(context.Context, time.Time) (string, error) {
		return "checked=3", errors.New("resources file unreadable")
	}}
	slow := &fnJob{name: "slow", fn: func(ctx context.Context, _ time.Time) (string, error) {
		<-ctx.Done() // ends when the timeout does
		return "", ctx.Err()
	}}
	if err := s.Add("0 7 * * *", failing, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("0 7 * * *", slow, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	s.fire("verify")
	s.fire("slow")
	lines := buf.runs(t)
	if len(lines) != 2 {
		t.Fatalf("lines %v", lines)
	}
	if l := lines[0]; l["outcome"] != OutcomeError || l["error"] != "resources file unreadable" || l["summary"] != "checked=3" || l["level"] != "error" {
		t.Errorf("error line %v", l)
	}
	if l := lines[1]; l["outcome"] != OutcomeError || l["timed_out"] != true {
		t.Errorf("timeout line %v", l)
	}
}

func TestLockFailureDoesNotRun(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 8, 0))
	var buf logBuf
	down := func(context.Context, string, string, time.Duration) (bool, error) {
		return false, errors.New("redis: connection refused")
	}
	s := newTest("a", clk, down, &buf)
	job := &fnJob{name: "purge"}
	if err := s.Add("0 8 * * *", job, time.Minute); err != nil {
		t.Fatal(err)
	}
	s.fire("purge")
	if job.runs.Load() != 0 {
		t.Fatal("ran without the lock")
	}
	if l := buf.runs(t); len(l) != 1 || l[0]["outcome"] != OutcomeError || !strings.HasPrefix(l[0]["error"].(string), "lock: ") {
		t.Fatalf("lines %v", l)
	}
}

func TestAddRefuses(t *testing.T) {
	s := newTest("a", newClock(at(2027, time.January, 10, 8, 0)), newMemLock().Lock, &logBuf{})
	if err := s.Add("30 3 * * *", &fnJob{name: "purge"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		spec    string
		job     *fnJob
		timeout time.Duration
		want    string
	}{
		{"30 2 * * *", &fnJob{name: "night"}, time.Minute, "JOB_NIGHT"},
		{"30 2 * * *", &fnJob{name: "night"}, time.Minute, "between 02:00 and 03:00"},
		{"0 4 * * *", &fnJob{name: "purge"}, time.Minute, "added twice"},
		{"0 4 * * *", &fnJob{name: ""}, time.Minute, "needs a name"},
		{"0 4 * * *", &fnJob{name: "zero"}, 0, "positive"},
		{"*/5 4 * * *", &fnJob{name: "long"}, 5 * time.Minute, "not shorter than the 5m0s"},
	} {
		err := s.Add(c.spec, c.job, c.timeout)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%q, %q, %v) = %v, want %q", c.spec, c.job.name, c.timeout, err, c.want)
		}
	}
}

// The spring-forward night through the whole runner: a job at 03:30 runs
// for the firing at 03:30 CEST, whose lock names 01:30 UTC.
func TestSpringForwardNightJobRuns(t *testing.T) {
	sched, err := Parse("30 3 * * *")
	if err != nil {
		t.Fatal(err)
	}
	next := sched.Next(at(2027, time.March, 28, 1, 0))
	clk := newClock(next)
	lock := newMemLock()
	var buf logBuf
	s := newTest("a", clk, lock.Lock, &buf)
	var ran time.Time
	job := &fnJob{name: "purge", fn: func(_ context.Context, now time.Time) (string, error) {
		ran = now
		return "purged=0", nil
	}}
	if err := s.Add("30 3 * * *", job, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	s.fire("purge")
	if job.runs.Load() != 1 || !ran.Equal(time.Date(2027, time.March, 28, 1, 30, 0, 0, time.UTC)) {
		t.Fatalf("runs %d at %v", job.runs.Load(), ran)
	}
	if l := buf.runs(t); len(l) != 1 || l[0]["firing"] != "2027-03-28T03:30:00+02:00" || l[0]["outcome"] != OutcomeOK {
		t.Fatalf("lines %v", l)
	}
	if len(lock.asked) != 1 || lock.asked[0] != "job:purge:2027-03-28T01:30Z" {
		t.Fatalf("locks %v", lock.asked)
	}
}

func TestStopWaitsForRunsThenRefusesNewOnes(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 9, 0))
	var buf logBuf
	s := newTest("a", clk, newMemLock().Lock, &buf)
	started, release := make(chan struct{}), make(chan struct{})
	job := &fnJob{name: "report", fn: func(context.Context, time.Time) (string, error) {
		if !isClosed(started) {
			close(started)
			<-release
		}
		return "sent=1", nil
	}}
	if err := s.Add("0 9 * * *", job, time.Minute); err != nil {
		t.Fatal(err)
	}
	s.Start()
	go s.fire("report")
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while a run was going", err)
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	clk.Set(at(2027, time.January, 11, 9, 0))
	s.fire("report")
	if n := job.runs.Load(); n != 1 {
		t.Fatalf("ran %d times, want 1: a stopped scheduler runs nothing", n)
	}
	got := buf.outcomes(t)
	if got[OutcomeOK] != 1 || got[OutcomeSkipped] != 1 {
		t.Fatalf("outcomes %v", got)
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestStopGivesUpWhenItsContextEnds(t *testing.T) {
	clk := newClock(at(2027, time.January, 10, 10, 0))
	s := newTest("a", clk, newMemLock().Lock, &logBuf{})
	started := make(chan struct{})
	job := &fnJob{name: "stuck", fn: func(ctx context.Context, _ time.Time) (string, error) {
		close(started)
		<-ctx.Done() // the scheduler's cancellation, long before the hour's timeout
		return "", ctx.Err()
	}}
	if err := s.Add("0 10 * * *", job, time.Hour); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.fire("stuck")
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Stop(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Stop = %v, want context.Canceled", err)
	}
	<-done // the run saw its context cancelled
}

// Start hands the jobs to cron in Paris: the next firing is 03:30 Paris.
func TestStartSchedulesInParis(t *testing.T) {
	s := New(Config{}, newMemLock().Lock, zerolog.Nop())
	if err := s.Add("30 3 * * *", &fnJob{name: "purge"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	entries := s.cron.Entries()
	if len(entries) != 1 {
		t.Fatalf("%d entries", len(entries))
	}
	next := entries[0].Next.In(paris)
	if next.IsZero() || next.Hour() != 3 || next.Minute() != 30 || !next.After(time.Now()) {
		t.Fatalf("next firing %v, want the next 03:30 in Paris", next)
	}
}
