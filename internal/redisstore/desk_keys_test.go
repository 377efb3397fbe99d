package redisstore

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

// deskEveryPath writes through every desk operation.
func deskEveryPath(t *testing.T, f deskFixture) {
	t.Helper()
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	b := mustOpen(t, f.desk, 2, handoff.RankUrgent, t0)
	c := mustOpen(t, f.desk, 3, handoff.RankNormal, t0)
	e := mustOpen(t, f.desk, 4, handoff.RankNormal, t0)
	mustClaim(t, f.desk, a.ID, deskVolunteer(70, "Lune"), handoff.Won)
	mustClaim(t, f.desk, b.ID, deskVolunteer(71, "Sel"), handoff.Won)
	mustClaim(t, f.desk, c.ID, handoff.Volunteer{ID: 72}, handoff.NoPrivate)
	steps := []error{
		f.desk.Touch(ctx, a.ID, 70, t0),
		f.desk.SetVolunteer(ctx, handoff.Volunteer{ID: 73, Pseudonym: "Mer", Private: true}),
		f.desk.Post(ctx, "private:72", t0),
	}
	_, err := f.desk.Note(ctx, a.ID, 70, handoff.Note{ID: 1, By: "Lune", Text: "n", At: t0.Unix()})
	steps = append(steps, err)
	_, err = f.desk.Alert(ctx, a.ID, 70)
	steps = append(steps, err)
	_, err = f.desk.Release(ctx, a.ID, 70, &handoff.Note{ID: 2, Text: "r"}, true, t0)
	steps = append(steps, err)
	_, err = f.desk.Alarm(ctx, c.ID)
	steps = append(steps, err)
	_, err = f.desk.Close(ctx, b.ID, 71, "closed", t0)
	steps = append(steps, err)
	_, err = f.desk.Erase(ctx, e.ID, t0)
	steps = append(steps, err)
	_, err = f.desk.Remind(ctx, time.Minute, t0.Add(time.Hour))
	steps = append(steps, err)
	steps = append(steps, f.desk.CardDone(ctx, c.ID, 10, 1))
	_, err = f.desk.Queue(ctx, 10)
	steps = append(steps, err)
	_, err = f.desk.Volunteers(ctx)
	steps = append(steps, err)
	_, err = f.desk.Leave(ctx, 71, t0)
	steps = append(steps, err)
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Every desk key carries the prefix and the {desk} hash tag: one cluster
// slot for all the desk scripts.
func TestDeskKeysShareOneSlot(t *testing.T) {
	f := setupDesk(t)
	deskEveryPath(t, f)
	keys := deskKeys(t, f.rdb)
	slices.Sort(keys)
	for _, k := range keys {
		if !strings.HasPrefix(k, "bsl:{desk}:") || hashTag(k) != "desk" {
			t.Errorf("key %s: not on the desk's slot", k)
		}
	}
	for _, want := range []string{"bsl:{desk}:t:1", "bsl:{desk}:open:1", "bsl:{desk}:queue", "bsl:{desk}:board",
		"bsl:{desk}:v:70", "bsl:{desk}:vols", "bsl:{desk}:seq"} {
		if !slices.Contains(keys, want) {
			t.Errorf("no key %s in %v", want, keys)
		}
	}
	t.Logf("%d keys: %v", len(keys), keys)

	d := NewDesk(f.rdb, DeskOptions{Prefix: "tst"})
	if got := d.ticketKey(5); got != "tst:{desk}:t:5" {
		t.Errorf("with a prefix: %s", got)
	}
}

// Every desk key expires: open tickets and volunteers after Retention,
// closed tickets after ClosedTTL, and their open index goes with the close.
func TestDeskEveryKeyExpires(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	deskEveryPath(t, f)
	keys := deskKeys(t, f.rdb)
	if len(keys) < 10 {
		t.Fatalf("only %d keys written: %v", len(keys), keys)
	}
	const day = 24 * time.Hour
	for _, k := range keys {
		ttl := f.rdb.PTTL(ctx, k).Val()
		if ttl <= 0 {
			t.Errorf("key %s has no expiry (PTTL %v)", k, ttl)
		}
		if k != "bsl:{desk}:seq" && ttl > 30*day {
			t.Errorf("key %s expires in %v, after the retention", k, ttl)
		}
	}
	for _, id := range []string{"2", "4"} { // closed, erased
		if ttl := f.rdb.PTTL(ctx, "bsl:{desk}:t:"+id).Val(); ttl <= 0 || ttl > 7*day {
			t.Errorf("closed ticket %s: PTTL %v", id, ttl)
		}
	}
	for _, chat := range []string{"2", "4"} {
		if n := f.rdb.Exists(ctx, "bsl:{desk}:open:"+chat).Val(); n != 0 {
			t.Errorf("open index of closed ticket's chat %s still there", chat)
		}
	}

	// An open ticket touched is kept another retention.
	f.rdb.PExpire(ctx, "bsl:{desk}:t:1", time.Hour)
	f.rdb.PExpire(ctx, "bsl:{desk}:open:1", time.Hour)
	mustClaim(t, f.desk, 1, deskVolunteer(73, "Mer"), handoff.Won)
	for _, k := range []string{"bsl:{desk}:t:1", "bsl:{desk}:open:1"} {
		if ttl := f.rdb.PTTL(ctx, k).Val(); ttl < 29*day {
			t.Errorf("%s: PTTL %v after a claim, not refreshed", k, ttl)
		}
	}
}

// The counter outliving a ticket is not a must: a restarted counter skips
// ids still in use.
func TestDeskSeqSkipsLiveIDs(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	a := mustOpen(t, f.desk, 1, handoff.RankNormal, t0)
	mustOpen(t, f.desk, 2, handoff.RankNormal, t0)
	f.rdb.Del(ctx, "bsl:{desk}:seq")
	c := mustOpen(t, f.desk, 3, handoff.RankNormal, t0)
	if c.ID != 3 {
		t.Fatalf("new ticket %d, want 3", c.ID)
	}
	if got := mustGetTicket(t, f.desk, a.ID); got.Chat != 1 {
		t.Fatalf("ticket 1 overwritten: %+v", got)
	}
}
