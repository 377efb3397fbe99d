package flow

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// edited applies replacements to a document, failing when one does not apply.
func edited(t *testing.T, doc string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(doc, pairs[i]) {
			t.Fatalf("no %q in the document", pairs[i])
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

const diffRes = `resources:
  samu_15:
    name: {fr: "SAMU", ar: "الإسعاف"}
    phone: "15"
    verified_on: 2026-11-23
  local:
    name: {fr: "Association", ar: "جمعية"}
  ancien:
    name: {fr: "Ancien", ar: "قديم"}
    phone: "0491000000"
    verified_on: 2026-01-02
`

func TestDiff(t *testing.T) {
	mini := string(readFile(t, "testdata/mini.yaml"))
	old := mustLoad(t, mini, diffRes)
	newFlow := edited(t, mini,
		`ar: "ماذا تحتاج؟"`, `ar: "ما الذي تحتاجه؟"`, // besoin: its Arabic text
		`set: {need: psy}, goto: tri}`, `set: {need: psy}, goto: info}`, // besoin: an option's goto
		"  tri:\n    route:\n      - {when: {need: psy}, goto: info}\n      - goto: besoin\n", "", // tri removed
		"    next: fin\n  fin:", "    next: merci\n  merci:\n    text: {fr: \"Merci.\", ar: \"شكرا.\"}\n    next: fin\n  fin:",
		`{label: {fr: "Menu", ar: "القائمة"}, goto: besoin}`, `{label: {fr: "Retour au menu", ar: "القائمة"}, goto: besoin}`,
	)
	newRes := edited(t, diffRes,
		`phone: "15"`, `phone: "15"`+"\n    sms: \"114\"",
		"  ancien:\n    name: {fr: \"Ancien\", ar: \"قديم\"}\n", "  nouveau:\n    name: {fr: \"Nouveau\", ar: \"جديد\"}\n",
	)
	nf := mustLoad(t, newFlow, newRes)
	now := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
	s := Diff(old, nf, now)
	want := Summary{
		Added:   []string{"merci"},
		Removed: []string{"tri"},
		Changed: []string{"besoin", "info", "lignes"},
		Texts:   map[string][]string{"ar": {"besoin"}, "fr": {"lignes"}},
		// samu_15 is cited by info and urgence: its name counts once.
		Coverage:   Coverage{Total: 20, Done: map[string]int{"fr": 20, "ar": 20}},
		ResAdded:   []string{"nouveau"},
		ResRemoved: []string{"ancien"},
		ResChanged: []string{"samu_15"},
		ToVerify:   []string{"local", "nouveau", "samu_15"},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("Diff:\n got %+v\nwant %+v", s, want)
	}
	if s.Empty() {
		t.Fatal("Empty with changes")
	}
	// A resource only changed is a change.
	if s := Diff(old, mustLoad(t, mini, newRes), now); s.Empty() || len(s.Changed)+len(s.Added) != 0 {
		t.Fatalf("resources only: %+v", s)
	}
	// The same files loaded twice: no change; the stale ones are still listed.
	same := Diff(old, mustLoad(t, mini, diffRes), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC))
	if !same.Empty() || same.Texts != nil || !reflect.DeepEqual(same.ToVerify, []string{"ancien", "local"}) {
		t.Fatalf("same flow: %+v", same)
	}
	if same := Diff(old, old, t0); !same.Empty() || !reflect.DeepEqual(same.ToVerify, []string{"local"}) {
		t.Fatalf("same flow at t0: %+v", same)
	}
	// A new flow: everything is added.
	if s := Diff(nil, old, t0); len(s.Added) != len(old.Nodes) || len(s.ResAdded) != 3 || s.Empty() {
		t.Fatalf("from nothing: %+v", s)
	}
	if s := Diff(old, nil, t0); len(s.Removed) != len(old.Nodes) || s.Coverage.Total != 0 {
		t.Fatalf("to nothing: %+v", s)
	}
}

func TestTranslations(t *testing.T) {
	mini := string(readFile(t, "testdata/mini.yaml"))
	if gaps := Translations(loadMini(t)); len(gaps) != 0 {
		t.Fatalf("mini: %+v", gaps)
	}
	f := mustLoad(t, edited(t, mini,
		`{label: {fr: "Oui", ar: "نعم"}, goto: quartier}`, `{label: {fr: "OK", ar: "OK"}, goto: quartier}`,
		`text: {fr: "Voici de l'aide.", ar: "هذه مساعدة."}`, `text: {fr: "Voici de l'aide.", ar: "Voici de l'aide."}`,
	), diffRes)
	want := []Gap{{Node: "accueil", Same: true}, {Node: "info", Same: true}}
	if gaps := Translations(f); !reflect.DeepEqual(gaps, want) {
		t.Fatalf("got %+v, want %+v", gaps, want)
	}
	// A flow in French only lacks Arabic everywhere.
	fr := &Flow{Languages: []string{"fr"}, Nodes: map[string]*Node{
		"b": {ID: "b", Kind: KindMessage, Text: Text{"fr": "B"}},
		"a": {ID: "a", Kind: KindInput, Text: Text{"fr": "A"}, Ask: &Ask{Var: "x", Retry: Text{"fr": "?"}}},
		"r": {ID: "r", Kind: KindRoute},
	}}
	want = []Gap{{Node: "a", Lang: "ar"}, {Node: "b", Lang: "ar"}}
	if gaps := Translations(fr); !reflect.DeepEqual(gaps, want) {
		t.Fatalf("got %+v, want %+v", gaps, want)
	}
}

func TestUnreachable(t *testing.T) {
	res, _ := LoadResources(Source{"resources.yaml", []byte(diffRes + `  adresse:
    name: {fr: "Maison", ar: "دار"}
    address: {fr: "1 rue X", ar: "1 شارع X"}
  lien:
    name: {fr: "Site", ar: "موقع"}
    link: "https://example.org"
  vide:
    name: {fr: "Vide", ar: "فارغ"}
    hours: {fr: "9 h", ar: "9 س"}
`)})
	if got := Unreachable(res); !reflect.DeepEqual(got, []string{"local", "vide"}) {
		t.Fatalf("got %v", got)
	}
	if got := Unreachable(nil); got != nil {
		t.Fatalf("nil: %v", got)
	}
}
