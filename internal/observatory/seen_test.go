package observatory

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestWeekRotation: the week's key is shared by replicas, is gone once its
// week is over (plus a day), and the week's estimate stays.
func TestWeekRotation(t *testing.T) {
	m := miniredis.RunT(t) // the clock is moved forward: miniredis only
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), DB: testDB, DisableIdentity: true})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	a, b := NewRecorder(rdb, []byte("k")), NewRecorder(rdb, []byte("k"))

	mon := time.Date(2026, 11, 23, 8, 0, 0, 0, paris)
	for i := int64(0); i < 40; i++ {
		r := a
		if i%2 == 1 {
			r = b
		}
		if err := r.Seen(ctx, mon.Add(time.Duration(i)*time.Hour), 1000+i%30); err != nil {
			t.Fatal(err)
		}
	}
	week := "bsl:{obs}:k:2026-W48"
	key1, err := rdb.Get(ctx, week).Result()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := a.Read(ctx, mon, mon)
	if err != nil {
		t.Fatal(err)
	}
	// Two replicas, one key: 30 people, not 60.
	if n := tab.People["2026-W48"]; n < 29 || n > 31 {
		t.Fatalf("estimate %d, want about 30", n)
	}

	// Tuesday of the next week, past midnight: the key of W48 is gone.
	m.FastForward(8*24*time.Hour - 8*time.Hour + time.Minute)
	if rdb.Exists(ctx, week).Val() != 0 {
		t.Fatal("the key of a past week is still there")
	}
	tab, err = a.Read(ctx, mon, mon)
	if err != nil {
		t.Fatal(err)
	}
	if n := tab.People["2026-W48"]; n < 29 || n > 31 {
		t.Fatalf("estimate after rotation %d, want about 30", n)
	}

	// A new week, a new key: the same people hash differently, and are
	// counted again (a week's people are counted once in that week).
	next := time.Date(2026, 12, 1, 0, 1, 0, 0, paris)
	for i := int64(0); i < 30; i++ {
		if err := b.Seen(ctx, next, 1000+i); err != nil {
			t.Fatal(err)
		}
	}
	key2, err := rdb.Get(ctx, "bsl:{obs}:k:2026-W49").Result()
	if err != nil {
		t.Fatal(err)
	}
	if key2 == key1 {
		t.Fatal("the new week reuses the old key")
	}
	tab, err = a.Read(ctx, mon, next)
	if err != nil {
		t.Fatal(err)
	}
	if n := tab.People["2026-W49"]; n < 29 || n > 31 {
		t.Fatalf("W49: estimate %d, want about 30", n)
	}
}
