package handoff

import (
	"context"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
)

// The desk as a person's conversation sees it (conversation.Desk).

var _ conversation.Desk = (*Desk)(nil)

// Open opens the person's ticket (or finds the open one) and says where it
// stands.
func (d *Desk) Open(ctx context.Context, chat int64, ft flow.Ticket, now time.Time) (conversation.Opened, error) {
	t := Ticket{Chat: chat, Category: category(ft.Category), Rank: rankOf(ft.Priority), Lang: ft.Lang,
		Summary: summary(ft.Answers)}
	tk, existing, err := d.store.Open(ctx, t, now)
	if err != nil {
		return conversation.Opened{}, err
	}
	d.mu.Lock()
	d.chats[tk.ID] = chat
	d.mu.Unlock()
	pos, err := d.store.Position(ctx, tk.ID)
	if err != nil {
		return conversation.Opened{}, err
	}
	op := conversation.Opened{Ticket: tk.ID, Code: tk.Code, Existing: existing, Position: pos,
		Wait: d.wait.estimate(pos)}
	if !d.cfg.Hours.Open(now) {
		op.Closed, op.Next = true, d.cfg.Hours.Next(now)
	}
	return op, nil
}

// Position is the ticket's place in the queue.
func (d *Desk) Position(ctx context.Context, ticket int64) (int, error) {
	return d.store.Position(ctx, ticket)
}

// End closes a ticket at the person's request.
func (d *Desk) End(ctx context.Context, ticket int64, outcome string, now time.Time) error {
	t, err := d.store.Close(ctx, ticket, 0, outcome, now)
	if err == ErrNotFound {
		return nil // expired or erased: nothing left to close
	}
	if err == nil && outcome == "ended" && justClosed(t, now) {
		d.count(now, "ticket_closed", t)
	}
	return err
}

// Erase strips the ticket and tells its volunteer. The volunteer is told
// through their own outbox: the person's is being erased.
func (d *Desk) Erase(ctx context.Context, ticket, volunteer int64, now time.Time) error {
	t, err := d.store.Erase(ctx, ticket, now)
	if err != nil && err != ErrNotFound {
		return err
	}
	if volunteer != 0 {
		return d.say(ctx, volunteer, d.t(volunteer, "desk_person_erased", map[string]string{"Code": t.Code}))
	}
	return nil
}

// Alarm raises the ticket: its person wrote an emergency word.
func (d *Desk) Alarm(ctx context.Context, ticket int64) error {
	_, err := d.store.Alarm(ctx, ticket)
	if err == ErrNotFound {
		return nil
	}
	return err
}

// Feedback counts an answer to "did it help?" once per ticket.
func (d *Desk) Feedback(ctx context.Context, ticket int64, answer string, now time.Time) (bool, error) {
	return d.store.Feedback(ctx, ticket, answer, now)
}

// justClosed tells a close that happened now from a redelivered one,
// which returns the ticket as it was closed before.
func justClosed(t Ticket, now time.Time) bool { return t.Closed.UnixMilli() == now.UnixMilli() }

// category maps the flow's category to the desk's six; anything else is general.
func category(c string) string {
	switch c {
	case "psy", "medical", "legal", "deuil", "menace":
		return c
	}
	return "general"
}

// rankOf orders the queue: the emergency path first, a threat next.
func rankOf(p flow.Priority) Rank {
	switch p {
	case flow.PriorityUrgent:
		return RankUrgent
	case flow.PriorityHigh:
		return RankAlarm
	}
	return RankNormal
}

// summaryKeys are the choices a volunteer may see: the need and the
// arrondissement, never a free answer.
var summaryKeys = map[string]bool{"need": true, "arrondissement": true}

func summary(answers map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range answers {
		if summaryKeys[k] && len(v) <= 32 {
			out[k] = v
		}
	}
	return out
}
