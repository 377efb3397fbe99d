package redisstore

import (
	"context"
	"fmt"
	"time"
)

// Board lists up to limit entries of the board, oldest first.
func (d *Desk) Board(ctx context.Context, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, nil
	}
	es, err := d.c.ZRange(ctx, d.key("board"), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}
	return es, nil
}

// Post adds an entry to the board; posted again, it keeps its first time.
func (d *Desk) Post(ctx context.Context, entry string, now time.Time) error {
	if _, err := d.run(ctx, deskPostScript, now, entry); err != nil {
		return fmt.Errorf("post %q: %w", entry, err)
	}
	return nil
}

// CardDone records the card's message id on the ticket (unless card is 0)
// and takes "card:<id>" off the board, unless the ticket's version moved
// past version meanwhile: then the card stays to be rendered again. A
// ticket gone (expired) takes its card off the board.
func (d *Desk) CardDone(ctx context.Context, id int64, card int, version int64) error {
	if _, err := d.run(ctx, deskCardDoneScript, d.clock(), id, card, version); err != nil {
		return fmt.Errorf("card of ticket %d done: %w", id, err)
	}
	return nil
}

// Posted removes an entry once written.
func (d *Desk) Posted(ctx context.Context, entry string) error {
	if err := d.c.ZRem(ctx, d.key("board"), entry).Err(); err != nil {
		return fmt.Errorf("posted %q: %w", entry, err)
	}
	return nil
}

// Remind posts "remind:<id>", once across replicas, for every queued ticket
// that has waited longer than after since it last entered the queue and was
// not announced again since; it returns how many.
func (d *Desk) Remind(ctx context.Context, after time.Duration, now time.Time) (int, error) {
	res, err := d.run(ctx, deskRemindScript, now, now.Add(-after).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("remind: %w", err)
	}
	n, ok := res.(int64)
	if !ok {
		return 0, fmt.Errorf("remind: %w", ErrCorrupt)
	}
	return int(n), nil
}
