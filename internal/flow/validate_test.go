package flow

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Each file of testdata/broken is a small flow (or, for resources_*.yaml, a
// resource directory) that breaks one rule. Its first comment lines declare
// what the loader must report, one line per problem:
//
//	# want: 14:7 dangling_goto      (an error)
//	# warn: 9:3 unverified_resource (a warning)
//
// The loader must report exactly these problems for that file, all at once,
// and refuse the flow.

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// expectations reads the "# want:" and "# warn:" lines of a broken case.
func expectations(t *testing.T, data []byte) (errs, warns []string) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		if rest, ok := strings.CutPrefix(line, "# want:"); ok {
			errs = append(errs, strings.TrimSpace(rest))
		}
		if rest, ok := strings.CutPrefix(line, "# warn:"); ok {
			warns = append(warns, strings.TrimSpace(rest))
		}
	}
	if len(errs)+len(warns) == 0 {
		t.Fatal("no '# want:' or '# warn:' line at the top of the file")
	}
	return errs, warns
}

// located renders the problems of file as sorted "line:col code" strings.
func located(ps Problems, file string) []string {
	out := []string{}
	for _, p := range ps {
		if p.File == file {
			out = append(out, itoa(p.Line)+":"+itoa(p.Col)+" "+string(p.Code))
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func TestBrokenFlows(t *testing.T) {
	res := readFile(t, "testdata/resources.yaml")
	mini := readFile(t, "testdata/mini.yaml")
	files, err := filepath.Glob("testdata/broken/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal("no broken cases", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data := readFile(t, path)
			wantErrs, wantWarns := expectations(t, data)
			if strings.HasPrefix(name, "resources_") {
				checkBrokenResources(t, name, data, mini, wantErrs, wantWarns)
				return
			}
			if len(wantErrs) == 0 {
				t.Fatal("a broken flow must declare at least one error")
			}
			f, probs := Load(Source{name, data}, Source{"resources.yaml", res})
			if f != nil {
				t.Errorf("Load returned a flow despite errors")
			}
			if got := located(probs.Errors(), name); !slices.Equal(got, sorted(wantErrs)) {
				t.Errorf("errors\n got: %q\nwant: %q\n%s", got, sorted(wantErrs), probs.Error())
			}
			if got := located(probs.Warnings(), name); !slices.Equal(got, sorted(wantWarns)) {
				t.Errorf("warnings\n got: %q\nwant: %q", got, sorted(wantWarns))
			}
			for _, p := range probs.Errors() {
				if p.File != name {
					t.Errorf("error outside the broken file: %v", p.Error())
				}
				if p.Line < 1 || p.Col < 1 {
					t.Errorf("error without a position: %v", p.Error())
				}
			}
		})
	}
}

// checkBrokenResources loads a resource directory alone, then with the mini
// flow: a directory with an error blocks every flow that uses it.
func checkBrokenResources(t *testing.T, name string, data, mini []byte, wantErrs, wantWarns []string) {
	res, probs := LoadResources(Source{name, data})
	if got := located(probs.Errors(), name); !slices.Equal(got, sorted(wantErrs)) {
		t.Errorf("LoadResources errors\n got: %q\nwant: %q", got, sorted(wantErrs))
	}
	if got := located(probs.Warnings(), name); !slices.Equal(got, sorted(wantWarns)) {
		t.Errorf("LoadResources warnings\n got: %q\nwant: %q", got, sorted(wantWarns))
	}
	if res == nil {
		t.Errorf("LoadResources returned no directory")
	}
	f, probs := Load(Source{"mini.yaml", mini}, Source{name, data})
	if got := located(probs.Errors(), name); !slices.Equal(got, sorted(wantErrs)) {
		t.Errorf("Load errors\n got: %q\nwant: %q", got, sorted(wantErrs))
	}
	if got := located(probs.Warnings(), name); !slices.Equal(got, sorted(wantWarns)) {
		t.Errorf("Load warnings\n got: %q\nwant: %q", got, sorted(wantWarns))
	}
	if len(probs.Errors()) != len(wantErrs) {
		t.Errorf("Load errors outside %s: %s", name, probs.Error())
	}
	switch {
	case len(wantErrs) > 0 && f != nil:
		t.Errorf("Load returned a flow despite errors in the resources")
	case len(wantErrs) == 0 && f == nil:
		t.Errorf("warnings alone must not block the flow")
	}
}

func TestValidFlowLoads(t *testing.T) {
	f, probs := Load(Source{"mini.yaml", readFile(t, "testdata/mini.yaml")},
		Source{"resources.yaml", readFile(t, "testdata/resources.yaml")})
	if f == nil {
		t.Fatalf("mini.yaml rejected:\n%s", probs.Error())
	}
	if len(probs.Errors()) != 0 {
		t.Fatalf("unexpected errors: %s", probs.Error())
	}
	// The directory holds one entry nobody checked and that gives no way to
	// reach the service: both are warnings, on its key.
	want := []string{"6:3 incomplete_resource", "6:3 unverified_resource"}
	if got := located(probs.Warnings(), "resources.yaml"); !slices.Equal(got, want) {
		t.Errorf("warnings: got %q, want %q", got, want)
	}
	if f.ID != "mini" || f.Start != "accueil" || len(f.Nodes) != 9 || len(f.Version) != versionLen {
		t.Errorf("unexpected flow: id=%q start=%q nodes=%d version=%q", f.ID, f.Start, len(f.Nodes), f.Version)
	}
	for id, n := range f.Nodes {
		for _, lang := range f.Languages {
			if n.Kind != KindRoute && n.Rendered(lang) == "" {
				t.Errorf("node %s has no rendered text in %s", id, lang)
			}
			for _, b := range n.Buttons(lang) {
				if b.Label == "" || len(b.Data) > MaxCallbackData {
					t.Errorf("node %s: bad button %+v", id, b)
				}
			}
		}
	}
	if got := f.Nodes["info"].Rendered("fr"); got != "Voici de l'aide.\n\n▪️ SAMU\n☎️ 15" {
		t.Errorf("rendered info: %q", got)
	}
}

// TestAllErrorsAtOnce: an admin gets every independent mistake in one go,
// not only the first one.
func TestAllErrorsAtOnce(t *testing.T) {
	f, probs := Load(Source{"several.yaml", readFile(t, "testdata/broken/several.yaml")},
		Source{"resources.yaml", readFile(t, "testdata/resources.yaml")})
	if f != nil {
		t.Fatal("flow with errors was loaded")
	}
	codes := map[Code]bool{}
	for _, p := range probs.Errors() {
		codes[p.Code] = true
	}
	for _, c := range []Code{CodeDuplicateLanguage, CodeMissingTranslation, CodeDanglingGoto, CodeUnreachable} {
		if !codes[c] {
			t.Errorf("missing %s in:\n%s", c, probs.Error())
		}
	}
	// Sorted top-down, as an admin reads the file.
	for i := 1; i < len(probs); i++ {
		a, b := probs[i-1], probs[i]
		if a.File == b.File && (a.Line > b.Line || a.Line == b.Line && a.Col > b.Col) {
			t.Errorf("problems not sorted: %v before %v", a.Error(), b.Error())
		}
	}
}

// TestRejectedFlowIsNil: documents that are not flows at all, or a good flow
// with an unreadable resource directory, are refused with an error.
func TestRejectedFlowIsNil(t *testing.T) {
	for _, tc := range []struct{ name, flow, res string }{
		{"empty flow", "", "resources: {}"},
		{"flow is a list", "- a\n- b\n", "resources: {}"},
		{"flow is a scalar", "hello", "resources: {}"},
		{"resources not yaml", string(readFile(t, "testdata/mini.yaml")), "resources: {a: [}"},
		{"resources empty", string(readFile(t, "testdata/mini.yaml")), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, probs := Load(Source{"f.yaml", []byte(tc.flow)}, Source{"r.yaml", []byte(tc.res)})
			if f != nil {
				t.Fatal("loaded")
			}
			if len(probs.Errors()) == 0 {
				t.Fatal("rejected without an error")
			}
		})
	}
}
