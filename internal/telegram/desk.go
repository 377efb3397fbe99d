package telegram

import (
	"context"

	"github.com/boussole/boussole/internal/flow"
)

// The calls of the volunteers' desk: the cards it keeps up to date in the
// volunteers' group, who is a member of it, and the answers to its buttons.
// Errors are classified like the delivery engine's (429: RetryAfter, 403:
// ErrBlocked, another 4xx: ErrRejected).

// Card shows a card in chat: a new message when messageID is 0, else an
// edit of message messageID (no buttons: its keyboard is removed). It
// returns the card's message id: messageID itself after an edit, a new one
// when the message to edit is gone (deleted by someone) and was sent again.
// An edit to what the card already says succeeds.
func (s *Sender) Card(ctx context.Context, chat int64, messageID int, text string, buttons [][]flow.Button) (int, error) {
	if messageID != 0 {
		// An edit without reply_markup drops the keyboard.
		params := editMessageText{ChatID: chat, MessageID: messageID, Text: text,
			LinkPreview: &linkPreview{IsDisabled: true}}
		if len(buttons) > 0 {
			params.ReplyMarkup = keyboard(buttons)
		}
		err := s.c.Call(ctx, "editMessageText", &params, nil)
		switch {
		case err == nil, badRequest(err, "message is not modified"):
			return messageID, nil
		case !badRequest(err, "message to edit not found"):
			return 0, classify(err)
		}
	}
	params := sendMessage{ChatID: chat, Text: text, ProtectContent: s.protect,
		LinkPreview: &linkPreview{IsDisabled: true}}
	if len(buttons) > 0 {
		params.ReplyMarkup = keyboard(buttons)
	}
	var msg sentMessage
	if err := s.c.Call(ctx, "sendMessage", &params, &msg); err != nil {
		return 0, classify(err)
	}
	return msg.MessageID, nil
}

// Member returns the status of user in chat: "creator", "administrator",
// "member", "restricted", "left" or "kicked". A user Telegram does not know
// is an ErrRejected error.
func (s *Sender) Member(ctx context.Context, chat, user int64) (string, error) {
	var m member
	if err := s.c.Call(ctx, "getChatMember", &getChatMember{ChatID: chat, UserID: user}, &m); err != nil {
		return "", classify(err)
	}
	return m.Status, nil
}

// Answer stops a tapped button's spinner with text, shown as an alert the
// person must close when alert is set, else as a passing notice.
func (s *Sender) Answer(ctx context.Context, callbackID, text string, alert bool) error {
	if err := s.c.Call(ctx, "answerCallbackQuery", &answerCallback{ID: callbackID, Text: text, ShowAlert: alert}, nil); err != nil {
		return classify(err)
	}
	return nil
}

// Me returns the bot's username (for t.me/<username> links). It is asked
// once; later calls return it from memory.
func (s *Sender) Me(ctx context.Context) (string, error) {
	if name := s.me.Load(); name != nil {
		return *name, nil
	}
	var u botUser
	if err := s.c.Call(ctx, "getMe", struct{}{}, &u); err != nil {
		return "", classify(err)
	}
	s.me.Store(&u.Username)
	return u.Username, nil
}
