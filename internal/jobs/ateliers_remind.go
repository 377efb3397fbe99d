package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/i18n"
)

// AteliersRemind sends, from 10:00 (Paris) on the calendar day before a
// session, one neutral reminder to each person signed up who asked for it,
// in their language; for a session whose place is given the day before,
// everyone signed up gets the place (with the reminder for those who asked
// for it). Exactly one replica sends a session's reminders
// (ateliers.Store.Reminded); a cancelled session gets none.
type AteliersRemind struct {
	store  ateliers.Store
	notify ateliers.Notifier
	bundle *i18n.Bundle
}

// NewAteliersRemind returns the job reading store and sending through
// notify the texts of bundle.
func NewAteliersRemind(store ateliers.Store, notify ateliers.Notifier, bundle *i18n.Bundle) *AteliersRemind {
	return &AteliersRemind{store: store, notify: notify, bundle: bundle}
}

// Name is "ateliers-remind".
func (*AteliersRemind) Name() string { return "ateliers-remind" }

// Due reports whether a session's reminders are due at now: on or after
// 10:00 on the day before it in Paris, before it starts, not cancelled.
func Due(s ateliers.Session, now time.Time) bool {
	return !s.Cancelled && !now.Before(ateliers.Eve(paris, s)) && now.Before(s.Start)
}

// Run sends the reminders due at now. The summary counts sessions,
// messages sent and chats not reached; never a chat id.
func (j *AteliersRemind) Run(ctx context.Context, now time.Time) (string, error) {
	coming, err := j.store.Coming(ctx, now)
	if err != nil {
		return "", fmt.Errorf("ateliers-remind: %w", err)
	}
	sessions, sent, failed := 0, 0, 0
	var errs []error
	for _, s := range coming {
		if !Due(s, now) {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		first, err := j.store.Reminded(ctx, s.ID)
		if err != nil && !errors.Is(err, ateliers.ErrNoSession) {
			errs = append(errs, fmt.Errorf("ateliers-remind: %w", err))
		}
		if !first {
			continue
		}
		signed, err := j.store.Signed(ctx, s.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("ateliers-remind: %w", err))
			continue
		}
		sessions++
		for _, sg := range signed {
			var text string
			switch {
			case sg.Remind:
				text = ateliers.Reminder(j.bundle, paris, sg.Lang, s, now)
			case s.PlaceLater:
				text = ateliers.PlaceNotice(j.bundle, paris, sg.Lang, s, now)
			default:
				continue
			}
			if j.notify.Notify(ctx, sg.Chat, sg.Lang, text) != nil {
				failed++
				continue
			}
			sent++
		}
	}
	return fmt.Sprintf("sessions %d, sent %d, failed %d", sessions, sent, failed), errors.Join(errs...)
}
