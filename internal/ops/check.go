package ops

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// APIWindow is how recent the Bot API's last successful answer must be for
// the replica to be ready.
const APIWindow = 2 * time.Minute

// APICheck holds while the Bot API answered a call successfully within
// APIWindow.
func (m *Metrics) APICheck() Check {
	return Check{Name: "telegram", Test: func(context.Context) error {
		last := m.LastAPISuccess()
		if last.IsZero() {
			return errors.New("the Bot API has not answered successfully since the start")
		}
		if ago := m.now().Sub(last); ago > APIWindow {
			return fmt.Errorf("no successful Bot API answer for %s", ago.Truncate(time.Second))
		}
		return nil
	}}
}

// Probe keeps the Bot API check meaningful on a quiet replica (a webhook
// receives without calling the Bot API): every period, if no call has
// succeeded for half of APIWindow, it calls ping (getMe) through the
// counted client. It returns when ctx is done.
func (m *Metrics) Probe(ctx context.Context, period time.Duration, ping func(context.Context) error) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if m.now().Sub(m.LastAPISuccess()) < APIWindow/2 {
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_ = ping(pctx) // counted, and marks success, by the transport
		cancel()
	}
}
