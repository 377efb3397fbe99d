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

	rev := mustCommit(t, f.store, commit(31, 0, 1, typicalState(), nil))
	theirs := typicalState()
	theirs.Node = "autre_replique"
	theirRev := mustCommit(t, replica, commit(31, rev, 2, theirs, outbox("leur")))

	stale := mustLoad(t, f.store, 31)
	if stale.Rev != rev {
		t.Fatalf("cached load rev %d, want the stale %d (served from the cache)", stale.Rev, rev)
	}
	res, err := f.store.Commit(ctx, commit(31, stale.Rev, 3, typicalState(), nil))
	if err != nil {
		t.Fatal(err)
	}
	want := conversation.Record{State: theirs, Outbox: outbox("leur"), LastUpdate: 2, Rev: theirRev}
	if res.Status != conversation.Conflict || !reflect.DeepEqual(res.Current, want) {
		t.Fatalf("commit from a stale cache: %v %+v\nwant Conflict %+v", res.Status, res.Current, want)
	}

	// The cache now holds the current record: the retry goes through.
	f.trips.Reset()
	cur := mustLoad(t, f.store, 31)
	if n := f.trips.N(); n != 0 || !reflect.DeepEqual(cur, want) {
		t.Fatalf("load after the conflict: %d round trips, %+v", n, cur)
	}
	mustCommit(t, f.store, commit(31, cur.Rev, 3, typicalState(), nil))
}

func TestCacheDuplicateAndAck(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()
	rev := mustCommit(t, f.store, commit(32, 0, 7, typicalState(), outbox("r")))

	res, err := f.store.Commit(ctx, commit(32, rev, 7, typicalState(), nil))
	if err != nil || res.Status != conversation.Duplicate {
		t.Fatalf("redelivered update: %v %v", res.Status, err)
	}
	if err := f.store.Ack(ctx, 32, rev, []int{1}, t0); err != nil {
		t.Fatal(err)
	}
	if r := mustLoad(t, f.store, 32); len(r.Outbox) != 0 || r.Rev != rev {
		t.Fatalf("cached record after ack: rev %d outbox %v", r.Rev, r.Outbox)
	}
}

// The cache hands out copies: what a caller does with a record never
// changes what the next Load returns.
func TestCacheIsolatesCallers(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	c := commit(33, 0, 1, typicalState(), outbox("r"))
	mustCommit(t, f.store, c)
	c.Record.State.Vars["qui"] = "changé"
	c.Record.Outbox[0].Buttons[0][0].Label = "changé"

	r := mustLoad(t, f.store, 33)
	r.State.History[0] = "changé"
	r.State.Vars["arr"] = "changé"

	if again := mustLoad(t, f.store, 33); !reflect.DeepEqual(again.State, typicalState()) || !reflect.DeepEqual(again.Outbox, outbox("r")) {
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
