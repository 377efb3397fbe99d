package telegram

import (
	"context"
	"fmt"
	"time"
)

// quietWeek is how long without updates makes Telegram restart its ids.
const quietWeek = 6 * 24 * time.Hour

// Poll receives updates by long polling until ctx is done, then drains what
// is in flight. The offset only moves past an update once its effects are
// durable: an update that could not be stored is received again.
func (b *Bot) Poll(ctx context.Context, timeout time.Duration) error {
	if err := b.client.Call(ctx, "deleteWebhook", struct{}{}, nil); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("deleteWebhook: %s", errorClass(err))
	}
	var offset int64
	backoff := time.Second
	lastUpdate := time.Now()
	for ctx.Err() == nil {
		var batch []update
		call, cancel := context.WithTimeout(ctx, timeout+15*time.Second)
		err := b.client.Call(call, "getUpdates", &getUpdates{Offset: offset, Timeout: int(timeout / time.Second),
			Limit: 100, AllowedUpdates: allowedUpdates}, &batch)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn().Str("error", errorClass(err)).Msg("getUpdates failed")
			_ = sleepCtx(ctx, backoff)
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		backoff = time.Second
		if len(batch) > 0 {
			lastUpdate = time.Now()
		} else if offset > 0 && time.Since(lastUpdate) > quietWeek {
			// After a week without updates Telegram picks the next update id
			// at random, possibly below our offset: everything before it is
			// confirmed already, so poll without an offset.
			offset = 0
		}
		offset = b.settle(batch, offset)
	}
	b.drain()
	if offset > 0 {
		// Confirm what was done, without taking anything new: updates at or
		// after offset stay with Telegram for the next start.
		confirm, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = b.client.Call(confirm, "getUpdates", &getUpdates{Offset: offset, Timeout: 0, Limit: 1,
			AllowedUpdates: allowedUpdates}, nil)
		cancel()
	}
	return nil
}

// settle processes a batch and returns the next offset: just past the last
// update of an unbroken run of durable ones.
func (b *Bot) settle(batch []update, offset int64) int64 {
	outs := make([]outcome, len(batch))
	for i := range batch {
		outs[i] = b.process(&batch[i], true)
	}
	next := offset
	broken := false
	for i, o := range outs {
		select {
		case <-o.durable:
			if !broken {
				next = batch[i].ID + 1
			}
		case <-o.failed:
			broken = true
		}
	}
	return next
}
