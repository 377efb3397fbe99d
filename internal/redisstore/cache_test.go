package redisstore

import (
	"context"
	"reflect"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
)

// Another replica writes behind the cache's back: the cached store's next
// commit conflicts and brings back what that replica wrote.
func TestCacheRecoversFromStaleEntry(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()
	replica := New(f.rdb, Options{})

	rev := mustCommit(t, f.store, commit(31, 0, 1, typicalState(), nil)).Rev
	theirs := typicalState()
	theirs.Node = "autre_replique"
	c := commit(31, rev, 2, theirs, texts("leur"))
	c.Owner = ownerB
	theirRev := mustCommit(t, replica, c).Rev

	stale := mustLoad(t, f.store, 31)
	if stale.Rev != rev {
		t.Fatalf("cached load rev %d, want the stale %d (served from the cache)", stale.Rev, rev)
	}
	res, err := f.store.Commit(ctx, commit(31, stale.Rev, 3, typicalState(), texts("le mien")))
	if err != nil {
		t.Fatal(err)
	}
	want := conversation.Record{State: theirs, Recent: []int64{1, 2}, Rev: theirRev}
	if res.Status != conversation.Conflict || !reflect.DeepEqual(res.Current, want) {
		t.Fatalf("commit from a stale cache: %v %+v\nwant Conflict %+v", res.Status, res.Current, want)
	}
	if n := len(queue(t, f, 31)); n != 1 {
		t.Fatalf("%d entries queued: the stale commit queued its replies", n)
	}

	// The cache now holds the current record: the retry goes through.
	f.trips.Reset()
	cur := mustLoad(t, f.store, 31)
	if n := f.trips.N(); n != 0 || !reflect.DeepEqual(cur, want) {
		t.Fatalf("load after the conflict: %d round trips, %+v", n, cur)
	}
	mustCommit(t, f.store, commit(31, cur.Rev, 3, typicalState(), nil))
}

// A duplicate brings the current record into the cache as well.
func TestCacheDuplicate(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()
	replica := New(f.rdb, Options{})
	rev := mustCommit(t, f.store, commit(32, 0, 7, typicalState(), texts("r"))).Rev
	rev = mustCommit(t, replica, commit(32, rev, 8, typicalState(), nil)).Rev

	res, err := f.store.Commit(ctx, commit(32, rev-1, 8, typicalState(), nil))
	if err != nil || res.Status != conversation.Duplicate {
		t.Fatalf("redelivered update: %v %v", res.Status, err)
	}
	if r := mustLoad(t, f.store, 32); r.Rev != rev {
		t.Fatalf("cached record after a duplicate: rev %d, want %d", r.Rev, rev)
	}
}

// The cache hands out copies: what a caller does with a record never
// changes what the next Load returns.
func TestCacheIsolatesCallers(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	c := commit(33, 0, 1, typicalState(), texts("r"))
	mustCommit(t, f.store, c)
	c.State.Vars["qui"] = "changé"
	c.State.History[1] = "changé"

	r := mustLoad(t, f.store, 33)
	r.State.History[0] = "changé"
	r.State.Vars["arr"] = "changé"
	r.Recent[0] = 99

	if again := mustLoad(t, f.store, 33); !reflect.DeepEqual(again.State, typicalState()) || again.Recent[0] != 1 {
		t.Fatalf("cached record changed by a caller: %+v", again)
	}
}

func TestCacheIsBounded(t *testing.T) {
	f := setup(t, Options{CacheSize: 2})
	for chat := int64(1); chat <= 3; chat++ {
		mustCommit(t, f.store, commit(chat, 0, 1, typicalState(), nil))
	}
	f.trips.Reset()
	mustLoad(t, f.store, 3)
	mustLoad(t, f.store, 2)
	if n := f.trips.N(); n != 0 {
		t.Fatalf("recent chats cost %d round trips, want 0", n)
	}
	mustLoad(t, f.store, 1)
	if n := f.trips.N(); n != 1 {
		t.Fatalf("the least recent chat cost %d round trips, want 1 (evicted)", n)
	}
	if n := f.store.cache.order.Len(); n != 2 {
		t.Fatalf("cache holds %d records, want 2", n)
	}
}
