package triage

import (
	"os"
	"strings"
	"testing"
)

func loadCorpus(t testing.TB, path string) []Sample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadCorpus(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// The targets of the project (issue 7): recall on alarms, false alarms on
// ordinary messages and on hard ones (harmless with alarming words).
const (
	targetRecall    = 95.0
	targetFalseNone = 5.0
	targetFalseHard = 10.0
)

// TestCorpus runs the labelled corpus and fails below the targets. The
// held-out sets are reported (go test -v) but have no threshold of their own: they
// measure how far the lexicon generalises, and tuning to them would spoil them.
func TestCorpus(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []string{"corpus", "heldout", "heldout2"} {
		r := Evaluate(c, loadCorpus(t, "testdata/"+set+".tsv"))
		var b strings.Builder
		r.Write(&b)
		t.Logf("%s\n%s", set, b.String())
		if testing.Verbose() {
			for _, e := range r.Errors {
				t.Logf("%s:%d %s %s %q → %q %v %v", set, e.Line, e.Label, e.Writing, e.Text, e.Got.Class, e.Got.Fired, e.Got.Cancelled)
			}
		}
		if set != "corpus" {
			continue
		}
		for _, a := range r.Alarms() {
			if got := r.Recall("all", a).Percent(); got < targetRecall {
				t.Errorf("%s: recall of %s %.1f %% < %.0f %%", set, a, got, targetRecall)
			}
		}
		if got := r.FalseAlarms("all", LabelNone).Percent(); got > targetFalseNone {
			t.Errorf("%s: false alarms on ordinary messages %.1f %% > %.0f %%", set, got, targetFalseNone)
		}
		if got := r.FalseAlarms("all", LabelHard).Percent(); got > targetFalseHard {
			t.Errorf("%s: false alarms on hard messages %.1f %% > %.0f %%", set, got, targetFalseHard)
		}
	}
}
