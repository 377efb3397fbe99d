package redisstore

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/redistest"
)

// The store through a Sentinel failover: a master, its replica and three
// sentinels (quorum 2) started by the test (redistest.StartSentinel: its
// own ports from 17000 up, database 0 of its own servers, never the shared
// server of the other tests). Steps are committed, the master is failed
// over with SENTINEL FAILOVER, and every step acknowledged before is still
// there on the promoted replica; new steps go on from where they were.
//
// What "acknowledged" guarantees: a commit returns once the master ran its
// script. Replication is asynchronous: the replica receives the write a
// moment later. A failover after a crash of the master loses what the
// replica had not received yet; SENTINEL FAILOVER does not wait for the
// replica either (unlike CLUSTER FAILOVER or the FAILOVER command, it
// promotes it as if the master were down), and a write sent to the old
// master between the promotion and the client's switch is lost too. The
// store does not ask Redis to WAIT for a replica, so an acknowledged step
// survives a failover only once replicated: this test waits for the
// replica's offset to reach the master's before failing over
// (WaitReplicated), as WAIT 1 would, and checks that nothing replicated is
// lost and that the client follows the new master.
func TestSentinelFailover(t *testing.T) {
	const chats, steps = 20, 4
	start := time.Now()
	s := redistest.StartSentinel(t)
	t.Logf("started in %v", time.Since(start))
	rdb := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: s.Master, SentinelAddrs: s.Addrs,
		DisableIdentity: true})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	store := New(rdb, Options{CacheSize: 100})
	if err := store.Preload(ctx); err != nil {
		t.Fatal(err)
	}

	revs := map[int64]int64{}
	step := func(st *Store, chat, update int64) {
		t.Helper()
		state := typicalState()
		state.Steps = int(update)
		res := mustCommit(t, st, commit(chat, revs[chat], update, state, texts("r"+strconv.FormatInt(update, 10))))
		revs[chat] = res.Rev
	}
	for update := int64(1); update <= steps; update++ {
		for i := range chats {
			step(store, chatOf(i), update)
		}
	}

	s.WaitReplicated()
	oldMaster := s.MasterAddr
	failing := time.Now()
	newMaster := s.Failover()
	t.Logf("failed over in %v", time.Since(failing))
	// Every sentinel names the new master: the client, subscribed to one
	// of them, drops its connections to the old one; it dials the new one.
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := rdb.Info(ctx, "server").Result()
		if err == nil && "127.0.0.1:"+infoValue(info, "tcp_port") == newMaster {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client still talks to %s (%v), not the new master %s", oldMaster, err, newMaster)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Every acknowledged (and replicated) step is there, read past the cache.
	fresh := New(rdb, Options{})
	for i := range chats {
		chat := chatOf(i)
		r, err := fresh.Load(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if r.Rev != revs[chat] || r.State.Steps != steps || len(r.Recent) != steps {
			t.Fatalf("chat %d after the failover: rev %d steps %d recent %v, want rev %d after %d steps",
				chat, r.Rev, r.State.Steps, r.Recent, revs[chat], steps)
		}
	}
	// New steps go on, from the cached revisions, on the new master.
	for i := range chats {
		step(store, chatOf(i), steps+1)
	}
	direct := redis.NewClient(&redis.Options{Addr: newMaster, DisableIdentity: true})
	t.Cleanup(func() { _ = direct.Close() })
	for i := range chats {
		chat := chatOf(i)
		rev, err := direct.HGet(ctx, store.key("conv", chat), fieldRev).Int64()
		if err != nil || rev != revs[chat] {
			t.Fatalf("chat %d on the new master: rev %d %v, want %d", chat, rev, err, revs[chat])
		}
	}
	// A step replayed after the failover is still known as a duplicate.
	res, err := store.Commit(ctx, commit(chatOf(0), revs[chatOf(0)], 2, typicalState(), nil))
	if err != nil || res.Status != conversation.Duplicate {
		t.Fatalf("update 2 again after the failover: %+v %v, want Duplicate", res, err)
	}
}

// infoValue reads "name:value" from an INFO reply.
func infoValue(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}
