package redisstore

import (
	_ "embed"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Each atomic step is one Lua script, so it costs one round trip and no
// other client can interleave with it.
var (
	//go:embed lua/commit.lua
	commitLua    string
	commitScript = redis.NewScript(commitLua)

	//go:embed lua/ack.lua
	ackLua    string
	ackScript = redis.NewScript(ackLua)
)

// scripts lists what Preload loads.
var scripts = []struct {
	name   string
	script *redis.Script
}{
	{"commit", commitScript},
	{"ack", ackScript},
}

// isUnknownCommand tells a server that lacks a command (an older Redis, a
// Redis-compatible server) from a real failure.
func isUnknownCommand(err error) bool {
	return strings.HasPrefix(err.Error(), "ERR unknown command")
}
