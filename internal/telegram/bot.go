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

// Handler is the conversation service as the runtime sees it.
type Handler interface {
	Handle(ctx context.Context, u conversation.Update, durable func()) (conversation.Result, error)
	// Unsent lists chats with stored replies not sent yet; Resume sends them.
	Unsent() []int64
	Resume(ctx context.Context, chat int64) error
}

var _ Handler = (*conversation.Service)(nil)

// Bot receives updates and hands them to the conversation service.
type Bot struct {
	client   *Client
	sender   *Sender
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
func NewBot(c *Client, s *Sender, h Handler, log zerolog.Logger, logKey []byte) *Bot {
	return &Bot{client: c, sender: s, handler: h, log: log, pseudo: logKey, parallel: 256,
		RetryBackoff: 30 * time.Second, DrainTimeout: 20 * time.Second}
}

// dispatcherFor starts the workers. Their context outlives a stop request so
// that updates in flight are finished (drained), not cut in half.
func (b *Bot) dispatcherFor() *dispatcher {
	b.dispOnce.Do(func() {
		b.workCtx, b.stopWork = context.WithCancel(context.Background())
		b.disp = newDispatcher(b.workCtx, b.parallel, func(chat int64, v any, stack []byte) {
			b.log.Error().Str("chat", b.pseudonym(chat)).Str("panic", panicText(v)).
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
// is down (long polling); without it a failure is reported at once (webhook).
func (b *Bot) process(raw *update, retry bool) outcome {
	o := outcome{durable: make(chan struct{}), failed: make(chan struct{})}
	cu, ok := convert(raw)
	if !ok {
		if cu.CallbackID != "" {
			go func() { _ = b.sender.AnswerButton(context.Background(), cu.CallbackID) }()
		}
		b.log.Info().Int64("update", raw.ID).Str("type", "ignored").Msg("update")
		close(o.durable)
		return o
	}
	if cu.Kind != conversation.KindButton {
		b.sender.Unblock(cu.Chat) // they write again: they no longer block the bot
	}
	var once sync.Once
	markDurable := func() { once.Do(func() { close(o.durable) }) }
	b.dispatcherFor().submit(job{chat: cu.Chat, run: func(ctx context.Context) {
		defer func() {
			select {
			case <-o.durable:
			default:
				close(o.failed)
			}
		}()
		backoff := time.Second
		for {
			start := time.Now()
			res, err := b.handler.Handle(ctx, cu, markDurable)
			b.logUpdate(cu, res, time.Since(start), err)
			if err == nil || !retry || ctx.Err() != nil {
				return
			}
			if sleepCtx(ctx, backoff) != nil {
				return
			}
			backoff = min(backoff*2, b.RetryBackoff)
		}
	}})
	return o
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
	ev.Int64("update", u.ID).Str("chat", b.pseudonym(u.Chat)).Str("type", updateType(u)).
		Str("node", res.Node).Str("outcome", res.Outcome).Dur("duration", d).Msg("update")
}

func (b *Bot) pseudonym(chat int64) string {
	m := hmac.New(sha256.New, b.pseudo)
	m.Write([]byte(strconv.FormatInt(chat, 10)))
	return hex.EncodeToString(m.Sum(nil))[:12]
}

// updateType names an update without its content; commands are named
// because they are the bot's words, not the person's.
func updateType(u conversation.Update) string {
	switch u.Kind {
	case conversation.KindButton:
		return "button"
	case conversation.KindOther:
		return "media"
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

// RetryUnsent sends, every interval until ctx is done, the replies that could
// not be sent when Telegram was failing. Each goes through the chat's queue,
// so it never overtakes or duplicates the chat's own steps.
func (b *Bot) RetryUnsent(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, chat := range b.handler.Unsent() {
			chat := chat
			b.dispatcherFor().submit(job{chat: chat, run: func(ctx context.Context) {
				_ = b.handler.Resume(ctx, chat)
			}})
		}
	}
}
