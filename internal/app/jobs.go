package app

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/scheduler"
)

// newScheduler registers the scheduled jobs; each firing runs on one
// replica, under a lock in Redis.
func newScheduler(cfg config.Config, rdb redis.UniversalClient, owner string, desk *handoff.Desk,
	log zerolog.Logger) (*scheduler.Scheduler, error) {
	lock := func(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
		return redisstore.Lock(ctx, rdb, name, owner, ttl)
	}
	s := scheduler.New(scheduler.Config{Owner: owner}, lock, log)
	if desk != nil {
		if err := s.Add(cfg.Jobs["idle-tickets"], handoff.IdleJob{Desk: desk, After: cfg.TicketIdle}, 5*time.Minute); err != nil {
			return nil, err
		}
	}
	return s, nil
}
