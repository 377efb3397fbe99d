package delivery

import (
	"context"
	"time"
)

// sweepLimit bounds how many outboxes one sweep looks at.
const sweepLimit = 1000

// renewLoop extends the leases of the chats this replica holds, three times
// per lease lifetime; a lease found lost is given up.
func (e *Engine) renewLoop(ctx context.Context) {
	t := time.NewTicker(e.cfg.LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		chats := e.held()
		if len(chats) == 0 {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, e.cfg.LeaseTTL/3)
		lost, err := e.q.Renew(rctx, e.cfg.Owner, chats)
		cancel()
		if err != nil {
			continue
		}
		e.mu.Lock()
		for _, chat := range lost {
			if s := e.slots[chat]; s != nil {
				if s.inflight {
					s.lost = true
				} else {
					e.dropLocked(s)
				}
			}
		}
		e.mu.Unlock()
	}
}

// sweepLoop takes over outboxes that nobody sends: left by a crash, or by a
// replica that stopped. It runs at once at start-up, then every Sweep.
func (e *Engine) sweepLoop(ctx context.Context) {
	steal := e.cfg.StealAtStart
	for {
		e.sweep(ctx, steal)
		steal = false
		if sleepCtx(ctx, e.cfg.Sweep) != nil {
			return
		}
	}
}

func (e *Engine) sweep(ctx context.Context, steal bool) {
	chats, err := e.q.Queued(ctx, sweepLimit)
	if err != nil {
		return
	}
	n := 0
	for _, chat := range chats {
		if ctx.Err() != nil {
			return
		}
		e.mu.Lock()
		_, mine := e.slots[chat]
		e.mu.Unlock()
		if mine {
			continue
		}
		owner := e.cfg.Owner
		if steal {
			owner = "!" + owner // the store reads "!" as: take it whoever holds it
		}
		c, err := e.q.Claim(ctx, chat, owner)
		e.mu.Lock()
		// A step of this replica may have handed the chat over, sent the
		// head read here and handed it back while the claim was on its
		// way: that head is gone. Whatever is queued now has a slot, or
		// the next sweep finds it (the lease is this replica's).
		if err == nil && c.Held && c.Head != "" && e.slots[chat] == nil && !e.staleLocked(chat, c.Head) {
			e.addLocked(chat, c)
			n++
		}
		e.mu.Unlock()
	}
	if n > 0 {
		e.log.Info().Int("chats", n).Msg("delivery: took over outboxes left unsent")
	}
}

// held lists the chats this replica holds.
func (e *Engine) held() []int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	chats := make([]int64, 0, len(e.slots))
	for c := range e.slots {
		chats = append(chats, c)
	}
	return chats
}

// releaseAll hands every lease back, so another replica (or the next start)
// takes the chats at once instead of waiting for the leases to expire.
func (e *Engine) releaseAll() {
	// A send still in flight keeps its lease: handing it back would let
	// another replica send the same message again. It expires on its own.
	e.mu.Lock()
	chats := make([]int64, 0, len(e.slots))
	for c, s := range e.slots {
		if !s.inflight {
			chats = append(chats, c)
		}
	}
	e.mu.Unlock()
	if len(chats) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = e.q.Release(ctx, e.cfg.Owner, chats)
	e.mu.Lock()
	for _, c := range chats {
		if s := e.slots[c]; s != nil && !s.inflight {
			e.dropLocked(s)
		}
	}
	e.mu.Unlock()
}
