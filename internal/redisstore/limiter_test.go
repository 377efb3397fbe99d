package redisstore

import (
	"context"
	"testing"

	"github.com/boussole/boussole/internal/redistest"
)

// The global rate grants a burst, then asks to wait.
func TestLimiterTake(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx := context.Background()
	for _, tc := range []struct {
		perSecond float64
		burst     int
	}{{1, 3}, {0.5, 2}} {
		l := NewLimiter(rdb, "lim", tc.perSecond, tc.burst)
		rdb.FlushDB(ctx)
		for i := range tc.burst {
			wait, err := l.Take(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if wait != 0 {
				t.Fatalf("%v/s: take %d of a burst of %d: wait %v, want granted", tc.perSecond, i+1, tc.burst, wait)
			}
		}
		wait, err := l.Take(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wait <= 0 {
			t.Fatalf("%v/s: take past the burst of %d granted, want a wait", tc.perSecond, tc.burst)
		}
		keys := rdb.Keys(ctx, "*").Val()
		if len(keys) != 1 || keys[0] != "rate:lim:send" {
			t.Fatalf("limiter keys %v", keys)
		}
		if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 {
			t.Fatalf("limiter key PTTL %v: it never expires", ttl)
		}
	}
}
