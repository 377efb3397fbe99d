package i18n

import (
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/boussole/boussole/internal/flow"
)

func newBundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// notYetReported are the codes internal/flow declares but does not report
// yet, with the arguments their wording expects. Remove a code from here once
// it is reported: its call site is then checked instead.
var notYetReported = map[flow.Code]map[string]string{}

// TestProblemRendering renders every problem as internal/flow reports it, with
// the arguments of each call site, in every language: an argument the wording
// uses but the call does not pass would show as "<no value>".
func TestProblemRendering(t *testing.T) {
	b := newBundle(t)
	sites := reportSites(t)
	seen := map[flow.Code]bool{}
	for _, s := range sites {
		seen[s.code] = true
	}
	for _, code := range sortedValues(flowConsts(t, "Code")) {
		c := flow.Code(code)
		args, pending := notYetReported[c]
		switch {
		case seen[c] && pending:
			t.Errorf("%s is reported now: remove it from notYetReported", c)
		case !seen[c] && !pending:
			t.Errorf("%s is never reported by errorf or report: report it, or add it to notYetReported", c)
		case !seen[c]:
			sites = append(sites, reportSite{pos: "notYetReported", code: c, severity: flow.Warning, args: args})
		}
	}
	sort.Slice(sites, func(i, j int) bool { return sites[i].pos < sites[j].pos })
	for _, lang := range catalogLangs {
		for _, s := range sites {
			p := flow.Problem{File: "orientation.yaml", Line: 12, Col: 3, Severity: s.severity, Code: s.code, Args: s.args}
			got := b.Problem(lang, p)
			for _, bad := range []string{"<no value>", "flow_", "severity_warning", "{{", "}}"} {
				if strings.Contains(got, bad) {
					t.Errorf("%s (%s, %s): %q contains %q", s.pos, s.code, lang, got, bad)
				}
			}
			if !strings.HasPrefix(got, "orientation.yaml:12:3: ") {
				t.Errorf("%s (%s, %s): %q does not start with the position", s.pos, s.code, lang, got)
			}
		}
	}
}

func TestWrongTypeNamesWhatIsExpected(t *testing.T) {
	b := newBundle(t)
	p := flow.Problem{Code: flow.CodeWrongType, Args: map[string]string{"key": "nodes.accueil.options", "want": "list"}}
	if got := b.Problem("fr", p); !strings.Contains(got, "une liste") || !strings.Contains(got, "nodes.accueil.options") {
		t.Errorf("wrong_type in French: %q", got)
	}
	p.Args["want"] = "something new"
	if got := b.Problem("en", p); !strings.Contains(got, "something new") {
		t.Errorf("wrong_type with an unforeseen want should show it: %q", got)
	}
}

func TestFallsBackToFrench(t *testing.T) {
	b := newBundle(t)
	fr := b.T("fr", "button_back", nil)
	for _, lang := range []string{"de", "", "en"} { // en has no words for families
		if got := b.T(lang, "button_back", nil); got != fr {
			t.Errorf("T(%q, button_back) = %q, want the French %q", lang, got, fr)
		}
	}
	if got := b.T("ar", "button_back", nil); got == fr {
		t.Errorf("T(ar, button_back) = %q, the French text", got)
	}

	small, err := Load(fstest.MapFS{
		"active.fr.toml": {Data: []byte("[a]\nother = \"A\"\n[b]\nother = \"B\"\n")},
		"active.ar.toml": {Data: []byte("[a]\nother = \"أ\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := small.T("ar", "b", nil); got != "B" {
		t.Errorf("a message missing in Arabic: got %q, want the French B", got)
	}
	if got := small.T("ar", "nope", nil); got != "nope" {
		t.Errorf("an unknown id: got %q, want the id", got)
	}
}

func TestPluralPicksTheForm(t *testing.T) {
	b := newBundle(t)
	seen := map[string]int{}
	for _, n := range []int{0, 1, 2, 3, 11, 100} {
		got := b.Plural("ar", "check_errors", n, nil)
		if prev, dup := seen[got]; dup {
			t.Errorf("Arabic: %d and %d both give %q", prev, n, got)
		}
		seen[got] = n
		if strings.Contains(got, "<no value>") {
			t.Errorf("Arabic %d: %q", n, got)
		}
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 erreur"},
		{"fr", 1, "1 erreur"},
		{"fr", 2, "2 erreurs"},
		{"en", 0, "0 errors"},
		{"en", 1, "1 error"},
		{"ar", 3, "3 أخطاء"},
		{"ar", 11, "11 خطأً"},
	} {
		if got := b.Plural(c.lang, "check_errors", c.n, nil); got != c.want {
			t.Errorf("Plural(%s, check_errors, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestTemplateData(t *testing.T) {
	b := newBundle(t)
	got := b.T("fr", "check_coverage", map[string]string{"lang": "ar", "done": "40", "total": "50", "percent": "80"})
	if want := "ar : 40/50 textes traduits (80 %)"; got != want {
		t.Errorf("check_coverage = %q, want %q", got, want)
	}
	got = b.Problem("ar", flow.Problem{File: "f.yaml", Line: 1, Col: 1, Severity: flow.Warning,
		Code: flow.CodeUnverified, Args: map[string]string{"resource": "point_justice"}})
	if !strings.Contains(got, "تنبيه: ") || !strings.Contains(got, "point_justice") {
		t.Errorf("Arabic warning: %q", got)
	}
}
