package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/delivery"
)

// Limiter is the global sending rate shared by every replica: a GCRA in
// Redis (go-redis/redis_rate), one round trip per message.
type Limiter struct {
	l     *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
}

var _ delivery.Limiter = (*Limiter)(nil)

// NewLimiter allows perSecond messages a second across every replica using
// the same Redis and prefix, in bursts of at most burst.
func NewLimiter(c redis.UniversalClient, prefix string, perSecond float64, burst int) *Limiter {
	if prefix == "" {
		prefix = "bsl"
	}
	// redis_rate counts whole events per period: a fractional rate is
	// expressed per minute.
	lim := redis_rate.Limit{Rate: int(perSecond), Period: time.Second, Burst: max(burst, 1)}
	if perSecond != float64(int(perSecond)) || perSecond < 1 {
		lim = redis_rate.Limit{Rate: max(int(perSecond*60), 1), Period: time.Minute, Burst: max(burst, 1)}
	}
	return &Limiter{l: redis_rate.NewLimiter(c), key: prefix + ":send", limit: lim}
}

// Take asks for one message of the shared budget.
func (l *Limiter) Take(ctx context.Context) (time.Duration, error) {
	res, err := l.l.Allow(ctx, l.key, l.limit)
	if err != nil {
		return 0, fmt.Errorf("global send rate: %w", err)
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}
