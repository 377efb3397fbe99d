package conversation

import (
	"context"
	"errors"
	"time"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Service runs one update end to end: load the state, step the flow, write
// the state and the replies together, then send. Nothing is acknowledged to
// Telegram before the step is durable.
type Service struct {
	Flow   func() *flow.Flow // the flow people are walked through
	Bundle *i18n.Bundle
	Store  Store
	Sender Sender
	Now    func() time.Time
	// Retention is how long an inactive conversation is kept.
	Retention time.Duration
	// TypingAfter: if no reply has gone out by then, show "typing…".
	TypingAfter time.Duration

	mem memory // what this process remembers about chats between updates
}

// Result says what a step did, for the one log line per update. It never
// holds anything the person wrote.
type Result struct {
	Node    string
	Outcome string // "ok", "duplicate", "degraded", "erased", "forgotten", "unsent", "blocked"
}

const maxConflicts = 4

// Handle processes one update. It calls durable as soon as the update's
// effects (state and replies) are stored: from then on the update may be
// acknowledged, even if sending is still under way. When durable was not
// called, the update must be delivered again.
func (s *Service) Handle(ctx context.Context, u Update, durable func()) (Result, error) {
	now := s.Now()
	var typing *time.Timer
	if s.TypingAfter > 0 && u.Kind != KindButton {
		typing = time.AfterFunc(s.TypingAfter, func() { _ = s.Sender.Typing(context.WithoutCancel(ctx), u.Chat) })
		defer typing.Stop()
	}
	for attempt := 0; attempt < maxConflicts; attempt++ {
		rec, err := s.Store.Load(ctx, u.Chat)
		if err != nil {
			return s.outage(ctx, u, err)
		}
		if u.ID > 0 && u.ID <= rec.LastUpdate {
			durable()
			return s.duplicate(ctx, u, rec)
		}
		if len(rec.Outbox) > 0 {
			// A previous run stored replies and died before sending them.
			rec, _ = s.flush(ctx, u.Chat, rec)
		}
		d, err := s.decide(ctx, rec.State, u, now)
		if err != nil {
			return Result{}, err
		}
		if d.action == actForget {
			return s.forget(ctx, u, rec.State, now, durable)
		}
		if d.action == actErase {
			if err := s.erase(ctx, u, now); err != nil {
				return s.outage(ctx, u, err)
			}
			rec = Record{Rev: rec.Rev}
		}
		next := Record{State: d.state, Outbox: d.replies, LastUpdate: max(rec.LastUpdate, u.ID)}
		incoming := u.MsgID
		if d.action == actErase {
			incoming = 0 // the /effacer message itself is already deleted
		}
		res, err := s.Store.Commit(ctx, Commit{Chat: u.Chat, Rev: rec.Rev, UpdateID: u.ID, Record: next,
			IncomingID: incoming, TTL: s.Retention, Now: now})
		if err != nil {
			return s.outage(ctx, u, err)
		}
		switch res.Status {
		case Conflict:
			continue
		case Duplicate:
			durable()
			return s.duplicate(ctx, u, res.Current)
		}
		durable()
		if typing != nil {
			typing.Stop()
		}
		s.answer(ctx, u)
		next.Rev = res.Rev
		if _, err := s.flush(ctx, u.Chat, next); err != nil {
			outcome := "unsent"
			if errors.Is(err, ErrBlocked) {
				outcome = "blocked"
			}
			return Result{Node: d.state.Node, Outcome: outcome}, nil
		}
		s.mem.recovered(u.Chat)
		outcome := "ok"
		if d.action == actErase {
			outcome = "erased"
		}
		return Result{Node: d.state.Node, Outcome: outcome}, nil
	}
	return Result{}, errConflicts
}

// flush sends a record's outbox and acknowledges it. A person who blocked the
// bot gets nothing more: the outbox is dropped, not retried forever. When
// sending fails for a while (Telegram down), the outbox stays stored and the
// chat is listed for RetryUnsent.
func (s *Service) flush(ctx context.Context, chat int64, rec Record) (Record, error) {
	sent := make([]int, 0, len(rec.Outbox))
	var blocked error
	outbox := rec.Outbox
	if s.mem.sentUnacked(chat, rec.Rev) {
		outbox = nil // already delivered by this process: only the ack is missing
	}
	for _, m := range outbox {
		id, err := s.Sender.Send(ctx, chat, m)
		switch {
		case err == nil:
			sent = append(sent, id)
			continue
		case errors.Is(err, ErrBlocked):
			blocked = err
		case errors.Is(err, ErrRejected):
			continue // never deliverable as it is: drop this message only
		default:
			s.mem.setUnsent(chat, true)
			return rec, err
		}
		break
	}
	s.mem.setUnsent(chat, false)
	if err := s.Store.Ack(ctx, chat, rec.Rev, sent, s.Now()); err != nil {
		// The replies went out: remember it, so that only the ack is retried
		// with the chat's next step (after a crash they may go out twice).
		s.mem.setUnacked(chat, rec.Rev, true)
		return rec, nil
	}
	s.mem.setUnacked(chat, rec.Rev, false)
	rec.Outbox = nil
	return rec, blocked
}

// duplicate handles an update already applied: its replies were stored with
// it, so only what was not sent yet goes out.
func (s *Service) duplicate(ctx context.Context, u Update, rec Record) (Result, error) {
	if len(rec.Outbox) > 0 {
		_, _ = s.flush(ctx, u.Chat, rec)
	}
	s.answer(ctx, u)
	return Result{Node: rec.State.Node, Outcome: "duplicate"}, nil
}

func (s *Service) answer(ctx context.Context, u Update) {
	if u.CallbackID != "" {
		_ = s.Sender.AnswerButton(ctx, u.CallbackID)
	}
}

// outage answers from memory when the store cannot be reached: the person gets
// the emergency numbers at once (at most every few minutes), and the update
// is not acknowledged so it is processed again once the store is back.
func (s *Service) outage(ctx context.Context, u Update, cause error) (Result, error) {
	s.answer(ctx, u)
	if s.mem.tellOutage(u.Chat, s.Now()) {
		lang := clientLang(u.Lang)
		_, _ = s.Sender.Send(ctx, u.Chat, Reply{Text: s.Bundle.T(lang, "degraded", nil), Lang: lang})
	}
	return Result{Outcome: "degraded"}, &StoreError{Err: cause}
}

// Resume sends what a crash left in a chat's outbox.
func (s *Service) Resume(ctx context.Context, chat int64) error {
	rec, err := s.Store.Load(ctx, chat)
	if err != nil || len(rec.Outbox) == 0 {
		return err
	}
	_, err = s.flush(ctx, chat, rec)
	return err
}

// Unsent lists the chats whose replies are stored but could not be sent yet;
// the runtime calls Resume for each, in the chat's order.
func (s *Service) Unsent() []int64 { return s.mem.unsentChats() }
