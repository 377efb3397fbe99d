package conversation

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

// Apply writes a volunteer's action into the person's conversation: the
// person's state and link, what the person is told, what is relayed, in
// one atomic write that joins ev.UpdateID to the person's recent updates (a
// redelivered update applies nothing twice). ErrStale: the conversation no
// longer matches (ticket closed, released, erased…); nothing was written.
func (s *Service) Apply(ctx context.Context, chat int64, ev Event) error {
	now := s.Now()
	load := s.Store.Load
	for attempt := 0; attempt < maxConflicts; attempt++ {
		rec, err := load(ctx, chat)
		if err != nil {
			return &StoreError{Err: err}
		}
		if rec.Seen(ev.UpdateID) {
			return nil
		}
		c, err := s.applyEvent(ctx, chat, rec, ev, now)
		if errors.Is(err, ErrStale) && attempt == 0 {
			// This replica's copy of the record may be older than the
			// event (another replica opened the ticket): read it again.
			load = s.Store.Reload
			continue
		}
		if err != nil {
			return err
		}
		res, err := s.Store.Commit(ctx, c)
		if err != nil {
			return &StoreError{Err: err}
		}
		switch res.Status {
		case Conflict:
			continue
		case Duplicate:
			return nil
		}
		s.Outbox.Hold(chat, res.Claim)
		if ev.Kind == EvRelay {
			s.tellFlood(ev.Volunteer, volLang(c.Link), res.Claim, "desk_flood", "desk_refused")
		}
		if res.Claim.Blocked && ev.Volunteer != 0 {
			// Nothing reaches a person who blocked the bot: their volunteer
			// is told rather than left talking to nobody.
			return s.tellVolunteer(ctx, ev.Volunteer, volLang(c.Link), "desk_person_blocked", c.Link.Code)
		}
		return nil
	}
	return errConflicts
}

// LastActive is when the person's conversation last moved (their step, or
// a message of their volunteer); zero when there is none.
func (s *Service) LastActive(ctx context.Context, chat int64) (time.Time, error) {
	rec, err := s.Store.Load(ctx, chat)
	if err != nil || rec.State.At == 0 {
		return time.Time{}, err
	}
	return time.Unix(rec.State.At, 0), nil
}

// tellVolunteer queues the desk's words in a volunteer's own chat.
func (s *Service) tellVolunteer(ctx context.Context, vol int64, lang, key, code string) error {
	now := s.Now()
	items := Items(Reply{Text: s.Bundle.T(lang, key, map[string]string{"Code": code}), Lang: lang}, now,
		delivery.Item{Must: true})
	claim, err := s.Store.Enqueue(ctx, vol, items, s.Owner, now)
	if err != nil {
		return &StoreError{Err: err}
	}
	s.Outbox.Hold(vol, claim)
	return nil
}

// applyEvent computes the write of one desk event.
func (s *Service) applyEvent(ctx context.Context, chat int64, rec Record, ev Event, now time.Time) (Commit, error) {
	f := s.Flow()
	st, link := rec.State, rec.Link
	lang := st.Lang
	if lang == "" {
		lang = "fr"
	}
	c := Commit{Chat: chat, Rev: rec.Rev, UpdateID: ev.UpdateID, State: st, Link: link, Owner: s.Owner,
		TTL: s.Retention, Now: now, Erase: Foreign}
	if link.Ticket != ev.Ticket {
		return c, ErrStale
	}
	vlang := ev.VLang
	if vlang == "" {
		vlang = volLang(link)
	}
	var replies []Reply
	var items []delivery.Item
	toVol := func(rs []Reply) {
		for _, r := range rs {
			r.Lang = vlang
			for _, it := range Items(r, now, delivery.Item{Must: true}) {
				it.To = ev.Volunteer
				items = append(items, it)
			}
		}
	}
	switch ev.Kind {
	case EvJoined:
		if link.Volunteer == ev.Volunteer && st.Mode == flow.ModeHuman {
			return c, nil // taken already: an empty write records the update
		}
		if link.Volunteer != 0 {
			return c, ErrStale
		}
		st.Mode = flow.ModeWaiting
		next, outs, err := flow.Step(f, st, flow.Input{Kind: flow.InHumanJoined}, now)
		if err != nil {
			return c, err
		}
		c.State = next
		toVol(ev.Before)
		// What the person wrote while waiting goes to the volunteer first.
		pending := slices.Clone(link.Pending)
		slices.Sort(pending)
		pending = slices.Compact(pending)
		for len(pending) > 0 {
			n := min(len(pending), delivery.DeleteBatch)
			items = append(items, copyItem(chat, pending[:n], ev.Volunteer, "", now))
			pending = pending[n:]
		}
		link.Volunteer, link.Pending, link.VLang, link.Told = ev.Volunteer, nil, ev.VLang, now.Unix()
		replies = Render(f, s.Bundle, next.Lang, outs)
		if len(replies) > 0 {
			replies[len(replies)-1].Buttons = s.endRow(next.Lang)
		}
	case EvReleased:
		if link.Volunteer != ev.Volunteer {
			return c, ErrStale
		}
		st.Mode = flow.ModeWaiting
		c.State = st
		link.Volunteer, link.Told = 0, now.Unix()
		replies = []Reply{{Text: s.Bundle.T(lang, "handoff_released", nil), Lang: lang, Buttons: s.endRow(lang)}}
		toVol(ev.After)
	case EvClosed:
		if ev.Volunteer != 0 && link.Volunteer != ev.Volunteer {
			return c, ErrStale
		}
		st.Mode = flow.ModeFlow
		c.State = st
		if ev.Key != "" {
			// Closed by the desk itself (nothing happened for long): a kind
			// word, no question.
			replies = []Reply{{Text: s.Bundle.T(lang, ev.Key, nil), Lang: lang}}
		} else {
			replies = []Reply{s.feedbackAsk(lang, "handoff_ended_by_volunteer", link.Ticket)}
		}
		link = Link{}
		toVol(ev.After)
	case EvRelay:
		if link.Volunteer != ev.Volunteer || st.Mode != flow.ModeHuman {
			return c, ErrStale
		}
		items = append(items, copyItem(ev.Volunteer, []int{ev.MsgID}, 0, ev.Album, now))
		c.IncomingID, c.IncomingChat = ev.MsgID, ev.Volunteer
		c.State.At = now.Unix() // the conversation is alive: not idle
		toVol(ev.After)
	case EvSay:
		text := ev.Text
		if ev.Key != "" {
			text = s.Bundle.T(lang, ev.Key, nil)
		}
		if link.Volunteer != ev.Volunteer || st.Mode != flow.ModeHuman || text == "" {
			return c, ErrStale
		}
		replies = []Reply{{Text: text, Lang: lang}}
		toVol(ev.After)
	case EvEdit:
		if link.Volunteer != ev.Volunteer {
			return c, ErrStale
		}
		if ev.Text != "" {
			items = append(items, delivery.Item{Kind: delivery.KindEdit, From: ev.Volunteer, IDs: []int{ev.MsgID},
				Text: ev.Text, Caption: ev.Caption, Must: true, At: now.UnixMilli()})
		}
	}
	c.Link = link
	c.Outbox = items
	for _, r := range replies {
		c.Outbox = append(c.Outbox, Items(r, now, delivery.Item{Must: true})...)
	}
	return c, nil
}
