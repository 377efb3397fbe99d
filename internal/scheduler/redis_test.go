package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's Redis database (see redistest).
const testDB = redistest.DBScheduler

// Two replicas on one Redis, locking with redisstore.Lock: each firing runs
// once, and its lock expires.
func TestTwoReplicasOnRedisRunEachFiringOnce(t *testing.T) {
	rdb := redistest.New(t, testDB)
	lock := func(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
		return redisstore.Lock(ctx, rdb, name, owner, ttl)
	}
	clk := newClock(at(2027, time.January, 10, 3, 30))
	var logA, logB logBuf
	a := newTest("a", clk, lock, &logA)
	b := newTest("b", clk, lock, &logB)
	jobA, jobB := &fnJob{name: "purge"}, &fnJob{name: "purge"}
	if err := a.Add("30 3 * * *", jobA, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.Add("30 3 * * *", jobB, time.Minute); err != nil {
		t.Fatal(err)
	}
	fireTogether(t, "purge", a, b)
	a.fire("purge") // the same replica again: still the same firing
	if n := jobA.runs.Load() + jobB.runs.Load(); n != 1 {
		t.Fatalf("ran %d times, want 1", n)
	}
	key := "bsl:lock:{job:purge:2027-01-10T02:30Z}"
	ttl := rdb.PTTL(context.Background(), key).Val()
	if ttl <= 0 || ttl > time.Minute+DefaultLockMargin {
		t.Fatalf("%s expires in %v, want (0, timeout+margin]", key, ttl)
	}

	clk.Set(at(2027, time.January, 11, 3, 30))
	fireTogether(t, "purge", a, b)
	if n := jobA.runs.Load() + jobB.runs.Load(); n != 2 {
		t.Fatalf("two firings ran %d times, want 2", n)
	}
	ok := logA.outcomes(t)[OutcomeOK] + logB.outcomes(t)[OutcomeOK]
	elsewhere := logA.outcomes(t)[OutcomeLockedElsewhere] + logB.outcomes(t)[OutcomeLockedElsewhere]
	if ok != 2 || elsewhere != 3 {
		t.Fatalf("%d ok and %d locked-elsewhere, want 2 and 3", ok, elsewhere)
	}
}
