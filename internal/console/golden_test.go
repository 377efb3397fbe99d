package console

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/golden")

func orientation(t *testing.T) (*flow.Flow, *i18n.Bundle) {
	t.Helper()
	set, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return set["orientation"], b
}

// TestGoldenTranscripts plays each script of testdata/scripts through the
// console (the state is serialised and decoded again between every step, as
// a store would) and compares what the person reads with testdata/golden.
// Regenerate with: go test ./internal/console -run Golden -update
func TestGoldenTranscripts(t *testing.T) {
	f, b := orientation(t)
	scripts, _ := filepath.Glob("testdata/scripts/*.txt")
	if len(scripts) == 0 {
		t.Fatal("no scripts")
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".txt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			lang := "fr"
			var lines []string
			for _, l := range strings.Split(string(src), "\n") {
				if v, ok := strings.CutPrefix(l, "# lang: "); ok {
					lang = strings.TrimSpace(v)
					continue
				}
				lines = append(lines, l)
			}
			var out bytes.Buffer
			err = Run(Options{Flow: f, Bundle: b, Lang: lang, In: strings.NewReader(strings.Join(lines, "\n")),
				Out: &out, Echo: true, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("transcript %s changed; diff it with -update and git diff.\ngot:\n%s", name, out.String())
			}
		})
	}
}

// TestEveryPathCanBeWalked presses every button of every step reachable from
// the start, in French and in Arabic, through the console's own session, and
// checks that every node of the flow was shown and that no step shows an
// empty message or an untranslated id.
func TestEveryPathCanBeWalked(t *testing.T) {
	f, b := orientation(t)
	for _, lang := range f.Languages {
		t.Run(lang, func(t *testing.T) {
			seen := map[string]bool{}
			type path []string // button data pressed from the start
			queue := []path{nil}
			visitedState := map[string]bool{}
			for len(queue) > 0 {
				p := queue[0]
				queue = queue[1:]
				var out bytes.Buffer
				s := &session{Options: Options{Flow: f, Bundle: b, Lang: lang, Out: &out, Now: time.Now}}
				if err := s.step(flow.Input{Kind: flow.InStart, Lang: lang}); err != nil {
					t.Fatal(err)
				}
				for _, data := range p {
					if err := s.press(data); err != nil {
						t.Fatal(err)
					}
				}
				st, _ := s.load()
				seen[st.Node] = true
				key := st.Node + "|" + strings.Join(st.History, ",")
				if visitedState[st.Node] {
					continue
				}
				visitedState[st.Node] = true
				_ = key
				text := out.String()
				if strings.Contains(text, "notice_") || strings.Contains(text, "<no value>") {
					t.Errorf("untranslated text after %v:\n%s", p, text)
				}
				if st.Mode != flow.ModeFlow {
					continue
				}
				for _, btn := range s.buttons {
					if strings.HasPrefix(btn.Data, "g:lang:") {
						continue
					}
					queue = append(queue, append(append(path{}, p...), btn.Data))
				}
			}
			// Input nodes are left by their skip button; the emergency node
			// is reached by a keyword as well as by buttons.
			for id, n := range f.Nodes {
				if n.Kind == flow.KindRoute || n.Kind == flow.KindMessage && len(n.Options) == 0 {
					continue
				}
				if !seen[id] {
					t.Errorf("node %s was never reached by pressing buttons in %s", id, lang)
				}
			}
		})
	}
}
