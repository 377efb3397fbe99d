package redisstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

func TestDeskVolunteers(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	if _, ok, err := f.desk.Volunteer(ctx, 70); ok || err != nil {
		t.Fatalf("unknown volunteer: %v %v", ok, err)
	}
	want := handoff.Volunteer{ID: 70, Pseudonym: "Lune", Off: true, Capacity: 3, Private: true}
	if err := f.desk.SetVolunteer(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := f.desk.Volunteer(ctx, 70); !ok || err != nil || !volunteerEqual(got, want) {
		t.Fatalf("volunteer %+v %v %v, want %+v", got, ok, err, want)
	}
	// SetVolunteer leaves tickets alone.
	want.Off = false
	if err := f.desk.SetVolunteer(ctx, want); err != nil {
		t.Fatal(err)
	}
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	mustClaim(t, f.desk, tk.ID, handoff.Volunteer{ID: 70, Private: true}, handoff.Won)
	want.Pseudonym = "Lune 2"
	if err := f.desk.SetVolunteer(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, _, _ := f.desk.Volunteer(ctx, 70)
	if !slices.Equal(got.Tickets, []int64{tk.ID}) || got.Last != tk.ID || got.Pseudonym != "Lune 2" || got.Capacity != 3 {
		t.Fatalf("volunteer %+v", got)
	}
	if err := f.desk.SetVolunteer(ctx, handoff.Volunteer{ID: 71, Pseudonym: "Sel"}); err != nil {
		t.Fatal(err)
	}
	ids, err := f.desk.Volunteers(ctx)
	slices.Sort(ids)
	if err != nil || !slices.Equal(ids, []int64{70, 71}) {
		t.Fatalf("Volunteers = %v %v", ids, err)
	}
	// A record expired is no longer listed.
	f.rdb.Del(ctx, f.desk.volunteerKey(71))
	if ids, _ := f.desk.Volunteers(ctx); !slices.Equal(ids, []int64{70}) {
		t.Fatalf("Volunteers = %v after 71 expired", ids)
	}
}

func volunteerEqual(a, b handoff.Volunteer) bool {
	return a.ID == b.ID && a.Pseudonym == b.Pseudonym && a.Off == b.Off && a.Capacity == b.Capacity &&
		a.Private == b.Private && a.Last == b.Last && slices.Equal(a.Tickets, b.Tickets)
}

func TestDeskLeave(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	b := mustOpen(t, f.desk, 2, handoff.RankNormal, t0.Add(time.Second))
	c := mustOpen(t, f.desk, 3, handoff.RankNormal, t0.Add(2*time.Second))
	lune := deskVolunteer(70, "Lune")
	lune.Capacity = 3
	mustClaim(t, f.desk, a.ID, lune, handoff.Won)
	mustClaim(t, f.desk, c.ID, lune, handoff.Won)
	mustClaim(t, f.desk, b.ID, deskVolunteer(71, "Sel"), handoff.Won)

	back, err := f.desk.Leave(ctx, 70, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].ID != a.ID || back[1].ID != c.ID || back[0].Status != handoff.Queued || back[1].Status != handoff.Queued {
		t.Fatalf("back in the queue: %+v", back)
	}
	if got := queueIDs(t, f.desk); !slices.Equal(got, []int64{a.ID, c.ID}) {
		t.Fatalf("queue %v", got)
	}
	if _, ok, _ := f.desk.Volunteer(ctx, 70); ok {
		t.Fatal("the volunteer who left is still known")
	}
	if ids, _ := f.desk.Volunteers(ctx); !slices.Equal(ids, []int64{71}) {
		t.Fatalf("Volunteers = %v", ids)
	}
	if got := mustGetTicket(t, f.desk, b.ID); got.Status != handoff.Claimed || got.Volunteer != 71 {
		t.Fatalf("another's ticket: %+v", got)
	}
	// Left again: nothing.
	if again, err := f.desk.Leave(ctx, 70, t0.Add(2*time.Hour)); err != nil || len(again) != 0 {
		t.Fatalf("left again: %+v %v", again, err)
	}
}
