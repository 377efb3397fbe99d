package redisstore

import (
	"context"
	"errors"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
)

func TestSetAside(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()
	res := mustCommit(t, f.store, commit(60, 0, 1, typicalState(), nil))
	stored := f.rdb.HGetAll(ctx, "bsl:conv:{60}").Val()
	mustLoad(t, f.store, 60) // cached

	if err := f.store.SetAside(ctx, 60); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, "bsl:conv:{60}").Val(); n != 0 {
		t.Fatal("conv still there after SetAside")
	}
	if got := f.rdb.HGetAll(ctx, "bsl:bad:{60}").Val(); len(got) != len(stored) || got["st"] != stored["st"] {
		t.Fatalf("set aside %v, want %v", got, stored)
	}
	if ttl := f.rdb.PTTL(ctx, "bsl:bad:{60}").Val(); ttl <= 0 || ttl > SetAsideTTL {
		t.Fatalf("bad PTTL %v, want (0, %v]", ttl, SetAsideTTL)
	}
	if r := mustLoad(t, f.store, 60); r.Rev != 0 {
		t.Fatalf("load after SetAside: rev %d, want 0 (not the cached %d)", r.Rev, res.Rev)
	}
	mustCommit(t, f.store, commit(60, 0, 2, typicalState(), texts("On recommence.")))

	// Nothing to set aside is not an error.
	if err := f.store.SetAside(ctx, 61); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, "bsl:bad:{61}").Val(); n != 0 {
		t.Fatal("SetAside of nothing wrote a key")
	}
}

func TestLoadCorrupt(t *testing.T) {
	ctx := context.Background()
	for name, fields := range map[string][]any{
		"state": {"rev", "5", "ids", "1", "st", "{pas du json"},
		"rev":   {"rev", "cinq", "ids", "1", "st", "{}"},
		"ids":   {"rev", "5", "ids", "1 x 3", "st", "{}"},
		"link":  {"rev", "5", "ids", "1", "st", "{}", "lk", `{"t":"douze"}`},
	} {
		f := setup(t, Options{CacheSize: 10})
		if err := f.rdb.HSet(ctx, "bsl:conv:{62}", fields...).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := f.store.Load(ctx, 62)
		if !errors.Is(err, conversation.ErrCorrupt) {
			t.Fatalf("%s: load of a corrupt record: %v, want ErrCorrupt", name, err)
		}
		// A commit on it reports it too (the script reads an unreadable rev
		// as 0, a blank record: only a bad state or bad ids reach the
		// decoder), and nothing is cached.
		_, err = f.store.Commit(ctx, commit(62, 1, 2, typicalState(), nil))
		if name != "rev" && !errors.Is(err, conversation.ErrCorrupt) {
			t.Fatalf("%s: commit on a corrupt record: %v, want ErrCorrupt", name, err)
		}
		if _, ok := f.store.cache.get(62); ok && name != "rev" {
			t.Fatalf("%s: a corrupt record was cached", name)
		}
		// Set aside, the conversation starts afresh.
		if err := f.store.SetAside(ctx, 62); err != nil {
			t.Fatal(err)
		}
		if r := mustLoad(t, f.store, 62); r.Rev != 0 {
			t.Fatalf("%s: rev %d after SetAside", name, r.Rev)
		}
	}
}
