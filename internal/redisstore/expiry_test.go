package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// Every stored key must expire (DESIGN §10): write through every path,
// then check every key in the database.
func TestEveryKeyExpires(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	pace := delivery.Pace{Interval: time.Second, Burst: 3}

	// A step with an incoming message and a reply, half sent: conv, msgs,
	// out, lease, pace.
	c := commit(21, 0, 1, typicalState(), musts("a", "b"))
	c.IncomingID = 3
	res := mustCommit(t, f.store, c)
	mustAck(t, f.store, 21, ownerA, res.Claim.Head, []int{4}, pace, t0)

	// A forget, and the ack of an entry on its way across it.
	res = mustCommit(t, f.store, commit(22, 0, 1, typicalState(), texts("r")))
	c = commit(22, res.Rev, 2, typicalState(), musts("oublié"))
	c.IncomingID = 5
	c.Erase = conversation.EraseForget
	mustCommit(t, f.store, c)
	mustAck(t, f.store, 22, ownerA, res.Claim.Head, []int{6}, pace, t0)

	// An erase, a block, a claim, a set-aside, an internal step with
	// nothing.
	c = commit(23, 0, 1, typicalState(), texts("r"))
	c.Erase = conversation.EraseChat
	c.IncomingID = 7
	mustCommit(t, f.store, c)
	if _, err := f.store.Claim(ctx, 23, "!"+ownerB); err != nil {
		t.Fatal(err)
	}
	res = mustCommit(t, f.store, commit(24, 0, 1, typicalState(), texts("r")))
	if _, err := f.store.Block(ctx, 24, ownerA, farFuture); err != nil {
		t.Fatal(err)
	}
	c = commit(24, res.Rev, 0, typicalState(), nil)
	c.Erase = conversation.BlockChat
	mustCommit(t, f.store, c)
	mustCommit(t, f.store, commit(25, 0, 1, typicalState(), nil))
	if err := f.store.SetAside(ctx, 25); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, f.store, commit(26, 0, 0, typicalState(), nil))
	if _, err := NewLimiter(f.rdb, "", 30, 5).Take(ctx); err != nil {
		t.Fatal(err)
	}

	// A relay both ways, with a link: msgs and copy; an Enqueue to a chat
	// without a conversation: its conv, out and lease.
	c = commit(27, 0, 1, typicalState(), []delivery.Item{
		{Kind: delivery.KindCopy, IDs: []int{8}, To: 28, Must: true, At: t0.UnixMilli()},
		{Kind: delivery.KindCopy, IDs: []int{9}, From: 28, Must: true, At: t0.UnixMilli()},
	})
	c.IncomingID, c.IncomingChat = 9, 28
	c.Link = conversation.Link{Ticket: 1, Volunteer: 28}
	res = mustCommit(t, f.store, c)
	ack := mustAck(t, f.store, 27, ownerA, res.Claim.Head, []int{10}, pace, t0)
	mustAck(t, f.store, 27, ownerA, ack.Next, []int{11}, pace, t0)
	if _, err := f.store.Enqueue(ctx, 28, musts("ticket"), ownerA, t0); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bsl:copy:{27}", "bsl:conv:{28}", "bsl:out:{28}", "bsl:lease:{28}"} {
		if f.rdb.Exists(ctx, k).Val() != 1 {
			t.Fatalf("%s not written", k)
		}
	}

	keys := allKeys(t, f)
	if len(keys) < 16 {
		t.Fatalf("only %d keys written: %v", len(keys), keys)
	}
	for _, k := range keys {
		if ttl := f.rdb.PTTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("key %s has no expiry (PTTL %v)", k, ttl)
		}
	}
	t.Logf("%d keys: %v", len(keys), keys)
}

func TestCommitRefreshesExpiry(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	c := commit(24, 0, 1, typicalState(), nil)
	c.TTL = time.Hour
	rev := mustCommit(t, f.store, c).Rev
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{24}").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("PTTL %v after a 1 h commit", ttl)
	}
	c = commit(24, rev, 2, typicalState(), nil)
	c.TTL = 3 * time.Hour
	mustCommit(t, f.store, c)
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{24}").Val(); ttl <= 2*time.Hour {
		t.Fatalf("PTTL %v after a 3 h commit: not refreshed", ttl)
	}
}
