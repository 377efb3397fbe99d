package redisstore

import (
	"context"
	"testing"
)

// An ordinary step must cost two round trips (DESIGN §6): Commit and Ack,
// with the Load served by the cache.
func TestRoundTrips(t *testing.T) {
	ctx := context.Background()
	count := func(f fixture, op func() error) int64 {
		t.Helper()
		f.trips.Reset()
		if err := op(); err != nil {
			t.Fatal(err)
		}
		return f.trips.N()
	}
	for _, cacheSize := range []int{0, 100} {
		f := setup(t, Options{CacheSize: cacheSize})
		f.rdb.Ping(ctx) // open the connection outside the count

		var rev int64
		commitTrips := count(f, func() error {
			c := commit(41, 0, 1, typicalState(), outbox("r"))
			c.IncomingID = 1
			res, err := f.store.Commit(ctx, c)
			rev = res.Rev
			return err
		})
		ackTrips := count(f, func() error { return f.store.Ack(ctx, 41, rev, []int{2}, t0) })
		loadTrips := count(f, func() error { _, err := f.store.Load(ctx, 41); return err })
		journalTrips := count(f, func() error { _, err := f.store.Journal(ctx, 41, t0); return err })
		forgetTrips := count(f, func() error { return f.store.Forget(ctx, 41) })

		wantLoad := int64(1)
		if cacheSize > 0 {
			wantLoad = 0
		}
		if commitTrips != 1 || ackTrips != 1 || loadTrips != wantLoad || journalTrips != 1 || forgetTrips != 1 {
			t.Errorf("cache %d: round trips commit=%d ack=%d load=%d journal=%d forget=%d, want 1 1 %d 1 1",
				cacheSize, commitTrips, ackTrips, loadTrips, journalTrips, forgetTrips, wantLoad)
		}
		t.Logf("cache %d: round trips commit=%d ack=%d load=%d journal=%d forget=%d",
			cacheSize, commitTrips, ackTrips, loadTrips, journalTrips, forgetTrips)
	}
}
