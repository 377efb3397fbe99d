package ateliers

import (
	"strconv"
	"time"

	"github.com/boussole/boussole/internal/i18n"
)

// Day writes t's day on loc's calendar in lang: "jeudi 3 décembre",
// "الخميس 3 ديسمبر".
func Day(b *i18n.Bundle, loc *time.Location, lang string, t time.Time) string {
	t = t.In(loc)
	return b.T(lang, "ateliers_date", map[string]string{
		"weekday": b.T(lang, "ateliers_weekday_"+strconv.Itoa(int(t.Weekday())), nil),
		"day":     strconv.Itoa(t.Day()),
		"month":   b.T(lang, "ateliers_month_"+strconv.Itoa(int(t.Month())), nil),
	})
}

// Clock writes t's time on loc's clock: "18 h", "18 h 30" in French,
// "18:30" otherwise.
func Clock(loc *time.Location, lang string, t time.Time) string {
	t = t.In(loc)
	if lang == "fr" {
		if t.Minute() == 0 {
			return strconv.Itoa(t.Hour()) + " h"
		}
		return strconv.Itoa(t.Hour()) + " h " + t.Format("04")
	}
	return t.Format("15:04")
}

// Span writes when a session is: "jeudi 3 décembre, 18 h – 19 h 30".
func Span(b *i18n.Bundle, loc *time.Location, lang string, s Session) string {
	return b.T(lang, "ateliers_span", map[string]string{
		"day": Day(b, loc, lang, s.Start), "from": Clock(loc, lang, s.Start), "to": Clock(loc, lang, s.End())})
}

// At writes when a session starts: "jeudi 3 décembre à 18 h".
func At(b *i18n.Bundle, loc *time.Location, lang string, t time.Time) string {
	return b.T(lang, "ateliers_at", map[string]string{"day": Day(b, loc, lang, t), "time": Clock(loc, lang, t)})
}

// sameDay reports whether a and b are the same calendar day on loc.
func sameDay(loc *time.Location, a, b time.Time) bool {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}

// Eve is when a session's reminders are due: 10:00 on loc's calendar day
// before its start's (a change of daylight saving time between them moves
// nothing).
func Eve(loc *time.Location, s Session) time.Time {
	t := s.Start.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()-1, 10, 0, 0, 0, loc)
}
