package console

import (
	"context"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// screen is the console's outbox and channel: it keeps the claim of each
// step, and the messages the outbox sends, for the session to print.
type screen struct {
	pending []conversation.Reply
	next    int
	claim   delivery.Claim
	erased  int // messages deleted during the last action
}

var (
	_ delivery.API         = (*screen)(nil)
	_ conversation.Outbox  = (*screen)(nil)
	_ conversation.Channel = (*screen)(nil)
)

func (sc *screen) Send(_ context.Context, _ int64, it delivery.Item) ([]int, error) {
	sc.pending = append(sc.pending, conversation.Reply{Text: it.Text, Buttons: it.Buttons, Lang: it.Lang})
	sc.next++
	return []int{sc.next}, nil
}

func (sc *screen) SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error) {
	ids, err := sc.Send(ctx, chat, it)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

func (sc *screen) Delete(_ context.Context, _ int64, ids []int) error {
	sc.erased += len(ids)
	return nil
}

func (sc *screen) AnswerButton(context.Context, string, string) error { return nil }

func (sc *screen) Typing(context.Context, int64) error { return nil }

func (sc *screen) Hold(_ int64, c delivery.Claim) { sc.claim = c }

func (sc *screen) Waiting(int64) bool { return false }

func (sc *screen) Backlog() int { return 0 }

func (sc *screen) take() []conversation.Reply {
	out := sc.pending
	sc.pending = nil
	return out
}
