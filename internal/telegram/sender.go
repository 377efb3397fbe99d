package telegram

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// Sender makes the Bot API calls of the delivery engine and of a step. It
// neither paces nor retries: the engine does, with what classify tells it.
type Sender struct {
	c       *Client
	protect bool
	me      atomic.Pointer[string] // the bot's username, once asked
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

// Send makes the one call of an item to chat, its destination: it sends a
// text, copies messages from it.From or edits a message, and returns the ids
// of the messages it created (none for an edit).
func (s *Sender) Send(ctx context.Context, chat int64, it delivery.Item) ([]int, error) {
	switch it.Kind {
	case delivery.KindText:
		id, err := s.SendNow(ctx, chat, it)
		if err != nil {
			return nil, err
		}
		return []int{id}, nil
	case delivery.KindCopy:
		return s.copy(ctx, chat, it)
	case delivery.KindEdit:
		return nil, s.edit(ctx, chat, it)
	case delivery.KindDelete:
		return nil, s.Delete(ctx, chat, it.IDs)
	}
	return nil, fmt.Errorf("%w: unknown kind %d", delivery.ErrRejected, it.Kind)
}

// SendNow sends one text item directly, for the few messages that cannot
// wait for the outbox.
func (s *Sender) SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error) {
	params := sendMessage{ChatID: chat, Text: it.Text, ProtectContent: s.protect,
		LinkPreview: &linkPreview{IsDisabled: true}, Reply: reply(it.ReplyTo)}
	if len(it.Buttons) > 0 {
		params.ReplyMarkup = keyboard(it.Buttons)
	}
	var msg sentMessage
	if err := s.c.Call(ctx, "sendMessage", &params, &msg); err != nil {
		return 0, classify(err)
	}
	return msg.MessageID, nil
}

// copy copies the messages it.IDs of chat it.From to chat: one with
// copyMessage (a reply when it.ReplyTo is set), several (an album) with
// copyMessages, which keeps them grouped but cannot reply.
func (s *Sender) copy(ctx context.Context, chat int64, it delivery.Item) ([]int, error) {
	if it.From == 0 {
		return nil, fmt.Errorf("%w: a copy without its source chat", delivery.ErrRejected)
	}
	ids := increasing(it.IDs)
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("%w: a copy of no message", delivery.ErrRejected)
	case 1:
		var msg sentMessage
		err := s.c.Call(ctx, "copyMessage", &copyMessage{ChatID: chat, FromChatID: it.From, MessageID: ids[0],
			ProtectContent: s.protect, Reply: reply(it.ReplyTo)}, &msg)
		if err != nil {
			return nil, classify(err)
		}
		return []int{msg.MessageID}, nil
	}
	var msgs []sentMessage
	err := s.c.Call(ctx, "copyMessages", &copyMessages{ChatID: chat, FromChatID: it.From, MessageIDs: ids,
		ProtectContent: s.protect}, &msgs)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]int, len(msgs))
	for i, m := range msgs {
		out[i] = m.MessageID
	}
	return out, nil
}

// increasing returns ids sorted, without duplicates, as copyMessages wants
// them; ids itself is left as it is.
func increasing(ids []int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// edit replaces the text (or, with it.Caption, the caption) of message
// it.IDs[0] of chat; a text edit without buttons drops the keyboard. An
// edit to what the message already says succeeds.
func (s *Sender) edit(ctx context.Context, chat int64, it delivery.Item) error {
	if len(it.IDs) == 0 {
		return fmt.Errorf("%w: an edit of no message", delivery.ErrRejected)
	}
	var err error
	if it.Caption {
		err = s.c.Call(ctx, "editMessageCaption", &editMessageCaption{ChatID: chat, MessageID: it.IDs[0],
			Caption: it.Text}, nil)
	} else {
		params := editMessageText{ChatID: chat, MessageID: it.IDs[0], Text: it.Text,
			LinkPreview: &linkPreview{IsDisabled: true}}
		if len(it.Buttons) > 0 {
			params.ReplyMarkup = keyboard(it.Buttons)
		}
		err = s.c.Call(ctx, "editMessageText", &params, nil)
	}
	if err != nil && !badRequest(err, "message is not modified") {
		return classify(err)
	}
	return nil
}

// badRequest tells a 400 whose description says what.
func badRequest(err error, what string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == 400 && strings.Contains(ae.Description, what)
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
