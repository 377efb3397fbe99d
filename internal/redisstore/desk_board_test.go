package redisstore

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

func cardEntry(id int64) string   { return "card:" + strconv.FormatInt(id, 10) }
func remindEntry(id int64) string { return "remind:" + strconv.FormatInt(id, 10) }

// Many changes to a ticket make one entry, at the time of the first.
func TestDeskBoardCoalesces(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	b := mustOpen(t, f.desk, 2, handoff.RankNormal, t0.Add(time.Second))
	if err := f.desk.Post(ctx, "private:70", t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, a.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if _, err := f.desk.Release(ctx, a.ID, 70, nil, false, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Alarm(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.desk.Post(ctx, "private:70", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := []string{cardEntry(a.ID), cardEntry(b.ID), "private:70"}
	if got := boardOf(t, f.desk); !slices.Equal(got, want) {
		t.Fatalf("board %v, want %v", got, want)
	}
	if got, _ := f.desk.Board(ctx, 1); !slices.Equal(got, want[:1]) {
		t.Fatalf("Board(1) = %v", got)
	}

	// Rendered at its last version, the card leaves the board and its
	// message id is kept.
	cur := mustGetTicket(t, f.desk, a.ID)
	if err := f.desk.CardDone(ctx, a.ID, 4242, cur.Version); err != nil {
		t.Fatal(err)
	}
	if got := mustGetTicket(t, f.desk, a.ID); got.Card != 4242 || got.Version != cur.Version {
		t.Fatalf("after CardDone: %+v", got)
	}
	if err := f.desk.Posted(ctx, "private:70"); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(t, f.desk); !slices.Equal(got, []string{cardEntry(b.ID)}) {
		t.Fatalf("board %v", got)
	}
}

// A card rendered at an older version than the ticket's stays on the board:
// the newer change is rendered again.
func TestDeskCardDoneStale(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	read := mustGetTicket(t, f.desk, tk.ID) // the board reads it to render
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if err := f.desk.CardDone(ctx, tk.ID, 99, read.Version); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(t, f.desk); !slices.Equal(got, []string{cardEntry(tk.ID)}) {
		t.Fatalf("board %v after a stale CardDone", got)
	}
	now := mustGetTicket(t, f.desk, tk.ID)
	if now.Card != 99 {
		t.Fatalf("card %d, want 99 (sent, to be edited next)", now.Card)
	}
	if err := f.desk.CardDone(ctx, tk.ID, 0, now.Version); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(t, f.desk); len(got) != 0 {
		t.Fatalf("board %v", got)
	}
	if now := mustGetTicket(t, f.desk, tk.ID); now.Card != 99 {
		t.Fatalf("card %d after an edit, want 99", now.Card)
	}
	// A card of a ticket gone leaves the board.
	if err := f.desk.Post(ctx, cardEntry(77), t0); err != nil {
		t.Fatal(err)
	}
	if err := f.desk.CardDone(ctx, 77, 5, 1); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(t, f.desk); len(got) != 0 {
		t.Fatalf("board %v", got)
	}
	if f.rdb.Exists(ctx, f.desk.ticketKey(77)).Val() != 0 {
		t.Fatal("CardDone created ticket 77")
	}
}

// Remind announces a waiting ticket once, whatever the replicas; released,
// it may be announced again.
func TestDeskRemindOnce(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	other := NewDesk(f.rdb, DeskOptions{CodeKey: []byte("test key")})
	old := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	held := mustOpen(t, f.desk, 2, handoff.RankNormal, t0)
	fresh := mustOpen(t, f.desk, 3, handoff.RankNormal, t0.Add(50*time.Minute))
	mustClaim(t, f.desk, held.ID, deskVolunteer(70, "Lune"), handoff.Won)
	now := t0.Add(time.Hour)

	var wg sync.WaitGroup
	counts := make([]int, 8)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := f.desk
			if i%2 == 1 {
				d = other
			}
			n, err := d.Remind(ctx, 30*time.Minute, now)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 1 {
		t.Fatalf("reminded %v times in all (%v), want 1", total, counts)
	}
	if got := mustGetTicket(t, f.desk, old.ID); !got.Reminded {
		t.Fatalf("not marked reminded: %+v", got)
	}
	if got := boardOf(t, f.desk); !slices.Contains(got, remindEntry(old.ID)) || slices.Contains(got, remindEntry(fresh.ID)) || slices.Contains(got, remindEntry(held.ID)) {
		t.Fatalf("board %v", got)
	}
	if n, _ := other.Remind(ctx, 30*time.Minute, now.Add(time.Hour)); n != 1 {
		t.Fatalf("later: %d reminded, want 1 (the fresh one)", n)
	}
	if err := f.desk.Posted(ctx, remindEntry(old.ID)); err != nil {
		t.Fatal(err)
	}

	// Claimed, then released: announceable again after waiting anew.
	mustClaim(t, f.desk, old.ID, deskVolunteer(71, "Sel"), handoff.Won)
	if slices.Contains(boardOf(t, f.desk), remindEntry(old.ID)) {
		t.Fatal("a claimed ticket still to be announced")
	}
	rel, err := f.desk.Release(ctx, old.ID, 71, nil, false, now.Add(2*time.Hour))
	if err != nil || rel.Reminded {
		t.Fatalf("released: %+v %v", rel, err)
	}
	if n, _ := f.desk.Remind(ctx, 30*time.Minute, now.Add(2*time.Hour+10*time.Minute)); n != 0 {
		t.Fatalf("reminded %d, too early", n)
	}
	if n, _ := f.desk.Remind(ctx, 30*time.Minute, now.Add(3*time.Hour)); n != 1 {
		t.Fatalf("reminded %d after release, want 1", n)
	}
}
