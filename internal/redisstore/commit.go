package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/boussole/boussole/internal/conversation"
)

// Commit writes a step's result in one round trip if the stored revision is
// still c.Rev and c.UpdateID was not applied yet; it refreshes the expiry
// and journals c.IncomingID.
//
// Revisions are opaque: they grow by one per commit, but a new (or erased,
// or expired) conversation starts from a revision taken from c.Now, so a
// revision read before an erasure can never match one written after it.
// c.Record.LastUpdate and c.Record.Rev are ignored: c.UpdateID and c.Rev say
// what they would.
func (s *Store) Commit(ctx context.Context, c conversation.Commit) (conversation.CommitResult, error) {
	ttl := c.TTL.Milliseconds()
	if ttl <= 0 {
		// Every key must expire; a key without one would outlive retention.
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: retention %v is not positive", c.Chat, c.TTL)
	}
	st, ob, err := encodeState(c.Record)
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	first := max(now.UnixMilli(), 1)
	res, err := commitScript.Run(ctx, s.c,
		[]string{s.convKey(c.Chat), s.msgsKey(c.Chat)},
		c.Rev, c.UpdateID, st, ob, ttl,
		c.IncomingID, now.Unix(), now.Add(-JournalWindow).Unix(), int64(JournalWindow/time.Second),
		first,
	).Slice()
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}
	r, err := decodeCommit(res)
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}

	if r.Status == conversation.Committed {
		rec := c.Record
		rec.Rev = r.Rev
		rec.LastUpdate, _ = toInt(res[2])
		s.cache.put(c.Chat, rec)
	} else {
		s.cache.put(c.Chat, r.Current)
	}
	return r, nil
}

// decodeCommit reads the commit script's reply: {status, rev, upd} when
// written, {status, rev, upd, st, ob} otherwise.
func decodeCommit(res []any) (conversation.CommitResult, error) {
	if len(res) < 3 {
		return conversation.CommitResult{}, fmt.Errorf("commit reply of %d values: %w", len(res), ErrCorrupt)
	}
	status, err := toInt(res[0])
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit status: %w", err)
	}
	switch status {
	case 0:
		rev, err := toInt(res[1])
		if err != nil {
			return conversation.CommitResult{}, fmt.Errorf("commit revision: %w", err)
		}
		return conversation.CommitResult{Status: conversation.Committed, Rev: rev}, nil
	case 1, 2:
		// Missing fields come back as nil, or are cut off the end of the
		// reply (a Lua array stops at its first nil): pad them back.
		vals := make([]any, 4)
		copy(vals, res[1:])
		cur, err := decodeRecord(vals)
		if err != nil {
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
