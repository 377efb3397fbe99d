package redisstore

import (
	"context"
	"fmt"
	"time"
)

// Ack records, in one round trip, that the outbox of revision rev was sent
// as the messages sent. It clears the outbox only if rev is still the
// stored revision (a newer commit's outbox is not sent yet), never recreates
// an erased chat, and journals sent for /effacer in any case.
func (s *Store) Ack(ctx context.Context, chat, rev int64, sent []int, now time.Time) error {
	args := make([]any, 0, 4+len(sent))
	args = append(args, rev, now.Unix(), now.Add(-JournalWindow).Unix(), int64(JournalWindow/time.Second))
	for _, id := range sent {
		args = append(args, id)
	}
	if err := ackScript.Run(ctx, s.c, []string{s.convKey(chat), s.msgsKey(chat)}, args...).Err(); err != nil {
		return fmt.Errorf("ack revision %d of chat %d: %w", rev, chat, err)
	}
	s.cache.clearOutbox(chat, rev)
	return nil
}
