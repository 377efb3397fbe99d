package redisstore

import (
	"slices"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// Journal keeps 48 hours, and lists ids as numbers ("9" before "10").
func TestJournalWindow(t *testing.T) {
	f := setup(t, Options{})
	c := commit(70, 0, 1, typicalState(), musts("a", "b"))
	c.IncomingID = 10
	res := mustCommit(t, f.store, c)
	ack := mustAck(t, f.store, 70, ownerA, res.Claim.Head, []int{9}, delivery.Pace{}, t0)

	later := t0.Add(JournalWindow - time.Minute)
	mustAck(t, f.store, 70, ownerA, ack.Next, []int{100}, delivery.Pace{}, later)
	if got := journal(t, f, 70, later); !slices.Equal(got, []int{9, 10, 100}) {
		t.Fatalf("journal within the window %v", got)
	}
	if got := journal(t, f, 70, t0.Add(JournalWindow+time.Second)); !slices.Equal(got, []int{100}) {
		t.Fatalf("journal past the window %v, want only the recent id", got)
	}
	if got := journal(t, f, 71, t0); len(got) != 0 {
		t.Fatalf("journal of an unknown chat %v", got)
	}
}

// However much one person sends, the journal keeps JournalCap ids, the
// newest.
func TestJournalIsBounded(t *testing.T) {
	f := setup(t, Options{})
	const batch = 100
	acks := JournalCap/batch + 5
	var rev int64
	id := 0
	now := t0
	for i := range acks {
		c := commit(72, rev, int64(i+1), typicalState(), musts("r"))
		c.Now = now
		res := mustCommit(t, f.store, c)
		rev = res.Rev
		sent := make([]int, batch)
		for j := range sent {
			id++
			sent[j] = id
		}
		mustAck(t, f.store, 72, ownerA, res.Claim.Head, sent, delivery.Pace{}, now)
		now = now.Add(time.Second)
	}
	got := journal(t, f, 72, now)
	if len(got) != JournalCap {
		t.Fatalf("journal holds %d ids after %d, want %d", len(got), id, JournalCap)
	}
	if got[0] != id-JournalCap+1 || got[len(got)-1] != id {
		t.Fatalf("journal keeps %d..%d, want the newest %d..%d", got[0], got[len(got)-1], id-JournalCap+1, id)
	}
	if n := f.rdb.ZCard(t.Context(), "bsl:msgs:{72}").Val(); n != JournalCap {
		t.Fatalf("msgs holds %d members, want %d", n, JournalCap)
	}
}
