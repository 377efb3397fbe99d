package flow

import (
	"strings"
	"testing"
)

// deskFlow offers a person two ways: by a button (benevole) and through a
// route (juriste, whose unavailable node says so before giving the lines).
const deskFlow = `id: desk
languages: [fr]
start: accueil
emergency:
  classes:
    danger: {goto: urgence}
nodes:
  accueil:
    text: {fr: "Bonjour"}
    options:
      - {label: {fr: "Parler"}, goto: benevole}
      - {label: {fr: "Juriste"}, set: {need: legal}, goto: orienter}
  benevole:
    text: {fr: "Une personne bénévole ?"}
    handoff: {category: general, confirm: {fr: "Oui, écrire"}}
    unavailable: lignes
    options:
      - {label: {fr: "Non"}, goto: accueil}
  orienter:
    route:
      - {when: {need: legal}, goto: juriste}
      - goto: benevole
  juriste:
    text: {fr: "Un juriste bénévole ?"}
    handoff: {category: legal, confirm: {fr: "Oui, écrire"}}
    unavailable: sans_juriste
    options:
      - {label: {fr: "Non"}, goto: accueil}
  sans_juriste:
    text: {fr: "Personne ne répond ici pour le moment."}
    next: lignes
  lignes:
    text: {fr: "Appelez le 116 006."}
    options:
      - {label: {fr: "Menu"}, goto: accueil}
  urgence:
    text: {fr: "Appelez le 17."}
    options:
      - {label: {fr: "Continuer"}, goto: accueil, resume: true}
`

func TestWithoutDeskIsACopy(t *testing.T) {
	f := mustLoad(t, deskFlow, "resources: {}")
	nd := f.WithoutDesk()
	if f.Deskless() || !nd.Deskless() {
		t.Fatalf("Deskless: flow %v, copy %v", f.Deskless(), nd.Deskless())
	}
	if nd.WithoutDesk() != nd {
		t.Error("WithoutDesk of a flow without a desk is not the flow itself")
	}
	// The version is the same: switching the desk on or off restarts nobody.
	if nd.Version != f.Version || nd.ID != f.ID || nd.Nodes["benevole"] != f.Nodes["benevole"] {
		t.Errorf("copy differs: %s@%s", nd.ID, nd.Version)
	}
	if f.Nodes["benevole"].Unavailable != "lignes" {
		t.Errorf("unavailable %q", f.Nodes["benevole"].Unavailable)
	}
}

// Entering a handoff node leads to its unavailable node, by a button or a
// route, through a passing message too; back goes to the step before.
func TestWithoutDeskGotoAndRoute(t *testing.T) {
	f := mustLoad(t, deskFlow, "resources: {}")
	nd := f.WithoutDesk()
	st := start(t, nd, "fr")
	next, out := tap(t, nd, st, "Parler")
	wantOut(t, out, "message lignes")
	if next.Node != "lignes" || strings.Join(next.History, ",") != "accueil" {
		t.Fatalf("state %+v", next)
	}
	back, out := step(t, nd, next, Input{Kind: InBack})
	wantOut(t, out, "message accueil")
	if back.Node != "accueil" || len(back.History) != 0 {
		t.Fatalf("state %+v", back)
	}
	next, out = tap(t, nd, st, "Juriste")
	wantOut(t, out, "message sans_juriste", "message lignes")
	if next.Node != "lignes" || next.Vars["need"] != "legal" {
		t.Fatalf("state %+v", next)
	}
	// With the desk, the same taps offer a person.
	st = start(t, f, "fr")
	next, out = tap(t, f, st, "Juriste")
	wantOut(t, out, "message juriste")
	_, out = tap(t, f, next, "Oui, écrire")
	wantOut(t, out, "handoff legal normal", "notice handoff_requested")
}

// A flow that starts on a handoff node starts on its unavailable node.
func TestWithoutDeskAtStart(t *testing.T) {
	nd := mustLoad(t, strings.Replace(deskFlow, "start: accueil", "start: benevole", 1), "resources: {}").WithoutDesk()
	st, out := step(t, nd, State{}, Input{Kind: InStart, Lang: "fr"})
	wantOut(t, out, "message lignes")
	if st.Node != "lignes" {
		t.Fatalf("state %+v", st)
	}
	_, out = step(t, nd, st, Input{Kind: InRestart})
	wantOut(t, out, "message lignes")
}

// A state saved while the desk answered may stand on an offer, or hold one
// in its history or as the place an emergency interrupted: none of them
// opens a ticket, and none shows the offer again.
func TestWithoutDeskStaleState(t *testing.T) {
	f := mustLoad(t, deskFlow, "resources: {}")
	nd := f.WithoutDesk()
	onOffer, _ := tap(t, f, start(t, f, "fr"), "Parler")
	if onOffer.Node != "benevole" {
		t.Fatalf("state %+v", onOffer)
	}
	if _, ok := Current(f, onOffer); !ok {
		t.Error("Current with the desk: not ok")
	}
	if _, ok := Current(nd, onOffer); ok {
		t.Error("Current without the desk shows the offer")
	}
	confirm := button(t, f, "benevole", "fr", "Oui, écrire")
	for _, in := range []Input{
		{Kind: InButton, Data: confirm},
		{Kind: InButton, Data: button(t, f, "benevole", "fr", "Non")},
		{Kind: InText, Text: "oui, écrire"},
		{Kind: InText, Text: "1"},
		{Kind: InText, Text: "bonjour"},
	} {
		next, out := step(t, nd, onOffer, in)
		wantOut(t, out, "notice menu_changed", "message lignes")
		if next.Node != "lignes" || strings.Join(next.History, ",") != "accueil" {
			t.Fatalf("%+v: state %+v", in, next)
		}
	}
	for _, in := range []Input{{Kind: InStart}, {Kind: InLanguage, Lang: "fr"}} {
		next, out := step(t, nd, onOffer, in)
		wantOut(t, out, "message lignes")
		if next.Node != "lignes" {
			t.Fatalf("%+v: state %+v", in, next)
		}
	}
	// Back to an offer left with the desk.
	declined, _ := tap(t, f, onOffer, "Non")
	_, out := step(t, nd, declined, Input{Kind: InBack})
	wantOut(t, out, "message lignes")
	// An emergency interrupted the offer; "continuer" resumes where it leads now.
	interrupted, _ := alarm(t, f, onOffer, "danger")
	if interrupted.Resume != "benevole" {
		t.Fatalf("state %+v", interrupted)
	}
	_, out = tap(t, nd, interrupted, "Continuer")
	wantOut(t, out, "message lignes")
	// The desk went away while the person waited: the tree resumes on the lines.
	waitingSt, _ := step(t, f, onOffer, Input{Kind: InButton, Data: confirm})
	_, out = step(t, nd, waitingSt, Input{Kind: InHumanDone})
	wantOut(t, out, "notice human_done", "message lignes")
}

// Walking every button of the flows without a desk never opens a ticket nor
// shows an offer (checkStep holds it).
func TestWithoutDeskExplore(t *testing.T) {
	explore(t, loadMini(t).WithoutDesk(), 3000)
	explore(t, mustLoad(t, deskFlow, "resources: {}").WithoutDesk(), 3000)
}
