package ateliers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Cards shows families the coming sessions and takes their sign-ups
// (conversation.Ateliers).
type Cards struct {
	Store  Store
	Bundle *i18n.Bundle
	Loc    *time.Location // Europe/Paris
}

var _ conversation.Ateliers = (*Cards)(nil)

// MaxCards is how many sessions are shown at once.
const MaxCards = 5

// The verbs of the cards' buttons: "at:<verb>:<id>".
const (
	VerbIn     = "in"  // I will come
	VerbRemind = "rem" // I will come, remind me the day before
	VerbOut    = "out" // I will not come
)

// Cards are the coming sessions (neither cancelled nor over) held in lang
// that suit need (or every need; need "" takes all), MaxCards at most,
// soonest first; one kind reply when there is none.
func (c *Cards) Cards(ctx context.Context, chat int64, lang, need string, now time.Time) ([]conversation.Reply, error) {
	all, err := c.Store.Coming(ctx, now)
	if err != nil {
		return nil, err
	}
	mine, err := c.Store.Mine(ctx, chat)
	if err != nil {
		return nil, err
	}
	var out []conversation.Reply
	for _, s := range all {
		if len(out) == MaxCards {
			break
		}
		if !Fits(s, lang, need, now) {
			continue
		}
		var sg *Sign
		if slices.Contains(mine, s.ID) {
			if sg, err = c.signOf(ctx, s.ID, chat); err != nil {
				return nil, err
			}
		}
		out = append(out, c.Card(s, lang, sg, now))
	}
	if len(out) == 0 {
		return []conversation.Reply{{Text: c.Bundle.T(lang, "ateliers_none", nil), Lang: lang}}, nil
	}
	return out, nil
}

// Fits reports whether a session is open to a person speaking lang with
// need ("" any): not cancelled, not over, held in lang, suiting need.
func Fits(s Session, lang, need string, now time.Time) bool {
	if s.Cancelled || !s.End().After(now) || !slices.Contains(s.Langs, lang) {
		return false
	}
	return need == "" || len(s.Needs) == 0 || slices.Contains(s.Needs, need)
}

// signOf is chat's sign-up to the session, nil if none.
func (c *Cards) signOf(ctx context.Context, id string, chat int64) (*Sign, error) {
	signed, err := c.Store.Signed(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, sg := range signed {
		if sg.Chat == chat {
			return &sg, nil
		}
	}
	return nil, nil
}

// Card is one session as a family sees it in lang, with the buttons that
// fit sg (nil: not signed up). The place given the day before shows to
// those signed up from then on.
func (c *Cards) Card(s Session, lang string, sg *Sign, now time.Time) conversation.Reply {
	b := c.Bundle
	lines := []string{b.T(lang, "ateliers_card_head", map[string]string{
		"kind": b.T(lang, "ateliers_kind_"+s.Kind, nil), "title": text(s.Title, lang)})}
	if f := text(s.Audience, lang); f != "" {
		lines = append(lines, b.T(lang, "ateliers_card_for", map[string]string{"for": f}))
	}
	lines = append(lines, "🗓 "+Span(b, c.Loc, lang, s))
	reveal := sg != nil && !now.Before(Eve(c.Loc, s))
	lines = append(lines, "📍 "+place(b, lang, s, reveal))
	btn := func(id, verb string) []flow.Button {
		return []flow.Button{{Label: b.T(lang, id, nil), Data: conversation.AteliersPrefix + verb + ":" + s.ID}}
	}
	var rows [][]flow.Button
	if sg == nil {
		rows = append(rows, btn("ateliers_button_in", VerbIn))
	}
	if sg == nil || !sg.Remind {
		rows = append(rows, btn("ateliers_button_remind", VerbRemind))
	}
	if sg != nil {
		rows = append(rows, btn("ateliers_button_out", VerbOut))
	}
	return conversation.Reply{Text: strings.Join(lines, "\n"), Buttons: rows, Lang: lang}
}

// text is a session's text in lang, else in French.
func text(m map[string]string, lang string) string {
	if t := m[lang]; t != "" {
		return t
	}
	return m["fr"]
}

// Button answers a tap on a card: ok is false only when data is not a
// card's. Forged or stale data gets a kind word, never an error.
func (c *Cards) Button(ctx context.Context, chat int64, lang, data string, now time.Time) ([]conversation.Reply, bool, error) {
	rest, ok := strings.CutPrefix(data, conversation.AteliersPrefix)
	if !ok {
		return nil, false, nil
	}
	say := func(id string) ([]conversation.Reply, bool, error) {
		return []conversation.Reply{{Text: c.Bundle.T(lang, id, nil), Lang: lang}}, true, nil
	}
	verb, id, _ := strings.Cut(rest, ":")
	if verb != VerbIn && verb != VerbRemind && verb != VerbOut {
		return say("ateliers_gone")
	}
	s, err := c.Store.Get(ctx, id)
	if errors.Is(err, ErrNoSession) {
		return say("ateliers_gone")
	}
	if err != nil {
		return nil, true, err
	}
	switch {
	case s.Cancelled:
		return say("ateliers_cancelled")
	case !s.End().After(now):
		return say("ateliers_over")
	}
	sg, err := c.signOf(ctx, s.ID, chat)
	if err != nil {
		return nil, true, err
	}
	done := "ateliers_done_in"
	switch verb {
	case VerbOut:
		if _, err := c.Store.SignOut(ctx, s.ID, chat); err != nil && !errors.Is(err, ErrNoSession) {
			return nil, true, err
		}
		sg, done = nil, "ateliers_done_out"
	default:
		next := Sign{Chat: chat, Lang: lang, Remind: verb == VerbRemind || sg != nil && sg.Remind}
		if verb == VerbRemind {
			done = "ateliers_done_remind"
		}
		if _, err := c.Store.SignUp(ctx, s.ID, next); errors.Is(err, ErrNoSession) {
			return say("ateliers_gone")
		} else if err != nil {
			return nil, true, err
		}
		sg = &next
	}
	card := c.Card(s, lang, sg, now)
	card.Text = c.Bundle.T(lang, done, nil) + "\n\n" + card.Text
	return []conversation.Reply{card}, true, nil
}

// Forget removes chat from every sign-up.
func (c *Cards) Forget(ctx context.Context, chat int64) error { return c.Store.Forget(ctx, chat) }
