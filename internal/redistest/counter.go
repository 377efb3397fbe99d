package redistest

import (
	"context"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Counter is a go-redis hook that counts round trips: one per command sent
// on its own, one per pipeline (or transaction) sent as a whole. Tests use
// it to hold the store to its round-trip budget.
//
//	var n redistest.Counter
//	client.AddHook(&n)
type Counter struct {
	n atomic.Int64
}

var _ redis.Hook = (*Counter)(nil)

// Reset sets the count back to zero.
func (c *Counter) Reset() { c.n.Store(0) }

// N returns the round trips counted since the last Reset.
func (c *Counter) N() int64 { return c.n.Load() }

// DialHook counts nothing: opening a connection is not a step's cost.
func (c *Counter) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts one round trip per command.
func (c *Counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts one round trip per pipeline, whatever it holds.
func (c *Counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}
