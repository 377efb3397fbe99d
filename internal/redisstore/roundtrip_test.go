package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// An ordinary step must cost two round trips (DESIGN §6): its Commit, with
// the Load served by the cache, and the Ack of its reply.
func TestRoundTrips(t *testing.T) {
	ctx := context.Background()
	for _, cacheSize := range []int{0, 100} {
		f := setup(t, Options{CacheSize: cacheSize})
		f.store.now = func() time.Time { return t0 }
		count := func(op func() error) int64 {
			t.Helper()
			f.trips.Reset()
			if err := op(); err != nil {
				t.Fatal(err)
			}
			return f.trips.N()
		}
		f.rdb.Ping(ctx) // open the connection outside the count

		// A first step, to warm the cache.
		c := commit(41, 0, 1, typicalState(), texts("r"))
		c.IncomingID = 1
		res := mustCommit(t, f.store, c)
		mustAck(t, f.store, 41, ownerA, res.Claim.Head, []int{2}, delivery.Pace{}, t0)

		// An ordinary step.
		var head string
		loadTrips := count(func() error {
			r, err := f.store.Load(ctx, 41)
			c = commit(41, r.Rev, 2, typicalState(), texts("r2"))
			return err
		})
		commitTrips := count(func() error {
			c.IncomingID = 3
			res, err := f.store.Commit(ctx, c)
			head = res.Claim.Head
			return err
		})
		ackTrips := count(func() error {
			_, err := f.store.Ack(ctx, 41, ownerA, head, []int{4}, delivery.Pace{}, t0)
			return err
		})
		claimTrips := count(func() error { _, err := f.store.Claim(ctx, 41, ownerA); return err })
		journalTrips := count(func() error { _, err := f.store.Journal(ctx, 41, t0); return err })

		wantLoad := int64(1)
		if cacheSize > 0 {
			wantLoad = 0
		}
		if head == "" || loadTrips != wantLoad || commitTrips != 1 || ackTrips != 1 || claimTrips != 1 || journalTrips != 1 {
			t.Errorf("cache %d: round trips load=%d commit=%d ack=%d claim=%d journal=%d (head %q), want %d 1 1 1 1",
				cacheSize, loadTrips, commitTrips, ackTrips, claimTrips, journalTrips, head, wantLoad)
		}
		t.Logf("cache %d: round trips load=%d commit=%d ack=%d claim=%d journal=%d",
			cacheSize, loadTrips, commitTrips, ackTrips, claimTrips, journalTrips)

		// A step that relays the person's message to their volunteer: a
		// copy to another chat, journaled there and mapped.
		r, err := f.store.Load(ctx, 41)
		if err != nil {
			t.Fatal(err)
		}
		relayed := delivery.Item{Kind: delivery.KindCopy, IDs: []int{5}, To: 4242, Must: true, At: t0.UnixMilli()}
		c = commit(41, r.Rev, 3, typicalState(), []delivery.Item{relayed})
		c.IncomingID = 5
		f.trips.Reset()
		res = mustCommit(t, f.store, c)
		mustAck(t, f.store, 41, ownerA, res.Claim.Head, []int{77}, delivery.Pace{}, t0)
		if n := f.trips.N(); n != 2 {
			t.Errorf("cache %d: a relayed step in %d round trips, want 2 (commit, ack)", cacheSize, n)
		}
		if _, id, ok, err := f.store.Copy(ctx, 41, 41, 5); err != nil || !ok || id != 77 {
			t.Errorf("cache %d: the relayed copy not mapped: %d %v %v", cacheSize, id, ok, err)
		}
	}
}
