// Package ateliers holds the association's ateliers de parole, support
// groups and legal permanences: what admins announce from Telegram, what
// families see and sign up for without giving a name, and the one discreet
// reminder the day before. Nothing about a person outlives the session.
package ateliers

import (
	"context"
	"errors"
	"time"
)

// Session is one meeting of the association. Its texts are in French and
// Arabic; Start is a moment (read and shown on Europe/Paris time).
type Session struct {
	ID         string            `json:"id"`              // short code, e.g. "K7F2", chosen by the store
	Kind       string            `json:"kind"`            // one of Kinds
	Title      map[string]string `json:"title"`           // lang → title, fr and ar
	Audience   map[string]string `json:"for,omitempty"`   // lang → who it is for (parents, young people…)
	Needs      []string          `json:"needs,omitempty"` // the needs it suits (psy, medical, legal, deuil, menace, general); none: every need
	Langs      []string          `json:"langs"`           // languages spoken there (fr, ar)
	Start      time.Time         `json:"start"`
	Minutes    int               `json:"minutes"`
	Place      map[string]string `json:"place"`           // lang → where
	PlaceLater bool              `json:"later,omitempty"` // the place is sent the day before, only to those signed up
	Cancelled  bool              `json:"cancelled,omitempty"`
	Came       int               `json:"came"` // how many came, recorded by an admin after; -1 not recorded
}

// Kinds are the kinds of session, each with its name in the locales
// (ateliers_kind_<kind>).
var Kinds = []string{"atelier", "groupe", "permanence"}

// End is when the session is over.
func (s Session) End() time.Time { return s.Start.Add(time.Duration(s.Minutes) * time.Minute) }

// Sign is one person's sign-up: the chat (kept only until the session is
// over, for the reminder and a cancellation notice), their language, and
// whether they asked for the reminder.
type Sign struct {
	Chat   int64  `json:"c"`
	Lang   string `json:"l"`
	Remind bool   `json:"r,omitempty"`
}

// ErrNoSession is returned for a session that does not exist (any more).
var ErrNoSession = errors.New("ateliers: no such session")

// Store keeps the sessions and the sign-ups. Every key expires: a session a
// month after it ended, its sign-ups (the chat ids) when it ends.
type Store interface {
	// Save creates (empty ID: the store assigns one) or replaces a session.
	Save(ctx context.Context, s Session) (Session, error)
	Get(ctx context.Context, id string) (Session, error)
	// Coming lists the sessions not over at now, cancelled ones included,
	// soonest first.
	Coming(ctx context.Context, now time.Time) ([]Session, error)
	// Between lists the sessions that started in [from, to), for the report.
	Between(ctx context.Context, from, to time.Time) ([]Session, error)
	// SignUp records (or updates) a chat's sign-up; it reports the count.
	SignUp(ctx context.Context, id string, sg Sign) (int, error)
	// SignOut removes a chat's sign-up; it reports the count.
	SignOut(ctx context.Context, id string, chat int64) (int, error)
	// Signed returns the sign-ups of a session (for reminders and notices).
	Signed(ctx context.Context, id string) ([]Sign, error)
	// Count is how many signed up.
	Count(ctx context.Context, id string) (int, error)
	// Mine lists the sessions a chat signed up for.
	Mine(ctx context.Context, chat int64) ([]string, error)
	// Forget removes a chat from every sign-up (/oubli, /effacer).
	Forget(ctx context.Context, chat int64) error
	// Reminded marks a session's reminders as sent; it reports false when
	// another replica did already (exactly one sends them).
	Reminded(ctx context.Context, id string) (bool, error)
}
