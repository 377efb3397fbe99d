package conversation

import (
	"context"
	"time"
)

// courtesy runs the calls that tell a person they were heard (a tapped
// button's spinner stops, "typing…"), off the receive path and bounded in
// number, so a slow Telegram never holds a step.
type courtesy struct {
	slots chan struct{}
}

// courtesyParallel bounds the courtesy calls in flight.
const courtesyParallel = 128

// courtesyTimeout bounds one courtesy call.
const courtesyTimeout = 10 * time.Second

func (c *courtesy) run(must bool, call func(ctx context.Context)) {
	if c.slots == nil {
		return
	}
	select {
	case c.slots <- struct{}{}:
	default:
		if !must {
			return // "typing…" is a courtesy: skipped when too many are in flight
		}
		c.slots <- struct{}{}
	}
	go func() {
		defer func() { <-c.slots }()
		ctx, cancel := context.WithTimeout(context.Background(), courtesyTimeout)
		defer cancel()
		call(ctx)
	}()
}

// Start enables the courtesy calls; without it (tests of decisions alone)
// none are made.
func (s *Service) Start() { s.courtesy.slots = make(chan struct{}, courtesyParallel) }

// acknowledge tells the person they were heard, without spending the message
// budget: a tapped button's spinner always stops, with "one moment…" when the
// reply will wait; a message gets "typing…" when the reply will wait.
func (s *Service) acknowledge(u Update, waits bool) {
	switch {
	case u.CallbackID != "":
		text := ""
		if waits {
			text = s.Bundle.T(clientLang(u.Lang), "one_moment", nil)
		}
		s.courtesy.run(true, func(ctx context.Context) { _ = s.Channel.AnswerButton(ctx, u.CallbackID, text) })
	case waits && (u.Kind == KindText || u.Kind == KindOther):
		s.courtesy.run(false, func(ctx context.Context) { _ = s.Channel.Typing(ctx, u.Chat) })
	}
}
