// Package redisstore keeps conversations in Redis: state, outbox and the
// journal of message ids that /effacer deletes. It implements
// conversation.Store.
//
// Keys carry the chat id in a hash tag ({chat}) so both keys of a chat land
// in the same slot of a Redis Cluster, where the Lua scripts that touch them
// together can run:
//
//	<prefix>:conv:{chat}  hash: rev, upd, st (state JSON), ob (outbox JSON)
//	<prefix>:msgs:{chat}  sorted set: message ids of the last 48 h, scored by unix seconds
//
// Every key expires: conv after the retention given with each commit, msgs
// 48 hours after it was last written.
package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
)

// JournalWindow is how long message ids are kept for erasing: Telegram lets
// a bot delete its messages, and the person's, for 48 hours only.
const JournalWindow = 48 * time.Hour

// Options tunes a Store.
type Options struct {
	// Prefix starts every key; default "bsl".
	Prefix string
	// CacheSize is how many records are kept in memory, the last one
	// written or read per chat, so an ordinary step skips its Load.
	// 0 keeps none.
	CacheSize int
}

// Store is the Redis conversation store. It is safe for concurrent use.
type Store struct {
	c      redis.UniversalClient
	prefix string
	cache  *cache // nil without a cache
}

var _ conversation.Store = (*Store)(nil)

// New returns a store on c. Call Preload once at start-up.
func New(c redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = "bsl"
	}
	return &Store{c: c, prefix: opts.Prefix, cache: newCache(opts.CacheSize)}
}

// Preload loads the Lua scripts into Redis, so that no step ever pays an
// extra round trip for a NOSCRIPT retry. On a cluster it loads them on every
// primary.
func (s *Store) Preload(ctx context.Context) error {
	for _, sc := range scripts {
		if err := sc.script.Load(ctx, s.c).Err(); err != nil {
			return fmt.Errorf("load script %s: %w", sc.name, err)
		}
	}
	return nil
}

// convKey is the hash holding a chat's state and outbox.
func (s *Store) convKey(chat int64) string {
	return s.prefix + ":conv:{" + strconv.FormatInt(chat, 10) + "}"
}

// msgsKey is the sorted set of a chat's message ids younger than 48 h.
func (s *Store) msgsKey(chat int64) string {
	return s.prefix + ":msgs:{" + strconv.FormatInt(chat, 10) + "}"
}

// Load returns the record of a chat, Rev 0 when nothing is stored. With a
// cache, a record already seen costs no round trip: if it is stale, the
// next Commit conflicts and brings the current one.
func (s *Store) Load(ctx context.Context, chat int64) (conversation.Record, error) {
	if r, ok := s.cache.get(chat); ok {
		return r, nil
	}
	vals, err := s.c.HMGet(ctx, s.convKey(chat), fieldRev, fieldUpd, fieldState, fieldOutbox).Result()
	if err != nil {
		return conversation.Record{}, fmt.Errorf("load chat %d: %w", chat, err)
	}
	r, err := decodeRecord(vals)
	if err != nil {
		return conversation.Record{}, fmt.Errorf("load chat %d: %w", chat, err)
	}
	s.cache.put(chat, r)
	return r, nil
}

// Forget deletes the chat's state, outbox and journal in one round trip.
// Both keys share a slot, so one DEL works on a cluster too.
func (s *Store) Forget(ctx context.Context, chat int64) error {
	s.cache.evict(chat)
	if err := s.c.Del(ctx, s.convKey(chat), s.msgsKey(chat)).Err(); err != nil {
		return fmt.Errorf("forget chat %d: %w", chat, err)
	}
	// Evict again: a Load running alongside may have cached the record
	// between the first eviction and the DEL.
	s.cache.evict(chat)
	return nil
}

// KeyBytes reports what Redis says the chat's conv key costs in memory
// (MEMORY USAGE), for the performance report. It returns 0 when the key does
// not exist or the server cannot tell.
func (s *Store) KeyBytes(ctx context.Context, chat int64) (int64, error) {
	n, err := s.c.MemoryUsage(ctx, s.convKey(chat)).Result()
	switch {
	case err == redis.Nil:
		return 0, nil
	case err != nil && isUnknownCommand(err):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("memory usage of chat %d: %w", chat, err)
	}
	return n, nil
}
