package redisstore

import (
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Embedded starts an in-process, in-memory Redis (miniredis) and returns a
// client on it and a func that stops both. It lets the bot run without a
// REDIS_URL, to try it: nothing survives a restart, and the caller must say
// so loudly.
func Embedded() (*redis.Client, func(), error) {
	m, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	// miniredis does not know CLIENT SETINFO: skip it rather than fail it on
	// every new connection.
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), DisableIdentity: true})
	stop := func() {
		_ = c.Close()
		m.Close()
	}
	return c, stop, nil
}
