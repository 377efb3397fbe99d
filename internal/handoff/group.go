package handoff

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/boussole/boussole/internal/conversation"
)

// The volunteers' group: cards with a "take" button, /file, /dispo, and
// members who leave. The desk never answers the group's own conversation,
// and writes there only through the board (20 messages a minute).

func (d *Desk) group(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	switch u.Kind {
	case conversation.KindButton:
		id, err := strconv.ParseInt(strings.TrimPrefix(u.Data, takePrefix), 10, 64)
		if !strings.HasPrefix(u.Data, takePrefix) || err != nil {
			d.answer(u, "", false)
			return conversation.Result{Outcome: "ignored"}, nil
		}
		return d.take(ctx, u, id)
	case conversation.KindMember:
		if u.Left && u.From != 0 {
			return d.leave(ctx, u.ID, u.From)
		}
		return conversation.Result{Outcome: "ignored"}, nil
	case conversation.KindText:
		cmd, arg := command(u.Text)
		switch cmd {
		case "file", "dispo":
			if ok, err := d.isMember(ctx, u.From); err != nil || !ok {
				return conversation.Result{Outcome: "ignored"}, storeErr(err)
			}
			v, err := d.volunteer(ctx, u.From)
			if err != nil {
				return conversation.Result{}, storeErr(err)
			}
			d.remember(u.From, clientLang(u.Lang))
			if !v.Private {
				// The desk answers volunteers in private only: tell them how.
				return conversation.Result{Outcome: "private"}, storeErr(d.store.Post(ctx, "private:"+strconv.FormatInt(u.From, 10), d.now()))
			}
			if cmd == "file" {
				return d.queueCmd(ctx, u.From)
			}
			return d.dispo(ctx, v, arg)
		}
	}
	return conversation.Result{Outcome: "ignored"}, nil
}

// take is a tap on "Prendre en charge": one atomic claim; the winner's
// private chat gets the header and what the person wrote while waiting,
// the person is told someone is there, the card changes on the board.
func (d *Desk) take(ctx context.Context, u conversation.Update, id int64) (conversation.Result, error) {
	ok, err := d.isMember(ctx, u.From)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	if !ok {
		d.answer(u, d.bundle.T(clientLang(u.Lang), "desk_not_member", nil), true)
		return conversation.Result{Outcome: "refused"}, nil
	}
	d.remember(u.From, clientLang(u.Lang))
	v, err := d.volunteer(ctx, u.From)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	now := d.now()
	status, t, err := d.store.Claim(ctx, id, v, now)
	d.dropVolunteer(u.From)
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	lang := d.langOf(u.From)
	switch status {
	case Won:
		ev := conversation.Event{UpdateID: u.ID, Kind: conversation.EvJoined, Ticket: id, Volunteer: u.From,
			VLang: lang, Before: []conversation.Reply{{Text: d.header(u.From, t, now)}}}
		err := d.people.Apply(ctx, t.Chat, ev)
		if errors.Is(err, conversation.ErrStale) {
			// The person left meanwhile (ended, erased): the ticket goes.
			if _, err := d.store.Close(ctx, id, 0, "cancelled", now); err != nil {
				return conversation.Result{}, storeErr(err)
			}
			d.answer(u, d.bundle.T(lang, "desk_gone", nil), true)
			return conversation.Result{Outcome: "gone"}, nil
		}
		if err != nil {
			return conversation.Result{}, err
		}
		if !t.Queued.IsZero() {
			d.wait.record(now.Sub(t.Queued))
		}
		d.count(now, "ticket_taken", t)
		d.answer(u, d.bundle.T(lang, "desk_take_ok", nil), false)
		return conversation.Result{Outcome: "taken"}, nil
	case Taken:
		d.answer(u, d.bundle.T(lang, "desk_taken_by", map[string]string{"Volunteer": t.Pseudonym}), true)
	case Full:
		d.answer(u, d.bundle.T(lang, "desk_full", map[string]string{"Capacity": strconv.Itoa(v.Capacity)}), true)
	case Recused:
		d.answer(u, d.bundle.T(lang, "desk_recused", nil), true)
	case Off:
		d.answer(u, d.bundle.T(lang, "desk_off", nil), true)
	case NoPrivate:
		d.answer(u, d.bundle.T(lang, "desk_need_private", map[string]string{"Volunteer": v.Pseudonym, "Link": d.link()}), true)
		return conversation.Result{Outcome: "private"}, storeErr(d.store.Post(ctx, "private:"+strconv.FormatInt(u.From, 10), now))
	default:
		d.answer(u, d.bundle.T(lang, "desk_gone", nil), true)
	}
	return conversation.Result{Outcome: "refused"}, nil
}

// leave is a member gone from the group: their tickets go back to the
// queue at once, their people are told, and so are they.
func (d *Desk) leave(ctx context.Context, update, user int64) (conversation.Result, error) {
	d.forget(user)
	ts, err := d.store.Leave(ctx, user, d.now())
	if err != nil {
		return conversation.Result{}, storeErr(err)
	}
	for _, t := range ts {
		ev := conversation.Event{UpdateID: update, Kind: conversation.EvReleased, Ticket: t.ID, Volunteer: user}
		if err := d.people.Apply(ctx, t.Chat, ev); err != nil && !errors.Is(err, conversation.ErrStale) {
			return conversation.Result{}, err
		}
	}
	if len(ts) > 0 {
		_ = d.say(ctx, user, d.t(user, "desk_removed", nil))
	}
	return conversation.Result{Outcome: "left"}, nil
}

// answer stops a tap's spinner, off the receive path.
func (d *Desk) answer(u conversation.Update, text string, alert bool) {
	if u.CallbackID == "" {
		return
	}
	if len([]rune(text)) > 200 {
		text = string([]rune(text)[:199]) + "…"
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
		defer cancel()
		_ = d.bot.Answer(ctx, u.CallbackID, text, alert)
	}()
}

// link is the deep link that opens a private chat with the bot as a volunteer.
func (d *Desk) link() string {
	if d.cfg.BotName == "" {
		return "/start benevole"
	}
	return "https://t.me/" + d.cfg.BotName + "?start=benevole"
}

// command splits "/cmd arg" (the adapter already removed any @BotName).
func command(text string) (cmd, arg string) {
	if !strings.HasPrefix(text, "/") {
		return "", ""
	}
	cmd, arg, _ = strings.Cut(strings.TrimSpace(text[1:]), " ")
	return strings.ToLower(cmd), strings.TrimSpace(arg)
}
