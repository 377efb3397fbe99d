package admin

import (
	"context"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
)

// startTrial lets the admin walk their draft in their own chat, as a family
// would. Nothing of it leaves this chat: a request for a person opens no
// ticket, an emergency word alerts nobody, nothing is counted.
func (e *Editor) startTrial(ctx context.Context, a actor) {
	d, _, ok := e.load(ctx, a.id)
	if !ok {
		a.say(ctx, "admin_no_draft", nil)
		return
	}
	f, ok := e.check(ctx, a, d)
	if !ok {
		return
	}
	a.say(ctx, "admin_trial_start", nil)
	st, outs, err := flow.Step(f, flow.State{}, flow.Input{Kind: flow.InStart, Lang: a.lang}, e.Now())
	if err != nil {
		return
	}
	if e.save(ctx, a, d, session{Trial: &st}) {
		e.show(ctx, a, f, st, outs)
	}
}

// trialStep is one step of a trial.
func (e *Editor) trialStep(ctx context.Context, a actor, d redisstore.Draft, s session, u conversation.Update) {
	f, _ := e.Library.Check(publish.Docs{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile})
	if f == nil {
		e.quitTrial(ctx, a)
		return
	}
	in, ok := trialInput(u)
	if !ok {
		a.say(ctx, "admin_trial_text_only", nil)
		return
	}
	st, outs, err := flow.Step(f, *s.Trial, in, e.Now())
	if err != nil {
		return
	}
	if e.save(ctx, a, d, session{Trial: &st}) {
		e.show(ctx, a, f, st, outs)
	}
}

// trialInput reads an update as the conversation would; ok is false for
// what a trial does not simulate (media).
func trialInput(u conversation.Update) (flow.Input, bool) {
	switch u.Kind {
	case conversation.KindButton:
		return flow.ButtonInput(u.Data), true
	case conversation.KindText:
		cmd, arg, isCmd := commandOf(u.Text)
		if !isCmd {
			return flow.Input{Kind: flow.InText, Text: u.Text}, true
		}
		switch cmd {
		case "start":
			return flow.Input{Kind: flow.InStart}, true
		case "retour":
			return flow.Input{Kind: flow.InBack}, true
		case "recommencer":
			return flow.Input{Kind: flow.InRestart}, true
		case "urgence":
			return flow.Input{Kind: flow.InEmergency}, true
		case "langue":
			return flow.Input{Kind: flow.InLanguage, Lang: arg}, true
		}
		return flow.Input{Kind: flow.InText, Text: u.Text}, true
	}
	return flow.Input{}, false
}

// show sends a trial step's screens, marked as a trial, and says what
// would have happened where the real bot would reach someone.
func (e *Editor) show(ctx context.Context, a actor, f *flow.Flow, st flow.State, outs []flow.Output) {
	for _, o := range outs {
		switch o.Kind {
		case flow.OutHandoff:
			a.say(ctx, "admin_trial_handoff", nil)
		case flow.OutErase:
			a.say(ctx, "admin_trial_erase", nil)
		}
	}
	mark := a.t("admin_trial_mark", nil)
	for _, r := range conversation.Render(f, e.Bundle, st.Lang, outs) {
		a.send(ctx, mark+"\n"+r.Text, r.Buttons...)
	}
}

// quitTrial goes back to the draft's choices.
func (e *Editor) quitTrial(ctx context.Context, a actor) {
	d, s, ok := e.load(ctx, a.id)
	if !ok || s.Trial == nil {
		a.say(ctx, "admin_trial_none", nil)
		return
	}
	if !e.save(ctx, a, d, session{}) {
		return
	}
	a.say(ctx, "admin_trial_over", nil)
	e.offer(ctx, a, d)
}
