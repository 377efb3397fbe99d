package redisstore

import (
	"context"
	"testing"
	"time"
)

// Every stored key must expire (DESIGN §10): write through every path,
// then check every key in the database.
func TestEveryKeyExpires(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()

	c := commit(21, 0, 1, typicalState(), outbox("r"))
	c.IncomingID = 3
	rev := mustCommit(t, f.store, c)
	if err := f.store.Ack(ctx, 21, rev, []int{4}, t0); err != nil {
		t.Fatal(err)
	}
	// A chat erased before its ack: only msgs is written.
	rev = mustCommit(t, f.store, commit(22, 0, 1, typicalState(), outbox("r")))
	if err := f.store.Forget(ctx, 22); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Ack(ctx, 22, rev, []int{5}, t0); err != nil {
		t.Fatal(err)
	}
	// A commit with no incoming message and no outbox.
	mustCommit(t, f.store, commit(23, 0, 0, typicalState(), nil))

	keys := allKeys(t, f)
	if len(keys) != 4 {
		t.Fatalf("keys %v, want conv+msgs of 21, msgs of 22, conv of 23", keys)
	}
	for _, k := range keys {
		if ttl := f.rdb.PTTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("key %s has no expiry (PTTL %v)", k, ttl)
		}
	}
}

func TestCommitRefreshesExpiry(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	c := commit(24, 0, 1, typicalState(), nil)
	c.TTL = time.Hour
	rev := mustCommit(t, f.store, c)
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{24}").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("PTTL %v after a 1 h commit", ttl)
	}
	c = commit(24, rev, 2, typicalState(), nil)
	c.TTL = 3 * time.Hour
	mustCommit(t, f.store, c)
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{24}").Val(); ttl <= 2*time.Hour {
		t.Fatalf("PTTL %v after a 3 h commit: not refreshed", ttl)
	}
}

func allKeys(t *testing.T, f fixture) []string {
	t.Helper()
	var keys []string
	iter := f.rdb.Scan(context.Background(), 0, "*", 1000).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}
