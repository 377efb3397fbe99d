package redisstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/redistest"
)

// The store on a real Redis Cluster of three primaries, started by the test
// (redistest.StartCluster: its own ports from 17000 up, database 0, the
// only one a cluster has; never the shared server of the other tests). The
// subtests share the cluster, each under its own key prefix, so that one
// start (about 3 s, most of it redis-cli's waits) serves them all.
func TestCluster(t *testing.T) {
	addrs := redistest.StartCluster(t)
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, DisableIdentity: true})
	t.Cleanup(func() { _ = cc.Close() })
	ctx := context.Background()
	if err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return c.Ping(ctx).Err() }); err != nil {
		t.Fatal(err)
	}
	t.Run("PreloadOnEveryPrimary", func(t *testing.T) { clusterPreload(t, cc) })
	t.Run("CommitAckOutbox", func(t *testing.T) { clusterCommitAck(t, cc) })
	t.Run("QueuedRenewRelease", func(t *testing.T) { clusterQueued(t, cc) })
	t.Run("Desk", func(t *testing.T) { clusterDesk(t, cc) })
	t.Run("Lock", func(t *testing.T) { clusterLock(t, cc) })
	t.Run("Limiter", func(t *testing.T) { clusterLimiter(t, cc) })
	t.Run("Versions", func(t *testing.T) { clusterVersions(t, cc) })
}

// Publishing on a cluster: the script's keys share the {flows} slot, a
// draft based on an older head is refused, and a replica watching hears
// every publication whichever primary it listens on.
func clusterVersions(t *testing.T, cc *redis.ClusterClient) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v := NewVersions(cc)
	if err := v.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	got := make(chan int64, 64)
	go func() { _ = v.Watch(ctx, func(n int64) { got <- n }) }()
	heard := false
	for base := int64(0); base < 10 && !heard; base++ {
		mustPublish(t, v, testVersion(base))
		select {
		case <-got:
			heard = true // the subscription was up: every later one is heard
		case <-time.After(500 * time.Millisecond):
		}
	}
	if !heard {
		t.Fatal("no publication heard on the cluster")
	}
	head, err := v.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Publish(ctx, testVersion(head-1)); err == nil {
		t.Fatal("a draft based on an older version was published over the head")
	}
	n := mustPublish(t, v, testVersion(head))
	select {
	case m := <-got:
		if m != n {
			t.Errorf("heard %d, want %d", m, n)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("version %d published on the cluster, never announced", n)
	}
	if ver, err := v.Get(ctx, n); err != nil || ver.Summary == "" {
		t.Fatalf("version %d read back: %+v %v", n, ver, err)
	}
}

// masterOf names the primary that holds key.
func masterOf(t *testing.T, cc *redis.ClusterClient, key string) string {
	t.Helper()
	m, err := cc.MasterForKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return m.Options().Addr
}

// Preload puts every script on every primary: a step never pays a NOSCRIPT
// retry, whatever node its chat lives on.
func clusterPreload(t *testing.T, cc *redis.ClusterClient) {
	ctx := context.Background()
	s := New(cc, Options{})
	if err := s.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	d := NewDesk(cc, DeskOptions{})
	if err := d.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for _, sc := range scripts {
		hashes = append(hashes, sc.script.Hash())
	}
	for _, sc := range deskScripts {
		hashes = append(hashes, sc.script.Hash())
	}
	var mu sync.Mutex
	nodes := 0
	err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		ok, err := c.ScriptExists(ctx, hashes...).Result()
		if err != nil {
			return err
		}
		if i := slices.Index(ok, false); i >= 0 {
			return fmt.Errorf("%s lacks script %d of %d", c.Options().Addr, i, len(ok))
		}
		mu.Lock()
		nodes++
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if nodes != redistest.ClusterMasters {
		t.Fatalf("scripts checked on %d primaries, want %d", nodes, redistest.ClusterMasters)
	}
}

// Many chats, spread over every primary, each commit a step of two replies
// and have both acknowledged, from several goroutines at once: each step is
// one script on its chat's slot, wherever it lives.
func clusterCommitAck(t *testing.T, cc *redis.ClusterClient) {
	const chats, workers = 300, 8
	ctx := context.Background()
	s := New(cc, Options{Prefix: "ca", CacheSize: 1000})
	if err := s.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	nodes := map[string]int{}
	for i := range chats {
		nodes[masterOf(t, cc, s.key("conv", chatOf(i)))]++
	}
	if len(nodes) != redistest.ClusterMasters {
		t.Fatalf("the chats live on %d primaries, want all %d: %v", len(nodes), redistest.ClusterMasters, nodes)
	}
	errs := make(chan error, chats)
	var wg sync.WaitGroup
	work := make(chan int64)
	for range workers {
		wg.Go(func() {
			for chat := range work {
				if err := stepAndAck(ctx, s, chat); err != nil {
					errs <- err
				}
			}
		})
	}
	for i := range chats {
		work <- chatOf(i)
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	// Past the cache, every record is where its commit put it, and every
	// outbox and lease is gone with its last acknowledgement.
	fresh := New(cc, Options{Prefix: "ca"})
	for i := range chats {
		chat := chatOf(i)
		r, err := fresh.Load(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if r.Rev == 0 || r.State.Node != typicalState().Node || !slices.Contains(r.Recent, 1) {
			t.Fatalf("chat %d reads %+v", chat, r)
		}
		if n := cc.Exists(ctx, s.key("out", chat), s.key("lease", chat)).Val(); n != 0 {
			t.Fatalf("chat %d: %d of out and lease left after the last ack", chat, n)
		}
		ids, err := fresh.Journal(ctx, chat, t0)
		if err != nil || !slices.Equal(ids, []int{7, 8, 9}) {
			t.Fatalf("chat %d journal %v %v, want the incoming and both sent ids", chat, ids, err)
		}
	}
}

// chatOf is the i-th chat of a test: people (positive) and a few groups.
func chatOf(i int) int64 {
	if i%10 == 9 {
		return -1001000000000 - int64(i)
	}
	return 5_000_000 + int64(i)*7919
}

// stepAndAck commits a step of two replies for chat, then sends both.
func stepAndAck(ctx context.Context, s *Store, chat int64) error {
	c := commit(chat, 0, 1, typicalState(), musts("un", "deux"))
	c.IncomingID = 7
	res, err := s.Commit(ctx, c)
	if err != nil {
		return err
	}
	if res.Status != conversation.Committed || !res.Claim.Held || res.Claim.Head == "" || res.Claim.Queued != 2 {
		return fmt.Errorf("chat %d: commit %+v", chat, res)
	}
	// The same update again is a duplicate, stored nowhere else.
	if dup, err := s.Commit(ctx, commit(chat, res.Rev, 1, typicalState(), nil)); err != nil || dup.Status != conversation.Duplicate {
		return fmt.Errorf("chat %d: second commit of update 1: %+v %v", chat, dup, err)
	}
	ack, err := s.Ack(ctx, chat, ownerA, res.Claim.Head, []int{8}, delivery.Pace{Interval: time.Second}, t0)
	if err != nil {
		return err
	}
	if ack.Lost || ack.Escaped || ack.Next == "" {
		return fmt.Errorf("chat %d: first ack %+v", chat, ack)
	}
	ack, err = s.Ack(ctx, chat, ownerA, ack.Next, []int{9}, delivery.Pace{Interval: time.Second}, t0.Add(time.Second))
	if err != nil {
		return err
	}
	if ack.Lost || ack.Next != "" {
		return fmt.Errorf("chat %d: last ack %+v", chat, ack)
	}
	return nil
}

// Queued walks every primary; leases renewed and released in one pipeline
// reach every node their chats live on.
func clusterQueued(t *testing.T, cc *redis.ClusterClient) {
	const chats = 60
	ctx := context.Background()
	s := New(cc, Options{Prefix: "qd", LeaseTTL: 10 * time.Second})
	var want []int64
	nodes := map[string]bool{}
	for i := range chats {
		chat := chatOf(i)
		mustCommit(t, s, commit(chat, 0, 1, typicalState(), texts("r")))
		want = append(want, chat)
		nodes[masterOf(t, cc, s.key("out", chat))] = true
	}
	if len(nodes) != redistest.ClusterMasters {
		t.Fatalf("outboxes on %d primaries, want %d", len(nodes), redistest.ClusterMasters)
	}
	// A chat with nothing queued, and one whose outbox was sent, are not listed.
	mustCommit(t, s, commit(42, 0, 1, typicalState(), nil))
	res := mustCommit(t, s, commit(43, 0, 1, typicalState(), texts("r")))
	mustAck(t, s, 43, ownerA, res.Claim.Head, []int{1}, delivery.Pace{}, t0)
	// Another prefix's outboxes are not listed either.
	mustCommit(t, New(cc, Options{Prefix: "qd2"}), commit(44, 0, 1, typicalState(), texts("r")))

	got, err := s.Queued(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("queued %d chats %v, want %d %v", len(got), got, len(want), want)
	}
	if got, err := s.Queued(ctx, 10); err != nil || len(got) != 10 {
		t.Fatalf("queued with a limit of 10: %d %v", len(got), err)
	}

	lost, err := s.Renew(ctx, ownerA, append(slices.Clone(want), 43))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lost, []int64{43}) {
		t.Fatalf("renew lost %v, want only 43 (nothing queued)", lost)
	}
	if lost, err := s.Renew(ctx, ownerB, want[:5]); err != nil || !slices.Equal(lost, want[:5]) {
		t.Fatalf("another replica renewed %v: lost %v %v", want[:5], lost, err)
	}
	if err := s.Release(ctx, ownerA, want); err != nil {
		t.Fatal(err)
	}
	for _, chat := range want {
		if n := cc.Exists(ctx, s.key("lease", chat)).Val(); n != 0 {
			t.Fatalf("chat %d: lease left after the release", chat)
		}
	}
}

// The desk lives in one slot ({desk}): tickets open, 50 volunteers claim
// each at once and exactly one wins, Active scans the right node.
func clusterDesk(t *testing.T, cc *redis.ClusterClient) {
	const rounds, claimers = 10, 50
	ctx := context.Background()
	d := NewDesk(cc, DeskOptions{Prefix: "dk", CodeKey: []byte("test key"), Clock: func() time.Time { return t0 }})
	if err := d.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	var open []int64
	for round := range rounds {
		tk := mustOpen(t, d, int64(10_000+round), handoff.RankNormal, t0)
		if again, existing, err := d.Open(ctx, deskRequest(int64(10_000+round), handoff.RankNormal), t0); err != nil || !existing || again.ID != tk.ID {
			t.Fatalf("second open for chat %d: %+v %v %v", 10_000+round, again, existing, err)
		}
		if pos, err := d.Position(ctx, tk.ID); err != nil || pos != 1 {
			t.Fatalf("position of ticket %d: %d %v", tk.ID, pos, err)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			won   []int64
			taken int
			full  int // a volunteer who holds an earlier ticket still open
			fail  error
		)
		gate := make(chan struct{})
		for i := range claimers {
			wg.Go(func() {
				v := deskVolunteer(int64(100+i), fmt.Sprintf("V%02d", i))
				<-gate
				st, _, err := d.Claim(ctx, tk.ID, v, t0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					fail = err
				case st == handoff.Won:
					won = append(won, v.ID)
				case st == handoff.Taken:
					taken++
				case st == handoff.Full:
					full++
				}
			})
		}
		close(gate)
		wg.Wait()
		if fail != nil {
			t.Fatalf("round %d: %v", round, fail)
		}
		if len(won) != 1 || taken+full != claimers-1 || full > len(open) {
			t.Fatalf("round %d: won by %v, %d taken, %d full, want one winner", round, won, taken, full)
		}
		if got := mustGetTicket(t, d, tk.ID); got.Status != handoff.Claimed || got.Volunteer != won[0] {
			t.Fatalf("round %d: ticket %+v, won by %d", round, got, won[0])
		}
		if round%2 == 0 {
			if _, err := d.Close(ctx, tk.ID, won[0], "closed", t0); err != nil {
				t.Fatal(err)
			}
		} else {
			open = append(open, tk.ID)
		}
	}
	active, err := d.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, tk := range active {
		ids = append(ids, tk.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, open) {
		t.Fatalf("active tickets %v, want the claimed ones still open %v", ids, open)
	}
}

// Locks of different names live on different nodes; each is one owner's.
func clusterLock(t *testing.T, cc *redis.ClusterClient) {
	ctx := context.Background()
	nodes := map[string]bool{}
	for i := range 12 {
		name := fmt.Sprintf("job-%d", i)
		nodes[masterOf(t, cc, "bsl:lock:{"+name+"}")] = true
		if ok, err := Lock(ctx, cc, name, "a", time.Minute); err != nil || !ok {
			t.Fatalf("a could not take %s: %v %v", name, ok, err)
		}
		if ok, err := Lock(ctx, cc, name, "b", time.Minute); err != nil || ok {
			t.Fatalf("b took a's %s: %v %v", name, ok, err)
		}
		if ok, err := Lock(ctx, cc, name, "a", time.Minute); err != nil || !ok {
			t.Fatalf("a could not renew %s: %v %v", name, ok, err)
		}
		if ttl := cc.PTTL(ctx, "bsl:lock:{"+name+"}").Val(); ttl <= 0 {
			t.Fatalf("lock %s has no expiry: %v", name, ttl)
		}
	}
	if len(nodes) < 2 {
		t.Fatalf("12 locks all on one primary: %v", nodes)
	}
}

// The global rate (GCRA) is shared through the cluster: a burst is granted,
// then every replica is asked to wait.
func clusterLimiter(t *testing.T, cc *redis.ClusterClient) {
	ctx := context.Background()
	a, b := NewLimiter(cc, "lim", 1, 3), NewLimiter(cc, "lim", 1, 3)
	for i := range 3 {
		if wait, err := a.Take(ctx); err != nil || wait != 0 {
			t.Fatalf("take %d of a burst of 3: %v %v", i+1, wait, err)
		}
	}
	if wait, err := a.Take(ctx); err != nil || wait <= 0 {
		t.Fatalf("take past the burst: %v %v, want a wait", wait, err)
	}
	if wait, err := b.Take(ctx); err != nil || wait <= 0 {
		t.Fatalf("another replica past the burst: %v %v, want a wait", wait, err)
	}
	if ttl := cc.PTTL(ctx, "rate:lim:send").Val(); ttl <= 0 {
		t.Fatalf("limiter key PTTL %v: it never expires", ttl)
	}
}
