package delivery

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Config tunes an Engine; zero fields take the defaults of DefaultConfig.
type Config struct {
	Owner      string        // this replica's lease token (unique per process)
	Chat       Pace          // per private chat (Telegram: about 1 message a second)
	Group      Pace          // per group, chat id < 0 (Telegram: 20 a minute)
	MaxAge     time.Duration // an item not delivered by then is dropped, logged and counted
	LeaseTTL   time.Duration // a chat's lease lives this long unless renewed
	Sweep      time.Duration // how often outboxes left without a sender are looked for
	Parallel   int           // sends in flight at once
	FirstBoost time.Duration // how far ahead of other replies a conversation's first reply goes (< 0: none, FIFO)
	// StealAtStart takes every lease at start-up, even one held by another
	// owner: right when a single replica runs (long polling allows only
	// one), so a restart does not wait for the dead process's leases.
	StealAtStart bool
	Now          func() time.Time
}

// DefaultConfig follows Telegram's published limits.
var DefaultConfig = Config{
	Chat:       Pace{Interval: time.Second, Burst: 3},
	Group:      Pace{Interval: 3 * time.Second, Burst: 3},
	MaxAge:     10 * time.Minute,
	LeaseTTL:   10 * time.Second,
	Sweep:      5 * time.Second,
	Parallel:   64,
	FirstBoost: 40 * time.Second,
	Now:        time.Now,
}

// Stats counts what the engine did since it started.
type Stats struct {
	Sent, Dropped, Expired, Blocked, Escaped atomic.Int64
}

// Engine sends the outboxes of the chats whose lease this replica holds.
type Engine struct {
	cfg    Config
	q      Queue
	api    API
	lim    Limiter
	log    zerolog.Logger
	pseudo func(int64) string
	Stats  Stats

	mu      sync.Mutex
	slots   map[int64]*slot
	ready   readyHeap
	waiting waitHeap
	wake    chan struct{}
	sem     chan struct{}
	// drainUntil is when a stop gives up (zero while running).
	drainUntil time.Time
	sends      sync.WaitGroup
	// sent is, per chat whose slot went lately, the last entry this
	// replica acknowledged there: a claim read before it was sent (a
	// step's handed over late, a sweep's) names a head that is gone.
	sent map[int64]mark
}

// New returns an engine; pseudo names a chat in logs without revealing it.
func New(cfg Config, q Queue, api API, lim Limiter, log zerolog.Logger, pseudo func(int64) string) *Engine {
	d := DefaultConfig
	if cfg.Chat.Interval <= 0 {
		cfg.Chat = d.Chat
	}
	if cfg.Group.Interval <= 0 {
		cfg.Group = d.Group
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = d.MaxAge
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = d.LeaseTTL
	}
	if cfg.Sweep <= 0 {
		cfg.Sweep = d.Sweep
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = d.Parallel
	}
	if cfg.FirstBoost == 0 {
		cfg.FirstBoost = d.FirstBoost
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{cfg: cfg, q: q, api: api, lim: lim, log: log, pseudo: pseudo,
		slots: map[int64]*slot{}, sent: map[int64]mark{}, wake: make(chan struct{}, 1), sem: make(chan struct{}, cfg.Parallel)}
}

// Owner is this replica's lease token.
func (e *Engine) Owner() string { return e.cfg.Owner }

func (e *Engine) pace(chat int64) Pace {
	if chat < 0 {
		return e.cfg.Group
	}
	return e.cfg.Chat
}

// Hold takes charge of a chat whose lease a step of this replica has just
// taken (c.Held). It never blocks.
func (e *Engine) Hold(chat int64, c Claim) {
	if !c.Held || c.Head == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if s := e.slots[chat]; s != nil {
		// Already sending this chat: the next ack brings the new entries.
		// If that ack handed the lease back just before the step took it
		// again, the slot must not be dropped.
		s.reclaim = true
		s.lost = false
		return
	}
	if e.staleLocked(chat, c.Head) {
		// The step read the head before this replica sent it, and its
		// goroutine comes back only now: ask the store what is left.
		go e.claimAgain(chat)
		return
	}
	e.addLocked(chat, c)
}

// addLocked starts sending a chat from a claim.
func (e *Engine) addLocked(chat int64, c Claim) {
	s := &slot{chat: chat, index: -1}
	e.slots[chat] = s
	e.setHeadLocked(s, c.Head)
	e.scheduleLocked(s, e.notBefore(s, c.Pace))
}

// setHeadLocked makes raw the slot's head. A corrupt entry is kept as the
// head with a zero item: send drops it without a call to Telegram.
func (e *Engine) setHeadLocked(s *slot, raw string) {
	s.raw = raw
	it, err := Decode(raw)
	if err != nil {
		it = Item{}
	}
	s.item = it
}

// scheduleLocked puts a slot where it belongs: ready, or waiting until at.
func (e *Engine) scheduleLocked(s *slot, at time.Time) {
	s.inflight = false
	s.notBefore = at
	if !at.After(e.cfg.Now()) {
		s.score = s.rank(e.cfg.FirstBoost)
		s.where = inReady
		heap.Push(&e.ready, s)
	} else {
		s.where = inWaiting
		heap.Push(&e.waiting, s)
	}
	e.signal()
}

// dropLocked forgets a slot (its lease is handed back or lost).
func (e *Engine) dropLocked(s *slot) {
	switch s.where {
	case inReady:
		heap.Remove(&e.ready, s.index)
	case inWaiting:
		heap.Remove(&e.waiting, s.index)
	}
	s.where = inNone
	if e.slots[s.chat] == s {
		delete(e.slots, s.chat)
		if s.acked.seq > 0 {
			s.acked.at = e.cfg.Now()
			e.sent[s.chat] = s.acked
		}
		if len(e.sent) > 1024 {
			for c, m := range e.sent {
				if e.cfg.Now().Sub(m.at) > markTTL {
					delete(e.sent, c)
				}
			}
		}
	}
	e.signal() // a stop waits for the last slot to go
}

// signal wakes the dispatch loop.
func (e *Engine) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Backlog reports how many chats wait for the global rate right now; the
// conversation uses it to say "one moment" when a reply will not go at once.
func (e *Engine) Backlog() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ready.Len()
}

// Waiting reports whether the chat has replies queued that this replica is
// holding back (paced or retrying).
func (e *Engine) Waiting(chat int64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.slots[chat]
	return s != nil && (s.inflight || s.notBefore.After(e.cfg.Now().Add(time.Second)))
}

// Run sends until ctx is done. Then, for at most drain, it goes on sending
// the outboxes it holds (receiving has stopped, so they only shrink), lets
// the sends in flight finish, and hands every lease left back.
func (e *Engine) Run(ctx context.Context, drain time.Duration) {
	hard, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		<-ctx.Done()
		e.mu.Lock()
		e.drainUntil = e.cfg.Now().Add(drain)
		e.mu.Unlock()
		e.signal()
		t := time.NewTimer(drain)
		defer t.Stop()
		select {
		case <-t.C:
		case <-hard.Done():
		}
		stop()
	}()
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { defer bg.Done(); e.renewLoop(hard) }()
	go func() { defer bg.Done(); e.sweepLoop(ctx) }()
	e.dispatch(ctx, hard)
	stop()
	bg.Wait()

	done := make(chan struct{})
	go func() { e.sends.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drain):
		e.log.Warn().Msg("delivery: sends still in flight at stop; their leases expire on their own")
	}
	e.releaseAll()
}

// dispatch is the one loop that spends the global budget: it takes a token
// only when a chat is ready, then gives it to the best chat at that moment.
// Once soft is done it stops as soon as nothing is held; hard ends it.
func (e *Engine) dispatch(soft, ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for ctx.Err() == nil {
		e.mu.Lock()
		if soft.Err() != nil {
			if late := e.lateLocked(); len(late) > 0 {
				e.mu.Unlock()
				rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_ = e.q.Release(rctx, e.cfg.Owner, late)
				cancel()
				continue
			}
			if len(e.slots) == 0 {
				e.mu.Unlock()
				return
			}
		}
		now := e.cfg.Now()
		for e.waiting.Len() > 0 && !e.waiting[0].notBefore.After(now) {
			s := heap.Pop(&e.waiting).(*slot)
			s.score = s.rank(e.cfg.FirstBoost)
			s.where = inReady
			heap.Push(&e.ready, s)
		}
		if e.ready.Len() == 0 {
			wait := time.Hour
			if e.waiting.Len() > 0 {
				wait = e.waiting[0].notBefore.Sub(now)
			}
			e.mu.Unlock()
			resetTimer(timer, wait)
			select {
			case <-ctx.Done():
			case <-e.wake:
			case <-timer.C:
			}
			continue
		}
		corrupt := e.ready.peek().raw != "" && e.ready.peek().item.At == 0
		e.mu.Unlock()

		if !corrupt { // dropping a corrupt entry costs no message
			wait, err := e.lim.Take(ctx)
			if err != nil {
				wait = time.Second // the shared rate is unreachable: the store is down too
			}
			if wait > 0 {
				_ = sleepCtx(ctx, wait)
				continue
			}
		}
		e.mu.Lock()
		if e.ready.Len() == 0 {
			e.mu.Unlock()
			continue
		}
		s := heap.Pop(&e.ready).(*slot)
		if !corrupt && s.raw != "" && s.item.At == 0 {
			corrupt = true
		}
		if corrupt && s.item.At != 0 {
			// The best chat changed while the token was skipped: it pays.
			heap.Push(&e.ready, s)
			e.mu.Unlock()
			continue
		}
		s.where = inNone
		s.inflight = true
		e.mu.Unlock()

		select {
		case e.sem <- struct{}{}:
		case <-ctx.Done():
			e.mu.Lock()
			e.scheduleLocked(s, time.Time{})
			e.mu.Unlock()
			return
		}
		e.sends.Add(1)
		go func() {
			defer e.sends.Done()
			defer func() { <-e.sem }()
			e.send(s)
		}()
	}
}

// lateLocked, during a stop, drops the chats that could not send before the
// stop gives up (waiting out a 429 or a backoff) and returns them, for their
// leases to be handed back: another replica, or the next start, sends them;
// waiting for nothing would only delay the stop.
func (e *Engine) lateLocked() []int64 {
	if e.drainUntil.IsZero() {
		return nil
	}
	var late []int64
	for c, s := range e.slots {
		if s.where == inWaiting && s.notBefore.After(e.drainUntil) {
			late = append(late, c)
			e.dropLocked(s)
		}
	}
	return late
}

func resetTimer(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(max(d, 0))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
