package handoff

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/conversation"
)

const answerTimeout = 10 * time.Second

// The volunteer's private chat with the bot: where their conversations
// run. Whatever they write goes to the person of the ticket they answer
// (copied, never forwarded); commands manage the ticket.

func (d *Desk) private(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	ok, err := d.isMember(ctx, u.From)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	if !ok {
		// Not (or no longer) a volunteer: their tickets go back to the
		// queue, and their private chat is a person's again.
		d.mu.Lock()
		was := d.known[u.From]
		d.mu.Unlock()
		if was {
			if _, err := d.leave(ctx, u.ID, u.From); err != nil {
				return conversation.Result{}, err
			}
		}
		return d.people.Handle(ctx, u)
	}
	lang := clientLang(u.Lang)
	d.remember(u.From, lang)
	v, err := d.volunteer(ctx, u.From)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	if !v.Private {
		v.Private = true
		if err := d.store.SetVolunteer(ctx, v); err != nil {
			return conversation.Result{}, storeErr(err)
		}
		d.dropVolunteer(v.ID)
	}
	switch u.Kind {
	case conversation.KindButton:
		d.answer(u, "", false)
		return conversation.Result{Outcome: "ignored"}, nil
	case conversation.KindMember:
		return conversation.Result{Outcome: "ignored"}, nil
	}
	if u.Kind == conversation.KindText && !u.Edited {
		if cmd, arg := command(u.Text); cmd != "" {
			return d.volunteerCommand(ctx, u, v, cmd, arg)
		}
	}
	return d.relay(ctx, u, v)
}

func (d *Desk) volunteerCommand(ctx context.Context, u conversation.Update, v Volunteer, cmd, arg string) (conversation.Result, error) {
	res := conversation.Result{Outcome: "command"}
	switch cmd {
	case "file":
		return d.queueCmd(ctx, v.ID)
	case "dispo":
		return d.dispo(ctx, v, arg)
	case "start", "aide", "help":
		return res, d.say(ctx, v.ID, d.t(v.ID, "desk_usage", nil))
	case "note", "liberer", "recuser", "alerte", "fermer", "modele":
	default:
		return res, d.say(ctx, v.ID, d.t(v.ID, "desk_usage", nil))
	}
	id, err := d.pick(ctx, u, v)
	if err != nil || id == 0 {
		return res, err
	}
	d.dropVolunteer(v.ID) // a command changes the volunteer's tickets: read them again next time
	now := d.now()
	chat, err := d.chatOf(ctx, id)
	if err != nil {
		return res, storeErr(err)
	}
	switch cmd {
	case "note":
		if arg == "" {
			return res, d.say(ctx, v.ID, d.t(v.ID, "desk_usage", nil))
		}
		if _, err := d.store.Note(ctx, id, v.ID, Note{ID: u.ID, By: v.Pseudonym, Text: clip(arg, 1000), At: now.Unix()}); err != nil {
			return res, d.holderErr(ctx, v.ID, err)
		}
		return res, d.say(ctx, v.ID, d.t(v.ID, "desk_note_saved", nil))
	case "liberer", "recuser":
		var note *Note
		if arg != "" {
			note = &Note{ID: u.ID, By: v.Pseudonym, Text: clip(arg, 1000), At: now.Unix()}
		}
		t, err := d.store.Release(ctx, id, v.ID, note, cmd == "recuser", now)
		if err != nil {
			return res, d.holderErr(ctx, v.ID, err)
		}
		key := "desk_released"
		if cmd == "recuser" {
			key = "desk_recuse_done"
		}
		ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvReleased, Ticket: id, Volunteer: v.ID,
			After: []conversation.Reply{{Text: d.t(v.ID, key, map[string]string{"Code": t.Code})}}}
		return res, d.applyOrStale(ctx, chat, ev)
	case "fermer":
		t, err := d.store.Close(ctx, id, v.ID, "closed", now)
		if err != nil {
			return res, d.holderErr(ctx, v.ID, err)
		}
		if justClosed(t, now) {
			d.count(now, "ticket_closed", t)
		}
		ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvClosed, Ticket: id, Volunteer: v.ID,
			After: []conversation.Reply{{Text: d.t(v.ID, "desk_closed", map[string]string{"Code": t.Code})}}}
		return res, d.applyOrStale(ctx, chat, ev)
	case "alerte":
		t, err := d.store.Alert(ctx, id, v.ID)
		if err != nil {
			return res, d.holderErr(ctx, v.ID, err)
		}
		for _, admin := range d.cfg.Admins {
			text := d.t(admin, "desk_alert_admin", d.fields(d.langOf(admin), t, now, map[string]string{"Volunteer": v.Pseudonym}))
			if err := d.say(ctx, admin, text); err != nil {
				return res, err
			}
		}
		return res, d.say(ctx, v.ID, d.t(v.ID, "desk_alert_sent", map[string]string{"Code": t.Code}))
	case "modele":
		return res, d.template(ctx, u, v, id, chat, arg)
	}
	return res, nil
}

// template sends a canned reply, in the person's language, as the bot.
func (d *Desk) template(ctx context.Context, u conversation.Update, v Volunteer, id, chat int64, name string) error {
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range d.cfg.Templates {
			if !yield(n) {
				return
			}
		}
	})
	tpl, ok := d.cfg.Templates[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		key := "desk_template_unknown"
		if name == "" {
			key = "desk_template_usage"
		}
		return d.say(ctx, v.ID, d.t(v.ID, key, map[string]string{"Names": strings.Join(names, ", ")}))
	}
	t, err := d.store.Get(ctx, id)
	if err != nil {
		return storeErr(err)
	}
	text := tpl[t.Lang]
	if text == "" {
		text = tpl["fr"]
	}
	ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvSay, Ticket: id, Volunteer: v.ID, Text: text,
		After: []conversation.Reply{{Text: d.t(v.ID, "desk_sent_to", map[string]string{"Code": t.Code})}}}
	return d.applyOrStale(ctx, chat, ev)
}

// relay passes a volunteer's message (or edit) to the person. An ordinary
// message reads nothing of the desk from Redis: the volunteer's record and
// the ticket's chat are cached, and the person's conversation checks they
// still hold (a stale cache is read again once).
func (d *Desk) relay(ctx context.Context, u conversation.Update, v Volunteer) (conversation.Result, error) {
	res := conversation.Result{Outcome: "relayed"}
	var id int64
	for attempt := 0; ; attempt++ {
		var err error
		id, err = d.pick(ctx, u, v)
		if err != nil || id == 0 {
			return conversation.Result{Outcome: "unrouted"}, err
		}
		chat, err := d.chatOf(ctx, id)
		if err != nil {
			return res, storeErr(err)
		}
		code := func() (string, error) {
			t, err := d.store.Get(ctx, id)
			return t.Code, err
		}
		if u.Kind == conversation.KindOther && (!u.Copyable || u.Media == "contact") {
			return res, d.unrelayable(ctx, u, v, id, chat, code)
		}
		ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvRelay, Ticket: id, Volunteer: v.ID,
			MsgID: u.MsgID, Album: u.Album}
		if u.Edited {
			ev.Kind, ev.Text, ev.Caption = conversation.EvEdit, u.Text, u.Caption
		} else if len(v.Tickets) > 1 && u.ReplyTo == 0 {
			// Several people: say which one this went to.
			c, err := code()
			if err != nil {
				return res, storeErr(err)
			}
			ev.After = []conversation.Reply{{Text: d.t(v.ID, "desk_sent_to", map[string]string{"Code": c})}}
		}
		err = d.people.Apply(ctx, chat, ev)
		if errors.Is(err, conversation.ErrStale) && attempt == 0 {
			// This replica's idea of the volunteer's tickets may be old.
			if v, err = d.freshVolunteer(ctx, v.ID); err != nil {
				return res, storeErr(err)
			}
			continue
		}
		if errors.Is(err, conversation.ErrStale) {
			return res, d.say(ctx, v.ID, d.t(v.ID, "desk_gone", nil))
		}
		if err != nil {
			return res, err
		}
		break
	}
	if v.Last != id {
		// The ticket a message without a reply goes to next.
		if err := d.store.Touch(ctx, id, v.ID, d.now()); err != nil && !errors.Is(err, ErrNotHolder) {
			return res, storeErr(err)
		}
		d.dropVolunteer(v.ID)
	}
	return res, nil
}

// unrelayable tells both sides that a volunteer's message cannot be passed
// on (a quiz, a contact card…): the volunteer what, the person that
// something was not.
func (d *Desk) unrelayable(ctx context.Context, u conversation.Update, v Volunteer, id, chat int64, code func() (string, error)) error {
	c, err := code()
	if err != nil {
		return storeErr(err)
	}
	what := d.t(v.ID, "media_"+conversation.MediaKey(u.Media), nil)
	if err := d.say(ctx, v.ID, d.t(v.ID, "desk_not_relayed", map[string]string{"Code": c, "What": what})); err != nil {
		return err
	}
	ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvSay, Ticket: id, Volunteer: v.ID,
		Key: "relay_volunteer_not_relayed"}
	if err := d.people.Apply(ctx, chat, ev); err != nil && !errors.Is(err, conversation.ErrStale) {
		return err
	}
	return nil
}

// pick is the ticket a volunteer's message is about: the one whose message
// they replied to, their only one, or the one they answered last. 0 when
// none (the volunteer is told why).
func (d *Desk) pick(ctx context.Context, u conversation.Update, v Volunteer) (int64, error) {
	if len(v.Tickets) == 0 {
		return 0, d.say(ctx, v.ID, d.t(v.ID, "desk_no_ticket", nil))
	}
	if u.ReplyTo != 0 {
		for attempt := 0; attempt < 2; attempt++ {
			for _, id := range v.Tickets {
				chat, err := d.chatOf(ctx, id)
				if err != nil {
					return 0, storeErr(err)
				}
				if _, _, ok, err := d.outbox.Copy(ctx, chat, v.ID, u.ReplyTo); err != nil {
					return 0, storeErr(err)
				} else if ok {
					return id, nil
				}
			}
			if attempt == 0 && len(v.Tickets) > 0 {
				// Perhaps a ticket this replica does not know of yet: the
				// answer must never go to another person than the one replied to.
				fresh, err := d.freshVolunteer(ctx, v.ID)
				if err != nil {
					return 0, storeErr(err)
				}
				v = fresh
			}
		}
	}
	if len(v.Tickets) == 1 {
		return v.Tickets[0], nil
	}
	if slices.Contains(v.Tickets, v.Last) {
		return v.Last, nil
	}
	return 0, d.say(ctx, v.ID, d.t(v.ID, "desk_choose_ticket", nil))
}

// applyOrStale applies an event; a stale one (the person ended or erased
// meanwhile) is not an error: the volunteer was told by the person's side.
func (d *Desk) applyOrStale(ctx context.Context, chat int64, ev conversation.Event) error {
	err := d.people.Apply(ctx, chat, ev)
	if errors.Is(err, conversation.ErrStale) {
		return d.say(ctx, ev.Volunteer, d.t(ev.Volunteer, "desk_gone", nil))
	}
	return err
}

// holderErr answers a volunteer acting on a ticket that is not theirs any more.
func (d *Desk) holderErr(ctx context.Context, vol int64, err error) error {
	if errors.Is(err, ErrNotHolder) || errors.Is(err, ErrNotFound) {
		return d.say(ctx, vol, d.t(vol, "desk_gone", nil))
	}
	return storeErr(err)
}

// queueCmd lists what waits, in the volunteer's private chat.
func (d *Desk) queueCmd(ctx context.Context, vol int64) (conversation.Result, error) {
	ts, err := d.store.Queue(ctx, 20)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	return conversation.Result{Outcome: "queue"}, d.say(ctx, vol, d.queueText(vol, ts, d.now()))
}

// dispo puts a volunteer on or off duty.
func (d *Desk) dispo(ctx context.Context, v Volunteer, arg string) (conversation.Result, error) {
	res := conversation.Result{Outcome: "dispo"}
	switch strings.ToLower(arg) {
	case "on", "oui":
		v.Off = false
	case "off", "non":
		v.Off = true
	default:
		return res, d.say(ctx, v.ID, d.t(v.ID, "desk_dispo_usage", nil))
	}
	if err := d.store.SetVolunteer(ctx, v); err != nil {
		return res, storeErr(err)
	}
	d.dropVolunteer(v.ID)
	key := "desk_dispo_on"
	if v.Off {
		key = "desk_dispo_off"
	}
	return res, d.say(ctx, v.ID, d.t(v.ID, key, nil))
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
