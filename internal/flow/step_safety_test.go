package flow

import (
	"slices"
	"testing"
)

// safetyFlow has what the orientation flow uses for safety: an erase node,
// an emergency node with a "resume" option, an end, an arrondissement asked
// last.
const safetyFlow = `
id: safety
languages: [fr, ar]
start: accueil
emergency:
  goto: urgence
  keywords:
    fr: [danger]
    ar: [خطر]
nodes:
  accueil:
    text: {fr: "Bonjour", ar: "مرحبا"}
    options:
      - {label: {fr: "Oui", ar: "نعم"}, goto: besoin}
      - {label: {fr: "Pas maintenant", ar: "ليس الآن"}, goto: effacer}
  besoin:
    text: {fr: "Votre besoin ?", ar: "حاجتك؟"}
    options:
      - {label: {fr: "Psy", ar: "نفسي"}, set: {need: psy}, goto: psy}
      - {label: {fr: "Effacer", ar: "مسح"}, goto: effacer}
  psy:
    text: {fr: "Le CMP.", ar: "CMP"}
    options:
      - {label: {fr: "Terminer", ar: "إنهاء"}, goto: quartier}
  quartier:
    text: {fr: "Votre arrondissement ?", ar: "arrondissement؟"}
    input: {var: arrondissement, type: arrondissement}
    skip: {fr: "Je ne veux pas répondre", ar: "لا أريد الإجابة"}
    next: fin
  urgence:
    text: {fr: "Appelez le 17.", ar: "17"}
    options:
      - {label: {fr: "Je suis en sécurité, continuer", ar: "متابعة"}, goto: besoin, resume: true}
      - {label: {fr: "Effacer nos échanges", ar: "مسح"}, goto: effacer}
  effacer:
    erase: true
  fin:
    text: {fr: "Merci.", ar: "شكرا"}
    end: true
`

func TestEraseNodeErasesAndKeepsNothing(t *testing.T) {
	f := mustLoad(t, safetyFlow, "resources: {}")
	st := start(t, f, "ar")
	st, out := tap(t, f, st, "نعم")
	wantOut(t, out, "message besoin")
	next, out := tap(t, f, st, "مسح")
	wantOut(t, out, "erase effacer")
	if next.Lang != "ar" {
		t.Errorf("the language is lost: %+v", next)
	}
	// "Pas maintenant" on the first screen is the same quick exit.
	st = start(t, f, "fr")
	_, out = tap(t, f, st, "Pas maintenant")
	wantOut(t, out, "erase effacer")
}

func TestContinueAfterEmergencyResumesWhereThePersonWas(t *testing.T) {
	f := mustLoad(t, safetyFlow, "resources: {}")
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = tap(t, f, st, "Psy")
	for _, in := range []Input{{Kind: InEmergency, Class: "danger", Text: "danger"}, {Kind: InEmergency}, ButtonInput(ButtonEmergency)} {
		sos, out := step(t, f, st, in)
		wantOut(t, out, "message urgence")
		back, out := tap(t, f, sos, "Je suis en sécurité, continuer")
		wantOut(t, out, "message psy")
		if back.Node != "psy" || !slices.Equal(back.History, st.History) || back.Resume != "" {
			t.Errorf("after %+v, continue went to %+v; want psy with history %v", in, back, st.History)
		}
	}
	// Reached from the flow (a button that leads to the emergency node is
	// an ordinary goto), "continue" goes to its goto.
	fresh, out := step(t, f, State{}, Input{Kind: InEmergency})
	wantOut(t, out, "message urgence")
	next, out := tap(t, f, fresh, "Je suis en sécurité, continuer")
	wantOut(t, out, "message besoin")
	if next.Node != "besoin" {
		t.Errorf("continue from a fresh emergency: %+v", next)
	}
	// Back from the emergency, then the emergency again from elsewhere:
	// the old place is forgotten.
	sos, _ := step(t, f, st, Input{Kind: InEmergency})
	back, _ := step(t, f, sos, Input{Kind: InBack})
	if back.Resume != "" {
		t.Errorf("back keeps a place to resume: %+v", back)
	}
}

func TestArrondissementIsNeverRefused(t *testing.T) {
	f := mustLoad(t, safetyFlow, "resources: {}")
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = tap(t, f, st, "Psy")
	st, _ = tap(t, f, st, "Terminer")
	for _, tc := range []struct{ in, want string }{
		{"13ème", "13"}, {"١٣", "13"}, {"13013", "13"},
		{"mon fils a été tué la semaine dernière, je ne sais pas quoi faire, aidez-moi s'il vous plaît", ""},
		{"Vitrolles", ""}, {"non", ""},
	} {
		next, out := text(t, f, st, tc.in)
		if len(tc.in) > 40 {
			// A story is not refused, but the person learns nobody reads it.
			wantOut(t, out, "notice use_buttons", "message fin", "end fin")
		} else {
			wantOut(t, out, "message fin", "end fin")
		}
		if next.Vars["arrondissement"] != tc.want {
			t.Errorf("%q: arrondissement %q, want %q", tc.in, next.Vars["arrondissement"], tc.want)
		}
	}
}

func TestStartOrTextAfterTheEndStartsAgainInTheSameLanguage(t *testing.T) {
	f := mustLoad(t, safetyFlow, "resources: {}")
	st := start(t, f, "ar")
	st, _ = tap(t, f, st, "نعم")
	st, _ = tap(t, f, st, "نفسي")
	st, _ = tap(t, f, st, "إنهاء")
	st, _ = tap(t, f, st, "لا أريد الإجابة")
	if st.Node != "fin" {
		t.Fatalf("not at the end: %+v", st)
	}
	for _, in := range []Input{{Kind: InStart, Lang: "fr"}, {Kind: InText, Text: "bonjour, je peux parler maintenant"}} {
		next, out := step(t, f, st, in)
		wantOut(t, out, "message accueil")
		if next.Lang != "ar" || next.Node != "accueil" || len(next.History) != 0 || next.Vars != nil {
			t.Errorf("%+v after the end: %+v", in, next)
		}
	}
}
