package ateliers

import (
	"context"
	"time"

	"github.com/boussole/boussole/internal/i18n"
)

// Notifier sends one text to a person who signed up (the bot's sender): a
// reminder, the place, a change. An error means this chat was not reached;
// its text may name the chat, so it is never logged.
type Notifier interface {
	Notify(ctx context.Context, chat int64, lang, text string) error
}

// The texts below reach a phone's notifications, where someone else may
// read them: they say when and where, never what the meeting is about nor
// who holds it.

// place is where the session is, or that it will be sent the day before
// (reveal: it may be said now).
func place(b *i18n.Bundle, lang string, s Session, reveal bool) string {
	if s.PlaceLater && !reveal {
		return b.T(lang, "ateliers_place_later", nil)
	}
	if p := s.Place[lang]; p != "" {
		return p
	}
	return s.Place["fr"]
}

// Reminder is the reminder of a session, the day before (or on the day,
// for a late sign-up), with its place.
func Reminder(b *i18n.Bundle, loc *time.Location, lang string, s Session, now time.Time) string {
	return b.T(lang, "ateliers_remind", map[string]string{
		"when": relDay(b, loc, lang, s, now), "at": At(b, loc, lang, s.Start), "place": place(b, lang, s, true)})
}

// PlaceNotice gives the place of a session whose place is sent the day
// before, to someone who did not ask for the reminder.
func PlaceNotice(b *i18n.Bundle, loc *time.Location, lang string, s Session, now time.Time) string {
	return b.T(lang, "ateliers_place", map[string]string{
		"when": relDay(b, loc, lang, s, now), "at": At(b, loc, lang, s.Start), "place": place(b, lang, s, true)})
}

// relDay is "demain", or "aujourd'hui" for a session the same day.
func relDay(b *i18n.Bundle, loc *time.Location, lang string, s Session, now time.Time) string {
	if sameDay(loc, s.Start, now) {
		return b.T(lang, "ateliers_today", nil)
	}
	return b.T(lang, "ateliers_tomorrow", nil)
}

// Moved tells of a change of date, time or place; "" when none of these
// changed (or only a place not given yet).
func Moved(b *i18n.Bundle, loc *time.Location, lang string, old, s Session) string {
	data := map[string]string{"old": At(b, loc, lang, old.Start), "new": At(b, loc, lang, s.Start),
		"place": place(b, lang, s, false)}
	switch {
	case !old.Start.Equal(s.Start):
		return b.T(lang, "ateliers_notice_moved", data)
	case old.PlaceLater != s.PlaceLater || !s.PlaceLater && place(b, lang, old, true) != place(b, lang, s, true):
		return b.T(lang, "ateliers_notice_place", data)
	}
	return ""
}

// Cancelled tells that a session is cancelled.
func Cancelled(b *i18n.Bundle, loc *time.Location, lang string, s Session) string {
	return b.T(lang, "ateliers_notice_cancelled", map[string]string{"old": At(b, loc, lang, s.Start)})
}
