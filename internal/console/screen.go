package console

import (
	"context"

	"github.com/boussole/boussole/internal/conversation"
)

// screen is the console's Sender: it keeps the replies of one action for the
// session to print, and has no messages to delete or buttons to answer.
type screen struct {
	pending []conversation.Reply
	next    int
	erased  int // messages deleted during the last action
}

var _ conversation.Sender = (*screen)(nil)

func (sc *screen) Send(_ context.Context, _ int64, m conversation.Outgoing) (int, error) {
	sc.pending = append(sc.pending, m)
	sc.next++
	return sc.next, nil
}

func (sc *screen) Delete(_ context.Context, _ int64, ids []int) error {
	sc.erased += len(ids)
	return nil
}

func (sc *screen) AnswerButton(context.Context, string) error { return nil }

func (sc *screen) Typing(context.Context, int64) error { return nil }

func (sc *screen) take() []conversation.Reply {
	out := sc.pending
	sc.pending = nil
	return out
}
