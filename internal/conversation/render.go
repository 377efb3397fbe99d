package conversation

import (
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Reply is one message as the person reads it, whatever the channel.
type Reply struct {
	Text    string          `json:"t"`
	Buttons [][]flow.Button `json:"b,omitempty"` // rows of buttons, top to bottom
	Lang    string          `json:"l,omitempty"`
}

// Render turns the engine's outputs into replies in lang. A notice is joined
// to the message that follows it, so a stale button or a typed answer costs
// one message, not two. Outputs meant for the handoff desk are not replies.
func Render(f *flow.Flow, b *i18n.Bundle, lang string, outs []flow.Output) []Reply {
	var replies []Reply
	pending := ""
	for _, o := range outs {
		switch o.Kind {
		case flow.OutNotice:
			pending = join(pending, b.T(lang, "notice_"+string(o.Notice), nil))
		case flow.OutMessage:
			replies = append(replies, Reply{Text: join(pending, o.Text), Buttons: keyboard(f, b, lang, o), Lang: lang})
			pending = ""
		}
	}
	if pending != "" {
		replies = append(replies, Reply{Text: pending, Lang: lang})
	}
	return replies
}

// keyboard lays out a node's buttons one per row (long labels stay readable
// on a phone), then the global buttons that make sense there.
func keyboard(f *flow.Flow, b *i18n.Bundle, lang string, o flow.Output) [][]flow.Button {
	rows := make([][]flow.Button, 0, len(o.Buttons)+1)
	for _, btn := range o.Buttons {
		rows = append(rows, []flow.Button{btn})
	}
	var global []flow.Button
	if o.Back {
		global = append(global, flow.Button{Label: b.T(lang, "button_back", nil), Data: flow.ButtonBack})
	}
	if o.Node != f.Emergency.Target(flow.DefaultClass) && o.Node != f.Start {
		// The way to the emergency numbers, on every screen (the first one
		// has its own "I am in danger" button, the emergency one is there).
		global = append(global, flow.Button{Label: b.T(lang, "button_emergency", nil), Data: flow.ButtonEmergency})
	}
	if n := f.Nodes[o.Node]; n != nil && n.Kind == flow.KindEnd {
		global = append(global, flow.Button{Label: b.T(lang, "button_restart", nil), Data: flow.ButtonRestart})
	}
	if o.Node == f.Start {
		for _, l := range f.Languages {
			if l != lang {
				global = append(global, flow.Button{Label: b.T(l, "lang_name", nil), Data: flow.ButtonLanguage(l)})
			}
		}
	}
	if len(global) > 0 {
		rows = append(rows, global)
	}
	return rows
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}
