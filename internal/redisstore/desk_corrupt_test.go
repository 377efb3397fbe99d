package redisstore

import (
	"context"
	"errors"
	"testing"

	"github.com/boussole/boussole/internal/handoff"
)

// A corrupt field is an error wrapping ErrCorrupt, never a panic, whether
// Go or a script reads it.
func TestDeskCorrupt(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	for field, value := range map[string]string{
		"sum": "{not json", "nt": "[{", "rc": "x", "ver": "v1", "st": "lost", "rk": "9", "op": "soon",
	} {
		tk := mustOpen(t, f.desk, 500, handoff.RankNormal, t0)
		f.rdb.HSet(ctx, f.desk.ticketKey(tk.ID), field, value)
		if _, err := f.desk.Get(ctx, tk.ID); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Get with %s=%q: %v", field, value, err)
		}
		if _, err := f.desk.Queue(ctx, 10); field != "st" && !errors.Is(err, ErrCorrupt) {
			t.Errorf("Queue with %s=%q: %v", field, value, err)
		}
		f.rdb.Del(ctx, f.desk.ticketKey(tk.ID), f.desk.openKey(500), f.desk.key("queue"))
	}

	// Scripts that read JSON fields.
	tk := mustOpen(t, f.desk, 501, handoff.RankNormal, t0)
	f.rdb.HSet(ctx, f.desk.ticketKey(tk.ID), "rc", "[oops")
	if _, _, err := f.desk.Claim(ctx, tk.ID, deskVolunteer(70, "Lune"), t0); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Claim with corrupt recusals: %v", err)
	}
	f.rdb.HSet(ctx, f.desk.ticketKey(tk.ID), "rc", "[]")
	mustClaim(t, f.desk, tk.ID, deskVolunteer(70, "Lune"), handoff.Won)
	f.rdb.HSet(ctx, f.desk.ticketKey(tk.ID), "nt", "{")
	if _, err := f.desk.Note(ctx, tk.ID, 70, handoff.Note{ID: 3, Text: "x"}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Note with corrupt notes: %v", err)
	}
	if _, err := f.desk.Release(ctx, tk.ID, 70, nil, false, t0); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Release with corrupt notes: %v", err)
	}
	f.rdb.HSet(ctx, f.desk.volunteerKey(70), "tk", "1 two")
	if _, _, err := f.desk.Volunteer(ctx, 70); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Volunteer with corrupt tickets: %v", err)
	}
}
