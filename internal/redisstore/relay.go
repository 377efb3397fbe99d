package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/delivery"
)

// Enqueue appends items to a chat's outbox without a step, in one round trip
// (the commit script's mode 4): the state, its revision and the recent
// update ids are left alone; the entries carry the chat's era and the next
// seqs, the outbox's expiry is refreshed, and the lease is taken for owner
// when free. Parts of an album are merged as a step's are, and the outbox's
// bound holds the same way (Claim.Refused).
//
// The conv hash keeps the era the entries are acknowledged against: an
// Enqueue creates it when the chat has none (with no revision: Load still
// finds nothing stored), and makes it live at least OutboxTTL.
func (s *Store) Enqueue(ctx context.Context, chat int64, items []delivery.Item, owner string, now time.Time) (delivery.Claim, error) {
	if len(items) == 0 {
		return delivery.Claim{}, nil
	}
	if now.IsZero() {
		now = time.Now()
	}
	args, err := s.commitArgs(scriptCommit{
		state: []byte{}, ttl: OutboxTTL.Milliseconds(), now: now, owner: owner, mode: modeEnqueue,
	}, items)
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("enqueue chat %d: %w", chat, err)
	}
	res, err := commitScript.Run(ctx, s.c, s.chatKeys(chat), args...).Slice()
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("enqueue chat %d: %w", chat, err)
	}
	r, err := decodeCommit(res)
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("enqueue chat %d: %w", chat, err)
	}
	return r.Claim, nil
}

// Copy finds where message id of chat src was copied to by chat's outbox, in
// one round trip: ok is false when it was not (yet), or over JournalWindow
// ago (the map is kept that long, at most JournalCap copies, and emptied by
// an erase).
func (s *Store) Copy(ctx context.Context, chat, src int64, id int) (int64, int, bool, error) {
	v, err := s.c.HGet(ctx, s.key("copy", chat), strconv.FormatInt(src, 10)+":"+strconv.Itoa(id)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("copy map of chat %d: %w", chat, err)
	}
	dst, dstID, at, err := parseCopy(v)
	if err != nil {
		return 0, 0, false, fmt.Errorf("copy map of chat %d: %w", chat, err)
	}
	if s.now().Sub(time.UnixMilli(at)) > JournalWindow {
		return 0, 0, false, nil
	}
	return dst, dstID, true, nil
}

// parseCopy reads a copy map value "<dest chat>:<dest id>:<unix ms>".
func parseCopy(v string) (dst int64, id int, at int64, err error) {
	parts := strings.Split(v, ":")
	if len(parts) != 3 {
		return 0, 0, 0, ErrCorrupt
	}
	dst, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.Atoi(parts[1])
	at, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, 0, ErrCorrupt
	}
	return dst, id, at, nil
}
