package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/boussole/boussole/internal/conversation"
)

// IdleJob closes the tickets where nothing happened for After: queued and
// never taken, or held with no message either way. The person gets a kind
// word (they can ask again at any time), the volunteer is told. It runs
// from the scheduler, once across replicas.
type IdleJob struct {
	Desk  *Desk
	After time.Duration // TICKET_IDLE
}

// Name is the job's name in the scheduler and its JOB_ variable.
func (j IdleJob) Name() string { return "idle-tickets" }

// Run closes what has been idle too long; its summary is counts only.
func (j IdleJob) Run(ctx context.Context, now time.Time) (string, error) {
	d := j.Desk
	ts, err := d.store.Active(ctx)
	if err != nil {
		return "", err
	}
	closed, failed := 0, 0
	for _, t := range ts {
		last := since(t)
		if t.Taken.After(last) {
			last = t.Taken
		}
		if at, err := d.people.LastActive(ctx, t.Chat); err == nil && at.After(last) {
			last = at
		}
		if now.Sub(last) < j.After {
			continue
		}
		if err := d.closeIdle(ctx, t, now); err != nil {
			failed++
			continue
		}
		closed++
	}
	summary := fmt.Sprintf("open %d, closed %d, failed %d", len(ts), closed, failed)
	if failed > 0 {
		return summary, errors.New("some idle tickets could not be closed; the next run tries again")
	}
	return summary, nil
}

// closeIdle closes one idle ticket and tells both sides.
func (d *Desk) closeIdle(ctx context.Context, t Ticket, now time.Time) error {
	vol := int64(0)
	if t.Status == Claimed {
		vol = t.Volunteer
	}
	t, err := d.store.Close(ctx, t.ID, 0, "idle", now)
	if err != nil {
		return err
	}
	ev := conversation.Event{Kind: conversation.EvClosed, Ticket: t.ID, Volunteer: vol, Key: "handoff_idle_closed"}
	if err := d.people.Apply(ctx, t.Chat, ev); err != nil && !errors.Is(err, conversation.ErrStale) {
		return err
	}
	if vol != 0 {
		return d.say(ctx, vol, d.t(vol, "desk_idle_closed", map[string]string{"Code": t.Code}))
	}
	return nil
}
