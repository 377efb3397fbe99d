package redistest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// SentinelMaster is the name the sentinels of StartSentinel monitor.
const SentinelMaster = "mymaster"

// Sentinel is a master, its replica and three sentinels watching them
// (quorum 2), all started by the test.
type Sentinel struct {
	// Addrs are the sentinels' addresses.
	Addrs []string
	// Master is the name they monitor (SentinelMaster).
	Master string
	// MasterAddr and ReplicaAddr are where the master and its replica
	// started; a failover swaps their roles.
	MasterAddr, ReplicaAddr string

	t         testing.TB
	master    *redis.Client
	replica   *redis.Client
	sentinels []*redis.SentinelClient
}

// StartSentinel starts a master, one replica and three sentinels (quorum
// 2), with nothing persisted, and returns once the replica is in sync, and
// every sentinel knows the replica and the two other sentinels. Everything
// is killed when the test ends. Without redis-server the test is skipped
// (in CI, failed).
func StartSentinel(t testing.TB) *Sentinel {
	t.Helper()
	bin, _ := binaries(t)
	ctx := context.Background()
	// Nothing on disk; a replica syncs at once, not after the 5 s a master
	// waits by default for more replicas to share a diskless transfer.
	noDisk := []string{"--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"}
	m := startServer(t, bin, "", false, noDisk...)
	r := startServer(t, bin, "", false, append([]string{"--replicaof", "127.0.0.1", strconv.Itoa(m.Port)}, noDisk...)...)
	s := &Sentinel{Master: SentinelMaster, MasterAddr: m.Addr, ReplicaAddr: r.Addr, t: t,
		master: m.client(t), replica: r.client(t)}
	waitUntil(t, "replica in sync", waitTimeout, func() (bool, string) {
		info, err := s.replica.Info(ctx, "replication").Result()
		if err != nil {
			return false, err.Error()
		}
		return infoField(info, "master_link_status") == "up", info
	})
	// The sentinels start once the replica is connected: their first INFO
	// of the master then lists it. down-after is long enough that a loaded
	// machine never fails the master over by itself; the tests fail it
	// over on purpose (Failover).
	for range 3 {
		dir := t.TempDir()
		conf := filepath.Join(dir, "sentinel.conf")
		body := fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds %[1]s 5000\n"+
			"sentinel failover-timeout %[1]s 10000\n", SentinelMaster, m.Port)
		if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		sn := startServer(t, bin, conf, false, "--sentinel")
		s.Addrs = append(s.Addrs, sn.Addr)
		sc := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr, DisableIdentity: true, MaxRetries: -1})
		t.Cleanup(func() { _ = sc.Close() })
		s.sentinels = append(s.sentinels, sc)
	}
	for i, sc := range s.sentinels {
		waitUntil(t, "sentinel "+s.Addrs[i]+" ready", waitTimeout, func() (bool, string) {
			if err := sc.CkQuorum(ctx, SentinelMaster).Err(); err != nil {
				return false, err.Error()
			}
			m, err := sc.Master(ctx, SentinelMaster).Result()
			if err != nil {
				return false, err.Error()
			}
			return m["num-other-sentinels"] == "2" && s.replicaGood(sc), fmt.Sprint(m)
		})
	}
	return s
}

// replicaGood reports whether sc sees the replica connected and in sync,
// so that it can promote it.
func (s *Sentinel) replicaGood(sc *redis.SentinelClient) bool {
	reps, err := sc.Replicas(context.Background(), SentinelMaster).Result()
	if err != nil || len(reps) != 1 {
		return false
	}
	return reps[0]["flags"] == "slave" && reps[0]["master-link-status"] == "ok"
}

// Failover asks a sentinel for SENTINEL FAILOVER and returns once the
// replica is promoted and every sentinel names it as the master. It swaps
// MasterAddr and ReplicaAddr.
//
// SENTINEL FAILOVER promotes the replica as if the master were down: it
// does not pause the master's clients nor wait for the replica to catch up
// (CLUSTER FAILOVER and the FAILOVER command do; SENTINEL FAILOVER does not,
// in Redis 7.0). A write the master acknowledged but had not yet sent to
// the replica is lost, as in a crash; so is one a client still sends to the
// old master before it is turned into a replica. A test that must keep
// every acknowledged write waits for the replica's offset first
// (WaitReplicated).
func (s *Sentinel) Failover() string {
	t := s.t
	t.Helper()
	ctx := context.Background()
	if err := s.sentinels[0].Failover(ctx, SentinelMaster).Err(); err != nil {
		t.Fatalf("redistest: SENTINEL FAILOVER %s: %v", SentinelMaster, err)
	}
	waitUntil(t, "replica promoted", waitTimeout, func() (bool, string) {
		info, err := s.replica.Info(ctx, "replication").Result()
		if err != nil {
			return false, err.Error()
		}
		return infoField(info, "role") == "master", info
	})
	for i, sc := range s.sentinels {
		waitUntil(t, "sentinel "+s.Addrs[i]+" names the new master", waitTimeout, func() (bool, string) {
			a, err := sc.GetMasterAddrByName(ctx, SentinelMaster).Result()
			if err != nil || len(a) != 2 {
				return false, fmt.Sprint(a, err)
			}
			return a[0]+":"+a[1] == s.ReplicaAddr, strings.Join(a, ":")
		})
	}
	s.MasterAddr, s.ReplicaAddr = s.ReplicaAddr, s.MasterAddr
	s.master, s.replica = s.replica, s.master
	return s.MasterAddr
}

// WaitReplicated waits until the replica has received everything the
// master has written so far (its replication offset reached the master's):
// what WAIT 1 would give a client for its own writes.
func (s *Sentinel) WaitReplicated() {
	t := s.t
	t.Helper()
	ctx := context.Background()
	info, err := s.master.Info(ctx, "replication").Result()
	if err != nil {
		t.Fatal(err)
	}
	want, err := strconv.ParseInt(infoField(info, "master_repl_offset"), 10, 64)
	if err != nil {
		t.Fatalf("redistest: master_repl_offset: %v", err)
	}
	waitUntil(t, "replica caught up", waitTimeout, func() (bool, string) {
		info, err := s.replica.Info(ctx, "replication").Result()
		if err != nil {
			return false, err.Error()
		}
		got, _ := strconv.ParseInt(infoField(info, "slave_repl_offset"), 10, 64)
		return got >= want, fmt.Sprintf("replica at %d, master at %d", got, want)
	})
}
