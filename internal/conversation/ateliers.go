package conversation

import (
	"context"
	"time"
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
