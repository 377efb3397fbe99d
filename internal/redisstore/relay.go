package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

var errNotBuilt = errors.New("redisstore: relay storage not built yet")

// Enqueue appends items to a chat's outbox without a step.
func (s *Store) Enqueue(ctx context.Context, chat int64, items []delivery.Item, owner string, now time.Time) (delivery.Claim, error) {
	return delivery.Claim{}, errNotBuilt
}

// Copy finds where a message was copied to by chat's outbox.
func (s *Store) Copy(ctx context.Context, chat, src int64, id int) (int64, int, bool, error) {
	return 0, 0, false, errNotBuilt
}
