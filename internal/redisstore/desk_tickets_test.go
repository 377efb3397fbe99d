package redisstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

func TestDeskOpen(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1001, handoff.RankNormal, t0)
	if tk.ID != 1 || tk.Status != handoff.Queued || tk.Chat != 1001 || tk.Category != "psy" ||
		tk.Rank != handoff.RankNormal || tk.Lang != "fr" || tk.Summary["arr"] != "11" ||
		!tk.Opened.Equal(t0) || !tk.Queued.Equal(t0) || tk.Version != 1 || len(tk.Code) != 3 {
		t.Fatalf("opened %+v", tk)
	}
	again, existing, err := f.desk.Open(ctx, deskRequest(1001, handoff.RankUrgent), t0.Add(time.Minute))
	if err != nil || !existing || !sameTicket(again, tk) {
		t.Fatalf("opened again: %+v %v %v, want %+v", again, existing, err, tk)
	}
	if got := mustGetTicket(t, f.desk, tk.ID); !sameTicket(got, tk) {
		t.Fatalf("Get %+v, want %+v", got, tk)
	}
	if id, err := f.desk.OpenFor(ctx, 1001); err != nil || id != tk.ID {
		t.Fatalf("OpenFor = %d %v", id, err)
	}
	if id, err := f.desk.OpenFor(ctx, 1002); err != nil || id != 0 {
		t.Fatalf("OpenFor of a chat without ticket = %d %v", id, err)
	}
	if _, err := f.desk.Get(ctx, 99); !errors.Is(err, handoff.ErrNotFound) {
		t.Fatalf("Get of a missing ticket: %v", err)
	}
	if p, err := f.desk.Position(ctx, tk.ID); err != nil || p != 1 {
		t.Fatalf("Position = %d %v", p, err)
	}
	if p, err := f.desk.Position(ctx, 99); err != nil || p != 0 {
		t.Fatalf("Position of a missing ticket = %d %v", p, err)
	}

	// Once closed, the chat may open a new one.
	if _, err := f.desk.Close(ctx, tk.ID, 0, "cancelled", t0); err != nil {
		t.Fatal(err)
	}
	if id, _ := f.desk.OpenFor(ctx, 1001); id != 0 {
		t.Fatalf("OpenFor after close = %d", id)
	}
	next := mustOpen(t, f.desk, 1001, handoff.RankNormal, t0)
	if next.ID == tk.ID || next.Code == tk.Code {
		t.Fatalf("second ticket %d %s, first %d %s", next.ID, next.Code, tk.ID, tk.Code)
	}
}

// The queue orders by rank, then by the time a ticket first entered it; a
// released ticket keeps its place.
func TestDeskQueueOrder(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	b := mustOpen(t, f.desk, 2, handoff.RankNormal, t0.Add(time.Second))
	c := mustOpen(t, f.desk, 3, handoff.RankUrgent, t0.Add(2*time.Second))
	d := mustOpen(t, f.desk, 4, handoff.RankNormal, t0.Add(3*time.Second))
	e := mustOpen(t, f.desk, 5, handoff.RankUrgent, t0.Add(4*time.Second))
	if got, want := queueIDs(t, f.desk), []int64{c.ID, e.ID, a.ID, b.ID, d.ID}; !slices.Equal(got, want) {
		t.Fatalf("queue %v, want %v", got, want)
	}
	if _, err := f.desk.Alarm(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := queueIDs(t, f.desk), []int64{c.ID, e.ID, d.ID, a.ID, b.ID}; !slices.Equal(got, want) {
		t.Fatalf("queue after alarm %v, want %v", got, want)
	}
	for i, id := range []int64{c.ID, e.ID, d.ID, a.ID, b.ID} {
		if p, _ := f.desk.Position(ctx, id); p != i+1 {
			t.Fatalf("position of %d = %d, want %d", id, p, i+1)
		}
	}

	// a is claimed and released an hour later: back to its place.
	mustClaim(t, f.desk, a.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if got, want := queueIDs(t, f.desk), []int64{c.ID, e.ID, d.ID, b.ID}; !slices.Equal(got, want) {
		t.Fatalf("queue after claim %v, want %v", got, want)
	}
	if p, _ := f.desk.Position(ctx, a.ID); p != 0 {
		t.Fatalf("position of a claimed ticket = %d", p)
	}
	later := t0.Add(time.Hour)
	rel, err := f.desk.Release(ctx, a.ID, 70, nil, false, later)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Status != handoff.Queued || !rel.Queued.Equal(later) || rel.Volunteer != 70 {
		t.Fatalf("released %+v", rel)
	}
	if got, want := queueIDs(t, f.desk), []int64{c.ID, e.ID, d.ID, a.ID, b.ID}; !slices.Equal(got, want) {
		t.Fatalf("queue after release %v, want %v", got, want)
	}
	if ts, _ := f.desk.Queue(ctx, 2); len(ts) != 2 || ts[0].ID != c.ID || ts[1].ID != e.ID {
		t.Fatalf("Queue(2) = %+v", ts)
	}
}

func TestDeskClaim(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	lune, sel := deskVolunteer(70, "Lune"), deskVolunteer(71, "Sel")

	won := mustClaim(t, f.desk, tk.ID, lune, handoff.Won)
	if won.Status != handoff.Claimed || won.Volunteer != 70 || won.Pseudonym != "Lune" || won.Version != tk.Version+1 {
		t.Fatalf("won %+v", won)
	}
	if again := mustClaim(t, f.desk, tk.ID, lune, handoff.Won); !sameTicket(again, won) {
		t.Fatalf("claimed again: %+v, want %+v", again, won)
	}
	if taken := mustClaim(t, f.desk, tk.ID, sel, handoff.Taken); taken.Pseudonym != "Lune" {
		t.Fatalf("taken: %+v", taken)
	}
	v, ok, err := f.desk.Volunteer(ctx, 70)
	if err != nil || !ok || v.Pseudonym != "Lune" || !slices.Equal(v.Tickets, []int64{tk.ID}) || v.Last != tk.ID || !v.Private {
		t.Fatalf("volunteer %+v %v %v", v, ok, err)
	}
	if st, got, err := f.desk.Claim(ctx, 99, sel, t0); err != nil || st != handoff.Gone || got.ID != 0 {
		t.Fatalf("claim of a missing ticket: %v %+v %v", st, got, err)
	}
	if _, err := f.desk.Close(ctx, tk.ID, 70, "closed", t0); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, tk.ID, sel, handoff.Gone)
	mustClaim(t, f.desk, tk.ID, lune, handoff.Gone)
}

func TestDeskClaimRefusals(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	b := mustOpen(t, f.desk, 2, handoff.RankNormal, t0)
	c := mustOpen(t, f.desk, 3, handoff.RankNormal, t0)

	// NoPrivate: the ticket stays queued, and the volunteer is known.
	noPriv := handoff.Volunteer{ID: 80, Pseudonym: "Ciel"}
	if got := mustClaim(t, f.desk, a.ID, noPriv, handoff.NoPrivate); got.Status != handoff.Queued {
		t.Fatalf("after NoPrivate: %+v", got)
	}
	if p, _ := f.desk.Position(ctx, a.ID); p == 0 {
		t.Fatal("NoPrivate took the ticket out of the queue")
	}
	if v, ok, _ := f.desk.Volunteer(ctx, 80); !ok || v.Private || v.Pseudonym != "Ciel" {
		t.Fatalf("volunteer after NoPrivate: %+v %v", v, ok)
	}

	// Off duty.
	if err := f.desk.SetVolunteer(ctx, handoff.Volunteer{ID: 81, Pseudonym: "Mer", Off: true, Private: true}); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, a.ID, deskVolunteer(81, "Mer"), handoff.Off)
	if err := f.desk.SetVolunteer(ctx, handoff.Volunteer{ID: 81, Pseudonym: "Mer", Private: true}); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, a.ID, deskVolunteer(81, "Mer"), handoff.Won)

	// Capacity: 1 by default, then 2.
	mustClaim(t, f.desk, b.ID, deskVolunteer(81, "Mer"), handoff.Full)
	two := deskVolunteer(81, "Mer")
	two.Capacity = 2
	mustClaim(t, f.desk, b.ID, two, handoff.Won)
	mustClaim(t, f.desk, c.ID, deskVolunteer(81, "Mer"), handoff.Full)
	// A ticket closed frees a place.
	if _, err := f.desk.Close(ctx, a.ID, 0, "ended", t0); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, c.ID, deskVolunteer(81, "Mer"), handoff.Won)
	v, _, _ := f.desk.Volunteer(ctx, 81)
	if !slices.Equal(v.Tickets, []int64{b.ID, c.ID}) || v.Capacity != 2 {
		t.Fatalf("volunteer %+v", v)
	}
}

// A recusal is for good: released, claimed by someone else, released
// again, the ticket is still refused to who recused.
func TestDeskRecusal(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	note := &handoff.Note{ID: 555, By: "Lune", Text: "préfère une femme", At: t0.Unix()}
	rel, err := f.desk.Release(ctx, tk.ID, 70, note, true, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rel.Recused, []int64{70}) || len(rel.Notes) != 1 || rel.Notes[0] != *note {
		t.Fatalf("released %+v", rel)
	}
	// Released again (a redelivery): unchanged.
	again, err := f.desk.Release(ctx, tk.ID, 70, note, true, t0.Add(time.Minute))
	if err != nil || !sameTicket(again, rel) {
		t.Fatalf("released again: %+v %v, want %+v", again, err, rel)
	}
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Recused)
	mustClaim(t, f.desk, tk.ID, deskVolunteer(71, "Sel"), handoff.Won)
	// Same note id again: not written twice; another note is.
	if _, err := f.desk.Release(ctx, tk.ID, 71, note, false, t0); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Recused)
	got := mustGetTicket(t, f.desk, tk.ID)
	if len(got.Notes) != 1 || !slices.Equal(got.Recused, []int64{70}) {
		t.Fatalf("after a second release: %+v", got)
	}
}

func TestDeskReleaseAndCloseErrors(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	// Queued: releasing is a no-op, closing as a volunteer is not theirs.
	if got, err := f.desk.Release(ctx, tk.ID, 70, nil, false, t0); err != nil || !sameTicket(got, tk) {
		t.Fatalf("release of a queued ticket: %+v %v", got, err)
	}
	if _, err := f.desk.Close(ctx, tk.ID, 70, "closed", t0); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("close of a queued ticket by a volunteer: %v", err)
	}
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if _, err := f.desk.Release(ctx, tk.ID, 71, nil, false, t0); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("release by another: %v", err)
	}
	if _, err := f.desk.Close(ctx, tk.ID, 71, "closed", t0); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("close by another: %v", err)
	}
	for _, op := range []func() error{
		func() error { _, err := f.desk.Release(ctx, 99, 70, nil, false, t0); return err },
		func() error { _, err := f.desk.Close(ctx, 99, 0, "ended", t0); return err },
		func() error { _, err := f.desk.Erase(ctx, 99, t0); return err },
		func() error { _, err := f.desk.Alarm(ctx, 99); return err },
		func() error { _, err := f.desk.Note(ctx, 99, 70, handoff.Note{ID: 1}); return err },
		func() error { return f.desk.Touch(ctx, 99, 70, t0) },
		func() error { _, err := f.desk.Alert(ctx, 99, 70); return err },
	} {
		if err := op(); !errors.Is(err, handoff.ErrNotFound) {
			t.Errorf("on a missing ticket: %v, want ErrNotFound", err)
		}
	}

	closedAt := t0.Add(time.Hour)
	cl, err := f.desk.Close(ctx, tk.ID, 70, "closed", closedAt)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Status != handoff.Closed || cl.Outcome != "closed" || !cl.Closed.Equal(closedAt) {
		t.Fatalf("closed %+v", cl)
	}
	if v, _, _ := f.desk.Volunteer(ctx, 70); len(v.Tickets) != 0 {
		t.Fatalf("the volunteer still holds %v", v.Tickets)
	}
	// Closed again, by anyone: unchanged. Released: unchanged.
	for _, v := range []int64{70, 0, 71} {
		if got, err := f.desk.Close(ctx, tk.ID, v, "ended", t0.Add(2*time.Hour)); err != nil || !sameTicket(got, cl) {
			t.Fatalf("closed again by %d: %+v %v", v, got, err)
		}
	}
	if got, err := f.desk.Release(ctx, tk.ID, 70, nil, false, t0); err != nil || !sameTicket(got, cl) {
		t.Fatalf("release of a closed ticket: %+v %v", got, err)
	}
	ttl := f.rdb.PTTL(ctx, f.desk.ticketKey(tk.ID)).Val()
	if ttl <= 0 || ttl > 7*24*time.Hour {
		t.Fatalf("closed ticket PTTL %v", ttl)
	}
}

func TestDeskAlarm(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	al, err := f.desk.Alarm(ctx, tk.ID)
	if err != nil || al.Rank != handoff.RankAlarm || al.Version != tk.Version+1 {
		t.Fatalf("alarm: %+v %v", al, err)
	}
	if again, err := f.desk.Alarm(ctx, tk.ID); err != nil || !sameTicket(again, al) {
		t.Fatalf("alarm again: %+v %v", again, err)
	}
	urgent := mustOpen(t, f.desk, 2, handoff.RankUrgent, t0)
	if got, _ := f.desk.Alarm(ctx, urgent.ID); got.Rank != handoff.RankUrgent || got.Version != urgent.Version {
		t.Fatalf("alarm of an urgent ticket: %+v", got)
	}
	held := mustOpen(t, f.desk, 3, handoff.RankNormal, t0)
	mustClaim(t, f.desk, held.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if got, _ := f.desk.Alarm(ctx, held.ID); got.Rank != handoff.RankAlarm || got.Status != handoff.Claimed {
		t.Fatalf("alarm of a held ticket: %+v", got)
	}
	if p, _ := f.desk.Position(ctx, held.ID); p != 0 {
		t.Fatalf("alarm put a held ticket in the queue at %d", p)
	}
}

func TestDeskNoteTouchAlert(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	n := handoff.Note{ID: 9, By: "Lune", Text: "rappeler \"demain\" — ok", At: t0.Unix()}
	if _, err := f.desk.Note(ctx, tk.ID, 70, n); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("note on a queued ticket: %v", err)
	}
	if err := f.desk.Touch(ctx, tk.ID, 70, t0); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("touch by a non-holder: %v", err)
	}
	if _, err := f.desk.Alert(ctx, tk.ID, 70); !errors.Is(err, handoff.ErrNotHolder) {
		t.Fatalf("alert by a non-holder: %v", err)
	}
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	got, err := f.desk.Note(ctx, tk.ID, 70, n)
	if err != nil || len(got.Notes) != 1 || got.Notes[0] != n {
		t.Fatalf("note: %+v %v", got, err)
	}
	if again, err := f.desk.Note(ctx, tk.ID, 70, n); err != nil || !sameTicket(again, got) {
		t.Fatalf("note again: %+v %v", again, err)
	}
	n2 := handoff.Note{ID: 10, By: "Lune", Text: "second", At: t0.Unix()}
	if got, _ := f.desk.Note(ctx, tk.ID, 70, n2); len(got.Notes) != 2 || got.Notes[1] != n2 {
		t.Fatalf("second note: %+v", got.Notes)
	}

	for range 3 {
		if err := f.desk.Touch(ctx, tk.ID, 70, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.desk.Touch(ctx, tk.ID, 0, t0); err != nil {
		t.Fatal(err)
	}
	if got := mustGetTicket(t, f.desk, tk.ID); got.Messages != 4 {
		t.Fatalf("messages %d, want 4", got.Messages)
	}
	if v, _, _ := f.desk.Volunteer(ctx, 70); v.Last != tk.ID {
		t.Fatalf("volunteer's last %d", v.Last)
	}

	al, err := f.desk.Alert(ctx, tk.ID, 70)
	if err != nil || !al.Alerted {
		t.Fatalf("alert: %+v %v", al, err)
	}
	if again, err := f.desk.Alert(ctx, tk.ID, 70); err != nil || !sameTicket(again, al) {
		t.Fatalf("alert again: %+v %v", again, err)
	}
}

func TestDeskErase(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	const chat = 987654321
	tk := mustOpen(t, f.desk, chat, handoff.RankUrgent, t0)
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	if _, err := f.desk.Note(ctx, tk.ID, 70, handoff.Note{ID: 1, By: "Lune", Text: "secret-note-text", At: t0.Unix()}); err != nil {
		t.Fatal(err)
	}
	if err := f.desk.Touch(ctx, tk.ID, 70, t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Hour)
	er, err := f.desk.Erase(ctx, tk.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	if er.Status != handoff.Closed || er.Outcome != "erased" || er.Chat != 0 || er.Summary != nil || er.Notes != nil ||
		er.Category != "psy" || er.Rank != handoff.RankUrgent || er.Lang != "fr" || er.Messages != 1 ||
		!er.Opened.Equal(t0) || !er.Closed.Equal(at) {
		t.Fatalf("erased %+v", er)
	}
	if again, err := f.desk.Erase(ctx, tk.ID, at.Add(time.Hour)); err != nil || !sameTicket(again, er) {
		t.Fatalf("erased again: %+v %v", again, err)
	}
	if id, _ := f.desk.OpenFor(ctx, chat); id != 0 {
		t.Fatalf("OpenFor after erase = %d", id)
	}
	if v, _, _ := f.desk.Volunteer(ctx, 70); len(v.Tickets) != 0 {
		t.Fatalf("the volunteer still holds %v", v.Tickets)
	}
	// A closed ticket erased later loses its data too.
	other := mustOpen(t, f.desk, chat+1, handoff.RankNormal, t0)
	if _, err := f.desk.Close(ctx, other.ID, 0, "ended", t0); err != nil {
		t.Fatal(err)
	}
	if er, _ := f.desk.Erase(ctx, other.ID, at); er.Chat != 0 || er.Summary != nil || er.Outcome != "erased" || !er.Closed.Equal(t0) {
		t.Fatalf("erased after close: %+v", er)
	}

	// Nothing in Redis says who, or what: scan every key and value.
	for _, k := range deskKeys(t, f.rdb) {
		for _, s := range append(deskValues(t, f, k), k) {
			for _, bad := range []string{"987654321", "987654322", "secret-note-text", "besoin", "\"11\""} {
				if strings.Contains(s, bad) {
					t.Errorf("key %s still holds %q: %q", k, bad, s)
				}
			}
		}
	}
}
