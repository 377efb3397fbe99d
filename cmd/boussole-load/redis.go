package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// loadDB is the only database a load run may flush.
const loadDB = 15

// openRedis connects the driver to the run's database and empties it.
func openRedis(ctx context.Context, url string, flush bool) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("-redis: %w", err)
	}
	c := redis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("redis %s: %w", opt.Addr, err)
	}
	if flush {
		if opt.DB != loadDB {
			_ = c.Close()
			return nil, fmt.Errorf("refusing to FLUSHDB database %d: load runs use database %d (or pass -flush=false)", opt.DB, loadDB)
		}
		if err := c.FlushDB(ctx).Err(); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	return c, nil
}

// redisCounters are server-wide command counts. They include commands run
// inside Lua scripts and anybody else's traffic on the same server: the
// bot's own round trips come from its go-redis hook.
type redisCounters struct {
	evalsha, all int64
}

func readCommandStats(ctx context.Context, c *redis.Client) (redisCounters, error) {
	s, err := c.Info(ctx, "commandstats").Result()
	if err != nil {
		return redisCounters{}, err
	}
	var rc redisCounters
	for _, line := range strings.Split(s, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		calls, _, _ := strings.Cut(strings.TrimPrefix(rest, "calls="), ",")
		n, _ := strconv.ParseInt(calls, 10, 64)
		rc.all += n
		if name == "cmdstat_evalsha" || name == "cmdstat_eval" {
			rc.evalsha += n
		}
	}
	return rc, nil
}

// usedMemory is INFO memory's used_memory, server-wide.
func usedMemory(ctx context.Context, c *redis.Client) (int64, error) {
	s, err := c.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("no used_memory in INFO memory")
}

// keyMemory is what MEMORY USAGE says the keys of a set of chats cost.
type keyMemory struct {
	chats               int
	conv, msgs          int64 // bytes, summed
	convKeys, msgsKeys  int
	journalEntries      int64
	convFields, convLen int64 // fields and value bytes of the conv hashes
}

func measureKeys(ctx context.Context, c *redis.Client, chats []int64) (keyMemory, error) {
	km := keyMemory{chats: len(chats)}
	pipe := c.Pipeline()
	type cmds struct {
		conv, msgs *redis.IntCmd
		card       *redis.IntCmd
		fields     *redis.MapStringStringCmd
	}
	all := make([]cmds, len(chats))
	for i, chat := range chats {
		id := strconv.FormatInt(chat, 10)
		all[i] = cmds{
			conv:   pipe.MemoryUsage(ctx, "bsl:conv:{"+id+"}", 0),
			msgs:   pipe.MemoryUsage(ctx, "bsl:msgs:{"+id+"}", 0),
			card:   pipe.ZCard(ctx, "bsl:msgs:{"+id+"}"),
			fields: pipe.HGetAll(ctx, "bsl:conv:{"+id+"}"),
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return km, err
	}
	for _, x := range all {
		if n, err := x.conv.Result(); err == nil {
			km.conv += n
			km.convKeys++
		}
		if n, err := x.msgs.Result(); err == nil {
			km.msgs += n
			km.msgsKeys++
		}
		km.journalEntries += x.card.Val()
		for k, v := range x.fields.Val() {
			km.convFields++
			km.convLen += int64(len(k) + len(v))
		}
	}
	return km, nil
}
