package jobs

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's Redis database (redistest).
const testDB = redistest.DBJobs

func TestFamily(t *testing.T) {
	for key, want := range map[string]string{
		"bsl:conv:{24}":          "bsl:conv",
		"bsl:{desk}:t:7":         "bsl:{desk}:t",
		"bsl:{desk}:queue":       "bsl:{desk}:queue",
		"bsl:{obs}:d:2026-11-23": "bsl:{obs}:d",
		"bsl:{obs}:k:2026-W48":   "bsl:{obs}:k",
		"rate:bsl:send":          "rate:bsl:send",
		"bsl:group":              "bsl:group",
		"bsl:lock:{board}":       "bsl:lock:{board}",
		"bsl:{flows}:v:12":       "bsl:{flows}:v",
		"bsl:{flows}:head":       "bsl:{flows}:head",
		"bsl:{flows}:draft:77":   "bsl:{flows}:draft",
		"1:2":                    "?",
	} {
		if got := Family(key); got != want {
			t.Errorf("Family(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestPurge(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx := context.Background()
	const retention = 10 * 24 * time.Hour
	// Keys without an expiry, of several families, and keys with one.
	bare := map[string]time.Duration{
		"bsl:conv:{21}":          retention,
		"bsl:conv:{22}":          retention,
		"bsl:msgs:{21}":          retention,
		"bsl:{desk}:t:5":         retention,
		"bsl:{desk}:seq":         DefaultKeyTTL,
		"bsl:{obs}:d:2026-11-23": DefaultKeyTTL,
		"bsl:{obs}:k:2026-W48":   8 * 24 * time.Hour,
		"rate:bsl:send":          time.Hour,
		"bsl:{flows}:head":       DefaultKeyTTL,
		"bsl:{flows}:v:12":       DefaultKeyTTL,
		"bsl:{flows}:journal":    DefaultKeyTTL,
		"bsl:{flows}:draft:77":   24 * time.Hour,
	}
	for k := range bare {
		if err := rdb.Set(ctx, k, "x", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	kept := map[string]time.Duration{"bsl:conv:{23}": time.Hour, "bsl:out:{21}": time.Minute, "bsl:{obs}:h:2026-11-23": 48 * time.Hour}
	for k, d := range kept {
		rdb.Set(ctx, k, "x", d)
	}
	// Not the bot's: left alone.
	rdb.Set(ctx, "other:thing", "x", 0)
	// Enough keys for several SCAN batches.
	for i := range 1200 {
		rdb.Set(ctx, "bsl:pace:{"+strconv.Itoa(1000+i)+"}", "x", time.Hour)
	}

	p := NewPurge(rdb, PurgeConfig{Retention: retention})
	sum, err := p.Run(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := "scanned 1215, fixed 12 (bsl:conv 2, bsl:msgs 1, bsl:{desk}:seq 1, bsl:{desk}:t 1, bsl:{flows}:draft 1, bsl:{flows}:head 1, bsl:{flows}:journal 1, bsl:{flows}:v 1, bsl:{obs}:d 1, bsl:{obs}:k 1, rate:bsl:send 1)"
	if sum != want {
		t.Errorf("summary %q\nwant    %q", sum, want)
	}
	for k, d := range bare {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= d-time.Minute || ttl > d {
			t.Errorf("%s: PTTL %v, want %v", k, ttl, d)
		}
	}
	for k, d := range kept {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > d {
			t.Errorf("%s: PTTL %v, want its own %v", k, ttl, d)
		}
	}
	if ttl := rdb.PTTL(ctx, "other:thing").Val(); ttl != -1 {
		t.Errorf("other:thing: PTTL %v: a key of someone else was touched", ttl)
	}
	if n := rdb.DBSize(ctx).Val(); n != 1216 {
		t.Errorf("%d keys after the purge, want 1216: a key was deleted", n)
	}
	keys, err := rdb.Keys(ctx, "*bsl:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("%s still has no expiry (PTTL %v)", k, ttl)
		}
	}

	// A second run finds nothing to fix and changes nothing.
	before := map[string]time.Duration{}
	for _, k := range keys {
		before[k] = rdb.PTTL(ctx, k).Val()
	}
	sum, err = p.Run(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sum != "scanned 1215, fixed 0" {
		t.Errorf("second run: %q", sum)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl > before[k] || ttl < before[k]-time.Minute {
			t.Errorf("%s: PTTL %v after the second run, %v before", k, ttl, before[k])
		}
	}
}

func TestPurgeConfig(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx := context.Background()
	rdb.Set(ctx, "x:conv:{1}", "x", 0)
	rdb.Set(ctx, "x:misc", "x", 0)
	rdb.Set(ctx, "x:special:9", "x", 0)
	rdb.Set(ctx, "bsl:conv:{1}", "x", 0)
	p := NewPurge(rdb, PurgeConfig{Prefix: "x", Retention: time.Hour, Default: 2 * time.Hour, Families: map[string]time.Duration{"x:special": 3 * time.Hour}, Count: 1})
	if _, err := p.Run(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	for k, d := range map[string]time.Duration{"x:conv:{1}": time.Hour, "x:misc": 2 * time.Hour, "x:special:9": 3 * time.Hour, "bsl:conv:{1}": -1} {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl > d || ttl < d-time.Minute {
			t.Errorf("%s: PTTL %v, want %v", k, ttl, d)
		}
	}
}

func TestPurgeStopsWithContext(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rdb.Set(context.Background(), "bsl:conv:{1}", "x", 0)
	if _, err := NewPurge(rdb, PurgeConfig{}).Run(ctx, time.Now()); err == nil {
		t.Error("cancelled context: no error")
	}
}
