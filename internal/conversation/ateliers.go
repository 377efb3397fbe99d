package conversation

import (
	"context"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// Ateliers shows families the association's coming sessions and takes their
// sign-ups (internal/ateliers). Nil: the bot has none to show.
type Ateliers interface {
	// Cards are the coming sessions that fit lang and need ("" any), as
	// short cards with their buttons, for chat (who may have signed up).
	Cards(ctx context.Context, chat int64, lang, need string, now time.Time) ([]Reply, error)
	// Button answers a tap on a card's button (callback data starting with
	// ButtonPrefix): signing up, the reminder, signing out. ok is false
	// when data is not a card's.
	Button(ctx context.Context, chat int64, lang, data string, now time.Time) (replies []Reply, ok bool, err error)
	// Forget removes chat from every sign-up (/oubli, /effacer).
	Forget(ctx context.Context, chat int64) error
}

// AteliersPrefix starts the callback data of the sessions' cards.
const AteliersPrefix = "at:"

// render is Render, with the association's sessions after the message of a
// node that shows them (an OutAteliers output): the cards of s.Ateliers, or
// a line saying none is announced yet when the bot has no sessions to show
// (or none are coming), or a kind line when they cannot be read now. Reading
// them never fails the step: the node's own message and buttons stay.
func (s *Service) render(ctx context.Context, f *flow.Flow, chat int64, lang string, outs []flow.Output, now time.Time) []Reply {
	var replies []Reply
	from := 0
	for i, o := range outs {
		if o.Kind != flow.OutAteliers {
			continue
		}
		replies = append(replies, Render(f, s.Bundle, lang, outs[from:i])...)
		from = i + 1
		var cards []Reply
		var err error
		if s.Ateliers != nil {
			cards, err = s.Ateliers.Cards(ctx, chat, lang, o.Need, now)
		}
		switch {
		case err != nil:
			replies = append(replies, Reply{Text: s.Bundle.T(lang, "ateliers_node_failed", nil), Lang: lang})
		case len(cards) == 0 && len(replies) > 0:
			// Under the node's text, above its buttons: one message.
			last := &replies[len(replies)-1]
			last.Text = join(last.Text, s.Bundle.T(lang, "ateliers_node_none", nil))
		case len(cards) == 0:
			replies = append(replies, Reply{Text: s.Bundle.T(lang, "ateliers_node_none", nil), Lang: lang})
		default:
			replies = append(replies, cards...)
		}
	}
	return append(replies, Render(f, s.Bundle, lang, outs[from:])...)
}

// ateliersButton answers a tap on a session's card: its replies are sent,
// the person's step does not move. Without sessions to show, or for data
// that is not a card's, it reports false: the engine then shows the current
// step again, as for any stale button.
func (s *Service) ateliersButton(ctx context.Context, f *flow.Flow, st flow.State, chat int64, lang, data string, now time.Time) (decision, bool) {
	if s.Ateliers == nil || !strings.HasPrefix(data, AteliersPrefix) {
		return decision{}, false
	}
	replies, ok, err := s.Ateliers.Button(ctx, chat, lang, data, now)
	switch {
	case err != nil:
		return s.also(f, st, lang, s.Bundle.T(lang, "ateliers_node_failed", nil)), true
	case !ok:
		return decision{}, false
	}
	return decision{state: st, replies: replies}, true
}

// forgetAteliers removes the person from every session they signed up for,
// when they erase the conversation (/effacer, an erase button) or ask to be
// forgotten (/oubli). A failure does not stop the erasing, and nothing about
// the person is logged: their sign-ups expire with the session anyway.
func (s *Service) forgetAteliers(ctx context.Context, chat int64) {
	if s.Ateliers != nil {
		_ = s.Ateliers.Forget(ctx, chat)
	}
}
