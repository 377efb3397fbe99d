package redisstore

import (
	_ "embed"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Each atomic step is one Lua script, so it costs one round trip and no
// other client can interleave with it. Each touches the keys of one chat
// only, all in one cluster slot.
var (
	//go:embed lua/commit.lua
	commitLua    string
	commitScript = redis.NewScript(commitLua)

	//go:embed lua/ack.lua
	ackLua    string
	ackScript = redis.NewScript(ackLua)

	//go:embed lua/claim.lua
	claimLua    string
	claimScript = redis.NewScript(claimLua)

	//go:embed lua/block.lua
	blockLua    string
	blockScript = redis.NewScript(blockLua)

	//go:embed lua/lease.lua
	leaseLua    string
	leaseScript = redis.NewScript(leaseLua)

	//go:embed lua/setaside.lua
	setAsideLua    string
	setAsideScript = redis.NewScript(setAsideLua)
)

// scripts lists what Preload loads.
var scripts = []struct {
	name   string
	script *redis.Script
}{
	{"commit", commitScript},
	{"ack", ackScript},
	{"claim", claimScript},
	{"block", blockScript},
	{"lease", leaseScript},
	{"setaside", setAsideScript},
}

// isUnknownCommand tells a server that lacks a command (an older Redis, a
// Redis-compatible server) from a real failure.
func isUnknownCommand(err error) bool {
	return strings.HasPrefix(err.Error(), "ERR unknown command")
}
