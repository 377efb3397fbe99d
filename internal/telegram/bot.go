package telegram

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/conversation"
)

// Handler is the conversation service as the runtime sees it. A nil error
// means the update's effects are durable: it may be acknowledged.
type Handler interface {
	Handle(ctx context.Context, u conversation.Update) (conversation.Result, error)
}

var _ Handler = (*conversation.Service)(nil)

// Bot receives updates and hands them to the conversation service.
type Bot struct {
	client   *Client
	handler  Handler
	log      zerolog.Logger
	pseudo   []byte // key of the chat-id pseudonyms in logs
	parallel int
	// RetryBackoff bounds the waits between attempts at an update the store
	// could not take (polling keeps it; a webhook asks Telegram to resend).
	RetryBackoff time.Duration
	// DrainTimeout is how long a stop waits for updates in flight.
	DrainTimeout time.Duration

	disp     *dispatcher
	dispOnce sync.Once
	workCtx  context.Context
	stopWork context.CancelFunc
}

// NewBot assembles the runtime. logKey pseudonymises chat ids in logs.
func NewBot(c *Client, h Handler, log zerolog.Logger, logKey []byte) *Bot {
	return &Bot{client: c, handler: h, log: log, pseudo: logKey, parallel: 256,
		RetryBackoff: 30 * time.Second, DrainTimeout: 20 * time.Second}
}

// dispatcherFor starts the workers. Their context outlives a stop request so
// that updates in flight are finished (drained), not cut in half.
func (b *Bot) dispatcherFor() *dispatcher {
	b.dispOnce.Do(func() {
		b.workCtx, b.stopWork = context.WithCancel(context.Background())
		b.disp = newDispatcher(b.workCtx, b.parallel, func(chat int64, v any, stack []byte) {
			b.log.Error().Str("chat", b.Pseudonym(chat)).Str("panic", panicText(v)).
				Bytes("stack", stack).Msg("update panicked")
		})
	})
	return b.disp
}

// drain waits for the updates in flight, at most DrainTimeout.
func (b *Bot) drain() {
	d := b.dispatcherFor()
	done := make(chan struct{})
	go func() { d.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.DrainTimeout):
		b.log.Warn().Msg("drain timeout: updates still in flight will be delivered again")
		b.stopWork()
		<-done
	}
	b.stopWork()
}

// outcome of one update for the receiver: durable (may be acknowledged) or not.
type outcome struct {
	durable chan struct{}
	failed  chan struct{}
}

// process queues an update for its chat. retry keeps trying while the store
// is down (long polling); without it a failure is reported at once (webhook,
// where Telegram delivers the update again).
func (b *Bot) process(raw *update, retry bool) outcome {
	o := outcome{durable: make(chan struct{}), failed: make(chan struct{})}
	cu, ok := convert(raw)
	if !ok {
		if cu.CallbackID != "" {
			go b.answerIgnored(cu.CallbackID)
		}
		b.log.Info().Int64("update", raw.ID).Str("type", "ignored").Msg("update")
		close(o.durable)
		return o
	}
	b.dispatcherFor().submit(job{chat: cu.Chat, run: func(ctx context.Context) {
		backoff := time.Second
		for {
			start := time.Now()
			res, err := b.handler.Handle(ctx, cu)
			b.logUpdate(cu, res, time.Since(start), err)
			if err == nil {
				close(o.durable)
				return
			}
			if !retry || ctx.Err() != nil || !retryable(err) {
				if retryable(err) {
					close(o.failed)
				} else {
					close(o.durable) // a fault of this update alone: redelivering it would fail again
				}
				return
			}
			if sleepCtx(ctx, backoff) != nil {
				close(o.failed)
				return
			}
			backoff = min(backoff*2, b.RetryBackoff)
		}
	}})
	return o
}

// retryable tells an outage (the store unreachable: the update comes again)
// from a fault of the update itself.
func retryable(err error) bool {
	var se *conversation.StoreError
	return errors.As(err, &se) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// answerIgnored stops the spinner of a button the bot does not handle.
func (b *Bot) answerIgnored(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = b.client.Call(ctx, "answerCallbackQuery", &answerCallback{ID: id}, nil)
}

// logUpdate writes the one line per update: never text, names or phone
// numbers; the chat id only as a keyed pseudonym.
func (b *Bot) logUpdate(u conversation.Update, res conversation.Result, d time.Duration, err error) {
	ev := b.log.Info()
	if err != nil {
		ev = b.log.Warn().Str("error", errorClass(err))
	}
	if !ev.Enabled() {
		return // the pseudonym's HMAC is not worth computing for nothing
	}
	ev.Int64("update", u.ID).Str("chat", b.Pseudonym(u.Chat)).Str("type", updateType(u)).
		Str("node", res.Node).Str("outcome", res.Outcome).Dur("duration", d).Msg("update")
}

// Pseudonym names a chat in logs by a keyed hash: stable within a run (or
// across runs with LOG_KEY), meaningless without the key.
func (b *Bot) Pseudonym(chat int64) string {
	m := hmac.New(sha256.New, b.pseudo)
	m.Write([]byte(strconv.FormatInt(chat, 10)))
	return hex.EncodeToString(m.Sum(nil))[:12]
}

// updateType names an update without its content (never a text, a caption
// or a name); commands are named because they are the bot's words, not the
// person's.
func updateType(u conversation.Update) string {
	switch {
	case u.Edited:
		return "edit"
	case u.Kind == conversation.KindButton:
		return "button"
	case u.Kind == conversation.KindOther:
		if u.Media == "" {
			return "media"
		}
		return u.Media
	case u.Kind == conversation.KindMember:
		switch {
		case u.Private && u.Blocked:
			return "blocked"
		case u.Private:
			return "unblocked"
		case u.Blocked:
			return "bot removed"
		case u.Left:
			return "member left"
		}
		return "member"
	}
	if cmd, ok := knownCommand(u.Text); ok {
		return "command:" + cmd
	}
	return "text"
}

// errorClass describes an error without anything it may quote.
func errorClass(err error) string {
	var se *conversation.StoreError
	var ae *APIError
	switch {
	case errors.As(err, &se):
		return "store unavailable"
	case errors.As(err, &ae):
		return "telegram " + ae.Method + " " + strconv.Itoa(ae.Code)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	}
	return "internal"
}

func panicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}
