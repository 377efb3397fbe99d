// Package scheduler runs the bot's scheduled jobs (DESIGN §9): on
// robfig/cron in Europe/Paris, each firing under a Redis lock so that one
// replica runs it, with a timeout, panic recovery and one summary log line
// per firing.
//
// Every replica schedules every job. At each firing each replica asks for
// the lock "job:<name>:<firing minute, UTC>"; the one that gets it runs the
// job, the others log "locked-elsewhere". The lock is taken under a name
// unique to the attempt and left to expire, not released: a replica whose
// clock lags cannot run the firing again after the first has finished, and
// neither can the same replica.
//
// A job is wrapped as cron.SkipIfStillRunning(cron.Recover(job)), in that
// order: in cron v3.0.1 SkipIfStillRunning hands its token back only when
// the job returns, so a panic crossing it would block the job for good;
// inside it, Recover turns the panic into a return.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"
)

// Job is one scheduled task.
type Job interface {
	// Name names the job in its lock, its log line and its environment
	// variable (see Spec): short, lower case, unique ("purge").
	Name() string
	// Run does the work of the firing at now (Europe/Paris, to the minute:
	// the same on every replica) and stops when ctx is done (the job's
	// timeout, or the scheduler stopping). summary is a few counts for
	// the log line ("purged=12 kept=3"). Neither summary nor err's text
	// may carry a chat id, a name or a message: both are logged as they are.
	Run(ctx context.Context, now time.Time) (summary string, err error)
}

// LockFunc takes the lock name for owner for ttl and reports whether it
// got it: redisstore.Lock on the shared Redis, bound to its client.
type LockFunc func(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)

// Config tunes a Scheduler. The zero value is usable.
type Config struct {
	// Owner names this replica in the locks it takes; default host:pid.
	Owner string
	// LockMargin is how long a firing's lock outlives the job's timeout,
	// so that a replica whose clock lags by less than that still finds it
	// taken; default 10 minutes.
	LockMargin time.Duration
	// Now is the clock; default time.Now. Tests set a fake one.
	Now func() time.Time
	// Observe, when set, is told of each firing on this replica: the job,
	// its outcome (OutcomeOK…) and how long it ran (metrics).
	Observe func(job, outcome string, d time.Duration)
}

// DefaultLockMargin is Config.LockMargin when it is left at zero.
const DefaultLockMargin = 10 * time.Minute

// lockTimeout bounds the call to the lock function.
const lockTimeout = 10 * time.Second

// Scheduler runs jobs on their schedules. Build it with New, Add the jobs,
// Start it, Stop it on shutdown.
type Scheduler struct {
	cfg  Config
	lock LockFunc
	log  zerolog.Logger
	cron *cron.Cron

	base   context.Context // parent of every run's context; cancelled by Stop when its ctx ends
	cancel context.CancelFunc
	seq    atomic.Uint64 // makes each lock attempt's owner unique

	mu      sync.Mutex
	jobs    map[string]*runner
	stopped bool
	active  sync.WaitGroup // runs under way; Add only under mu while !stopped
}

// New returns a scheduler that takes its locks with lock and writes its
// lines to log.
func New(cfg Config, lock LockFunc, log zerolog.Logger) *Scheduler {
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		cfg.Owner = host + ":" + strconv.Itoa(os.Getpid())
	}
	if cfg.LockMargin <= 0 {
		cfg.LockMargin = DefaultLockMargin
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		cfg:    cfg,
		lock:   lock,
		log:    log,
		cron:   cron.New(cron.WithLocation(paris), cron.WithParser(parser), cron.WithLogger(cronLog{log})),
		base:   base,
		cancel: cancel,
		jobs:   map[string]*runner{},
	}
}

// Add schedules job on spec (5 fields, Europe/Paris; see Parse) with a
// run time of at most timeout. It refuses a spec Parse refuses, a second
// job of the same name, and a timeout not shorter than the time between
// two firings (the next firing may run on another replica, which
// SkipIfStillRunning cannot see). It may be called after Start.
func (s *Scheduler) Add(spec string, job Job, timeout time.Duration) error {
	name := job.Name()
	if name == "" {
		return errors.New("scheduler: a job needs a name")
	}
	sched, err := Parse(spec)
	if err != nil {
		return fmt.Errorf("job %s (%s): %w", name, EnvVar(name), err)
	}
	if timeout <= 0 {
		return fmt.Errorf("job %s: timeout %v: want a positive duration", name, timeout)
	}
	if gap := shortestGap(sched, s.cfg.Now().In(paris), 500); gap > 0 && timeout >= gap {
		return fmt.Errorf("job %s: timeout %v is not shorter than the %v between two firings of %q: a run could overlap the next one on another replica", name, timeout, gap, spec)
	}
	r := &runner{s: s, job: job, name: name, sched: sched, timeout: timeout}
	r.wrapped = cron.NewChain(cron.SkipIfStillRunning(skipLog{r}), cron.Recover(recoverLog{r})).Then(r)

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[name]; dup {
		return fmt.Errorf("job %s: added twice", name)
	}
	s.jobs[name] = r
	s.cron.Schedule(sched, r.wrapped)
	return nil
}

// Start runs the jobs on their schedules in the background. A stopped
// scheduler does not start again.
func (s *Scheduler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.cron.Start()
}

// Stop stops firing and waits for the runs under way. If ctx ends first it
// cancels their contexts and returns ctx's error without waiting further.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	cronDone := s.cron.Stop()
	done := make(chan struct{})
	go func() {
		<-cronDone.Done()
		s.active.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		return fmt.Errorf("scheduler: stop: %w", ctx.Err())
	}
}

// begin counts a run in, unless the scheduler is stopping.
func (s *Scheduler) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.active.Add(1)
	return true
}

// cronLog passes cron's own chatter (start, wake, next times) at debug level.
type cronLog struct{ log zerolog.Logger }

func (l cronLog) Info(msg string, kv ...any) {
	l.log.Debug().Str("component", "cron").Fields(kv).Msg(msg)
}

func (l cronLog) Error(err error, msg string, kv ...any) {
	l.log.Error().Str("component", "cron").Err(err).Fields(kv).Msg(msg)
}
