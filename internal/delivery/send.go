package delivery

import (
	"context"
	"errors"
	"time"
)

// callTimeout bounds one call to the store or to Telegram made by a send.
const callTimeout = 30 * time.Second

// maxBackoff bounds the wait between attempts at a failing send.
const maxBackoff = 5 * time.Second

// minBackoff is the first wait after a failed send: Telegram's 5xx are
// mostly brief.
const minBackoff = 250 * time.Millisecond

// send delivers the head of one chat's outbox, then schedules what comes
// next. Sends run on their own context: a stop lets them finish.
func (e *Engine) send(s *slot) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	now := e.cfg.Now()
	if s.ackOnly { // sent (or dropped) already: only the ack is missing
		e.ack(ctx, s, s.unacked, now)
		return
	}
	if isAlbum(s.item) && !e.albumHead(ctx, s, now) {
		return
	}
	it := s.item
	log := e.log.With().Str("chat", e.pseudo(s.chat)).Logger()
	switch {
	case it.At == 0:
		e.Stats.Dropped.Add(1)
		log.Warn().Str("outcome", "corrupt").Msg("delivery: unreadable queued item dropped")
		e.ack(ctx, s, nil, now)
		return
	case now.Sub(time.UnixMilli(it.At)) > e.cfg.MaxAge:
		e.Stats.Expired.Add(1)
		log.Warn().Str("outcome", "expired").Dur("age", now.Sub(time.UnixMilli(it.At))).
			Msg("delivery: reply not delivered in time, dropped")
		e.ack(ctx, s, nil, now)
		return
	}
	if it.Kind == KindEdit && it.From != 0 {
		dst, id, ok, err := e.q.Copy(ctx, s.chat, it.From, it.IDs[0])
		if err != nil {
			s.backoff = min(max(2*s.backoff, minBackoff), maxBackoff)
			e.retry(s, now.Add(s.backoff))
			return
		}
		if !ok {
			// Never copied (dropped, or older than 48 h): nothing to edit.
			e.ack(ctx, s, nil, now)
			return
		}
		it.To, it.From, it.IDs = dst, 0, []int{id}
	}
	var sent []int
	var err error
	if it.Kind == KindDelete {
		err = e.api.Delete(ctx, it.Dest(s.chat), it.IDs)
	} else {
		sent, err = e.api.Send(ctx, it.Dest(s.chat), it)
	}
	var ra *RetryAfter
	switch {
	case err != nil && it.Dest(s.chat) != s.chat && errors.Is(err, ErrBlocked):
		// A relay to someone else who blocked the bot (a volunteer): this
		// chat's person did not, so only the item is dropped.
		e.Stats.Dropped.Add(1)
		log.Warn().Str("outcome", "blocked").Msg("delivery: the other side of a relay blocked the bot; dropped")
		e.ack(ctx, s, nil, now)
	case err == nil:
		s.backoff = 0
		s.lastSend = now
		e.Stats.Sent.Add(1)
		e.ack(ctx, s, sent, now)
	case errors.Is(err, ErrBlocked):
		e.Stats.Blocked.Add(1)
		next, err := e.q.Block(ctx, s.chat, e.cfg.Owner, now)
		if err != nil {
			e.retry(s, now.Add(time.Second)) // keep the lease until the flag is stored
			return
		}
		if next == "" {
			log.Info().Str("outcome", "blocked").Msg("delivery: the person blocked the bot; outbox emptied")
			e.handBack(ctx, s)
			return
		}
		// Queued after the refused send, once the person came back: go on.
		e.mu.Lock()
		e.setHeadLocked(s, next)
		e.scheduleLocked(s, now)
		e.mu.Unlock()
	case errors.Is(err, ErrRejected):
		e.Stats.Dropped.Add(1)
		log.Warn().Str("outcome", "rejected").Msg("delivery: Telegram refused a reply; dropped")
		e.ack(ctx, s, nil, now)
	case errors.As(err, &ra):
		e.retry(s, now.Add(ra.Wait))
	default:
		s.backoff = min(max(2*s.backoff, minBackoff), maxBackoff)
		e.retry(s, now.Add(s.backoff))
	}
}

// isAlbum reports whether an item copies (part of) an album.
func isAlbum(it Item) bool {
	return it.Kind == KindCopy && it.Album != "" && it.At != 0
}

// albumHead reads an album's head again once its AlbumWait is over: the
// parts that arrived meanwhile were merged into it, and the store merges no
// more (AlbumMargin), so what is read here is what is sent and what is
// acknowledged, byte for byte. It reports whether the slot's head is ready
// to go; otherwise the slot has been rescheduled or dropped. The read is
// the Claim the queue offers: it renews the lease too.
func (e *Engine) albumHead(ctx context.Context, s *slot, now time.Time) bool {
	if ready := time.UnixMilli(s.item.At).Add(AlbumWait); now.Before(ready) {
		e.retry(s, ready) // not before its wait is over: parts may still join it
		return false
	}
	c, err := e.q.Claim(ctx, s.chat, e.cfg.Owner)
	if err != nil {
		s.backoff = min(max(2*s.backoff, minBackoff), maxBackoff)
		e.retry(s, now.Add(s.backoff))
		return false
	}
	if !c.Held || c.Head == "" {
		// Emptied meanwhile (the person blocked the bot), or another replica
		// holds the chat now: a lease still this replica's is handed back.
		_ = e.q.Release(ctx, e.cfg.Owner, []int64{s.chat})
		e.handBack(ctx, s)
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	was := s.item
	e.setHeadLocked(s, c.Head)
	s.lost = false // the claim holds the lease
	if s.item.Seq == was.Seq && s.item.Era == was.Era && s.item.At == was.At {
		// The same entry, with the parts merged into it. The steps of this
		// replica that queued them (Hold set reclaim) are answered: what
		// they queued goes with this head, and what is committed from now
		// on makes an entry of its own, which the ack returns.
		s.reclaim = false
		return true
	}
	// Another entry is the head now (an erase came first): it goes in turn.
	e.scheduleLocked(s, e.notBefore(s, c.Pace))
	return false
}

// ack records a sent (or dropped) head and moves to the next entry.
func (e *Engine) ack(ctx context.Context, s *slot, sent []int, now time.Time) {
	res, err := e.q.Ack(ctx, s.chat, e.cfg.Owner, s.raw, sent, e.pace(s.chat), now)
	if err != nil {
		// Already on the phone: remember it so only the ack is retried.
		s.unacked, s.ackOnly = sent, true
		s.backoff = min(max(2*s.backoff, minBackoff), maxBackoff)
		e.retry(s, now.Add(s.backoff))
		return
	}
	s.unacked, s.ackOnly = nil, false
	if s.item.Era > s.acked.era || (s.item.Era == s.acked.era && s.item.Seq > s.acked.seq) {
		s.acked = mark{era: s.item.Era, seq: s.item.Seq}
	}
	if res.Escaped && len(sent) > 0 {
		// Queued before an erase that happened while it was on its way.
		e.Stats.Escaped.Add(1)
		_ = e.api.Delete(ctx, s.item.Dest(s.chat), sent)
	}
	if res.Lost {
		e.release(s)
		return
	}
	if res.Next == "" {
		e.handBack(ctx, s)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s.reclaim = false
	if s.lost {
		e.dropLocked(s)
		return
	}
	e.setHeadLocked(s, res.Next)
	e.scheduleLocked(s, e.notBefore(s, res.Pace))
}

// handBack forgets a slot whose lease the store has just handed back, unless
// a step of this replica took the lease again meanwhile (Hold set reclaim):
// then it asks the store what is queued now and goes on. The check and the
// drop are one critical section, so a Hold cannot slip between them.
func (e *Engine) handBack(ctx context.Context, s *slot) {
	for {
		e.mu.Lock()
		if !s.reclaim {
			e.dropLocked(s)
			e.mu.Unlock()
			return
		}
		s.reclaim = false
		e.mu.Unlock()
		c, err := e.q.Claim(ctx, s.chat, e.cfg.Owner)
		if err != nil {
			e.retry(s, e.cfg.Now().Add(time.Second))
			return
		}
		if c.Held && c.Head != "" {
			e.mu.Lock()
			e.setHeadLocked(s, c.Head)
			e.scheduleLocked(s, e.notBefore(s, c.Pace))
			e.mu.Unlock()
			return
		}
	}
}

// retry puts the slot back to try again at at.
func (e *Engine) retry(s *slot, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s.lost {
		e.dropLocked(s)
		return
	}
	e.scheduleLocked(s, at)
}

// release forgets a slot whose lease is handed back or lost.
func (e *Engine) release(s *slot) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.dropLocked(s)
}
