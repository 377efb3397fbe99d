package telegram

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// Sender makes the Bot API calls of the delivery engine and of a step. It
// neither paces nor retries: the engine does, with what classify tells it.
type Sender struct {
	c       *Client
	protect bool
}

var (
	_ delivery.API         = (*Sender)(nil)
	_ conversation.Channel = (*Sender)(nil)
)

// NewSender calls through c. protect sets protect_content on every message,
// so they cannot be forwarded or saved.
func NewSender(c *Client, protect bool) *Sender {
	return &Sender{c: c, protect: protect}
}

// Send sends one text item (the conversation splits long replies into
// items Telegram accepts) and returns its message id.
func (s *Sender) Send(ctx context.Context, chat int64, it delivery.Item) ([]int, error) {
	id, err := s.SendNow(ctx, chat, it)
	if err != nil {
		return nil, err
	}
	return []int{id}, nil
}

// SendNow sends one text item directly, for the few messages that cannot
// wait for the outbox.
func (s *Sender) SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error) {
	params := sendMessage{ChatID: chat, Text: it.Text, ProtectContent: s.protect,
		LinkPreview: &linkPreview{IsDisabled: true}}
	if len(it.Buttons) > 0 {
		params.ReplyMarkup = keyboard(it.Buttons)
	}
	var msg sentMessage
	if err := s.c.Call(ctx, "sendMessage", &params, &msg); err != nil {
		return 0, classify(err)
	}
	return msg.MessageID, nil
}

// Delete deletes up to delivery.DeleteBatch messages in one call. Messages
// already gone are not an error for deleteMessages.
func (s *Sender) Delete(ctx context.Context, chat int64, ids []int) error {
	if err := s.c.Call(ctx, "deleteMessages", &deleteMessages{ChatID: chat, MessageIDs: ids}, nil); err != nil {
		return classify(err)
	}
	return nil
}

// AnswerButton stops the spinner of a tapped button, with a short text when
// there is one.
func (s *Sender) AnswerButton(ctx context.Context, id, text string) error {
	return s.c.Call(ctx, "answerCallbackQuery", &answerCallback{ID: id, Text: text}, nil)
}

// Typing shows "typing…" in the chat.
func (s *Sender) Typing(ctx context.Context, chat int64) error {
	return s.c.Call(ctx, "sendChatAction", &chatAction{ChatID: chat, Action: "typing"}, nil)
}

// classify maps a Bot API failure to what the delivery engine does with it:
// 429 waits retry_after, 403 means blocked, another 4xx will never be
// accepted, anything else (5xx, network, timeout) is retried with backoff.
func classify(err error) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.Code == 429:
		return &delivery.RetryAfter{Wait: time.Duration(max(1, ae.RetryAfter)) * time.Second}
	case ae.Code == 403:
		return fmt.Errorf("%w: %w", delivery.ErrBlocked, err)
	case ae.Code >= 400 && ae.Code < 500:
		return fmt.Errorf("%w: %w", delivery.ErrRejected, err)
	}
	return err
}
