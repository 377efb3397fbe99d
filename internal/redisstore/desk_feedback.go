package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// feedbackScript counts an answer once per ticket: the ticket's "fb" field
// says it was counted; the count is by day and answer, nothing finer.
var feedbackScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HSETNX', KEYS[1], 'fb', ARGV[1]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`)

// feedbackTTL keeps the daily counts until the observatory has read them.
const feedbackTTL = 400 * 24 * time.Hour

// Feedback counts a person's answer to "did it help?" ("y", "s", "n") in
// <prefix>:{desk}:fb:<yyyy-mm-dd>, once per ticket.
func (d *Desk) Feedback(ctx context.Context, id int64, answer string, now time.Time) (bool, error) {
	switch answer {
	case "y", "s", "n":
	default:
		return false, fmt.Errorf("feedback %q: %w", answer, ErrCorrupt)
	}
	keys := []string{d.key("t:" + strconv.FormatInt(id, 10)), d.key("fb:" + now.UTC().Format("2006-01-02"))}
	n, err := feedbackScript.Run(ctx, d.c, keys, answer, feedbackTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("feedback: %w", err)
	}
	return n == 1, nil
}
