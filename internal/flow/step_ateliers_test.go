package flow

import (
	"strings"
	"testing"
)

// ateliersFlow has a menu entry that sets a need and leads to a node that
// shows the association's sessions, and one that does not set any need.
const ateliersFlow = `id: ateliers
languages: [fr, ar]
start: besoin
emergency:
  classes:
    danger:
      goto: urgence
      terms: {fr: [danger], ar: [خطر]}
nodes:
  besoin:
    text: {fr: "Menu", ar: "القائمة"}
    options:
      - {label: {fr: "Deuil", ar: "حداد"}, set: {need: deuil}, goto: deuil}
      - {label: {fr: "Ateliers", ar: "ورشات"}, goto: ateliers}
  deuil:
    text: {fr: "Deuil", ar: "حداد"}
    options:
      - {label: {fr: "Ateliers", ar: "ورشات"}, goto: ateliers}
      - {label: {fr: "Passer", ar: "مرور"}, goto: passage}
      - {label: {fr: "Sans", ar: "بدون"}, goto: sans}
  passage:
    text: {fr: "Nos rencontres, en passant", ar: "لقاءاتنا"}
    ateliers: true
    next: ateliers
  ateliers:
    text: {fr: "Nos rencontres", ar: "لقاءاتنا"}
    ateliers: true
    options:
      - {label: {fr: "Menu", ar: "القائمة"}, goto: besoin}
  sans:
    text: {fr: "Pas de rencontres ici", ar: "لا لقاءات"}
    ateliers: false
    options:
      - {label: {fr: "Menu", ar: "القائمة"}, goto: besoin}
  urgence:
    text: {fr: "Appelez le 17.", ar: "اتصل بالرقم 17."}
    options:
      - {label: {fr: "Menu", ar: "القائمة"}, goto: besoin}
`

func TestStepAteliers(t *testing.T) {
	f := mustLoad(t, ateliersFlow, "resources: {}\n")
	if !f.Nodes["ateliers"].Ateliers || f.Nodes["sans"].Ateliers || f.Nodes["besoin"].Ateliers {
		t.Fatal("ateliers key not read as written")
	}
	st := start(t, f, "ar")

	// From the menu, no need chosen: the sessions of any need.
	next, out := tap(t, f, st, "ورشات")
	wantOut(t, out, "message ateliers", "ateliers ateliers need=")
	if next.Node != "ateliers" {
		t.Fatalf("state %+v", next)
	}

	// After a need: the sessions that suit it, after the node's message.
	st, _ = tap(t, f, st, "حداد")
	next, out = tap(t, f, st, "ورشات")
	wantOut(t, out, "message ateliers", "ateliers ateliers need=deuil")

	// Shown again (a stale button, a language, back): the sessions again.
	_, out = step(t, f, next, Input{Kind: InButton, Data: "old"})
	wantOut(t, out, "notice menu_changed", "message ateliers", "ateliers ateliers need=deuil")
	_, out = step(t, f, next, Input{Kind: InLanguage, Lang: "fr"})
	wantOut(t, out, "message ateliers", "ateliers ateliers need=deuil")
	back, _ := tap(t, f, next, "القائمة")
	_, out = step(t, f, back, Input{Kind: InBack})
	wantOut(t, out, "message ateliers", "ateliers ateliers need=deuil")

	// A message that goes straight on: its sessions follow its own text.
	_, out = tap(t, f, st, "مرور")
	wantOut(t, out, "message passage", "ateliers passage need=deuil", "message ateliers", "ateliers ateliers need=deuil")

	// ateliers: false is a plain message.
	_, out = step(t, f, State{Flow: f.ID, Version: f.Version, Lang: "fr", Node: "sans", Steps: 1}, Input{Kind: InStart})
	wantOut(t, out, "message sans")
}

// From the menu, the sessions of every need are shown, even after a need
// was chosen earlier; from a need's screen, those of that need.
func TestStepAteliersFromTheMenuShowsAll(t *testing.T) {
	f := mustLoad(t, strings.Replace(ateliersFlow, "start: besoin\n", "start: besoin\nmenu: besoin\n", 1), "resources: {}\n")
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Deuil")
	_, out := tap(t, f, st, "Ateliers")
	wantOut(t, out, "message ateliers", "ateliers ateliers need=deuil")
	menu, _ := tap(t, f, st, "Passer")
	menu, _ = tap(t, f, menu, "Menu")
	_, out = tap(t, f, menu, "Ateliers")
	wantOut(t, out, "message ateliers", "ateliers ateliers need=")
}
