package redisstore

import (
	"context"
	"slices"
	"testing"
)

func TestPending(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	revs := map[int64]int64{}
	for _, chat := range []int64{1, 2, 3, -1001234} {
		var ob = outbox("r")
		if chat == 2 {
			ob = nil
		}
		revs[chat] = mustCommit(t, f.store, commit(chat, 0, 1, typicalState(), ob))
	}
	// Someone else's keys, and ours under another prefix, are not listed.
	f.rdb.HSet(ctx, "other:conv:{4}", "ob", "[]")
	other := New(f.rdb, Options{Prefix: "tst"})
	mustCommit(t, other, commit(5, 0, 1, typicalState(), outbox("r")))

	got := pending(t, f.store, 0)
	if want := []int64{-1001234, 1, 3}; !slices.Equal(got, want) {
		t.Fatalf("pending = %v, want %v", got, want)
	}
	if err := f.store.Ack(ctx, 1, revs[1], []int{9}, t0); err != nil {
		t.Fatal(err)
	}
	if got, want := pending(t, f.store, 0), []int64{-1001234, 3}; !slices.Equal(got, want) {
		t.Fatalf("pending after an ack = %v, want %v", got, want)
	}
	if got := pending(t, f.store, 1); len(got) != 1 {
		t.Fatalf("pending with limit 1 = %v", got)
	}
}

func pending(t *testing.T, s *Store, limit int) []int64 {
	t.Helper()
	got, err := s.Pending(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}
