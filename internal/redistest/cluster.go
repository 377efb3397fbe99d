package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// ClusterMasters is how many primaries StartCluster starts: the fewest
// redis-cli accepts, and enough to spread slots over several nodes.
const ClusterMasters = 3

// StartCluster starts a Redis Cluster of ClusterMasters primaries and no
// replica, in temporary directories, with nothing persisted, and returns
// their addresses once every node says cluster_state:ok. The servers are
// killed when the test ends. Without redis-server the test is skipped (in
// CI, failed).
func StartCluster(t testing.TB) []string {
	t.Helper()
	bin, cli := binaries(t)
	nodes := make([]*server, ClusterMasters)
	addrs := make([]string, ClusterMasters)
	for i := range nodes {
		nodes[i] = startServer(t, bin, "", true,
			"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no")
		// Each node writes its nodes.conf in its working directory: one
		// each, or they would share it.
		addrs[i] = nodes[i].Addr
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	ctx := context.Background()
	for _, n := range nodes {
		c := n.client(t)
		waitUntil(t, "cluster_state:ok on "+n.Addr, waitTimeout, func() (bool, string) {
			info, err := c.ClusterInfo(ctx).Result()
			if err != nil {
				return false, err.Error()
			}
			ok := infoField(info, "cluster_state") == "ok" &&
				infoField(info, "cluster_known_nodes") == fmt.Sprint(ClusterMasters) &&
				infoField(info, "cluster_slots_ok") == "16384"
			return ok, strings.ReplaceAll(strings.TrimSpace(info), "\r\n", " ")
		})
	}
	return addrs
}
