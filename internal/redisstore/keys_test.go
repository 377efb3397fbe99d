package redisstore

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// Keys carry the prefix and the chat id as a hash tag, so a chat's keys
// share one Redis Cluster slot.
func TestKeysUsePrefixAndHashTag(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"bsl:conv:{123}", "bsl:msgs:{123}"}},
		{"tst", []string{"tst:conv:{123}", "tst:msgs:{123}"}},
	} {
		f := setup(t, Options{Prefix: tc.prefix})
		c := commit(123, 0, 1, typicalState(), nil)
		c.IncomingID = 1
		mustCommit(t, f.store, c)
		keys := allKeys(t, f)
		slices.Sort(keys)
		if !slices.Equal(keys, tc.want) {
			t.Errorf("prefix %q: keys %v, want %v", tc.prefix, keys, tc.want)
		}
		for _, k := range keys {
			if tag := hashTag(k); tag != "123" {
				t.Errorf("key %s hashes on %q, not on the chat id", k, tag)
			}
		}
	}
}

// hashTag is the part of key Redis Cluster hashes, by its rule: between the
// first "{" and the next "}", if not empty; else the whole key.
func hashTag(key string) string {
	_, after, ok := strings.Cut(key, "{")
	if !ok {
		return key
	}
	tag, _, ok := strings.Cut(after, "}")
	if !ok || tag == "" {
		return key
	}
	return tag
}

// The bytes an idle conversation costs: a person five steps into a flow,
// outbox sent. Logged for docs/performance.md; MEMORY USAGE is only
// meaningful on a real Redis.
func TestKeyBytes(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	rev := mustCommit(t, f.store, commit(1234567890, 0, 987654321, typicalState(), outbox("Bonjour")))
	if err := f.store.Ack(ctx, 1234567890, rev, []int{42}, t0); err != nil {
		t.Fatal(err)
	}
	n, err := f.store.KeyBytes(ctx, 1234567890)
	if err != nil {
		t.Fatal(err)
	}
	if n < 0 {
		t.Fatalf("KeyBytes = %d", n)
	}
	st, _ := f.rdb.HGet(ctx, "bsl:conv:{1234567890}", "st").Result()
	t.Logf("idle conversation: conv key %d bytes (MEMORY USAGE), state JSON %d bytes", n, len(st))
	if n, _ := f.store.KeyBytes(ctx, 999); n != 0 {
		t.Fatalf("KeyBytes of a missing chat = %d, want 0", n)
	}
}
