package redisstore

import (
	"context"
	"testing"
)

// "Did it help?" is counted once per ticket, by day, with nothing else.
func TestDeskFeedbackCountedOncePerTicket(t *testing.T) {
	f := setupDesk(t)
	ctx := context.Background()
	tk := mustOpen(t, f.desk, 1001, 2, t0)
	for i := range 3 {
		counted, err := f.desk.Feedback(ctx, tk.ID, "y", t0)
		if err != nil || counted != (i == 0) {
			t.Fatal(i, counted, err)
		}
	}
	if counted, err := f.desk.Feedback(ctx, tk.ID, "n", t0); err != nil || counted {
		t.Fatal(counted, err)
	}
	key := "bsl:{desk}:fb:" + t0.UTC().Format("2006-01-02")
	got := f.rdb.HGetAll(ctx, key).Val()
	if len(got) != 1 || got["y"] != "1" {
		t.Errorf("counts %v, want y=1 only", got)
	}
	if ttl := f.rdb.PTTL(ctx, key).Val(); ttl <= 0 {
		t.Errorf("the count has no expiry: %v", ttl)
	}
	if _, err := f.desk.Feedback(ctx, tk.ID, "maybe", t0); err == nil {
		t.Error("an unknown answer was counted")
	}
}
