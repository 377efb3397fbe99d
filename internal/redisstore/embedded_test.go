package redisstore

import (
	"context"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
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
	rev := mustCommit(t, s, commit(1, 0, 1, typicalState(), nil)).Rev
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
	res, err := s.Commit(ctx, commit(1, 0, 1, typicalState(), texts("r")))
	if err != nil || res.Status != conversation.Committed || !res.Claim.Held {
		t.Fatalf("commit without scripts loaded: %v %+v %v", res.Status, res.Claim, err)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ack(ctx, 1, ownerA, res.Claim.Head, []int{2}, delivery.Pace{}, t0); err != nil {
		t.Fatal(err)
	}
}

// Renew pipelines EVALSHA: a server without the script answers NOSCRIPT in
// the pipeline, and the lease is renewed all the same.
func TestRenewSurvivesScriptFlush(t *testing.T) {
	rdb, stop, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	s := New(rdb, Options{})
	res, err := s.Commit(ctx, commit(1, 0, 1, typicalState(), texts("r")))
	if err != nil || !res.Claim.Held {
		t.Fatalf("commit: %+v %v", res.Claim, err)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if lost, err := s.Renew(ctx, ownerA, []int64{1, 2}); err != nil || len(lost) != 1 || lost[0] != 2 {
		t.Fatalf("renew without scripts loaded: lost %v, %v; want [2]", lost, err)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, ownerA, []int64{1}); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, "bsl:lease:{1}").Val(); n != 0 {
		t.Fatal("lease not released without scripts loaded")
	}
}
