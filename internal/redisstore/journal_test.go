package redisstore

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestJournalBothDirectionsWithin48h(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	old := t0.Add(-50 * time.Hour)
	recent := t0.Add(-time.Hour)

	// The person's message 5, 50 h ago, and the bot's reply 6.
	c := commit(11, 0, 1, typicalState(), outbox("r"))
	c.IncomingID, c.Now = 5, old
	rev := mustCommit(t, f.store, c)
	if err := f.store.Ack(ctx, 11, rev, []int{6}, old); err != nil {
		t.Fatal(err)
	}
	// Message 9 an hour ago; replies 10 and 11 now (ids sort as numbers).
	c = commit(11, rev, 2, typicalState(), outbox("r"))
	c.IncomingID, c.Now = 9, recent
	rev = mustCommit(t, f.store, c)
	if err := f.store.Ack(ctx, 11, rev, []int{11, 10}, t0); err != nil {
		t.Fatal(err)
	}

	ids, err := f.store.Journal(ctx, 11, t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{9, 10, 11}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("journal = %v, want %v", ids, want)
	}
	// Ids older than 48 h were trimmed on write, not only hidden on read.
	if n := f.rdb.ZCard(ctx, "bsl:msgs:{11}").Val(); n != 3 {
		t.Fatalf("msgs holds %d ids, want 3 (older ones trimmed)", n)
	}
	// Exactly 48 h old is still in; a second more is out.
	if ids, _ := f.store.Journal(ctx, 11, recent.Add(JournalWindow)); !reflect.DeepEqual(ids, []int{9, 10, 11}) {
		t.Fatalf("journal at the edge = %v", ids)
	}
	if ids, _ := f.store.Journal(ctx, 11, recent.Add(JournalWindow+time.Second)); !reflect.DeepEqual(ids, []int{10, 11}) {
		t.Fatalf("journal past the edge = %v", ids)
	}
	if ids, _ := f.store.Journal(ctx, 12, t0); len(ids) != 0 {
		t.Fatalf("journal of an unknown chat = %v", ids)
	}
}

func TestForgetDeletesBothKeys(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()
	c := commit(13, 0, 1, typicalState(), outbox("r"))
	c.IncomingID = 77
	mustCommit(t, f.store, c)

	if err := f.store.Forget(ctx, 13); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, "bsl:conv:{13}", "bsl:msgs:{13}").Val(); n != 0 {
		t.Fatalf("%d keys left after Forget", n)
	}
	if r := mustLoad(t, f.store, 13); r.Rev != 0 {
		t.Fatalf("load after Forget: rev %d from the cache, want 0", r.Rev)
	}
}
