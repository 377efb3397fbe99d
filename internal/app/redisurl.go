package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// newRedisClient opens the Redis that REDIS_URL names:
//
//	redis://[[user]:password@]host:6379/0          one server (rediss:// for TLS)
//	redis+sentinel://[[user]:password@]host1:26379,host2:26379/mymaster/0
//	                                              the master the sentinels name mymaster,
//	                                              followed through failovers
//	redis+cluster://[[user]:password@]host1:7000,host2:7001,host3:7002
//	                                              a Redis Cluster, from any of its nodes
//
// (rediss+sentinel:// and rediss+cluster:// for TLS.) The password is the
// servers' (the master's and its replicas', or the cluster nodes'); a
// sentinel that asks for one of its own takes it as ?sentinel_password=.
// Other query parameters are go-redis's (dial_timeout=3s, pool_size=…).
// A cluster has database 0 only.
func newRedisClient(raw string) (redis.UniversalClient, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, fmt.Errorf("REDIS_URL: no scheme: want redis://, redis+sentinel:// or redis+cluster://")
	}
	base, kind, _ := strings.Cut(scheme, "+")
	if base != "redis" && base != "rediss" {
		return nil, fmt.Errorf("REDIS_URL: scheme %q: want redis://, redis+sentinel:// or redis+cluster://", scheme)
	}
	switch kind {
	case "":
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		defaultPool(&opt.PoolSize)
		return redis.NewClient(opt), nil
	case "sentinel":
		opt, err := parseSentinelURL(base, rest)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		return redis.NewFailoverClient(opt), nil
	case "cluster":
		opt, err := parseClusterURL(base, rest)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		return redis.NewClusterClient(opt), nil
	}
	return nil, fmt.Errorf("REDIS_URL: scheme %q: want redis://, redis+sentinel:// or redis+cluster://", scheme)
}

// defaultPool sizes a pool the URL did not: up to 256 chats are handled at
// once, and a pool sized for the core count would make them queue and time
// out into the degraded reply.
func defaultPool(n *int) {
	if *n == 0 {
		*n = 64
	}
}

// multiHost is a URL with several hosts, which net/url does not read:
// "[userinfo@]h1:p1,h2:p2[/path][?query]".
type multiHost struct {
	user  *url.Userinfo
	hosts []string
	path  []string // the path's segments
	query url.Values
}

func splitMultiHost(rest string) (multiHost, error) {
	var m multiHost
	rest, rawQuery, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return m, err
	}
	m.query = q
	authority, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		// Let net/url decode the user info (percent-escapes and all).
		u, err := url.Parse("redis://" + authority[:at+1] + "h")
		if err != nil {
			return m, fmt.Errorf("user info: %w", err)
		}
		m.user, authority = u.User, authority[at+1:]
	}
	for h := range strings.SplitSeq(authority, ",") {
		if h == "" {
			continue
		}
		if !strings.Contains(h, ":") {
			return m, fmt.Errorf("host %q has no port", h)
		}
		m.hosts = append(m.hosts, h)
	}
	if len(m.hosts) == 0 {
		return m, fmt.Errorf("no host")
	}
	for p := range strings.SplitSeq(path, "/") {
		if p != "" {
			m.path = append(m.path, p)
		}
	}
	return m, nil
}

// goRedisURL writes m back as the URL go-redis reads for several addresses:
// the first host, the others as ?addr=, user info left out.
func (m multiHost) goRedisURL(scheme, path string, extra url.Values) string {
	q := url.Values{}
	for k, v := range m.query {
		q[k] = v
	}
	for k, v := range extra {
		q[k] = v
	}
	for _, h := range m.hosts[1:] {
		q.Add("addr", h)
	}
	u := url.URL{Scheme: scheme, Host: m.hosts[0], Path: path, RawQuery: q.Encode()}
	return u.String()
}

func parseSentinelURL(scheme, rest string) (*redis.FailoverOptions, error) {
	m, err := splitMultiHost(rest)
	if err != nil {
		return nil, err
	}
	if len(m.path) == 0 || len(m.path) > 2 {
		return nil, fmt.Errorf("want redis+sentinel://host1:26379,host2:26379/<master name>[/<db>]")
	}
	// go-redis reads the user info as the sentinels' credentials: the
	// servers' go as query parameters instead.
	sentinelPassword := m.query.Get("sentinel_password")
	m.query.Del("sentinel_password")
	path := ""
	if len(m.path) == 2 {
		path = "/" + m.path[1]
	}
	extra := url.Values{"master_name": {m.path[0]}}
	opt, err := redis.ParseFailoverURL(m.goRedisURL(scheme, path, extra))
	if err != nil {
		return nil, err
	}
	if m.user != nil {
		opt.Username = m.user.Username()
		opt.Password, _ = m.user.Password()
	}
	opt.SentinelPassword = sentinelPassword
	defaultPool(&opt.PoolSize)
	return opt, nil
}

func parseClusterURL(scheme, rest string) (*redis.ClusterOptions, error) {
	m, err := splitMultiHost(rest)
	if err != nil {
		return nil, err
	}
	if len(m.path) > 1 || len(m.path) == 1 && m.path[0] != "0" {
		return nil, fmt.Errorf("a Redis Cluster has database 0 only: want redis+cluster://host1:7000,host2:7001")
	}
	opt, err := redis.ParseClusterURL(m.goRedisURL(scheme, "", nil))
	if err != nil {
		return nil, err
	}
	if m.user != nil {
		opt.Username = m.user.Username()
		opt.Password, _ = m.user.Password()
	}
	defaultPool(&opt.PoolSize)
	return opt, nil
}
