package redisstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/delivery"
)

// Limiter is the global sending rate shared by every replica: a GCRA in
// Redis (go-redis/redis_rate). Under load it takes a few messages of the
// budget at once (at most a burst, held briefly), so a message costs a
// fraction of a round trip rather than one.
type Limiter struct {
	l     *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
	batch int           // most messages taken at once
	life  time.Duration // how long taken messages stay usable

	mu     sync.Mutex
	tokens int
	until  time.Time
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
	// Held messages are used within the time the rate would give them:
	// a replica never sits on the budget longer than a burst lasts.
	batch := max(burst, 1)
	life := time.Duration(float64(batch) / max(perSecond, 0.001) * float64(time.Second))
	return &Limiter{l: redis_rate.NewLimiter(c), key: prefix + ":send", limit: lim, batch: batch, life: life}
}

// Take asks for one message of the shared budget: from the messages this
// replica took a moment ago, or from Redis, taking up to a burst.
func (l *Limiter) Take(ctx context.Context) (time.Duration, error) {
	now := time.Now()
	l.mu.Lock()
	if l.tokens > 0 && now.Before(l.until) {
		l.tokens--
		l.mu.Unlock()
		return 0, nil
	}
	l.mu.Unlock()
	res, err := l.l.AllowAtMost(ctx, l.key, l.limit, l.batch)
	if err != nil {
		return 0, fmt.Errorf("global send rate: %w", err)
	}
	if res.Allowed > 0 {
		l.mu.Lock()
		l.tokens, l.until = res.Allowed-1, now.Add(l.life)
		l.mu.Unlock()
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}
