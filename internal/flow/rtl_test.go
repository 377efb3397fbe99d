package flow

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/bidi"
)

// visual lays out one line as a phone would (the Unicode bidi algorithm, the
// direction set by the first strong letter) and returns it left to right.
func visual(t *testing.T, line string) string {
	t.Helper()
	var p bidi.Paragraph
	if _, err := p.SetString(line); err != nil {
		t.Fatal(err)
	}
	o, err := p.Order()
	if err != nil {
		t.Fatal(err)
	}
	if o.NumRuns() == 0 {
		return ""
	}
	runs := make([]string, o.NumRuns())
	rtl := false
	for i := range runs {
		r := o.Run(i)
		s := r.String()
		if r.Direction() == bidi.RightToLeft {
			s = reverse(s)
		}
		runs[i] = s
	}
	// The paragraph is right to left when its first strong letter is.
	rtl = startsRightToLeft(line)
	if rtl {
		slices.Reverse(runs)
	}
	return strings.Join(runs, "")
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// numberInText is a number as a person reads it: digit groups separated by
// spaces (plain or no-break).
var numberInText = regexp.MustCompile(`[0-9]+(?:[ \x{00a0}][0-9]+)*`)

// checkNumbersInOrder fails when a number of text does not read, on screen,
// in its own order (the groups of "116 006" shown as "006 116").
func checkNumbersInOrder(t *testing.T, where, text string) {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		shown := strings.ReplaceAll(visual(t, line), "\u00a0", " ")
		for _, n := range numberInText.FindAllString(line, -1) {
			n = strings.ReplaceAll(n, "\u00a0", " ")
			if !strings.Contains(shown, n) {
				t.Errorf("%s: the number %q does not read in order on screen:\n  line: %q\n  shown: %q", where, n, line, shown)
			}
		}
	}
}

func TestBidiCheckerCatchesSwappedGroups(t *testing.T) {
	bad := "\u200f☎️ 116 006"
	if shown := visual(t, bad); !strings.Contains(shown, "006 116") {
		t.Fatalf("the bidi layout should swap the groups of a plain-spaced number in Arabic; shown %q", shown)
	}
	ft := &testing.T{}
	checkNumbersInOrder(ft, "x", bad)
	if !ft.Failed() {
		t.Error("checkNumbersInOrder missed 006 116")
	}
	checkNumbersInOrder(t, "joined", "\u200f☎️ 116\u00a0006")
}

func TestRightToLeftMarks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"يمكنك كتابة /recommencer.", "يمكنك كتابة \u200e/recommencer."},
		{"الأمر \u200e/effacer يحذف", "الأمر \u200e/effacer يحذف"},
		{"جمعية France Victimes (مساعدة)", "جمعية \u200eFrance Victimes (مساعدة)"},
		{"(CMP) مجانا", "\u200f(\u200eCMP) مجانا"},
		{"France Victimes: مساعدة", "\u200f\u200eFrance Victimes: مساعدة"},
		{"رسالة SMS إلى 114", "رسالة \u200eSMS إلى 114"},
		{"Point-justice", "\u200f\u200ePoint-justice"},
		{"☎️ 17", "\u200f☎️ 17"},
		{"a/b", "\u200f\u200ea/b"},
	} {
		if got := rightToLeft(tc.in); got != tc.want {
			t.Errorf("rightToLeft(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestPhoneGroupsJoinedInEveryLanguage(t *testing.T) {
	r := &Resource{Name: Text{"fr": "Drogues Info Service", "ar": "Drogues Info Service"}, Phone: "0 800 23 13 13",
		SMS: "114"}
	for _, lang := range []string{"fr", "ar"} {
		if card := r.Card(lang); !strings.Contains(card, "0\u00a0800\u00a023\u00a013\u00a013") {
			t.Errorf("%s card does not join the digit groups:\n%q", lang, card)
		}
	}
}

// TestArabicNumbersReadInOrder lays out every Arabic screen of the
// orientation flow, and every card of the directory, with the Unicode bidi
// algorithm and checks that each number reads in its own order.
func TestArabicNumbersReadInOrder(t *testing.T) {
	f := orientationFlow(t)
	for _, lang := range f.Languages {
		if !rtlLanguages[lang] {
			continue
		}
		for id, n := range f.Nodes {
			checkNumbersInOrder(t, "node "+id, n.Rendered(lang))
			if n.Ask != nil {
				checkNumbersInOrder(t, "retry of "+id, n.Ask.Retry[lang])
			}
			for _, b := range n.Buttons(lang) {
				checkNumbersInOrder(t, "button of "+id, b.Label)
			}
		}
		for id, r := range f.Resources {
			checkNumbersInOrder(t, "card "+id, rightToLeft(r.Card(lang)))
		}
	}
}

// TestNoCardWithoutContact renders every node of the orientation flow and
// checks that each card it shows gives a way to reach the service.
func TestNoCardWithoutContact(t *testing.T) {
	f := orientationFlow(t)
	for _, lang := range f.Languages {
		for id, n := range f.Nodes {
			for _, card := range strings.Split(n.Rendered(lang), "\n\n") {
				if !strings.Contains(card, "▪️") {
					continue
				}
				if !strings.ContainsAny(card, "☎💬🔗📍") {
					t.Errorf("node %s (%s) shows a card with no contact:\n%s", id, lang, card)
				}
			}
		}
	}
	r := &Resource{ID: "x", Name: Text{"fr": "Sans contact"}, For: Text{"fr": "Rien"}}
	n := &Node{ID: "n", Text: Text{"fr": "Texte"}, Resources: []string{"x"}}
	if got := render(n, map[string]*Resource{"x": r}, "fr"); got != "Texte" {
		t.Errorf("a card with no contact was rendered: %q", got)
	}
}

func orientationFlow(t *testing.T) *Flow {
	t.Helper()
	f, probs := Load(Source{"orientation.yaml", readFile(t, "../../flows/orientation.yaml")},
		Source{"resources.yaml", readFile(t, "../../flows/resources.yaml")})
	if len(probs.Errors()) > 0 {
		t.Fatalf("flows/orientation.yaml does not load:\n%s", probs.Error())
	}
	return f
}
