package scheduler

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"
)

// The outcomes a run's log line reports.
const (
	OutcomeOK              = "ok"               // the job ran and returned no error
	OutcomeError           = "error"            // the job (or the lock) returned an error
	OutcomePanic           = "panic"            // the job panicked; recovered
	OutcomeSkipped         = "skipped"          // the previous run on this replica was still going, or the scheduler is stopping
	OutcomeLockedElsewhere = "locked-elsewhere" // another replica (or an earlier attempt) has this firing
)

// LogMessage is the message of every run's summary line.
const LogMessage = "job run"

// runner is one job as cron sees it, under SkipIfStillRunning and Recover.
type runner struct {
	s       *Scheduler
	job     Job
	name    string
	sched   cron.Schedule
	timeout time.Duration
	wrapped cron.Job // what cron fires: the chain around the runner
}

// result is what a run's summary line says.
type result struct {
	outcome   string
	summary   string
	reason    string // why a run was skipped
	err       error
	timedOut  bool
	panicType string // %T of the panic value; never the value: it may hold data
	panicAt   string // the frames that panicked, without their arguments
}

// Run is one firing: lock, run with a timeout, log one line.
func (r *runner) Run() {
	start := r.s.cfg.Now()
	firing := r.firing(start)
	if !r.s.begin() {
		r.line(firing, 0, result{outcome: OutcomeSkipped, reason: "stopping"})
		return
	}
	defer r.s.active.Done()
	res := r.attempt(firing)
	r.line(firing, r.s.cfg.Now().Sub(start), res)
}

// attempt takes the firing's lock and runs the job, recovering a panic in
// either.
func (r *runner) attempt(firing time.Time) (res result) {
	defer func() {
		if v := recover(); v != nil {
			res = result{outcome: OutcomePanic, panicType: fmt.Sprintf("%T", v), panicAt: panicSite()}
		}
	}()
	owner := fmt.Sprintf("%s#%d", r.s.cfg.Owner, r.s.seq.Add(1))
	lctx, lcancel := context.WithTimeout(r.s.base, lockTimeout)
	got, err := r.s.lock(lctx, LockName(r.name, firing), owner, r.timeout+r.s.cfg.LockMargin)
	lcancel()
	if err != nil {
		return result{outcome: OutcomeError, err: fmt.Errorf("lock: %w", err)}
	}
	if !got {
		return result{outcome: OutcomeLockedElsewhere}
	}
	ctx, cancel := context.WithTimeout(r.s.base, r.timeout)
	defer cancel()
	summary, err := r.job.Run(ctx, firing)
	res = result{outcome: OutcomeOK, summary: summary, err: err}
	if err != nil {
		res.outcome = OutcomeError
	}
	res.timedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
	return res
}

// LockName is the lock of job name's firing at firing: one per job and
// minute, on UTC so that it reads the same whatever the offset.
func LockName(name string, firing time.Time) string {
	return "job:" + name + ":" + firing.UTC().Format("2006-01-02T15:04Z")
}

// firing is the firing a run started at now belongs to: the last minute at
// or before now on the job's schedule (looking back an hour at most, for a
// wake-up that came late), else now's minute. Every replica computes the
// same, whatever its timer's jitter.
func (r *runner) firing(now time.Time) time.Time {
	t := now.In(paris).Truncate(time.Minute)
	for i := 0; i < 60; i++ {
		c := t.Add(-time.Duration(i) * time.Minute)
		if r.sched.Next(c.Add(-time.Second)).Equal(c) {
			return c
		}
	}
	return t
}

// line writes the run's one summary line: job, firing, duration, outcome
// and the job's summary; nothing a person could be found by.
func (r *runner) line(firing time.Time, d time.Duration, res result) {
	if r.s.cfg.Observe != nil {
		r.s.cfg.Observe(r.name, res.outcome, d)
	}
	var ev *zerolog.Event
	switch res.outcome {
	case OutcomeOK, OutcomeLockedElsewhere:
		ev = r.s.log.Info()
	case OutcomeSkipped:
		ev = r.s.log.Warn()
	default:
		ev = r.s.log.Error()
	}
	ev = ev.Str("job", r.name).
		Str("firing", firing.In(paris).Format(time.RFC3339)).
		Int64("duration_ms", d.Milliseconds()).
		Str("outcome", res.outcome)
	if res.summary != "" {
		ev = ev.Str("summary", res.summary)
	}
	if res.reason != "" {
		ev = ev.Str("reason", res.reason)
	}
	if res.err != nil {
		ev = ev.Str("error", res.err.Error())
	}
	if res.timedOut {
		ev = ev.Bool("timed_out", true)
	}
	if res.panicType != "" {
		ev = ev.Str("panic_type", res.panicType).Str("panic_at", res.panicAt)
	}
	ev.Msg(LogMessage)
}

// panicSite names the frames between the panic and the runner, innermost
// first, as "function (file:line)": where it broke, without the argument
// values a stack trace prints (a chat id passed down would show there).
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs) // skip Callers, panicSite, the deferred func
	frames := runtime.CallersFrames(pcs[:n])
	var out []string
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ".(*runner).attempt") {
			break
		}
		if !strings.HasPrefix(f.Function, "runtime.") {
			fn := f.Function[strings.LastIndex(f.Function, "/")+1:]
			out = append(out, fmt.Sprintf("%s (%s:%d)", fn, filepath.Base(f.File), f.Line))
			if len(out) == 8 {
				break
			}
		}
		if !more {
			break
		}
	}
	return strings.Join(out, " < ")
}

// skipLog turns SkipIfStillRunning's "skip" into the run's summary line.
type skipLog struct{ r *runner }

func (l skipLog) Info(msg string, _ ...any) {
	now := l.r.s.cfg.Now()
	l.r.line(l.r.firing(now), 0, result{outcome: OutcomeSkipped, reason: "previous run still going"})
}

func (l skipLog) Error(error, string, ...any) {}

// recoverLog writes the summary line of a run whose panic escaped the
// runner's own recovery (a panic in the logging itself): the outcome only,
// never the value or the stack, which may hold data.
type recoverLog struct{ r *runner }

func (l recoverLog) Info(string, ...any) {}

func (l recoverLog) Error(_ error, _ string, _ ...any) {
	now := l.r.s.cfg.Now()
	l.r.line(l.r.firing(now), 0, result{outcome: OutcomePanic, panicType: "scheduler", panicAt: "outside the job"})
}
