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
// stores the state and the link, appends the outbox, journals c.IncomingID,
// performs the erase c.Erase asks for, refreshes the expiries, and takes the
// chat's sending lease for c.Owner when nobody holds it.
//
// The outbox holds at most OutboxCap entries. When a step's entries would
// pass it, the oldest replaceable screens waiting behind the head make room;
// if every waiting entry must arrive (relayed messages, deletes), the
// entries that do not fit are left out and counted in Claim.Refused, for
// the caller to tell the sender. Claim.Queued is the outbox's length.
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
	link, err := encodeLink(c.Link)
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	args, err := s.commitArgs(scriptCommit{
		rev: c.Rev, update: c.UpdateID, state: st, ttl: ttl, incoming: c.IncomingID, incomingChat: c.IncomingChat,
		now: now, owner: c.Owner, mode: int(c.Erase), link: link,
	}, c.Outbox)
	if err != nil {
		return conversation.CommitResult{}, fmt.Errorf("commit chat %d: %w", c.Chat, err)
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
		s.cache.put(c.Chat, conversation.Record{State: c.State, Recent: ids, Rev: r.Rev, Link: c.Link})
	}
	return r, nil
}

// modeEnqueue is the commit script's mode that appends to the outbox alone.
const modeEnqueue = 4

// albumWindow is how long after it was queued an album's head still takes
// the parts that follow: its sender reads it again AlbumWait after it was
// queued, and sends what it read, so the store stops rewriting it a margin
// before (replicas' clocks must agree within delivery.AlbumMargin).
const albumWindow = delivery.AlbumWait - delivery.AlbumMargin

// scriptCommit is what the commit script takes besides the entries.
type scriptCommit struct {
	rev, update  int64
	state        []byte
	ttl          int64 // conv expiry, ms
	incoming     int
	incomingChat int64
	now          time.Time
	owner        string
	mode         int
	link         string
}

// commitArgs lays out the commit script's ARGV (see lua/commit.lua).
func (s *Store) commitArgs(c scriptCommit, outbox []delivery.Item) ([]any, error) {
	args := make([]any, 0, 19+len(outbox))
	args = append(args, c.rev, c.update, c.state, c.ttl, c.incoming, c.now.UnixMilli(), JournalWindow.Milliseconds(),
		max(c.now.UnixMilli(), 1), c.owner, s.leaseTTL.Milliseconds(), c.mode, OutboxTTL.Milliseconds(),
		JournalCap, replaceableKept, conversation.RecentUpdates, c.link, c.incomingChat, OutboxCap,
		albumWindow.Milliseconds())
	for _, it := range outbox {
		body, err := it.Body()
		if err != nil {
			return nil, err
		}
		args = append(args, body)
	}
	return args, nil
}

// decodeCommit reads the commit script's reply: {0, rev, ids, held, head,
// pace, queued, refused} when written, {status, rev, ids, st, lk} otherwise.
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
		if len(res) < 8 {
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
		queued, err1 := toInt(res[6])
		refused, err2 := toInt(res[7])
		var blocked int64
		var err3 error
		if len(res) > 8 {
			blocked, err3 = toInt(res[8])
		}
		if err1 != nil || err2 != nil || err3 != nil {
			return conversation.CommitResult{}, fmt.Errorf("commit outbox length: %w", ErrCorrupt)
		}
		claim.Queued, claim.Refused, claim.Blocked = int(queued), int(refused), blocked == 1
		return conversation.CommitResult{Status: conversation.Committed, Rev: rev, Claim: claim}, nil
	case 1, 2:
		cur, err := decodeRecord(res[1:])
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
