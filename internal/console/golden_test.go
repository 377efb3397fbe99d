package console

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
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
			lang, trace := "fr", false
			var lines []string
			for _, l := range strings.Split(string(src), "\n") {
				if v, ok := strings.CutPrefix(l, "# lang: "); ok {
					lang = strings.TrimSpace(v)
					continue
				}
				if l == "# trace" {
					trace = true
					continue
				}
				lines = append(lines, l)
			}
			var out bytes.Buffer
			store := redisstore.New(redistest.New(t, redisDB), redisstore.Options{})
			err = Run(Options{Flow: f, Bundle: b, Store: store, Lang: lang, In: strings.NewReader(strings.Join(lines, "\n")),
				Out: &out, Echo: true, Trace: trace, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }})
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
// the start, in French and in Arabic, through a console session, and checks
// that every node of the flow was shown and that no step shows an untranslated
// id.
func TestEveryPathCanBeWalked(t *testing.T) {
	f, b := orientation(t)
	rdb := redistest.New(t, redisDB)
	store := redisstore.New(rdb, redisstore.Options{})
	for _, lang := range f.Languages {
		t.Run(lang, func(t *testing.T) {
			seen := map[string]bool{}
			queue := [][]string{nil} // button data pressed from the start
			for len(queue) > 0 {
				path := queue[0]
				queue = queue[1:]
				if err := rdb.FlushDB(context.Background()).Err(); err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				s := NewSession(Options{Flow: f, Bundle: b, Store: store, Lang: lang, Out: &out})
				if err := s.Do("/start"); err != nil {
					t.Fatal(err)
				}
				for _, data := range path {
					if err := s.Press(data); err != nil {
						t.Fatal(err)
					}
				}
				st, err := s.State()
				if err != nil {
					t.Fatal(err)
				}
				if seen[st.Node] {
					continue
				}
				seen[st.Node] = true
				if text := out.String(); strings.Contains(text, "notice_") || strings.Contains(text, "<no value>") {
					t.Errorf("untranslated text after %v:\n%s", path, text)
				}
				for _, btn := range s.Buttons() {
					if !strings.HasPrefix(btn.Data, "g:lang:") {
						queue = append(queue, append(append([]string{}, path...), btn.Data))
					}
				}
			}
			// The node of each class of alarm is reached by writing one of its
			// terms, as a person would.
			for _, c := range f.Emergency.Classes {
				terms := c.Terms[lang]
				if seen[c.Goto] || len(terms) == 0 {
					continue
				}
				if err := rdb.FlushDB(context.Background()).Err(); err != nil {
					t.Fatal(err)
				}
				s := NewSession(Options{Flow: f, Bundle: b, Store: store, Lang: lang, Out: &bytes.Buffer{}})
				if err := s.Do("/start"); err != nil {
					t.Fatal(err)
				}
				if err := s.Do(terms[0]); err != nil {
					t.Fatal(err)
				}
				if st, err := s.State(); err != nil || st.Node != c.Goto {
					t.Errorf("writing %q leads to %q, want %s (class %s)", terms[0], st.Node, c.Goto, c.Name)
				}
				seen[c.Goto] = true
			}
			// Routes and messages that do not wait are never "where" a person
			// is, nor an erase node (the conversation is gone).
			for id, n := range f.Nodes {
				if n.Kind == flow.KindRoute || n.Kind == flow.KindErase || n.Kind == flow.KindMessage && len(n.Options) == 0 {
					continue
				}
				if !seen[id] {
					t.Errorf("node %s was never reached by pressing buttons in %s", id, lang)
				}
			}
		})
	}
}

// redisDB is this package's database on the shared test Redis.
const redisDB = redistest.DBConsole
