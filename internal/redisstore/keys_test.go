package redisstore

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// Keys carry the prefix and the chat id as a hash tag, so a chat's keys
// share one Redis Cluster slot, where the scripts touching them together
// can run.
func TestKeysUsePrefixAndHashTag(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"bsl:bad:{123}", "bsl:conv:{124}", "bsl:lease:{124}", "bsl:msgs:{123}", "bsl:msgs:{124}", "bsl:out:{124}", "bsl:pace:{123}"}},
		{"tst", []string{"tst:bad:{123}", "tst:conv:{124}", "tst:lease:{124}", "tst:msgs:{123}", "tst:msgs:{124}", "tst:out:{124}", "tst:pace:{123}"}},
	} {
		f := setup(t, Options{Prefix: tc.prefix})
		c := commit(123, 0, 1, typicalState(), texts("r"))
		c.IncomingID = 1
		res := mustCommit(t, f.store, c)
		mustAck(t, f.store, 123, ownerA, res.Claim.Head, []int{2}, delivery.Pace{Interval: time.Second}, t0)
		if err := f.store.SetAside(ctx, 123); err != nil {
			t.Fatal(err)
		}
		c = commit(124, 0, 1, typicalState(), texts("r"))
		c.IncomingID = 1
		mustCommit(t, f.store, c)

		keys := allKeys(t, f)
		slices.Sort(keys)
		if !slices.Equal(keys, tc.want) {
			t.Errorf("prefix %q: keys %v, want %v", tc.prefix, keys, tc.want)
		}
		for _, k := range keys {
			if tag := hashTag(k); tag != "123" && tag != "124" {
				t.Errorf("key %s hashes on %q, not on the chat id", k, tag)
			}
			if chat, ok := chatOfKey(k); !ok || (chat != 123 && chat != 124) {
				t.Errorf("chatOfKey(%s) = %d %v", k, chat, ok)
			}
		}
	}
}

func TestChatOfKey(t *testing.T) {
	for key, want := range map[string]int64{
		"bsl:out:{42}":             42,
		"bsl:out:{-1001234567890}": -1001234567890,
		"a{b}:out:{7}":             7,
	} {
		if got, ok := chatOfKey(key); !ok || got != want {
			t.Errorf("chatOfKey(%q) = %d %v, want %d", key, got, ok, want)
		}
	}
	for _, key := range []string{"bsl:out:42", "bsl:out:{x}", "bsl:out:{42}x"} {
		if got, ok := chatOfKey(key); ok {
			t.Errorf("chatOfKey(%q) = %d, want no chat", key, got)
		}
	}
	if got := globEscape(`a*b?[c]\`); got != `a\*b\?\[c\]\\` {
		t.Errorf("globEscape = %q", got)
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
	res := mustCommit(t, f.store, commit(1234567890, 0, 987654321, typicalState(), texts("Bonjour")))
	mustAck(t, f.store, 1234567890, ownerA, res.Claim.Head, []int{42}, delivery.Pace{}, t0)
	n, err := f.store.KeyBytes(ctx, 1234567890)
	if err != nil {
		t.Fatal(err)
	}
	if n < 0 {
		t.Fatalf("KeyBytes = %d", n)
	}
	st, _ := f.rdb.HGet(ctx, "bsl:conv:{1234567890}", "st").Result()
	t.Logf("idle conversation: keys %d bytes (MEMORY USAGE), state JSON %d bytes", n, len(st))
	if n, _ := f.store.KeyBytes(ctx, 999); n != 0 {
		t.Fatalf("KeyBytes of a missing chat = %d, want 0", n)
	}
}
