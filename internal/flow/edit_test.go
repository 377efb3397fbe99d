package flow

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// commentLines lists the comment lines of a document, in order.
func commentLines(doc []byte) []string {
	var out []string
	for _, l := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return out
}

func loadShipped(t *testing.T, doc []byte) *Flow {
	t.Helper()
	f, probs := Load(Source{"orientation.yaml", doc}, Source{"resources.yaml", readFile(t, "../../flows/resources.yaml")})
	if f == nil {
		t.Fatalf("rejected:\n%s", probs.Error())
	}
	return f
}

func TestSetNodeTextKeepsTheFile(t *testing.T) {
	doc := readFile(t, "../../flows/orientation.yaml")
	before := loadShipped(t, doc)
	cases := []struct{ node, lang, text, written string }{
		// Several lines: a literal block, indented under its key.
		{"besoin", "fr", "De quoi avez-vous besoin ?\n\nChoisissez ci-dessous.",
			"      fr: |-\n        De quoi avez-vous besoin ?\n\n        Choisissez ci-dessous.\n      ar:"},
		// One line over a literal block: quoted, the rest of the file as it was.
		{"securite", "ar", `مرحبا 👋 هل أنت في مكان آمن؟ "نعم" \ لا`,
			`      ar: "مرحبا 👋 هل أنت في مكان آمن؟ \"نعم\" \\ لا"` + "\n    options:"},
		// Spaces at the start of the first line cannot open a literal block.
		{"besoin", "ar", "  بماذا\nيمكننا", `      ar: "  بماذا\nيمكننا"`},
	}
	for _, c := range cases {
		out, err := SetNodeText(doc, c.node, c.lang, c.text)
		if err != nil {
			t.Fatalf("%s.%s: %v", c.node, c.lang, err)
		}
		if !strings.Contains(string(out), c.written) {
			t.Errorf("%s.%s: %q not written as %q", c.node, c.lang, c.text, c.written)
		}
		if !reflect.DeepEqual(commentLines(out), commentLines(doc)) {
			t.Errorf("%s.%s: the comments changed", c.node, c.lang)
		}
		// Only the lines of that text changed.
		if d := len(strings.Split(string(out), "\n")) - len(strings.Split(string(doc), "\n")); d > 3 || d < -12 {
			t.Errorf("%s.%s: %d lines more", c.node, c.lang, d)
		}
		after := loadShipped(t, out)
		if got := after.Nodes[c.node].Text[c.lang]; got != c.text {
			t.Errorf("%s.%s: loaded %q, want %q", c.node, c.lang, got, c.text)
		}
		s := Diff(before, after, t0)
		if !reflect.DeepEqual(s.Changed, []string{c.node}) || !reflect.DeepEqual(s.Texts, map[string][]string{c.lang: {c.node}}) ||
			len(s.Added)+len(s.Removed)+len(s.ResChanged) != 0 {
			t.Errorf("%s.%s: diff %+v", c.node, c.lang, s)
		}
	}
	// Edits follow one another.
	out, err := SetNodeText(doc, "besoin", "fr", "Un")
	if err == nil {
		out, err = SetNodeText(out, "besoin", "ar", "واحد\nاثنان")
	}
	if err != nil {
		t.Fatal(err)
	}
	if f := loadShipped(t, out); f.Nodes["besoin"].Text["fr"] != "Un" || f.Nodes["besoin"].Text["ar"] != "واحد\nاثنان" {
		t.Fatalf("two edits: %q", f.Nodes["besoin"].Text)
	}
}

// textAt decodes a document and returns the value at a path of keys.
func textAt(t *testing.T, doc []byte, keys ...string) string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	v := found(n.Content[0], keys...)
	if v.Kind != yaml.ScalarNode {
		t.Fatalf("%v: not a scalar in\n%s", keys, doc)
	}
	return v.Value
}

func TestSetNodeTextFlowStyleAndMissingLanguage(t *testing.T) {
	mini := readFile(t, "testdata/mini.yaml")
	out, err := SetNodeText(mini, "accueil", "ar", "مرحبا, {أهلا}: هل أنت في أمان؟")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `text: {fr: "Bonjour. Vous êtes en sécurité ?", ar: "مرحبا, {أهلا}: هل أنت في أمان؟"}`) {
		t.Fatalf("flow style:\n%s", out)
	}
	f := mustLoad(t, string(out), string(readFile(t, "testdata/resources.yaml")))
	if f.Nodes["accueil"].Text["ar"] != "مرحبا, {أهلا}: هل أنت في أمان؟" {
		t.Fatalf("loaded %q", f.Nodes["accueil"].Text)
	}
	// Several lines in a mapping written on one line: quoted, with \n.
	out, err = SetNodeText(mini, "info", "fr", "Voici\nde l'aide.")
	if err != nil {
		t.Fatal(err)
	}
	if f := mustLoad(t, string(out), string(readFile(t, "testdata/resources.yaml"))); f.Nodes["info"].Text["fr"] != "Voici\nde l'aide." {
		t.Fatalf("loaded %q", f.Nodes["info"].Text)
	}
	// A language the text lacks is added, in either style.
	doc := []byte("nodes:\n  a:\n    text: {fr: \"Bonjour\"} # court\n    next: b\n  b:\n    text:\n      fr: |-\n        Deux\n        lignes\n\n    # la fin\n    end: true\n")
	out, err = SetNodeText(doc, "a", "ar", "مرحبا")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `text: {fr: "Bonjour", ar: "مرحبا"} # court`) {
		t.Fatalf("added in flow style:\n%s", out)
	}
	out, err = SetNodeText(doc, "b", "ar", "سطران\nاثنان")
	if err != nil {
		t.Fatal(err)
	}
	want := "      fr: |-\n        Deux\n        lignes\n      ar: |-\n        سطران\n        اثنان\n\n    # la fin\n"
	if !strings.Contains(string(out), want) || textAt(t, out, "nodes", "b", "text", "ar") != "سطران\nاثنان" {
		t.Fatalf("added in block style:\n%s", out)
	}
	// A comment after a literal block, less indented than its lines, stays.
	odd := []byte("nodes:\n  b:\n    text:\n      fr: |-\n          Deux\n          lignes\n        # gardé\n    end: true\n")
	out, err = SetNodeText(odd, "b", "fr", "Une")
	if err != nil || !strings.Contains(string(out), "      fr: \"Une\"\n        # gardé\n") {
		t.Fatalf("%v:\n%s", err, out)
	}
	out, err = SetNodeText(doc, "b", "fr", "Une ligne # pas un commentaire")
	if err != nil || textAt(t, out, "nodes", "b", "text", "fr") != "Une ligne # pas un commentaire" ||
		!strings.Contains(string(out), "\n\n    # la fin\n") {
		t.Fatalf("%v:\n%s", err, out)
	}
}

func TestSetNodeTextErrors(t *testing.T) {
	mini := readFile(t, "testdata/mini.yaml")
	for _, c := range []struct{ node, lang string }{{"disparu", "fr"}, {"tri", "fr"}, {"accueil", "en"}} {
		if _, err := SetNodeText(mini, c.node, c.lang, "x"); err == nil {
			t.Errorf("%s.%s: no error", c.node, c.lang)
		}
	}
	if _, err := SetNodeText([]byte("a: [b"), "a", "fr", "x"); err == nil {
		t.Error("broken YAML: no error")
	}
}

func TestSetResourceText(t *testing.T) {
	doc := readFile(t, "../../flows/resources.yaml")
	out, err := SetResourceText(doc, "police_17", "hours", "ar", "ليلا ونهارا")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(commentLines(out), commentLines(doc)) {
		t.Error("the comments changed")
	}
	res, probs := LoadResources(Source{"resources.yaml", out})
	if len(probs.Errors()) > 0 || res["police_17"].Hours["ar"] != "ليلا ونهارا" || res["police_17"].Hours["fr"] != "24 h/24, 7 j/7" {
		t.Fatalf("%v %q", probs, res["police_17"].Hours)
	}
	// A field the service lacks is added, with that language.
	out, err = SetResourceText(doc, "police_17", "address", "fr", "Hôtel de police, 2 rue Antoine Becker")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "    verified_on: 2026-11-23\n    address: {fr: \"Hôtel de police, 2 rue Antoine Becker\"}\n\n  samu_15:") {
		t.Fatalf("added field:\n%s", out[:1500])
	}
	for _, c := range []struct{ id, field, lang string }{{"nope", "name", "fr"}, {"police_17", "phone", "fr"}, {"police_17", "name", "en"}} {
		if _, err := SetResourceText(doc, c.id, c.field, c.lang, "x"); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := SetResourceText(readFile(t, "testdata/mini.yaml"), "samu_15", "name", "fr", "x"); err == nil {
		t.Error("a flow has no resources: no error")
	}
	if got := ResourceFields(); !reflect.DeepEqual(got, []string{"name", "for", "hours", "address"}) {
		t.Fatalf("ResourceFields() = %v", got)
	}
}

func TestSetVerified(t *testing.T) {
	day := time.Date(2027, 3, 4, 15, 0, 0, 0, time.UTC)
	doc := readFile(t, "../../flows/resources.yaml")
	out, err := SetVerified(doc, "samu_15", day)
	if err != nil {
		t.Fatal(err)
	}
	res, probs := LoadResources(Source{"resources.yaml", out})
	if len(probs.Errors()) > 0 || res["samu_15"].VerifiedOn != "2027-03-04" || res["police_17"].VerifiedOn != "2026-11-23" {
		t.Fatalf("%v %+v", probs, res["samu_15"])
	}
	if len(out) != len(doc) {
		t.Fatal("more than the date changed")
	}
	// Missing: added after the last key, in either style.
	small := []byte("resources:\n  local:\n    name: {fr: \"Association\", ar: \"جمعية\"}\n    # à compléter\n  court: {name: {fr: \"A\", ar: \"ب\"}, phone: \"15\"}\n")
	out, err = SetVerified(small, "local", day)
	if err != nil {
		t.Fatal(err)
	}
	if want := "    name: {fr: \"Association\", ar: \"جمعية\"}\n    verified_on: 2027-03-04\n    # à compléter\n"; !strings.Contains(string(out), want) {
		t.Fatalf("block:\n%s", out)
	}
	out, err = SetVerified(small, "court", day)
	if err != nil {
		t.Fatal(err)
	}
	if want := `court: {name: {fr: "A", ar: "ب"}, phone: "15", verified_on: 2027-03-04}`; !strings.Contains(string(out), want) {
		t.Fatalf("flow:\n%s", out)
	}
	if _, err := SetVerified(small, "nope", day); err == nil {
		t.Fatal("unknown resource: no error")
	}
}

func TestScreens(t *testing.T) {
	f := loadMini(t)
	var ids []string
	for _, s := range Screens(f, "ar") {
		ids = append(ids, s.ID)
	}
	if want := []string{"accueil", "quartier", "besoin", "info", "fin", "humain", "lignes", "urgence"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	if s := Screens(f, "ar")[0]; s.Words != "مرحبا. هل أنت في أمان؟" {
		t.Fatalf("words %q", s.Words)
	}
	if s := Screens(f, "en")[0]; s.Words != "Bonjour. Vous êtes en sécurité ?" {
		t.Fatalf("fallback %q", s.Words)
	}
	shipped := loadShipped(t, readFile(t, "../../flows/orientation.yaml"))
	first := Screens(shipped, "fr")[0]
	if first.ID != "securite" || first.Words != "Bonjour 👋 Ce service automatique vous…" {
		t.Fatalf("first screen %+v", first)
	}
	for _, s := range Screens(shipped, "ar") {
		if n := len([]rune(s.Words)); n > 40 || n == 0 {
			t.Errorf("%s: %d runes: %q", s.ID, n, s.Words)
		}
	}
}

// TestEditEveryText edits every text of the shipped files: each edit must
// load, with the new text and nothing else changed.
func TestEditEveryText(t *testing.T) {
	doc := readFile(t, "../../flows/orientation.yaml")
	before := loadShipped(t, doc)
	for _, s := range Screens(before, "fr") {
		for lang, text := range map[string]string{"fr": "Première ligne\n\n  deuxième, « citée » : \"ok\"", "ar": "سطر واحد: 17"} {
			out, err := SetNodeText(doc, s.ID, lang, text)
			if err != nil {
				t.Fatalf("%s.%s: %v", s.ID, lang, err)
			}
			after := loadShipped(t, out)
			if got := after.Nodes[s.ID].Text[lang]; got != text {
				t.Fatalf("%s.%s: %q", s.ID, lang, got)
			}
			if d := Diff(before, after, t0); !reflect.DeepEqual(d.Changed, []string{s.ID}) {
				t.Fatalf("%s.%s: %+v", s.ID, lang, d)
			}
		}
	}
	rdoc := readFile(t, "../../flows/resources.yaml")
	res, _ := LoadResources(Source{"resources.yaml", rdoc})
	for id, r := range res {
		for _, field := range ResourceFields() {
			out, err := SetResourceText(rdoc, id, field, "ar", "نص\nجديد")
			if err != nil {
				t.Fatalf("%s.%s: %v", id, field, err)
			}
			// A field the service lacked now has Arabic only: the load says
			// French is missing, and still decodes the rest.
			got, _ := LoadResources(Source{"resources.yaml", out})
			if got[id] == nil {
				t.Fatalf("%s.%s: gone", id, field)
			}
			texts := map[string]Text{"name": got[id].Name, "for": got[id].For, "hours": got[id].Hours, "address": got[id].Address}
			if texts[field]["ar"] != "نص\nجديد" {
				t.Fatalf("%s.%s: %q", id, field, texts[field])
			}
		}
		out, err := SetVerified(rdoc, id, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := LoadResources(Source{"resources.yaml", out}); got[id].VerifiedOn != "2026-11-23" || got[id].Phone != r.Phone {
			t.Fatalf("%s: %+v", id, got[id])
		}
	}
}
