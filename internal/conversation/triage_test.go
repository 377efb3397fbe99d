package conversation_test

import (
	"testing"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/conversation"
)

// A free text is read by triage before the engine: its class picks the
// screen, whatever the step; a negated or harmless one stays where it is.
func TestFreeTextTriage(t *testing.T) {
	for _, tc := range []struct{ text, node string }{
		{"ils veulent me tuer", "urgence"},
		{"rani f lkhatar", "urgence"},
		{"هددوني", "urgence"},
		{"je veux mourir", "suicide"},
		{"بغيت نموت", "suicide"},
		{"c'est pas urgent", "besoin"},
		{"je suis menacée d'expulsion", "besoin"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			fx := newFixture(t)
			fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
			fx.tap(t, "Oui")
			res := fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: tc.text, MsgID: 2, Lang: "fr"})
			if res.Node != tc.node {
				t.Errorf("%q led to %q, want %q", tc.text, res.Node, tc.node)
			}
		})
	}
}

func TestClassifierIsBuiltOncePerFlow(t *testing.T) {
	set, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := set["orientation"]
	if conversation.Classifier(f) != conversation.Classifier(f) {
		t.Error("a second classifier was built for the same flow")
	}
	// The flow's own terms are in it.
	if m := conversation.Classifier(f).Classify("3teqni"); m.Class != "danger" {
		t.Errorf("3teqni = %q", m.Class)
	}
}
