package conversation

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

// The person's side of a ticket: while it is queued the person's messages
// wait for the volunteer who takes it; while a volunteer holds it they are
// copied to the volunteer's private chat (copyMessage: the volunteer never
// sees who wrote). The tree is paused, but an emergency word still brings
// the emergency screen at once and alerts the volunteer.

// deskDecide handles an update of a person whose ticket is open.
func (s *Service) deskDecide(ctx context.Context, f *flow.Flow, rec Record, u Update, now time.Time) (decision, bool, error) {
	st, link := rec.State, rec.Link
	lang := st.Lang
	if lang == "" {
		lang = clientLang(u.Lang)
	}
	if u.Edited {
		d, err := s.relayEdit(ctx, st, link, u, now)
		return d, true, err
	}
	switch u.Kind {
	case KindButton:
		if u.Data == endButton {
			d, err := s.endTicket(ctx, f, st, link, lang, now)
			return d, true, err
		}
	case KindText:
		if cmd, _, ok := command(u.Text); ok {
			switch cmd {
			case "fin", "stop":
				d, err := s.endTicket(ctx, f, st, link, lang, now)
				return d, true, err
			case "recommencer":
				d, err := s.endTicket(ctx, f, st, link, lang, now)
				if err != nil {
					return d, true, err
				}
				next, outs, err := flow.Step(f, d.state, flow.Input{Kind: flow.InRestart}, now)
				if err != nil {
					return decision{}, true, err
				}
				d.state, d.replies = next, Render(f, s.Bundle, next.Lang, outs)
				return d, true, nil
			case "aide", "help":
				return decision{state: st, replies: []Reply{{Text: s.Bundle.T(lang, "help_with_human", nil), Lang: lang,
					Buttons: s.endRow(lang)}}}, true, nil
			}
			return decision{}, false, nil // /effacer, /oubli, /urgence, /langue…: as anywhere
		}
		d, err := s.relayText(ctx, f, st, link, u, lang, now)
		return d, true, err
	case KindOther:
		d, err := s.relayMedia(ctx, f, st, link, u, lang, now)
		return d, true, err
	}
	return decision{}, false, nil
}

// relayText passes a message on (or keeps it for the volunteer to come),
// after triage: an alarming text also brings the emergency screen.
func (s *Service) relayText(ctx context.Context, f *flow.Flow, st flow.State, link Link, u Update, lang string, now time.Time) (decision, error) {
	next, outs, err := flow.Step(f, st, triageText(f, flow.Input{Kind: flow.InText, Text: u.Text}), now)
	if err != nil {
		return decision{}, err
	}
	d := decision{state: next, link: link, linkSet: true}
	alarm := false
	for _, o := range outs {
		switch o.Kind {
		case flow.OutRelay:
			d = s.pass(ctx, d, u, lang, now)
		case flow.OutAlert:
			alarm = true
		}
	}
	if alarm {
		if err := s.alarm(ctx, &d, now); err != nil {
			return decision{}, err
		}
		d.replies = append(Render(f, s.Bundle, next.Lang, outs), d.replies...)
		d.urgent = true
	}
	return d, nil
}

// relayMedia passes a photo, a voice note, an album… on, or says why it
// cannot be: nothing is dropped in silence. A contact card is never passed
// on: it shows a phone number.
func (s *Service) relayMedia(ctx context.Context, f *flow.Flow, st flow.State, link Link, u Update, lang string, now time.Time) (decision, error) {
	d := decision{state: st, link: link, linkSet: true}
	what := s.Bundle.T(lang, "media_"+MediaKey(u.Media), nil)
	switch {
	case u.Media == "contact":
		d.replies = append(d.replies, Reply{Text: s.Bundle.T(lang, "relay_contact_refused", nil), Lang: lang})
		d.items = append(d.items, s.toVolunteer(link, "desk_person_not_relayed", map[string]string{"What": s.Bundle.T(volLang(link), "media_contact", nil)}, now)...)
		return d, nil
	case !u.Copyable:
		d.replies = append(d.replies, Reply{Text: s.Bundle.T(lang, "relay_not_relayed", map[string]string{"What": what}), Lang: lang})
		d.items = append(d.items, s.toVolunteer(link, "desk_person_not_relayed", map[string]string{"What": s.Bundle.T(volLang(link), "media_"+MediaKey(u.Media), nil)}, now)...)
		return d, nil
	}
	d = s.pass(ctx, d, u, lang, now)
	if u.Caption && u.Text != "" {
		if in := triageText(f, flow.Input{Kind: flow.InText, Text: u.Text}); in.Kind == flow.InEmergency {
			in.Text = "" // the caption travels with the copy
			next, outs, err := flow.Step(f, d.state, in, now)
			if err != nil {
				return decision{}, err
			}
			d.state = next
			if err := s.alarm(ctx, &d, now); err != nil {
				return decision{}, err
			}
			d.replies = append(Render(f, s.Bundle, next.Lang, outs), d.replies...)
			d.urgent = true
		}
	}
	return d, nil
}

// pass copies the person's message to their volunteer, or keeps it for the
// volunteer who will take the ticket (and, now and then, tells the person
// their place).
func (s *Service) pass(ctx context.Context, d decision, u Update, lang string, now time.Time) decision {
	if d.link.Volunteer != 0 {
		d.items = append(d.items, copyItem(u.Chat, []int{u.MsgID}, d.link.Volunteer, u.Album, now))
		return d
	}
	p := append(append([]int(nil), d.link.Pending...), u.MsgID)
	if len(p) > MaxPending {
		p = p[len(p)-MaxPending:]
	}
	d.link.Pending = p
	if now.Sub(time.Unix(d.link.Told, 0)) >= waitingReminder {
		d.link.Told = now.Unix()
		pos, err := s.Desk.Position(ctx, d.link.Ticket)
		if err == nil && pos > 0 {
			d.replies = append(d.replies, Reply{Text: s.Bundle.T(lang, "handoff_waiting_msg",
				map[string]string{"Position": strconv.Itoa(pos)}), Lang: lang, Buttons: s.endRow(lang)})
		}
	}
	return d
}

// alarm raises the ticket in the queue and tells the volunteer, if any.
func (s *Service) alarm(ctx context.Context, d *decision, now time.Time) error {
	if err := s.Desk.Alarm(ctx, d.link.Ticket); err != nil {
		return &StoreError{Err: err}
	}
	d.items = append(d.items, s.toVolunteer(d.link, "desk_person_alert", nil, now)...)
	return nil
}

// relayEdit relays an edit as an edit of the copy. A message not copied yet
// needs nothing: its copy will carry the new text.
func (s *Service) relayEdit(ctx context.Context, st flow.State, link Link, u Update, now time.Time) (decision, error) {
	d := decision{state: st, link: link, linkSet: true}
	if link.Volunteer == 0 || u.Text == "" {
		return d, nil
	}
	// The copy is found when the edit is sent: it went out before, in order.
	d.items = append(d.items, delivery.Item{Kind: delivery.KindEdit, From: u.Chat, To: link.Volunteer,
		IDs: []int{u.MsgID}, Text: u.Text, Caption: u.Caption, Must: true, At: now.UnixMilli()})
	return d, nil
}

// endTicket ends the person's ticket at their request: cancelled while
// queued, ended with a volunteer (who is told, and the person is asked
// whether it helped).
func (s *Service) endTicket(ctx context.Context, f *flow.Flow, st flow.State, link Link, lang string, now time.Time) (decision, error) {
	outcome := "cancelled"
	if link.Volunteer != 0 {
		outcome = "ended"
	}
	if link.Open() {
		if err := s.Desk.End(ctx, link.Ticket, outcome, now); err != nil {
			return decision{}, &StoreError{Err: err}
		}
	}
	st.Mode = flow.ModeFlow
	d := decision{state: st, linkSet: true}
	if outcome == "ended" {
		key := "desk_person_ended"
		d.items = s.toVolunteer(link, key, nil, now)
		d.replies = []Reply{s.feedbackAsk(lang, "handoff_ended_by_person", link.Ticket)}
		return d, nil
	}
	x := s.also(f, st, lang, s.Bundle.T(lang, "handoff_cancelled", nil))
	x.linkSet = true // and the link is cleared
	return x, nil
}

// feedbackAsk ends a human conversation: did it help? (anonymous, one tap).
func (s *Service) feedbackAsk(lang, lead string, ticket int64) Reply {
	t := strconv.FormatInt(ticket, 10)
	return Reply{Text: join(s.Bundle.T(lang, lead, nil), s.Bundle.T(lang, "feedback_ask", nil)), Lang: lang,
		Buttons: [][]flow.Button{{
			{Label: s.Bundle.T(lang, "feedback_yes", nil), Data: feedbackPrefix + "y:" + t},
			{Label: s.Bundle.T(lang, "feedback_some", nil), Data: feedbackPrefix + "s:" + t},
			{Label: s.Bundle.T(lang, "feedback_no", nil), Data: feedbackPrefix + "n:" + t},
		}}}
}

// feedbackButton counts an answer to "did it help?" and shows the menu.
func (s *Service) feedbackButton(ctx context.Context, f *flow.Flow, st flow.State, lang, data string, now time.Time) (decision, bool, error) {
	rest, ok := strings.CutPrefix(data, feedbackPrefix)
	if !ok {
		return decision{}, false, nil
	}
	answer, id, _ := strings.Cut(rest, ":")
	ticket, err := strconv.ParseInt(id, 10, 64)
	if err != nil || (answer != "y" && answer != "s" && answer != "n") {
		return decision{}, false, nil // an unknown button: "the menu has changed"
	}
	if s.Desk != nil {
		counted, err := s.Desk.Feedback(ctx, ticket, answer, now)
		if err != nil {
			return decision{}, true, &StoreError{Err: err}
		}
		if counted {
			s.count(now, map[string]string{"y": "feedback_yes", "s": "feedback_some", "n": "feedback_no"}[answer], st)
		}
	}
	if n := f.Nodes[st.Node]; n != nil && n.Kind == flow.KindHandoff && len(st.History) > 0 && st.Mode == flow.ModeFlow {
		// Not the offer of a person again, just after one: the screen before it.
		if back, outs, err := flow.Step(f, st, flow.Input{Kind: flow.InBack}, now); err == nil {
			r := Render(f, s.Bundle, back.Lang, outs)
			if len(r) > 0 {
				r[0].Text = join(s.Bundle.T(lang, "feedback_thanks", nil), r[0].Text)
			}
			return decision{state: back, replies: r}, true, nil
		}
	}
	if _, ok := flow.Current(f, st); !ok {
		next, outs, err := flow.Step(f, st, flow.Input{Kind: flow.InStart}, now)
		if err != nil {
			return decision{}, true, err
		}
		r := Render(f, s.Bundle, next.Lang, outs)
		if len(r) > 0 {
			r[0].Text = join(s.Bundle.T(lang, "feedback_thanks", nil), r[0].Text)
		}
		return decision{state: next, replies: r}, true, nil
	}
	return s.also(f, st, lang, s.Bundle.T(lang, "feedback_thanks", nil)), true, nil
}

// endRow is the "end the conversation" button under the desk's words.
func (s *Service) endRow(lang string) [][]flow.Button {
	return [][]flow.Button{{{Label: s.Bundle.T(lang, "button_end_chat", nil), Data: endButton}}}
}

// toVolunteer is a message of the desk to the person's volunteer, carried
// by the person's outbox (so it keeps its place among the relayed messages)
// and erased with the conversation. None while the ticket is queued.
func (s *Service) toVolunteer(link Link, key string, data map[string]string, now time.Time) []delivery.Item {
	if link.Volunteer == 0 {
		return nil
	}
	if data == nil {
		data = map[string]string{}
	}
	data["Code"] = link.Code
	lang := volLang(link)
	return []delivery.Item{{Kind: delivery.KindText, To: link.Volunteer, Text: s.Bundle.T(lang, key, data), Lang: lang,
		Must: true, At: now.UnixMilli()}}
}

func volLang(l Link) string {
	if l.VLang != "" {
		return l.VLang
	}
	return "fr"
}

// copyItem copies messages of chat from to chat to.
func copyItem(from int64, ids []int, to int64, album string, now time.Time) delivery.Item {
	return delivery.Item{Kind: delivery.KindCopy, From: from, IDs: ids, To: to, Album: album, Must: true, At: now.UnixMilli()}
}

// MediaKey is the locale key suffix of a kind of message.
func MediaKey(m string) string {
	switch m {
	case "photo", "video", "voice", "audio", "document", "sticker", "animation", "video_note",
		"location", "venue", "contact", "poll", "dice":
		return m
	}
	return "other"
}
