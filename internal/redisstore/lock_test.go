package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/redistest"
)

func TestLockOneOwnerAtATimeAndExpires(t *testing.T) {
	c := redistest.New(t, testDB)
	ctx := context.Background()
	ok, err := Lock(ctx, c, "board", "a", time.Second)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if ok, _ := Lock(ctx, c, "board", "b", time.Second); ok {
		t.Fatal("b took a's lock")
	}
	if ok, _ := Lock(ctx, c, "board", "a", time.Second); !ok {
		t.Fatal("a could not renew its lock")
	}
	if ttl := c.PTTL(ctx, "bsl:lock:{board}").Val(); ttl <= 0 {
		t.Fatalf("the lock has no expiry: %v", ttl)
	}
}
