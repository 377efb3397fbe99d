package redisstore

import (
	"context"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
)

func TestEmbedded(t *testing.T) {
	rdb, stop, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	s := New(rdb, Options{})
	if err := s.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	rev := mustCommit(t, s, commit(1, 0, 1, typicalState(), nil))
	if r := mustLoad(t, s, 1); r.Rev != rev {
		t.Fatalf("load rev %d, want %d", r.Rev, rev)
	}
}

// If Redis lost its scripts (a restart, SCRIPT FLUSH), a step still goes
// through: it pays one extra round trip, and reloads the script. Run on an
// embedded server: flushing the scripts of a shared one would disturb other
// packages' tests.
func TestCommitSurvivesScriptFlush(t *testing.T) {
	rdb, stop, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	s := New(rdb, Options{})
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	res, err := s.Commit(ctx, commit(1, 0, 1, typicalState(), outbox("r")))
	if err != nil || res.Status != conversation.Committed {
		t.Fatalf("commit without scripts loaded: %v %v", res.Status, err)
	}
	if err := s.Ack(ctx, 1, res.Rev, []int{2}, t0); err != nil {
		t.Fatal(err)
	}
}
