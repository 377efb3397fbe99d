package main

import (
	"context"
	"time"
)

// stepTimeout is how long a step may go unanswered before it counts as lost.
const stepTimeout = 10 * time.Second

// openLoop offers rate steps per second for d, whatever the bot's pace, each
// from a family whose last reply has come back. It returns how many steps
// found no family free (the bot fell that far behind) and the worst delay of
// the schedule itself (the driver's own lateness).
func (dr *driver) openLoop(ctx context.Context, g *group, rate float64, d time.Duration) (missed int, lag time.Duration) {
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	n := int(d / interval)
	sweep := time.Now()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		} else {
			lag = max(lag, -wait)
		}
		select {
		case chat := <-g.idle:
			dr.act(chat)
		default:
			missed++
		}
		if time.Since(sweep) > time.Second {
			dr.expire(stepTimeout)
			sweep = time.Now()
		}
	}
	return missed, lag
}

// closedLoop keeps inflight steps outstanding for d: a new step goes out as
// soon as one is answered, from the family idle the longest.
func (dr *driver) closedLoop(ctx context.Context, g *group, inflight int, d time.Duration) {
	sem := make(chan struct{}, inflight)
	dr.sem.Store(&sem)
	defer dr.sem.Store(nil)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case sem <- struct{}{}:
		case <-tick.C:
			dr.expire(stepTimeout)
			continue
		case <-ctx.Done():
			return
		}
		select {
		case chat := <-g.idle:
			dr.act(chat)
		case <-ctx.Done():
			return
		}
	}
}

// runBudget lets every family of g act until its budget is spent (each
// starts with /start), inflight at a time, for at most limit.
func (dr *driver) runBudget(ctx context.Context, g *group, inflight int, limit time.Duration) {
	for chat := range g.fams {
		g.idle <- chat
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan struct{})
	go func() {
		dr.closedLoop(ctx, g, inflight, limit)
		close(done)
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		<-tick.C
		if dr.finished(g) {
			break
		}
	}
	cancel()
	<-done
}

// settle waits until no step is outstanding, at most limit.
func (dr *driver) settle(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if dr.waiting.Load() == 0 {
			return true
		}
		time.Sleep(20 * time.Millisecond)
		dr.expire(stepTimeout)
	}
	return dr.waiting.Load() == 0
}

// finished reports whether every family of g spent its budget and was
// answered.
func (dr *driver) finished(g *group) bool {
	dr.mu.Lock()
	defer dr.mu.Unlock()
	for _, f := range g.fams {
		if f.budget != 0 || f.waiting {
			return false
		}
	}
	return true
}

// unlimit lets the families of g act without end, all of them free now.
func (dr *driver) unlimit(g *group) {
	dr.mu.Lock()
	for _, f := range g.fams {
		f.budget = -1
	}
	dr.mu.Unlock()
	for len(g.idle) > 0 {
		<-g.idle
	}
	for chat := range g.fams {
		g.idle <- chat
	}
}
