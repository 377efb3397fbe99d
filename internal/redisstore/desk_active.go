package redisstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/handoff"
)

// Active lists every open ticket, queued or claimed: the open index (one key
// per person with an open ticket) is scanned, then the tickets read in one
// pipeline per batch.
func (d *Desk) Active(ctx context.Context) ([]handoff.Ticket, error) {
	var out []handoff.Ticket
	// SCAN walks one node: on a Cluster, the one that holds the desk's slot.
	var node interface {
		Scan(ctx context.Context, cursor uint64, match string, count int64) *redis.ScanCmd
	} = d.c
	if cc, ok := d.c.(*redis.ClusterClient); ok {
		m, err := cc.MasterForKey(ctx, d.key("queue"))
		if err != nil {
			return nil, fmt.Errorf("active tickets: %w", err)
		}
		node = m
	}
	iter := node.Scan(ctx, 0, d.key("open:*"), 500).Iterator()
	var keys []string
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		ids, err := d.c.MGet(ctx, keys...).Result()
		if err != nil {
			return err
		}
		cmds, err := d.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, v := range ids {
				if s, ok := v.(string); ok {
					if id, err := strconv.ParseInt(s, 10, 64); err == nil {
						p.HGetAll(ctx, d.ticketKey(id))
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range cmds {
			m, err := c.(*redis.MapStringStringCmd).Result()
			if err != nil || len(m) == 0 {
				continue // expired between the scan and the read
			}
			t, err := d.ticketOf(m)
			if err != nil {
				continue // a corrupt ticket is not the job's to repair
			}
			if t.Status != handoff.Closed {
				out = append(out, t)
			}
		}
		keys = keys[:0]
		return nil
	}
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 500 {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("active tickets: %w", err)
			}
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	if err := flush(); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	return out, nil
}
