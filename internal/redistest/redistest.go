// Package redistest gives tests a Redis: the real server named by
// TEST_REDIS_URL when there is one, an in-process miniredis otherwise.
//
// Each package passes its own database number, so packages tested in
// parallel against one server never flush each other's data.
package redistest

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// The database of each package's tests on a shared server, one each, so
// that packages tested in parallel never flush each other's data. The load
// tool (cmd/boussole-load) uses 12 and 13.
const (
	DBStore        = 1
	DBConversation = 2
	DBDesk         = 3
	DBObservatory  = 4
	DBScheduler    = 5
	DBDelivery     = 6
	DBJobs         = 7
	DBHandoff      = 8
	DBEndToEnd     = 9
	DBConsole      = 10
	DBVersions     = 11
	DBAteliers     = 14
)

// New returns a client on an empty database db, closed when the test ends.
//
// With TEST_REDIS_URL set it connects to that server, selects db and flushes
// it; an unreachable server fails the test rather than skipping it. Without
// it, a miniredis is started for the test, except in CI (CI=true), where
// falling back would hide that the real server was never tried.
func New(t testing.TB, db int) *redis.Client {
	t.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("redistest: CI=true but TEST_REDIS_URL is not set: CI must test against a real Redis")
		}
		m := miniredis.RunT(t)
		c := redis.NewClient(&redis.Options{Addr: m.Addr(), DB: db, DisableIdentity: true})
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("redistest: TEST_REDIS_URL: %v", err)
	}
	opt.DB = db
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("redistest: ping %s: %v", opt.Addr, err)
	}
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("redistest: flush database %d: %v", db, err)
	}
	return c
}
