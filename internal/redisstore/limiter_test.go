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

// Under load a replica takes a burst of the budget in one round trip, and
// what it holds is the others' wait: the rate stays shared.
func TestLimiterTakesABurstInOneRoundTrip(t *testing.T) {
	rdb := redistest.New(t, testDB)
	var trips redistest.Counter
	rdb.AddHook(&trips)
	ctx := context.Background()
	a, b := NewLimiter(rdb, "lim", 30, 6), NewLimiter(rdb, "lim", 30, 6)
	// The first call loads the GCRA script into Redis: not the limiter's cost.
	if _, err := NewLimiter(rdb, "warm", 30, 6).Take(ctx); err != nil {
		t.Fatal(err)
	}
	trips.Reset()
	for i := range 5 { // GCRA grants a burst of 6 as 5 at once, then one per interval
		if wait, err := a.Take(ctx); err != nil || wait != 0 {
			t.Fatalf("take %d: %v %v", i+1, wait, err)
		}
	}
	if n := trips.N(); n != 1 {
		t.Errorf("5 messages of a burst cost %d round trips, want 1", n)
	}
	if wait, err := b.Take(ctx); err != nil || wait <= 0 {
		t.Errorf("another replica was granted a message of the burst already taken: %v %v", wait, err)
	}
}
