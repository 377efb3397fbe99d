package redisstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Journal lists the ids of the chat's messages, both directions, sent or
// received less than 48 hours before now, in ascending order: what /effacer
// can still delete in the chat itself. The messages journaled in other
// chats (relayed) are left out.
func (s *Store) Journal(ctx context.Context, chat int64, now time.Time) ([]int, error) {
	members, err := s.c.ZRangeByScore(ctx, s.key("msgs", chat), &redis.ZRangeBy{
		Min: strconv.FormatInt(now.Add(-JournalWindow).UnixMilli(), 10),
		Max: "+inf",
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("journal of chat %d: %w", chat, err)
	}
	ids := make([]int, 0, len(members))
	for _, m := range members {
		if strings.Contains(m, ":") {
			continue // "<other chat>:<id>"
		}
		id, err := strconv.Atoi(m)
		if err != nil {
			return nil, fmt.Errorf("journal of chat %d: %w", chat, ErrCorrupt)
		}
		ids = append(ids, id)
	}
	// Equal scores sort as strings in Redis ("10" before "9"): sort as numbers.
	slices.Sort(ids)
	return ids, nil
}
