package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// tripsByCommand counts the bot's round trips by command and key pattern
// when the bot role runs with -trips-by-command; nil otherwise.
var tripsByCommand *cmdCounter

// cmdCounter is a go-redis hook that counts round trips by what they are:
// "hgetall bsl:desk:v:N", "evalsha 1a2b3c4 bsl:conv:{N}", a pipeline as
// "pipeline[get+get]". Ids become N, so the labels are few.
type cmdCounter struct {
	mu sync.Mutex
	n  map[string]int64
}

var _ redis.Hook = (*cmdCounter)(nil)

func newCmdCounter() *cmdCounter { return &cmdCounter{n: map[string]int64{}} }

func (c *cmdCounter) add(label string) {
	c.mu.Lock()
	c.n[label]++
	c.mu.Unlock()
}

// counts is a copy of the counts; nil for a nil counter.
func (c *cmdCounter) counts() map[string]int64 {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

func (c *cmdCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *cmdCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(cmdLabel(cmd))
		return next(ctx, cmd)
	}
}

func (c *cmdCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		// Runs of the same label are folded: "pipeline[n× evalsha … lease …]".
		var parts []string
		for i := 0; i < len(cmds); {
			l, j := cmdLabel(cmds[i]), i+1
			for j < len(cmds) && cmdLabel(cmds[j]) == l {
				j++
			}
			if j-i > 1 {
				l = "n× " + l
			}
			parts = append(parts, l)
			i = j
		}
		c.add("pipeline[" + strings.Join(parts, " + ") + "]")
		return next(ctx, cmds)
	}
}

// cmdLabel names a command by its name, its script (for EVALSHA, the
// sha's first 7 characters) and the pattern of its first key.
func cmdLabel(cmd redis.Cmder) string {
	args := cmd.Args()
	name := strings.ToLower(cmd.Name())
	key := 1
	switch name {
	case "evalsha", "eval", "evalsha_ro", "eval_ro":
		sha := ""
		if len(args) > 1 {
			sha = fmt.Sprint(args[1])
			if name == "evalsha" && len(sha) > 7 {
				sha = sha[:7]
				if n, ok := scriptNames[sha]; ok {
					sha += "(" + n + ")"
				}
			} else if name != "evalsha" {
				sha = "(source)"
			}
		}
		if len(args) > 3 && fmt.Sprint(args[2]) != "0" {
			return name + " " + sha + " " + keyPattern(fmt.Sprint(args[3]))
		}
		return name + " " + sha
	case "ping", "info", "script", "client", "hello":
		return name
	}
	if len(args) > key {
		return name + " " + keyPattern(fmt.Sprint(args[key]))
	}
	return name
}

// scriptNames names the store's scripts by their sha's first 7 characters
// (redisstore's scripts and deskScripts, its lock, go-redis/redis_rate's
// GCRA), as of this commit: a changed script shows its sha alone.
var scriptNames = map[string]string{
	"715c2e0": "commit", "5ad024f": "ack", "009bf48": "claim", "3f9168a": "block", "6c11f52": "lease",
	"1966fa0": "setaside", "43bd9f5": "lock", "f52a5b5": "gcra",
	"36739dc": "desk_open", "fa67e63": "desk_claim", "5914789": "desk_release", "9484041": "desk_close",
	"d8a5cb7": "desk_alarm", "aeaa6f0": "desk_note", "9012fff": "desk_touch", "d37c7d4": "desk_alert",
	"085bdf6": "desk_queue", "9dc1518": "desk_setvol", "d24d018": "desk_vols", "4df6fac": "desk_leave",
	"fe9431a": "desk_post", "16d8537": "desk_carddone", "671b871": "desk_remind",
}

// keyPattern replaces each run of digits (with a leading minus) by N.
func keyPattern(k string) string {
	var b strings.Builder
	digits := false
	for i := 0; i < len(k); i++ {
		ch := k[i]
		isDigit := ch >= '0' && ch <= '9' || ch == '-' && i+1 < len(k) && k[i+1] >= '0' && k[i+1] <= '9'
		if isDigit {
			if !digits {
				b.WriteByte('N')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteByte(ch)
	}
	return b.String()
}
