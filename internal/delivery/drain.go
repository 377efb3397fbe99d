package delivery

import (
	"context"
	"time"
)

// SendAll sends a claimed outbox at once, in order, with neither pacing nor
// retries, until it is empty: for a single local reader (the terminal
// preview), where Telegram's limits do not apply. A corrupt entry is dropped.
func SendAll(ctx context.Context, q Queue, api API, chat int64, owner string, c Claim, now func() time.Time) error {
	if !c.Held {
		return nil
	}
	raw := c.Head
	for raw != "" {
		var sent []int
		if it, err := Decode(raw); err == nil {
			if it.Kind == KindDelete {
				if err := api.Delete(ctx, it.Dest(chat), it.IDs); err != nil {
					return err
				}
			} else if sent, err = api.Send(ctx, it.Dest(chat), it); err != nil {
				return err
			}
		}
		res, err := q.Ack(ctx, chat, owner, raw, sent, Pace{}, now())
		if err != nil {
			return err
		}
		if res.Lost {
			return nil
		}
		raw = res.Next
	}
	return nil
}
