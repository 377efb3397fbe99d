package handoff

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// The board: the only writer to the volunteers' group. One replica at a
// time (a lock in Redis) takes the entries the store queued, oldest first,
// within the group's pace, renders each from the ticket as it is *now*
// (so ten changes to a card cost one edit), and records it done.

const (
	boardTick    = time.Second
	boardLockTTL = 10 * time.Second
	remindEvery  = 30 * time.Second
	boardBatch   = 5
	writeTimeout = 30 * time.Second
)

// RefreshKnown learns the volunteers other replicas met (or this one, before
// a restart), so that their private messages reach the desk here too. It
// runs before receiving starts, then every second with the board.
func (d *Desk) RefreshKnown(ctx context.Context) {
	ids, err := d.store.Volunteers(ctx)
	if err != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, id := range ids {
		d.known[id] = true
	}
}

// Run runs the board and the reminders until ctx is done; a write in
// progress is finished first.
func (d *Desk) Run(ctx context.Context) {
	t := time.NewTicker(boardTick)
	defer t.Stop()
	var lastRemind time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		d.RefreshKnown(ctx)
		held, err := d.lock(ctx, boardLockTTL)
		if err != nil || !held {
			continue
		}
		now := d.now()
		if now.Sub(lastRemind) >= remindEvery {
			lastRemind = now
			if n, err := d.store.Remind(ctx, d.cfg.Reminder, now); err != nil {
				d.log.Warn().Str("error", "store unavailable").Msg("desk: reminders not checked")
			} else if n > 0 {
				d.log.Info().Int("tickets", n).Msg("desk: tickets announced again")
			}
		}
		d.drainBoard(ctx)
	}
}

// drainBoard writes what the board holds, within the group's pace, unless
// Telegram asked to wait (a 429's retry_after).
func (d *Desk) drainBoard(ctx context.Context) {
	if d.now().Before(d.pausedUntil) {
		return
	}
	entries, err := d.store.Board(ctx, boardBatch)
	if err != nil {
		return
	}
	for _, e := range entries {
		wait, err := d.limiter.Take(ctx)
		if err != nil || wait > 0 {
			return // the next tick goes on
		}
		// A write and its record go together: a stop does not cut between
		// them (the card would be sent again after a restart).
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		err = d.write(wctx, e)
		cancel()
		var ra *delivery.RetryAfter
		if errors.As(err, &ra) {
			d.pausedUntil = d.now().Add(ra.Wait)
			d.log.Warn().Dur("retry_after", ra.Wait).Msg("desk: Telegram asks to wait before writing to the group")
			return
		}
		if err != nil {
			d.log.Warn().Str("entry", kindOf(e)).Str("error", errClass(err)).Msg("desk: group write failed; retried")
			return
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// write renders one board entry and sends it.
func (d *Desk) write(ctx context.Context, entry string) error {
	kind, rest, _ := strings.Cut(entry, ":")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return d.store.Posted(ctx, entry) // unreadable: nothing to write
	}
	now := d.now()
	switch kind {
	case "card":
		t, err := d.store.Get(ctx, id)
		if err == ErrNotFound {
			return d.store.CardDone(ctx, id, 0, 0)
		}
		if err != nil {
			return err
		}
		text, buttons := d.card(t, now)
		msg, err := d.bot.Card(ctx, d.cfg.Group, t.Card, text, buttons)
		if err != nil {
			return err
		}
		return d.store.CardDone(ctx, id, msg, t.Version)
	case "remind":
		t, err := d.store.Get(ctx, id)
		if err == nil && t.Status == Queued {
			text := d.bundle.T("fr", "desk_reminder", d.fields("fr", t, now, nil))
			if _, err := d.bot.Card(ctx, d.cfg.Group, 0, text, d.takeButton("fr", id)); err != nil {
				return err
			}
		} else if err != nil && err != ErrNotFound {
			return err
		}
	case "private":
		text := d.bundle.T("fr", "desk_need_private", map[string]string{"Volunteer": d.pseudonym(id), "Link": d.link()})
		if _, err := d.bot.Card(ctx, d.cfg.Group, 0, text, nil); err != nil {
			return err
		}
	}
	return d.store.Posted(ctx, entry)
}

func kindOf(entry string) string {
	k, _, _ := strings.Cut(entry, ":")
	return k
}

// errClass names an error without what it may quote.
func errClass(err error) string {
	if err == context.Canceled || err == context.DeadlineExceeded {
		return "cancelled"
	}
	return "unavailable"
}
