// Package redisstore keeps conversations and their outboxes in Redis. It
// implements conversation.Store, delivery.Queue and delivery.Limiter.
//
// Every key of a chat carries the chat id in a hash tag ({chat}), so all of
// them land in the same slot of a Redis Cluster, where the Lua scripts that
// touch them together can run:
//
//	<prefix>:conv:{chat}   hash: rev, ids (recent update ids), st (state JSON),
//	                       lk (link JSON), era (erase epoch), seq (outbox counter),
//	                       blk (blocked)
//	<prefix>:out:{chat}    list: the outbox, "<seq>|<era>|<flags>|<json>" per message
//	<prefix>:lease:{chat}  string: the replica sending the outbox
//	<prefix>:pace:{chat}   string: the chat's pacing mark (GCRA), unix ms
//	<prefix>:msgs:{chat}   sorted set: message ids of the last 48 h, by unix ms:
//	                       "<id>" in the chat, "<other chat>:<id>" relayed elsewhere
//	<prefix>:copy:{chat}   hash: the copies the outbox made, "<src chat>:<src id>"
//	                       -> "<dest chat>:<dest id>:<unix ms>"
//	<prefix>:bad:{chat}    hash: an unreadable conv set aside for an operator
//	rate:<prefix>:send     the global sending rate (go-redis/redis_rate)
//
// Every key expires: conv after the retention given with each commit (or,
// created by an Enqueue, after OutboxTTL), out after OutboxTTL, lease after
// its lease time, pace once the chat is quiet, msgs and copy 48 hours after
// they were last written, bad after SetAsideTTL.
//
// A chat's outbox may carry what is relayed between a person and their
// volunteer (delivery.Item.To): the person's journal then also lists the
// volunteer's copies, so that an erase deletes both sides.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
)

// JournalWindow is how long message ids are kept for erasing: Telegram lets
// a bot delete its messages, and the person's, for 48 hours only.
const JournalWindow = 48 * time.Hour

// JournalCap bounds the ids kept per chat, whatever one person sends: the
// oldest go first.
const JournalCap = 500

// OutboxTTL is how long an outbox lives after it was last written: past the
// delivery deadline, what is left is dropped anyway.
const OutboxTTL = 15 * time.Minute

// SetAsideTTL is how long an unreadable record is kept for an operator.
const SetAsideTTL = 7 * 24 * time.Hour

// OutboxCap bounds a chat's outbox. A person writing faster than a message
// a second (Telegram's pace per chat) to a volunteer fills it by the excess:
// at two messages a second, in about four minutes. Replaceable screens make
// room first; past that, what does not fit is refused (Claim.Refused), never
// an entry already queued. At a second per entry, the last one waits about
// four minutes, within delivery's MaxAge.
const OutboxCap = 256

// replaceableKept is how many replaceable replies may wait behind the one
// being sent before the oldest are dropped for newer screens.
const replaceableKept = 6

// Options tunes a Store.
type Options struct {
	// Prefix starts every key; default "bsl".
	Prefix string
	// CacheSize is how many records are kept in memory, the last one
	// written or read per chat, so an ordinary step skips its Load.
	// 0 keeps none.
	CacheSize int
	// LeaseTTL is how long a sending lease lives unless renewed.
	LeaseTTL time.Duration
}

// Store is the Redis conversation store. It is safe for concurrent use.
type Store struct {
	c        redis.UniversalClient
	prefix   string
	cache    *cache // nil without a cache
	leaseTTL time.Duration
	now      func() time.Time // the clock Copy reads ages by
}

var _ conversation.Store = (*Store)(nil)

// New returns a store on c. Call Preload once at start-up.
func New(c redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = "bsl"
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 10 * time.Second
	}
	return &Store{c: c, prefix: opts.Prefix, cache: newCache(opts.CacheSize), leaseTTL: opts.LeaseTTL,
		now: time.Now}
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

// key names one of a chat's keys: "<prefix>:<kind>:{chat}".
func (s *Store) key(kind string, chat int64) string {
	return s.prefix + ":" + kind + ":{" + strconv.FormatInt(chat, 10) + "}"
}

// chatKeys are the keys the commit and ack scripts take, in their order.
func (s *Store) chatKeys(chat int64) []string {
	return []string{s.key("conv", chat), s.key("msgs", chat), s.key("out", chat), s.key("lease", chat), s.key("pace", chat),
		s.key("copy", chat)}
}

// Load returns the record of a chat, Rev 0 when nothing is stored. With a
// cache, a record already seen costs no round trip: if it is stale, the
// next Commit conflicts and brings the current one.
func (s *Store) Load(ctx context.Context, chat int64) (conversation.Record, error) {
	if r, ok := s.cache.get(chat); ok {
		return r, nil
	}
	vals, err := s.c.HMGet(ctx, s.key("conv", chat), fieldRev, fieldIDs, fieldState, fieldLink).Result()
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

// Reload is Load past the cache.
func (s *Store) Reload(ctx context.Context, chat int64) (conversation.Record, error) {
	s.cache.evict(chat)
	return s.Load(ctx, chat)
}

// SetAside moves an unreadable record out of the way for SetAsideTTL.
func (s *Store) SetAside(ctx context.Context, chat int64) error {
	s.cache.evict(chat)
	err := setAsideScript.Run(ctx, s.c, []string{s.key("conv", chat), s.key("bad", chat)},
		SetAsideTTL.Milliseconds()).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("set aside chat %d: %w", chat, err)
	}
	return nil
}

// KeyBytes reports what Redis says the chat's keys cost in memory (MEMORY
// USAGE), for the performance report. Missing keys count 0.
func (s *Store) KeyBytes(ctx context.Context, chat int64) (int64, error) {
	var total int64
	for _, k := range append(s.chatKeys(chat), s.key("bad", chat)) {
		n, err := s.c.MemoryUsage(ctx, k).Result()
		switch {
		case err == redis.Nil:
		case err != nil && isUnknownCommand(err):
			return 0, nil
		case err != nil:
			return 0, fmt.Errorf("memory usage of chat %d: %w", chat, err)
		}
		total += n
	}
	return total, nil
}
