package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// scanBatch is the SCAN COUNT hint: large enough to walk a million keys in
// a thousand round trips, small enough not to stall Redis.
const scanBatch = 1000

// Pending lists up to limit chats (all when limit <= 0) whose outbox was
// never acknowledged: what a crash left unsent. It walks every conv key, so
// it runs once at start-up, not per step.
func (s *Store) Pending(ctx context.Context, limit int) ([]int64, error) {
	p := &pendingScan{limit: limit}
	var err error
	if cc, ok := s.c.(*redis.ClusterClient); ok {
		// SCAN sees one node only: walk every primary.
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			return s.scanPending(ctx, c, p)
		})
	} else {
		err = s.scanPending(ctx, s.c, p)
	}
	if err != nil {
		return nil, fmt.Errorf("list pending chats: %w", err)
	}
	return p.chats, nil
}

// pendingScan gathers results, possibly from several nodes at once.
type pendingScan struct {
	mu    sync.Mutex
	limit int
	chats []int64
}

// add keeps chat and reports whether more are wanted.
func (p *pendingScan) add(chat int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit > 0 && len(p.chats) >= p.limit {
		return false
	}
	p.chats = append(p.chats, chat)
	return p.limit <= 0 || len(p.chats) < p.limit
}

func (p *pendingScan) full() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit > 0 && len(p.chats) >= p.limit
}

// scanPending walks the conv keys of one node, asking HEXISTS ob for each
// batch in one pipeline.
func (s *Store) scanPending(ctx context.Context, c redis.Cmdable, p *pendingScan) error {
	match := globEscape(s.prefix) + ":conv:*"
	var cursor uint64
	for {
		keys, next, err := c.Scan(ctx, cursor, match, scanBatch).Result()
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			pipe := c.Pipeline()
			exists := make([]*redis.BoolCmd, len(keys))
			for i, k := range keys {
				exists[i] = pipe.HExists(ctx, k, fieldOutbox)
			}
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
			for i, k := range keys {
				if !exists[i].Val() {
					continue
				}
				chat, ok := chatOfKey(k)
				if !ok {
					continue // not one of ours, though it matched
				}
				if !p.add(chat) {
					return nil
				}
			}
		}
		if next == 0 || p.full() {
			return nil
		}
		cursor = next
	}
}

// chatOfKey reads the chat id in the hash tag of "<prefix>:conv:{chat}".
func chatOfKey(key string) (int64, bool) {
	open := strings.LastIndexByte(key, '{')
	if open < 0 || !strings.HasSuffix(key, "}") {
		return 0, false
	}
	chat, err := strconv.ParseInt(key[open+1:len(key)-1], 10, 64)
	return chat, err == nil
}

// globEscape quotes the characters SCAN MATCH would read as a pattern.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
