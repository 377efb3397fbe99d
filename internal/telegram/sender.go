package telegram

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/boussole/boussole/internal/conversation"
)

// Limits are Telegram's sending limits, which the sender keeps to instead of
// discovering them by 429.
type Limits struct {
	Global    rate.Limit // messages per second across all chats (about 30)
	PerChat   rate.Limit // messages per second in one chat (about 1)
	ChatBurst int        // messages a chat may receive at once before pacing
	Retries   int        // attempts on 5xx and network errors
	Backoff   time.Duration
	MaxWait   time.Duration // longest retry_after honoured before giving up
}

// DefaultLimits follow Telegram's published guidance.
var DefaultLimits = Limits{Global: 30, PerChat: 1, ChatBurst: 3, Retries: 5, Backoff: 500 * time.Millisecond,
	MaxWait: 5 * time.Minute}

// Sender implements conversation.Sender on the Bot API.
type Sender struct {
	c       *Client
	limits  Limits
	global  *rate.Limiter
	mu      sync.Mutex
	chats   map[int64]*chatLimiter
	blocked map[int64]bool
	protect bool
	sleep   func(context.Context, time.Duration) error
}

var _ conversation.Sender = (*Sender)(nil)

type chatLimiter struct {
	lim  *rate.Limiter
	used time.Time
}

// NewSender paces and retries sends through c. protect sets protect_content
// on every message, so they cannot be forwarded or saved.
func NewSender(c *Client, limits Limits, protect bool) *Sender {
	return &Sender{c: c, limits: limits, global: rate.NewLimiter(limits.Global, int(max(1, limits.Global))),
		chats: map[int64]*chatLimiter{}, blocked: map[int64]bool{}, protect: protect, sleep: sleepCtx}
}

// Send delivers one reply, split if it is longer than Telegram accepts; the
// buttons go with the last part. It returns the id of the last message.
func (s *Sender) Send(ctx context.Context, chat int64, m conversation.Outgoing) (int, error) {
	parts := splitText(m.Text, maxMessageUnits)
	var id int
	for i, p := range parts {
		params := sendMessage{ChatID: chat, Text: p, ProtectContent: s.protect,
			LinkPreview: &linkPreview{IsDisabled: true}}
		if i == len(parts)-1 && len(m.Buttons) > 0 {
			params.ReplyMarkup = keyboard(m.Buttons)
		}
		var msg sentMessage
		if err := s.do(ctx, chat, "sendMessage", &params, &msg); err != nil {
			return id, err
		}
		id = msg.MessageID
	}
	return id, nil
}

// Delete removes messages (up to 100 per call, as deleteMessages allows).
func (s *Sender) Delete(ctx context.Context, chat int64, ids []int) error {
	for len(ids) > 0 {
		n := min(len(ids), 100)
		if err := s.do(ctx, 0, "deleteMessages", &deleteMessages{ChatID: chat, MessageIDs: ids[:n]}, nil); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// AnswerButton stops the spinner of a tapped button.
func (s *Sender) AnswerButton(ctx context.Context, id string) error {
	return s.do(ctx, 0, "answerCallbackQuery", &answerCallback{ID: id}, nil)
}

// Typing shows "typing…" in the chat.
func (s *Sender) Typing(ctx context.Context, chat int64) error {
	return s.do(ctx, 0, "sendChatAction", &chatAction{ChatID: chat, Action: "typing"}, nil)
}

// do calls a method with pacing (for messages to a chat) and retries: 429
// waits retry_after, 5xx and network errors back off, 403 is final.
func (s *Sender) do(ctx context.Context, chat int64, method string, params, out any) error {
	if chat != 0 && s.isBlocked(chat) {
		return conversation.ErrBlocked
	}
	backoff := s.limits.Backoff
	for attempt := 0; ; attempt++ {
		if chat != 0 {
			if err := s.pace(ctx, chat); err != nil {
				return err
			}
		}
		err := s.c.Call(ctx, method, params, out)
		if err == nil {
			return nil
		}
		var apiErr *APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.Code == 429:
			wait := time.Duration(max(1, apiErr.RetryAfter)) * time.Second
			if wait > s.limits.MaxWait {
				return err
			}
			if err := s.sleep(ctx, wait); err != nil {
				return err
			}
			continue // a 429 is not a failed attempt: Telegram said when to come back
		case errors.As(err, &apiErr) && apiErr.Code == 403:
			if chat != 0 {
				s.block(chat)
			}
			return conversation.ErrBlocked
		case errors.As(err, &apiErr) && apiErr.Code < 500:
			return fmt.Errorf("%w: %w", conversation.ErrRejected, err) // Telegram will never accept it
		case ctx.Err() != nil:
			return ctx.Err()
		}
		if attempt+1 >= s.limits.Retries {
			return err
		}
		if err := s.sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (s *Sender) pace(ctx context.Context, chat int64) error {
	s.mu.Lock()
	cl := s.chats[chat]
	now := time.Now()
	if cl == nil {
		cl = &chatLimiter{lim: rate.NewLimiter(s.limits.PerChat, max(1, s.limits.ChatBurst))}
		s.chats[chat] = cl
		if len(s.chats) > 10000 {
			s.evictIdle(now)
		}
	}
	cl.used = now
	s.mu.Unlock()
	if err := cl.lim.Wait(ctx); err != nil {
		return err
	}
	return s.global.Wait(ctx)
}

// evictIdle drops limiters of chats quiet for a minute: they are full again.
func (s *Sender) evictIdle(now time.Time) {
	for id, cl := range s.chats {
		if now.Sub(cl.used) > time.Minute {
			delete(s.chats, id)
		}
	}
}

func (s *Sender) isBlocked(chat int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blocked[chat]
}

func (s *Sender) block(chat int64) {
	s.mu.Lock()
	s.blocked[chat] = true
	s.mu.Unlock()
}

// Unblock is called when a person who had blocked the bot writes again.
func (s *Sender) Unblock(chat int64) {
	s.mu.Lock()
	delete(s.blocked, chat)
	s.mu.Unlock()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
