package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/redistest"
)

func TestParseSentinelURL(t *testing.T) {
	opt, err := parseSentinelURL("redis", ":s3cr%40t@10.0.0.1:26379,10.0.0.2:26380/mymaster/2?dial_timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	if opt.MasterName != "mymaster" || opt.DB != 2 || opt.Password != "s3cr@t" || opt.SentinelPassword != "" ||
		!slices.Equal(opt.SentinelAddrs, []string{"10.0.0.1:26379", "10.0.0.2:26380"}) ||
		opt.DialTimeout.Seconds() != 3 || opt.PoolSize != 64 || opt.TLSConfig != nil {
		t.Fatalf("options %+v", opt)
	}
	opt, err = parseSentinelURL("rediss", "h:26379/m?sentinel_password=x")
	if err != nil {
		t.Fatal(err)
	}
	if opt.MasterName != "m" || opt.DB != 0 || opt.Password != "" || opt.SentinelPassword != "x" || opt.TLSConfig == nil {
		t.Fatalf("options %+v", opt)
	}
}

func TestParseClusterURL(t *testing.T) {
	opt, err := parseClusterURL("redis", "u:pw@h1:7000,h2:7001,h3:7002?pool_size=8")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opt.Addrs, []string{"h1:7000", "h2:7001", "h3:7002"}) || opt.Username != "u" ||
		opt.Password != "pw" || opt.PoolSize != 8 {
		t.Fatalf("options %+v", opt)
	}
	if opt, err := parseClusterURL("redis", "h1:7000/0"); err != nil || opt.PoolSize != 64 {
		t.Fatalf("database 0: %+v %v", opt, err)
	}
}

func TestNewRedisClientKinds(t *testing.T) {
	for url, want := range map[string]string{
		"redis://127.0.0.1:6379/3":                      "*redis.Client",
		"redis+sentinel://127.0.0.1:26379/mymaster":     "*redis.Client", // a failover client
		"redis+cluster://127.0.0.1:7000,127.0.0.1:7001": "*redis.ClusterClient",
	} {
		c, err := newRedisClient(url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		var got string
		switch c.(type) {
		case *redis.Client:
			got = "*redis.Client"
		case *redis.ClusterClient:
			got = "*redis.ClusterClient"
		}
		_ = c.Close()
		if got != want {
			t.Errorf("%s: %T, want %s", url, c, want)
		}
	}
	for _, bad := range []string{
		"127.0.0.1:6379",
		"http://127.0.0.1:6379",
		"redis+shard://127.0.0.1:6379",
		"redis+sentinel://127.0.0.1:26379",              // no master name
		"redis+sentinel://127.0.0.1:26379/m/0/1",        // too long a path
		"redis+sentinel:///mymaster",                    // no sentinel
		"redis+cluster://127.0.0.1:7000/1",              // a cluster has database 0 only
		"redis+cluster://127.0.0.1",                     // no port
		"redis+cluster://127.0.0.1:7000?dial_timeout=x", // go-redis's own checks
	} {
		if c, err := newRedisClient(bad); err == nil {
			_ = c.Close()
			t.Errorf("%s: accepted", bad)
		} else if !strings.HasPrefix(err.Error(), "REDIS_URL") {
			t.Errorf("%s: error %q does not name REDIS_URL", bad, err)
		}
	}
}

// A redis+sentinel:// URL reaches the master through real sentinels
// (started by the test on their own ports, see redistest.StartSentinel).
func TestSentinelURLReachesTheMaster(t *testing.T) {
	s := redistest.StartSentinel(t)
	c, err := newRedisClient("redis+sentinel://" + strings.Join(s.Addrs, ",") + "/" + s.Master + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	ctx := context.Background()
	if err := c.Set(ctx, "bsl:probe", "ok", 0).Err(); err != nil {
		t.Fatal(err)
	}
	direct := redis.NewClient(&redis.Options{Addr: s.MasterAddr, DisableIdentity: true})
	defer func() { _ = direct.Close() }()
	if got := direct.Get(ctx, "bsl:probe").Val(); got != "ok" {
		t.Fatalf("the master holds %q, want the value written through the sentinels", got)
	}
}
