package conversation

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

type action int

const (
	actNone   action = iota
	actErase         // /effacer: delete the messages of the last 48 h and the state
	actForget        // /oubli confirmed: delete everything
	actBlock         // the person blocked the bot
)

// decision is what one update leads to, before anything is written.
type decision struct {
	state   flow.State
	replies []Reply
	action  action

	link    Link            // the person's ticket link after the step, when linkSet
	linkSet bool            // false: the link stays as it was
	items   []delivery.Item // relayed messages and words to the volunteer, queued before the replies
	urgent  bool            // the replies are an emergency screen: they go before the relayed messages
	asked   bool            // a ticket was opened (counted)
}

// forgetWindow is how long the confirmation buttons of /oubli stay valid.
const forgetWindow = 15 * time.Minute

// decide maps an update to the bot's commands or to a step of the flow.
func (s *Service) decide(ctx context.Context, st flow.State, u Update, now time.Time) (decision, error) {
	f := s.flowOf(st)
	lang := st.Lang
	if lang == "" {
		lang = clientLang(u.Lang)
	}
	if u.Edited {
		return decision{state: st}, nil // an edit changes nothing in the menu
	}
	in := flow.Input{Kind: flow.InText, Text: u.Text}
	switch u.Kind {
	case KindOther:
		return s.also(f, st, lang, s.Bundle.T(lang, "non_text", nil)), nil
	case KindButton:
		if d, ok := s.forgetButton(f, st, lang, u.Data, now); ok {
			return d, nil
		}
		if d, ok, err := s.feedbackButton(ctx, f, st, lang, u.Data, now); ok || err != nil {
			return d, err
		}
		if d, ok := s.ateliersButton(ctx, f, st, u.Chat, lang, u.Data, now); ok {
			return d, nil
		}
		in = flow.ButtonInput(u.Data)
	case KindText:
		if cmd, arg, ok := command(u.Text); ok {
			switch cmd {
			case "start":
				in = flow.Input{Kind: flow.InStart, Lang: clientLang(u.Lang)}
			case "aide", "help":
				return s.also(f, st, lang, s.Bundle.T(lang, "help", nil)), nil
			case "retour":
				in = flow.Input{Kind: flow.InBack}
			case "recommencer":
				in = flow.Input{Kind: flow.InRestart}
			case "urgence":
				in = flow.Input{Kind: flow.InEmergency}
			case "effacer":
				return eraseAll(), nil
			case "oubli":
				return s.forgetConfirm(st, lang, now), nil
			case "langue":
				if arg == "" {
					return s.chooseLanguage(f, st, lang), nil
				}
				in = flow.Input{Kind: flow.InLanguage, Lang: strings.ToLower(arg)}
			}
		}
	}
	if in.Kind == flow.InStart || in.Kind == flow.InRestart {
		f = s.Flow() // starting again is on the live version
	}
	next, outs, err := flow.Step(f, st, triageText(f, in), now)
	if err != nil {
		return decision{}, err
	}
	if live := s.Flow(); f != live {
		f, next, outs = s.backOnLive(f, live, next, outs, now)
	}
	for _, o := range outs {
		switch o.Kind {
		case flow.OutHandoff:
			if s.Desk == nil {
				return s.noDesk(f, st, now), nil
			}
			return s.openTicket(ctx, f, u, next, outs, *o.Ticket, now)
		case flow.OutErase:
			return eraseAll(), nil // "Effacer nos échanges", "Pas maintenant"
		}
	}
	return decision{state: next, replies: s.render(ctx, f, u.Chat, next.Lang, outs, now)}, nil
}

// eraseAll is /effacer, and the flow's erase buttons: the messages of the
// last 48 hours and the state are deleted, and nothing is sent after it. A
// confirmation ("conversation erased") would be the only message left in
// the chat and its preview in the chat list: it would tell whoever looks at
// the phone that something was hidden. The chat emptied is the answer.
func eraseAll() decision {
	return decision{state: flow.State{}, action: actErase}
}

// noDesk answers a request for a volunteer while the volunteer desk is not
// connected: it says so honestly, gives the numbers that answer now, and
// takes the person back to the step before the offer (which promised a
// person), with its buttons.
func (s *Service) noDesk(f *flow.Flow, st flow.State, now time.Time) decision {
	if len(st.History) > 0 {
		if back, _, err := flow.Step(f, st, flow.Input{Kind: flow.InBack}, now); err == nil {
			st = back
		}
	}
	return s.also(f, st, st.Lang, s.Bundle.T(st.Lang, "handoff_unavailable", nil))
}

// also answers with text and shows the current step again below it, so the
// person keeps their buttons at hand. The state does not move.
func (s *Service) also(f *flow.Flow, st flow.State, lang, text string) decision {
	if cur, ok := flow.Current(f, st); ok && st.Mode == flow.ModeFlow {
		cur.Text = text + "\n\n" + cur.Text
		return decision{state: st, replies: Render(f, s.Bundle, lang, []flow.Output{cur})}
	}
	return decision{state: st, replies: []Reply{{Text: text, Lang: lang}}}
}

func (s *Service) chooseLanguage(f *flow.Flow, st flow.State, lang string) decision {
	row := make([]flow.Button, 0, len(f.Languages))
	for _, l := range f.Languages {
		row = append(row, flow.Button{Label: s.Bundle.T(l, "lang_name", nil), Data: flow.ButtonLanguage(l)})
	}
	return decision{state: st, replies: []Reply{{Text: s.Bundle.T(lang, "language_choose", nil),
		Buttons: [][]flow.Button{row}, Lang: lang}}}
}

const forgetPrefix = "forget:"

func (s *Service) forgetConfirm(st flow.State, lang string, now time.Time) decision {
	ts := strconv.FormatInt(now.Unix(), 10)
	return decision{state: st, replies: []Reply{{Text: s.Bundle.T(lang, "forget_confirm", nil), Lang: lang,
		Buttons: [][]flow.Button{{
			{Label: s.Bundle.T(lang, "button_forget_yes", nil), Data: forgetPrefix + "yes:" + ts},
			{Label: s.Bundle.T(lang, "button_forget_no", nil), Data: forgetPrefix + "no:" + ts},
		}}}}}
}

// forgetButton handles the confirmation buttons of /oubli. An old one (past
// forgetWindow) is treated like any stale button.
func (s *Service) forgetButton(f *flow.Flow, st flow.State, lang, data string, now time.Time) (decision, bool) {
	rest, ok := strings.CutPrefix(data, forgetPrefix)
	if !ok {
		return decision{}, false
	}
	answer, ts, _ := strings.Cut(rest, ":")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)) > forgetWindow || now.Before(time.Unix(sec, 0).Add(-time.Minute)) {
		return decision{}, false // falls through to the engine: "this menu has changed"
	}
	switch answer {
	case "yes":
		return decision{action: actForget}, true
	case "no":
		return s.also(f, st, lang, s.Bundle.T(lang, "forget_cancelled", nil)), true
	}
	return decision{}, false
}

// flowOf is the flow a person's step runs on: the version their state was
// made with while this replica holds it (someone mid-way finishes the path
// they started, with the screens they saw), the live one otherwise (Step
// then carries them over, or to the menu with an apology).
func (s *Service) flowOf(st flow.State) *flow.Flow {
	live := s.Flow()
	if s.Held == nil || !st.Started() || st.Mode != flow.ModeFlow || st.Version == live.Version {
		return live
	}
	if f := s.Held(st.Version); f != nil && f.ID == st.Flow {
		return f
	}
	return live
}

// backOnLive moves a person who finished their path on an older version
// back to the live one once they are at its menu (or start): the screen
// they see is the live version's, so the next step is on it.
func (s *Service) backOnLive(old, live *flow.Flow, next flow.State, outs []flow.Output, now time.Time) (*flow.Flow, flow.State, []flow.Output) {
	if next.Mode != flow.ModeFlow || (next.Node != old.Menu && next.Node != old.Start) {
		return old, next, outs
	}
	var kept []flow.Output
	for _, o := range outs {
		switch o.Kind {
		case flow.OutNotice:
			kept = append(kept, o)
		case flow.OutMessage, flow.OutAteliers:
		default:
			return old, next, outs // a ticket or an erase: this step stays whole
		}
	}
	st, shown, err := flow.Step(live, next, flow.Input{Kind: flow.InStart}, now)
	if err != nil {
		return old, next, outs
	}
	return live, st, append(kept, shown...)
}
