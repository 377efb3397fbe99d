package conversation

import (
	"context"
	"errors"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Service runs one update: load the state, step the flow, and store the new
// state with the replies appended to the chat's outbox, in one atomic write.
// Once Handle returns nil the update may be acknowledged: sending is the
// delivery engine's job and never holds the receive path.
type Service struct {
	Flow func() *flow.Flow // the flow people are walked through
	// Held returns an older version of the flow by its Version, while this
	// replica holds it (nil: none held); nil Held serves the live one only.
	Held    func(version string) *flow.Flow
	Bundle  *i18n.Bundle
	Store   Store
	Outbox  Outbox
	Channel Channel
	// Desk is the volunteer desk; nil when no volunteers' group is set.
	Desk Desk
	// Counter counts for the observatory; nil counts nothing.
	Counter Counter
	// Ateliers shows the association's sessions; nil shows none.
	Ateliers Ateliers
	// Owner is this replica's token for sending leases.
	Owner string
	Now   func() time.Time
	// Retention is how long an inactive conversation is kept.
	Retention time.Duration
	// GlobalRate is the shared sending rate (messages a second), to tell
	// when a reply will wait.
	GlobalRate float64

	mem      memory // what this process remembers about chats between updates
	courtesy courtesy
}

// Result says what a step did, for the one log line per update. It never
// holds anything the person wrote.
type Result struct {
	Node    string
	Outcome string // "ok", "duplicate", "degraded", "erased", "forgotten", "reset"
}

const maxConflicts = 4

// Handle processes one update. A nil error means its effects (state and
// replies) are stored: the update may be acknowledged. A *StoreError means
// it must be delivered again later.
func (s *Service) Handle(ctx context.Context, u Update) (Result, error) {
	now := s.Now()
	for attempt := 0; attempt < maxConflicts; attempt++ {
		rec, err := s.Store.Load(ctx, u.Chat)
		reset := false
		if errors.Is(err, ErrCorrupt) {
			// One unreadable record harms one conversation at most: it is
			// set aside and the person starts afresh, with an apology.
			if err := s.Store.SetAside(ctx, u.Chat); err != nil {
				return s.outage(ctx, u, err)
			}
			rec, reset = Record{}, true
		} else if err != nil {
			return s.outage(ctx, u, err)
		}
		if rec.Seen(u.ID) {
			s.acknowledge(u, false)
			return Result{Node: rec.State.Node, Outcome: "duplicate"}, nil
		}
		d, err := s.decideUpdate(ctx, rec, u, now)
		if err != nil {
			return Result{}, err
		}
		if reset {
			d = s.restart(u, now)
		}
		c := s.commitFor(u, rec, d, now)
		res, err := s.Store.Commit(ctx, c)
		if err != nil {
			return s.outage(ctx, u, err)
		}
		switch res.Status {
		case Conflict:
			continue
		case Duplicate:
			s.acknowledge(u, false)
			return Result{Node: res.Current.State.Node, Outcome: "duplicate"}, nil
		}
		s.Outbox.Hold(u.Chat, res.Claim)
		s.countStep(u, rec, d, now)
		if d.action == actBlock && rec.Link.Volunteer != 0 {
			// The person blocked the bot: their volunteer is told now, not at
			// their next message. A failure here is not the person's step's.
			_ = s.tellVolunteer(ctx, rec.Link.Volunteer, volLang(rec.Link), "desk_person_blocked", rec.Link.Code)
		}
		if c.Link.Open() || rec.Link.Open() {
			s.tellFlood(u.Chat, d.state.Lang, res.Claim, "relay_slow_down", "relay_refused")
		}
		s.acknowledge(u, s.replyWaits(u.Chat))
		s.mem.recovered(u.Chat)
		return Result{Node: d.state.Node, Outcome: outcomeOf(d, reset)}, nil
	}
	return Result{}, errConflicts
}

// commitFor turns a decision into the atomic write of the step.
func (s *Service) commitFor(u Update, rec Record, d decision, now time.Time) Commit {
	c := Commit{Chat: u.Chat, Rev: rec.Rev, UpdateID: u.ID, State: d.state, IncomingID: u.MsgID,
		Owner: s.Owner, TTL: s.Retention, Now: now, Link: rec.Link}
	if d.linkSet {
		c.Link = d.link
	}
	if u.Edited {
		c.IncomingID = 0 // journaled when it was sent
	}
	f := s.Flow()
	urgent := d.action == actNone && f.EmergencyNode(d.state.Node) && d.state.Node != rec.State.Node
	first := !rec.State.Started()
	switch d.action {
	case actBlock:
		c.Erase = BlockChat
	case actErase:
		c.Erase = EraseChat
	case actForget:
		// Nothing is said: the chat empties before the person's eyes, and
		// no confirmation stays on the phone to tell anyone it happened.
		c.Erase = EraseForget
		c.State = flow.State{}
		d.replies = nil
	}
	must := d.action == actErase || d.action == actForget
	urgent = urgent || d.urgent
	var replies []delivery.Item
	for _, r := range d.replies {
		replies = append(replies, Items(r, now, delivery.Item{Urgent: urgent, First: first, Must: must})...)
	}
	if d.urgent {
		// The emergency screen first; what goes to the volunteer follows.
		c.Outbox = append(replies, d.items...)
	} else {
		c.Outbox = append(d.items, replies...)
	}
	return c
}

// decideUpdate is decide, plus the updates that are not the person's words:
// blocking and unblocking the bot change nothing in the conversation (the
// commit clears or sets the blocked flag).
func (s *Service) decideUpdate(ctx context.Context, rec Record, u Update, now time.Time) (decision, error) {
	st := rec.State
	if u.Kind == KindMember {
		d := decision{state: st}
		if u.Blocked {
			d.action = actBlock
		}
		return d, nil
	}
	if rec.Link.Open() && s.Desk != nil {
		if d, ok, err := s.deskDecide(ctx, s.Flow(), rec, u, now); ok || err != nil {
			return d, err
		}
	} else if st.Mode != flow.ModeFlow {
		// A request for a person with no ticket behind it (the desk is gone,
		// or the ticket was lost): the menu answers again.
		st.Mode = flow.ModeFlow
	}
	d, err := s.decide(ctx, st, u, now)
	if err != nil {
		return d, err
	}
	if d.action == actErase || d.action == actForget {
		s.forgetAteliers(ctx, u.Chat) // their sign-ups go with the conversation
	}
	if (d.action == actErase || d.action == actForget) && rec.Link.Open() && s.Desk != nil {
		// Erasing reaches the volunteer's side: the copies go with this
		// conversation's journal; the ticket keeps only anonymous counts.
		if err := s.Desk.Erase(ctx, rec.Link.Ticket, rec.Link.Volunteer, now); err != nil {
			return decision{}, &StoreError{Err: err}
		}
		d.link, d.linkSet = Link{}, true
	}
	return d, nil
}

// restart answers a person whose stored record could not be read: the flow
// starts again, with a word of apology.
func (s *Service) restart(u Update, now time.Time) decision {
	f := s.Flow()
	lang := clientLang(u.Lang)
	st, outs, err := flow.Step(f, flow.State{}, flow.Input{Kind: flow.InStart, Lang: lang}, now)
	if err != nil {
		return decision{replies: []Reply{{Text: s.Bundle.T(lang, "record_reset", nil), Lang: lang}}}
	}
	replies := Render(f, s.Bundle, st.Lang, outs)
	if len(replies) > 0 {
		replies[0].Text = join(s.Bundle.T(st.Lang, "record_reset", nil), replies[0].Text)
	}
	return decision{state: st, replies: replies}
}

func outcomeOf(d decision, reset bool) string {
	switch {
	case reset:
		return "reset"
	case d.action == actErase:
		return "erased"
	case d.action == actForget:
		return "forgotten"
	case d.action == actBlock:
		return "blocked"
	}
	return "ok"
}

// countStep counts what a step did for the observatory.
func (s *Service) countStep(u Update, rec Record, d decision, now time.Time) {
	if s.Counter == nil || u.Kind == KindMember || d.action != actNone {
		return
	}
	s.Counter.Seen(now, u.Chat)
	st := d.state
	if !rec.State.Started() && st.Started() {
		s.count(now, "conversation", st)
	}
	if d.asked {
		s.count(now, "handoff_asked", st)
	}
	f := s.Flow()
	if d.urgent {
		s.count(now, "emergency", st) // an emergency word while with a volunteer
		return
	}
	if st.Node == rec.State.Node {
		return
	}
	if f.EmergencyNode(st.Node) {
		s.count(now, "emergency", st)
	} else if n := f.Nodes[st.Node]; n != nil && len(n.Resources) > 0 {
		s.count(now, "resources", st)
	}
}

// floodQueued is how many queued messages make a relay visibly slow: at
// Telegram's one message a second, about ten seconds behind.
const floodQueued = 10

// tellFlood tells whoever writes faster than their messages can be relayed
// (a person, or a volunteer through the person's outbox) that they leave
// one by one, or that one was refused because the outbox is full, at most
// once a minute, directly: the outbox is the thing that is full.
func (s *Service) tellFlood(to int64, lang string, c delivery.Claim, slow, refused string) {
	if c.Queued < floodQueued && c.Refused == 0 {
		return
	}
	key := slow
	if c.Refused > 0 {
		key = refused
	}
	if lang == "" {
		lang = "fr"
	}
	if !s.mem.tellFlood(to, s.Now()) {
		return
	}
	it := delivery.Item{Kind: delivery.KindText, Text: s.Bundle.T(lang, key, nil), Lang: lang, At: s.Now().UnixMilli()}
	s.courtesy.run(true, func(ctx context.Context) { _, _ = s.Channel.SendNow(ctx, to, it) })
}

// replyWaits reports whether the chat's reply will not go out at once: its
// pace holds it, or more than a second of replies wait for the global rate.
func (s *Service) replyWaits(chat int64) bool {
	return s.Outbox.Waiting(chat) || (s.GlobalRate > 0 && float64(s.Outbox.Backlog()) > s.GlobalRate)
}

// outage answers from memory when the store cannot be reached: the person gets
// the emergency numbers at once (at most every few minutes), and the update
// is not acknowledged, so it is processed again once the store is back.
func (s *Service) outage(ctx context.Context, u Update, cause error) (Result, error) {
	s.acknowledge(u, false)
	if s.mem.tellOutage(u.Chat, s.Now()) {
		lang := clientLang(u.Lang)
		it := delivery.Item{Text: s.Bundle.T(lang, "degraded", nil), Lang: lang, At: s.Now().UnixMilli()}
		_, _ = s.Channel.SendNow(ctx, u.Chat, it)
	}
	return Result{Outcome: "degraded"}, &StoreError{Err: cause}
}
