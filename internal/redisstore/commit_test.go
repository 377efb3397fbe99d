package redisstore

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
)

func TestCommitLoadRoundTrip(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()

	if r := mustLoad(t, f.store, 42); !reflect.DeepEqual(r, conversation.Record{}) {
		t.Fatalf("load of an unknown chat = %+v, want a blank record", r)
	}

	st := typicalState()
	ob := outbox("Bonjour", "Qui êtes-vous ?")
	rev := mustCommit(t, f.store, commit(42, 0, 100, st, ob))
	if rev <= 0 {
		t.Fatalf("first revision %d, want > 0", rev)
	}
	want := conversation.Record{State: st, Outbox: ob, LastUpdate: 100, Rev: rev}
	if got := mustLoad(t, f.store, 42); !reflect.DeepEqual(got, want) {
		t.Fatalf("load = %+v\nwant  %+v", got, want)
	}

	// The next step: rev+1, no outbox, an internal step keeps upd.
	st.Steps++
	rev2 := mustCommit(t, f.store, commit(42, rev, 0, st, nil))
	if rev2 != rev+1 {
		t.Fatalf("second revision %d, want %d", rev2, rev+1)
	}
	want = conversation.Record{State: st, LastUpdate: 100, Rev: rev2}
	if got := mustLoad(t, f.store, 42); !reflect.DeepEqual(got, want) {
		t.Fatalf("load = %+v\nwant  %+v", got, want)
	}
	if n, _ := f.rdb.HExists(ctx, "bsl:conv:{42}", "ob").Result(); n {
		t.Fatal("an empty outbox left the ob field in place")
	}
}

func TestCommitRefusesNoExpiry(t *testing.T) {
	f := setup(t, Options{})
	c := commit(42, 0, 1, typicalState(), nil)
	c.TTL = 0
	if _, err := f.store.Commit(context.Background(), c); err == nil {
		t.Fatal("a commit without retention was accepted: its key would never expire")
	}
	if n := f.rdb.Exists(context.Background(), "bsl:conv:{42}").Val(); n != 0 {
		t.Fatal("the refused commit wrote a key")
	}
}

func TestCommitConflict(t *testing.T) {
	f := setup(t, Options{})
	rev := mustCommit(t, f.store, commit(7, 0, 1, typicalState(), nil))

	a := typicalState()
	a.Node = "a"
	b := typicalState()
	b.Node = "b"
	won := mustCommit(t, f.store, commit(7, rev, 2, a, outbox("A")))
	res, err := f.store.Commit(context.Background(), commit(7, rev, 3, b, outbox("B")))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != conversation.Conflict {
		t.Fatalf("second commit from the same revision: %v, want Conflict", res.Status)
	}
	want := conversation.Record{State: a, Outbox: outbox("A"), LastUpdate: 2, Rev: won}
	if !reflect.DeepEqual(res.Current, want) {
		t.Fatalf("conflict current = %+v\nwant %+v", res.Current, want)
	}
}

func TestCommitConflictConcurrent(t *testing.T) {
	for _, cacheSize := range []int{0, 100} {
		f := setup(t, Options{CacheSize: cacheSize})
		rev := mustCommit(t, f.store, commit(9, 0, 1, typicalState(), nil))

		const n = 20
		results := make([]conversation.CommitResult, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				st := typicalState()
				st.Steps = 100 + i
				// Internal steps (no update id): only the revision decides.
				res, err := f.store.Commit(context.Background(), commit(9, rev, 0, st, nil))
				if err != nil {
					t.Error(err)
				}
				results[i] = res
			})
		}
		wg.Wait()

		winner := -1
		for i, r := range results {
			if r.Status == conversation.Committed {
				if winner >= 0 {
					t.Fatalf("cache %d: goroutines %d and %d both committed from revision %d", cacheSize, winner, i, rev)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("cache %d: no goroutine committed", cacheSize)
		}
		for i, r := range results {
			if i == winner {
				continue
			}
			if r.Status != conversation.Conflict {
				t.Fatalf("cache %d: loser %d got %v, want Conflict", cacheSize, i, r.Status)
			}
			if r.Current.Rev != rev+1 || r.Current.State.Steps != 100+winner {
				t.Fatalf("cache %d: loser %d saw rev %d steps %d, want the winner's (rev %d steps %d)",
					cacheSize, i, r.Current.Rev, r.Current.State.Steps, rev+1, 100+winner)
			}
		}
		if got := mustLoad(t, f.store, 9); got.State.Steps != 100+winner {
			t.Fatalf("cache %d: stored steps %d, want the winner's %d", cacheSize, got.State.Steps, 100+winner)
		}
	}
}

func TestCommitDuplicate(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	st := typicalState()
	rev := mustCommit(t, f.store, commit(5, 0, 50, st, outbox("Réponse")))
	stored := f.rdb.HGetAll(ctx, "bsl:conv:{5}").Val()

	other := typicalState()
	other.Node = "ailleurs"
	for _, c := range []conversation.Commit{
		commit(5, rev, 50, other, nil), // redelivered, from the current rev
		commit(5, 0, 50, other, nil),   // redelivered, from the rev before it
		commit(5, rev, 49, other, nil), // an older update
	} {
		res, err := f.store.Commit(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != conversation.Duplicate {
			t.Fatalf("update %d from rev %d: %v, want Duplicate", c.UpdateID, c.Rev, res.Status)
		}
		want := conversation.Record{State: st, Outbox: outbox("Réponse"), LastUpdate: 50, Rev: rev}
		if !reflect.DeepEqual(res.Current, want) {
			t.Fatalf("duplicate current = %+v\nwant %+v", res.Current, want)
		}
		if got := f.rdb.HGetAll(ctx, "bsl:conv:{5}").Val(); !reflect.DeepEqual(got, stored) {
			t.Fatalf("a duplicate wrote: %v, was %v", got, stored)
		}
	}

	// Internal steps carry no update id and are never duplicates.
	if r := mustCommit(t, f.store, commit(5, rev, 0, other, nil)); r != rev+1 {
		t.Fatalf("internal step: rev %d, want %d", r, rev+1)
	}
}

// A revision read before an erasure must not match one written after it,
// or a slow step (or a stale cache on another replica) would bring back
// what the person erased.
func TestRevisionNotReusedAfterForget(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	old := mustCommit(t, f.store, commit(3, 0, 1, typicalState(), nil))
	if err := f.store.Forget(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rev := int64(0)
	for i := range 3 {
		c := commit(3, rev, int64(10+i), typicalState(), nil)
		c.Now = t0.Add(time.Minute)
		rev = mustCommit(t, f.store, c)
	}
	res, err := f.store.Commit(ctx, commit(3, old, 20, typicalState(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != conversation.Conflict {
		t.Fatalf("commit from a revision read before the erasure: %v, want Conflict", res.Status)
	}
}
