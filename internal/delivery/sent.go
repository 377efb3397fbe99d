package delivery

import (
	"context"
	"time"
)

// mark is the position of an entry in a chat's outbox: its erase epoch,
// then its sequence number.
type mark struct {
	era, seq int64
	at       time.Time
}

// markTTL is how long the last entry sent in a chat is remembered after its
// slot went: far longer than a step takes from its commit to its Hold.
const markTTL = time.Minute

// staleLocked reports whether head was sent already by this replica.
func (e *Engine) staleLocked(chat int64, head string) bool {
	m, ok := e.sent[chat]
	if !ok {
		return false
	}
	it, _ := Decode(head)
	return it.Era < m.era || (it.Era == m.era && it.Seq <= m.seq)
}

// claimAgain reads a chat's outbox afresh and sends what is left.
func (e *Engine) claimAgain(chat int64) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	c, err := e.q.Claim(ctx, chat, e.cfg.Owner)
	if err != nil || !c.Held || c.Head == "" {
		return // nothing left, or the sweep finds it
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.slots[chat] == nil && !e.staleLocked(chat, c.Head) {
		e.addLocked(chat, c)
	}
}
