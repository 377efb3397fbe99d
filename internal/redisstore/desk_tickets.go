package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

// Open opens a ticket for t.Chat unless one is open already. It keeps
// t.Category, t.Rank, t.Lang and t.Summary; the desk assigns the rest.
func (d *Desk) Open(ctx context.Context, t handoff.Ticket, now time.Time) (handoff.Ticket, bool, error) {
	rank := min(max(t.Rank, handoff.RankUrgent), handoff.RankNormal)
	sum := ""
	if len(t.Summary) > 0 {
		b, err := json.Marshal(t.Summary)
		if err != nil {
			return handoff.Ticket{}, false, fmt.Errorf("open ticket: %w", err)
		}
		sum = string(b)
	}
	status, tk, err := d.runTicket(ctx, deskOpenScript, now,
		t.Chat, t.Category, int(rank), t.Lang, sum, deskSeqTTL.Milliseconds())
	if err != nil {
		return handoff.Ticket{}, false, fmt.Errorf("open ticket: %w", err)
	}
	return tk, status == "existing", nil
}

// Get returns a ticket (handoff.ErrNotFound).
func (d *Desk) Get(ctx context.Context, id int64) (handoff.Ticket, error) {
	m, err := d.c.HGetAll(ctx, d.ticketKey(id)).Result()
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("get ticket %d: %w", id, err)
	}
	if len(m) == 0 {
		return handoff.Ticket{}, handoff.ErrNotFound
	}
	t, err := d.ticketOf(m)
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("get ticket %d: %w", id, err)
	}
	return t, nil
}

// OpenFor returns the id of the chat's open ticket, 0 if none.
func (d *Desk) OpenFor(ctx context.Context, chat int64) (int64, error) {
	s, err := d.c.Get(ctx, d.openKey(chat)).Result()
	if deskMissing(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("open ticket of a chat: %w", err)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("open ticket of a chat: %w", ErrCorrupt)
	}
	return id, nil
}

// Position is 1 for the ticket taken next, 0 when the ticket is not queued.
func (d *Desk) Position(ctx context.Context, id int64) (int, error) {
	n, err := d.c.ZRank(ctx, d.key("queue"), strconv.FormatInt(id, 10)).Result()
	if deskMissing(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("position of ticket %d: %w", id, err)
	}
	return int(n) + 1, nil
}

// Queue lists up to limit queued tickets, next first.
func (d *Desk) Queue(ctx context.Context, limit int) ([]handoff.Ticket, error) {
	if limit <= 0 {
		return nil, nil
	}
	res, err := d.run(ctx, deskQueueScript, d.clock(), limit)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return d.decodeTickets(res)
}

// claimStatuses maps the claim script's answers.
var claimStatuses = map[string]handoff.ClaimStatus{
	"won":       handoff.Won,
	"taken":     handoff.Taken,
	"full":      handoff.Full,
	"recused":   handoff.Recused,
	"gone":      handoff.Gone,
	"off":       handoff.Off,
	"noprivate": handoff.NoPrivate,
}

// Claim gives a queued ticket to v: of many claiming at once, exactly one
// wins. v's record is created or refreshed from v first: its private flag
// always, its pseudonym and capacity when given (not empty, not 0), its
// duty only to go off (SetVolunteer puts a volunteer back on), unless the
// ticket is gone or held (then the claim changes nothing). With Gone the
// ticket is empty when it does not exist.
func (d *Desk) Claim(ctx context.Context, id int64, v handoff.Volunteer, now time.Time) (handoff.ClaimStatus, handoff.Ticket, error) {
	// A burst of claims on one card is mostly too late: who reads the
	// ticket gone or held already is answered from that read, without the
	// script. Only the script changes a ticket, so one claimer still wins.
	switch tk, err := d.Get(ctx, id); {
	case errors.Is(err, handoff.ErrNotFound):
		return handoff.Gone, handoff.Ticket{}, nil
	case err != nil:
		return 0, handoff.Ticket{}, fmt.Errorf("claim ticket %d: %w", id, err)
	case tk.Status == handoff.Closed:
		return handoff.Gone, tk, nil
	case tk.Status == handoff.Claimed && tk.Volunteer == v.ID:
		return handoff.Won, tk, nil
	case tk.Status == handoff.Claimed:
		return handoff.Taken, tk, nil
	}
	res, err := d.run(ctx, deskClaimScript, now,
		id, v.ID, v.Pseudonym, v.Capacity, deskFlag(v.Private), deskFlag(v.Off))
	if err != nil {
		return 0, handoff.Ticket{}, fmt.Errorf("claim ticket %d: %w", id, err)
	}
	status, raw, err := statusReply(res)
	if err != nil {
		return 0, handoff.Ticket{}, fmt.Errorf("claim ticket %d: %w", id, err)
	}
	cs, ok := claimStatuses[status]
	if !ok {
		return 0, handoff.Ticket{}, fmt.Errorf("claim ticket %d: status %q: %w", id, status, ErrCorrupt)
	}
	if arr, ok := raw.([]any); cs == handoff.Gone && ok && len(arr) == 0 {
		return handoff.Gone, handoff.Ticket{}, nil
	}
	tk, err := d.decodeTicket(raw)
	if err != nil {
		return 0, handoff.Ticket{}, fmt.Errorf("claim ticket %d: %w", id, err)
	}
	return cs, tk, nil
}

// Release puts a ticket v holds back in the queue at its old place, with
// note if not nil (once per note id, unless 0); recuse bars v from it for
// good. Released again, or closed meanwhile, it is returned unchanged.
func (d *Desk) Release(ctx context.Context, id, v int64, note *handoff.Note, recuse bool, now time.Time) (handoff.Ticket, error) {
	nj, nid := "", int64(0)
	if note != nil {
		b, err := json.Marshal(note)
		if err != nil {
			return handoff.Ticket{}, fmt.Errorf("release ticket %d: %w", id, err)
		}
		nj, nid = string(b), note.ID
	}
	_, tk, err := d.runTicket(ctx, deskReleaseScript, now, id, v, nj, nid, deskFlag(recuse))
	if err != nil {
		return tk, fmt.Errorf("release ticket %d: %w", id, err)
	}
	return tk, nil
}

// Close closes a ticket with an outcome: by its volunteer v, who must hold
// it, or by the person or the system (v = 0). The ticket then expires after
// ClosedTTL; closed again, it is returned unchanged.
func (d *Desk) Close(ctx context.Context, id, v int64, outcome string, now time.Time) (handoff.Ticket, error) {
	_, tk, err := d.runTicket(ctx, deskCloseScript, now, id, v, outcome, "0")
	if err != nil {
		return tk, fmt.Errorf("close ticket %d: %w", id, err)
	}
	return tk, nil
}

// Erase closes a ticket as "erased" (closed already, it keeps its close
// time) and keeps only what counts anonymously: category, rank, language,
// times, message count, outcome, flags and the card's message id. The
// chat, summary, notes, recusals and volunteer go.
func (d *Desk) Erase(ctx context.Context, id int64, now time.Time) (handoff.Ticket, error) {
	_, tk, err := d.runTicket(ctx, deskCloseScript, now, id, 0, "erased", "1")
	if err != nil {
		return tk, fmt.Errorf("erase ticket %d: %w", id, err)
	}
	return tk, nil
}

// Alarm raises an open ticket of normal rank to RankAlarm (a held one too,
// for its card); a queued one moves up in the queue.
func (d *Desk) Alarm(ctx context.Context, id int64) (handoff.Ticket, error) {
	_, tk, err := d.runTicket(ctx, deskAlarmScript, d.clock(), id)
	if err != nil {
		return tk, fmt.Errorf("alarm ticket %d: %w", id, err)
	}
	return tk, nil
}

// Note adds an internal note to a ticket v holds, once per note id (unless
// 0). It does not change the card.
func (d *Desk) Note(ctx context.Context, id, v int64, n handoff.Note) (handoff.Ticket, error) {
	b, err := json.Marshal(n)
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("note ticket %d: %w", id, err)
	}
	_, tk, err := d.runTicket(ctx, deskNoteScript, d.clock(), id, v, n.ID, string(b))
	if err != nil {
		return tk, fmt.Errorf("note ticket %d: %w", id, err)
	}
	return tk, nil
}

// Touch records activity on a ticket: one more message relayed and, unless
// v is 0, v answered it last (v must hold it). It counts every call: it
// cannot tell a redelivery. A closed ticket is left as is.
func (d *Desk) Touch(ctx context.Context, id, v int64, now time.Time) error {
	res, err := d.run(ctx, deskTouchScript, now, id, v)
	if err != nil {
		return fmt.Errorf("touch ticket %d: %w", id, err)
	}
	status, _, err := statusReply(res)
	if err != nil {
		return fmt.Errorf("touch ticket %d: %w", id, err)
	}
	switch status {
	case "notfound":
		return fmt.Errorf("touch ticket %d: %w", id, handoff.ErrNotFound)
	case "notholder":
		return fmt.Errorf("touch ticket %d: %w", id, handoff.ErrNotHolder)
	}
	return nil
}

// Alert marks an open ticket as escalated with /alerte, by the volunteer
// who holds it (or the system, v = 0); the card shows it.
func (d *Desk) Alert(ctx context.Context, id, v int64) (handoff.Ticket, error) {
	_, tk, err := d.runTicket(ctx, deskAlertScript, d.clock(), id, v)
	if err != nil {
		return tk, fmt.Errorf("alert ticket %d: %w", id, err)
	}
	return tk, nil
}
