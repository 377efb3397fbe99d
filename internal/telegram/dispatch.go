package telegram

import (
	"context"
	"runtime/debug"
	"sync"
	"time"
)

// job is one update for one chat.
type job struct {
	chat int64
	run  func(ctx context.Context)
}

// dispatcher runs jobs in order within a chat and in parallel across chats:
// each chat with work has one goroutine, which exits when its queue is empty.
type dispatcher struct {
	ctx     context.Context
	sem     chan struct{} // bounds how many chats run at once
	mu      sync.Mutex
	queues  map[int64][]job
	wg      sync.WaitGroup
	onPanic func(chat int64, v any, stack []byte)
}

func newDispatcher(ctx context.Context, parallel int, onPanic func(int64, any, []byte)) *dispatcher {
	return &dispatcher{ctx: ctx, sem: make(chan struct{}, parallel), queues: map[int64][]job{}, onPanic: onPanic}
}

// submit queues j behind the chat's earlier jobs.
func (d *dispatcher) submit(j job) {
	d.mu.Lock()
	q, running := d.queues[j.chat]
	d.queues[j.chat] = append(q, j)
	if !running {
		d.wg.Add(1)
		go d.drain(j.chat)
	}
	d.mu.Unlock()
}

func (d *dispatcher) drain(chat int64) {
	defer d.wg.Done()
	d.sem <- struct{}{}
	defer func() { <-d.sem }()
	for {
		d.mu.Lock()
		q := d.queues[chat]
		if len(q) == 0 {
			delete(d.queues, chat)
			d.mu.Unlock()
			return
		}
		j := q[0]
		d.queues[chat] = q[1:]
		d.mu.Unlock()
		d.safely(j)
	}
}

// safely runs a job; a panic is recovered and reported, and the chat's next
// jobs go on.
func (d *dispatcher) safely(j job) {
	defer func() {
		if v := recover(); v != nil && d.onPanic != nil {
			d.onPanic(j.chat, v, debug.Stack())
		}
	}()
	j.run(d.ctx)
}

// wait blocks until every queued job has run.
func (d *dispatcher) wait() { d.wg.Wait() }

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
