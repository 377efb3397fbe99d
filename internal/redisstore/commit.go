package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// Commit writes a step's result in one round trip: if the stored revision is
// still c.Rev and c.UpdateID is not among the chat's recent updates, it
// stores the state, appends the outbox, journals c.IncomingID, performs the
// erase c.Erase asks for, refreshes the expiries, and takes the chat's
// sending lease for c.Owner when nobody holds it.
//
// Revisions are opaque: they grow by one per commit, but a new (or erased,
// or expired) conversation starts from a revision taken from c.Now, so a
// revision read before an erasure can never match one written after it.
func (s *Store) Commit(ctx context.Context, c conversation.Commit) (conversation.CommitResult, error) {
	ttl := c.TTL.Milliseconds()
	if ttl <= 0 {
		// Every key must expire; a key without one would outlive retention.
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: retention %v is not positive", c.Chat, c.TTL)
	}
	st, err := json.Marshal(c.State)
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: encode state: %w", c.Chat, err)
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	args := make([]any, 0, 15+len(c.Outbox))
	args = append(args, c.Rev, c.UpdateID, st, ttl, c.IncomingID, now.UnixMilli(), JournalWindow.Milliseconds(),
		max(now.UnixMilli(), 1), c.Owner, s.leaseTTL.Milliseconds(), int(c.Erase), OutboxTTL.Milliseconds(),
		JournalCap, replaceableKept, conversation.RecentUpdates)
	for _, it := range c.Outbox {
		body, err := it.Body()
		if err != nil {
			return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
		}
		args = append(args, body)
	}
	res, err := commitScript.Run(ctx, s.c, s.chatKeys(c.Chat), args...).Slice()
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}
	r, err := decodeCommit(res)
	if err != nil {
		s.cache.evict(c.Chat)
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}
	switch {
	case r.Status != conversation.Committed:
		s.cache.put(c.Chat, r.Current)
	case c.Erase == conversation.EraseForget:
		s.cache.evict(c.Chat)
	default:
		ids, _ := decodeIDs(res[2])
		s.cache.put(c.Chat, conversation.Record{State: c.State, Recent: ids, Rev: r.Rev})
	}
	return r, nil
}

// decodeCommit reads the commit script's reply: {0, rev, ids, held, head,
// pace} when written, {status, rev, ids, st} otherwise.
func decodeCommit(res []any) (conversation.CommitResult, error) {
	if len(res) < 4 {
		return conversation.CommitResult{}, fmt.Errorf("commit reply of %d values: %w", len(res), ErrCorrupt)
	}
	status, err := toInt(res[0])
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit status: %w", err)
	}
	switch status {
	case 0:
		if len(res) < 6 {
			return conversation.CommitResult{}, fmt.Errorf("commit reply of %d values: %w", len(res), ErrCorrupt)
		}
		rev, err := toInt(res[1])
		if err != nil {
			return conversation.CommitResult{}, fmt.Errorf("commit revision: %w", err)
		}
		claim, err := decodeClaim(res[3], res[4], res[5])
		if err != nil {
			return conversation.CommitResult{}, err
		}
		return conversation.CommitResult{Status: conversation.Committed, Rev: rev, Claim: claim}, nil
	case 1, 2:
		cur, err := decodeRecord(res[1:4])
		if err != nil {
			// The stored record is unreadable: the caller sets it aside.
			return conversation.CommitResult{}, err
		}
		st := conversation.Conflict
		if status == 2 {
			st = conversation.Duplicate
		}
		return conversation.CommitResult{Status: st, Current: cur}, nil
	default:
		return conversation.CommitResult{}, fmt.Errorf("commit status %d: %w", status, ErrCorrupt)
	}
}

// decodeClaim reads {held, head, pace} as the scripts return them.
func decodeClaim(held, head, pace any) (delivery.Claim, error) {
	h, err := toInt(held)
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("lease: %w", err)
	}
	p, err := toInt(pace)
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("pace: %w", err)
	}
	c := delivery.Claim{Held: h == 1, Head: toStr(head)}
	if p > 0 {
		c.Pace = time.UnixMilli(p)
	}
	return c, nil
}
