package redisstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/redistest"
)

// The sessions' tests run on the real clock (miniredis expires keys by it):
// every session is in the future.
func newAteliers(t *testing.T) (*Ateliers, *redis.Client) {
	t.Helper()
	rdb := redistest.New(t, redistest.DBAteliers)
	a := NewAteliers(rdb)
	if err := a.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, rdb
}

func session(start time.Time) ateliers.Session {
	return ateliers.Session{
		Kind:    "groupe",
		Title:   map[string]string{"fr": "Groupe de parents", "ar": "مجموعة الأولياء"},
		Langs:   []string{"fr", "ar"},
		Start:   start,
		Minutes: 90,
		Place:   map[string]string{"fr": "12 rue X", "ar": "12 شارع X"},
		Came:    -1,
	}
}

func mustSave(t *testing.T, a *Ateliers, s ateliers.Session) ateliers.Session {
	t.Helper()
	s, err := a.Save(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAteliersSaveGetComing(t *testing.T) {
	a, _ := newAteliers(t)
	ctx := context.Background()
	now := time.Now()
	later := mustSave(t, a, session(now.Add(72*time.Hour)))
	soon := mustSave(t, a, session(now.Add(24*time.Hour)))
	past := mustSave(t, a, session(now.Add(-3*time.Hour))) // over since 1 h 30
	running := mustSave(t, a, session(now.Add(-time.Hour)))
	ids := map[string]bool{}
	for _, s := range []ateliers.Session{later, soon, past, running} {
		if !validID(s.ID) || strings.ContainsAny(s.ID, "0O1I") {
			t.Errorf("id %q", s.ID)
		}
		ids[s.ID] = true
	}
	if len(ids) != 4 {
		t.Fatalf("ids not unique: %v", ids)
	}
	got, err := a.Get(ctx, soon.ID)
	if err != nil || got.Title["ar"] != "مجموعة الأولياء" || !got.Start.Equal(soon.Start) || got.Came != -1 {
		t.Fatalf("Get: %+v %v", got, err)
	}
	if _, err := a.Get(ctx, "ZZZZ"); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := a.Get(ctx, "../x"); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("forged: %v", err)
	}
	coming, err := a.Coming(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, s := range coming {
		order = append(order, s.ID)
	}
	if !slices.Equal(order, []string{running.ID, soon.ID, later.ID}) {
		t.Errorf("Coming %v, want running, soon, later", order)
	}
	between, err := a.Between(ctx, now.Add(-4*time.Hour), now.Add(24*time.Hour))
	if err != nil || len(between) != 2 || between[0].ID != past.ID || between[1].ID != running.ID {
		t.Errorf("Between: %v %v", between, err)
	}
	// A replace keeps the id.
	soon.Title["fr"] = "Autre titre"
	mustSave(t, a, soon)
	if got, _ := a.Get(ctx, soon.ID); got.Title["fr"] != "Autre titre" {
		t.Errorf("replace: %+v", got)
	}
}

func TestAteliersSignUps(t *testing.T) {
	a, _ := newAteliers(t)
	ctx := context.Background()
	now := time.Now()
	s1 := mustSave(t, a, session(now.Add(24*time.Hour)))
	s2 := mustSave(t, a, session(now.Add(48*time.Hour)))
	if n, err := a.SignUp(ctx, s1.ID, ateliers.Sign{Chat: 7, Lang: "ar"}); err != nil || n != 1 {
		t.Fatalf("sign up: %d %v", n, err)
	}
	if n, _ := a.SignUp(ctx, s1.ID, ateliers.Sign{Chat: 7, Lang: "ar", Remind: true}); n != 1 {
		t.Errorf("again: %d", n)
	}
	if n, _ := a.SignUp(ctx, s1.ID, ateliers.Sign{Chat: 8, Lang: "fr"}); n != 2 {
		t.Errorf("second: %d", n)
	}
	a.SignUp(ctx, s2.ID, ateliers.Sign{Chat: 7, Lang: "ar"})
	signed, _ := a.Signed(ctx, s1.ID)
	if len(signed) != 2 || signed[0] != (ateliers.Sign{Chat: 7, Lang: "ar", Remind: true}) {
		t.Errorf("Signed %+v", signed)
	}
	if mine, _ := a.Mine(ctx, 7); !slices.Equal(mine, sortedIDs(s1.ID, s2.ID)) {
		t.Errorf("Mine %v", mine)
	}
	if n, err := a.SignOut(ctx, s1.ID, 8); err != nil || n != 1 {
		t.Errorf("sign out: %d %v", n, err)
	}
	if n, _ := a.Count(ctx, s1.ID); n != 1 {
		t.Errorf("count %d", n)
	}
	if _, err := a.SignUp(ctx, "ZZZZ", ateliers.Sign{Chat: 7}); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("unknown session: %v", err)
	}
	// Forget: every sign-up of the chat, and its set.
	if err := a.Forget(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if mine, _ := a.Mine(ctx, 7); len(mine) != 0 {
		t.Errorf("Mine after Forget %v", mine)
	}
	for _, id := range []string{s1.ID, s2.ID} {
		if n, _ := a.Count(ctx, id); n != 0 {
			t.Errorf("%s: count %d after Forget", id, n)
		}
	}
	// Cancelled: the sign-ups go, no new one.
	a.SignUp(ctx, s2.ID, ateliers.Sign{Chat: 9, Lang: "fr"})
	s2.Cancelled = true
	mustSave(t, a, s2)
	if signed, _ := a.Signed(ctx, s2.ID); len(signed) != 0 {
		t.Errorf("cancelled, still signed: %v", signed)
	}
	if _, err := a.SignUp(ctx, s2.ID, ateliers.Sign{Chat: 9}); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("sign up to a cancelled session: %v", err)
	}
	if mine, _ := a.Mine(ctx, 9); len(mine) != 0 {
		t.Errorf("Mine lists a cancelled session: %v", mine)
	}
	// Over: no sign-up.
	over := mustSave(t, a, session(now.Add(-2*time.Hour)))
	if _, err := a.SignUp(ctx, over.ID, ateliers.Sign{Chat: 9}); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("sign up to a session over: %v", err)
	}
}

func sortedIDs(ids ...string) []string { slices.Sort(ids); return ids }

func TestAteliersRemindedOnce(t *testing.T) {
	a, rdb := newAteliers(t)
	ctx := context.Background()
	s := mustSave(t, a, session(time.Now().Add(20*time.Hour)))
	other := redis.NewClient(rdb.Options())
	t.Cleanup(func() { _ = other.Close() })
	replicas := []*Ateliers{a, NewAteliers(other)}
	for round := range 3 {
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := replicas[i%2].Reminded(ctx, s.ID)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		want := 0
		if round == 0 {
			want = 1
		}
		if won != want {
			t.Errorf("round %d: %d replicas won, want %d", round, won, want)
		}
	}
	// Moved to another start: the reminders are due again.
	s.Start = s.Start.Add(24 * time.Hour)
	mustSave(t, a, s)
	if ok, _ := a.Reminded(ctx, s.ID); !ok {
		t.Error("moved session: reminder not due again")
	}
	if _, err := a.Reminded(ctx, "ZZZZ"); !errors.Is(err, ateliers.ErrNoSession) {
		t.Errorf("unknown: %v", err)
	}
}

// Every key expires: the sign-ups at the session's end, the session a month
// after.
func TestAteliersKeysExpire(t *testing.T) {
	a, rdb := newAteliers(t)
	ctx := context.Background()
	now := time.Now()
	s := mustSave(t, a, session(now.Add(24*time.Hour)))
	c := mustSave(t, a, session(now.Add(48*time.Hour)))
	a.SignUp(ctx, s.ID, ateliers.Sign{Chat: 5, Lang: "fr", Remind: true})
	a.SignUp(ctx, c.ID, ateliers.Sign{Chat: 5, Lang: "fr"})
	a.SignUp(ctx, c.ID, ateliers.Sign{Chat: 6, Lang: "ar"})
	a.SignOut(ctx, c.ID, 6)
	a.Reminded(ctx, s.ID)
	c.Cancelled = true
	mustSave(t, a, c)
	a.SignUp(ctx, s.ID, ateliers.Sign{Chat: 6, Lang: "ar"})
	if err := a.Forget(ctx, 6); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	want := sortedIDs("bsl:{ateliers}:idx", "bsl:{ateliers}:me:5", "bsl:{ateliers}:rem:"+s.ID,
		"bsl:{ateliers}:s:"+s.ID, "bsl:{ateliers}:s:"+c.ID, "bsl:{ateliers}:sg:"+s.ID)
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	end := s.End()
	for _, k := range keys {
		if !strings.HasPrefix(k, "bsl:{ateliers}:") {
			t.Errorf("%s: outside the {ateliers} slot", k)
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		if err != nil || ttl <= 0 {
			t.Errorf("%s: no expiry (%v %v)", k, ttl, err)
			continue
		}
		at := now.Add(ttl)
		var lo, hi time.Time
		switch {
		case strings.Contains(k, ":sg:"):
			lo, hi = end.Add(-time.Minute), end.Add(time.Minute) // at the end
		case strings.Contains(k, ":me:"): // the end of the chat's last session
			lo, hi = c.End().Add(-time.Minute), c.End().Add(time.Minute)
		case strings.Contains(k, ":s:"+c.ID), k == "bsl:{ateliers}:idx":
			lo, hi = c.End().Add(SessionKept-time.Minute), c.End().Add(SessionKept+time.Minute)
		default:
			lo, hi = end.Add(SessionKept-time.Minute), end.Add(SessionKept+time.Minute)
		}
		if at.Before(lo) || at.After(hi) {
			t.Errorf("%s expires at %v, want between %v and %v", k, at, lo, hi)
		}
	}
}
