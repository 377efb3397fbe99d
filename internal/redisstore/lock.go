package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// lockScript takes or renews a lock: free, or already this owner's.
var lockScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`)

// Lock takes (or renews) the lock name for owner for ttl: one replica at a
// time runs what it guards (the volunteers' board, a scheduled job). The
// key is "bsl:lock:{name}" and expires with the lock.
func Lock(ctx context.Context, c redis.UniversalClient, name, owner string, ttl time.Duration) (bool, error) {
	n, err := lockScript.Run(ctx, c, []string{"bsl:lock:{" + name + "}"}, owner, ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	return n == 1, nil
}
