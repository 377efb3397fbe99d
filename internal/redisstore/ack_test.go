package redisstore

import (
	"context"
	"reflect"
	"testing"

	"github.com/boussole/boussole/internal/conversation"
)

func TestAckClearsOutboxOfItsRevision(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	rev := mustCommit(t, f.store, commit(8, 0, 1, typicalState(), outbox("Bonjour")))

	// An ack for another revision leaves the outbox alone.
	if err := f.store.Ack(ctx, 8, rev-1, []int{500}, t0); err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, f.store, 8); len(got.Outbox) != 1 {
		t.Fatalf("ack of another revision: outbox %v, want it kept", got.Outbox)
	}

	if err := f.store.Ack(ctx, 8, rev, []int{501}, t0); err != nil {
		t.Fatal(err)
	}
	got := mustLoad(t, f.store, 8)
	want := conversation.Record{State: typicalState(), LastUpdate: 1, Rev: rev}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after ack: %+v\nwant %+v", got, want)
	}
}

func TestOldAckLeavesNewerOutbox(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	r1 := mustCommit(t, f.store, commit(8, 0, 1, typicalState(), outbox("un")))
	r2 := mustCommit(t, f.store, commit(8, r1, 2, typicalState(), outbox("deux")))

	if err := f.store.Ack(ctx, 8, r1, []int{600}, t0); err != nil {
		t.Fatal(err)
	}
	got := mustLoad(t, f.store, 8)
	if got.Rev != r2 || !reflect.DeepEqual(got.Outbox, outbox("deux")) {
		t.Fatalf("after the old ack: rev %d outbox %v, want rev %d with the newer outbox", got.Rev, got.Outbox, r2)
	}
}

func TestAckNeverRecreatesAnErasedChat(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	rev := mustCommit(t, f.store, commit(8, 0, 1, typicalState(), outbox("Bonjour")))
	if err := f.store.Forget(ctx, 8); err != nil {
		t.Fatal(err)
	}
	// The send finished after /effacer: its ids are journaled, the state is not back.
	if err := f.store.Ack(ctx, 8, rev, []int{700}, t0); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, "bsl:conv:{8}").Val(); n != 0 {
		t.Fatal("ack recreated the conv key of an erased chat")
	}
	ids, err := f.store.Journal(ctx, 8, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []int{700}) {
		t.Fatalf("journal %v, want the message sent after the erasure", ids)
	}
}
