package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/boussole/boussole/internal/flow"
)

// The tests read the flow package's source rather than a list kept by hand, so
// a new problem code, notice or report argument without its wording fails here.

// flowFiles parses the non-test files of internal/flow.
func flowFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "flow", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatal("no source file found in ../flow")
	}
	return fset, files
}

// flowConsts maps the name of each constant of type typeName (Code, Notice)
// declared in internal/flow to its string value.
func flowConsts(t *testing.T, typeName string) map[string]string {
	t.Helper()
	_, files := flowFiles(t)
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typeName {
					continue
				}
				for i, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s %s: value is not a string literal", typeName, vs.Names[i].Name)
					}
					s, _ := strconv.Unquote(lit.Value)
					out[vs.Names[i].Name] = s
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no constant of type %s found in internal/flow", typeName)
	}
	return out
}

// sortedValues returns the values of m, sorted.
func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// reportSite is one place where internal/flow reports a problem, with the
// arguments it passes: a literal value is kept (the wording may depend on it),
// any other value becomes a sample.
type reportSite struct {
	pos      string
	code     flow.Code
	severity flow.Severity
	args     map[string]string
}

// reportSites finds every errorf(…, CodeX, "key", value, …) and
// report(…, Severity, CodeX, …) call and every Problem{Code: CodeX, Args: …}
// literal in internal/flow.
func reportSites(t *testing.T) []reportSite {
	t.Helper()
	codes := flowConsts(t, "Code")
	fset, files := flowFiles(t)
	var sites []reportSite
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if s, ok := callSite(t, fset, codes, n); ok {
					sites = append(sites, s)
				}
			case *ast.CompositeLit:
				if s, ok := literalSite(t, fset, codes, n); ok {
					sites = append(sites, s)
				}
			}
			return true
		})
	}
	return sites
}

func callSite(t *testing.T, fset *token.FileSet, codes map[string]string, call *ast.CallExpr) (reportSite, bool) {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	case *ast.Ident:
		name = fn.Name
	}
	if name != "errorf" && name != "report" {
		return reportSite{}, false
	}
	for i, arg := range call.Args {
		id, ok := arg.(*ast.Ident)
		if !ok || codes[id.Name] == "" {
			continue
		}
		s := reportSite{pos: fset.Position(call.Pos()).String(), code: flow.Code(codes[id.Name]), severity: flow.Error}
		if i > 0 {
			if sev, ok := call.Args[i-1].(*ast.Ident); ok && sev.Name == "Warning" {
				s.severity = flow.Warning
			}
		}
		kv := call.Args[i+1:]
		if len(kv)%2 != 0 {
			t.Errorf("%s: arguments of %s do not come in key/value pairs", s.pos, s.code)
		}
		s.args = map[string]string{}
		for j := 0; j+1 < len(kv); j += 2 {
			s.args[literalKey(t, s.pos, kv[j])] = sampleValue(kv[j], kv[j+1])
		}
		return s, true
	}
	return reportSite{}, false
}

func literalSite(t *testing.T, fset *token.FileSet, codes map[string]string, lit *ast.CompositeLit) (reportSite, bool) {
	if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Problem" {
		return reportSite{}, false
	}
	s := reportSite{pos: fset.Position(lit.Pos()).String(), severity: flow.Error, args: map[string]string{}}
	var argsLit *ast.CompositeLit
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		field, _ := kv.Key.(*ast.Ident)
		val, _ := kv.Value.(*ast.Ident)
		switch {
		case field == nil:
		case field.Name == "Code" && val != nil:
			s.code = flow.Code(codes[val.Name])
		case field.Name == "Severity" && val != nil && val.Name == "Warning":
			s.severity = flow.Warning
		case field.Name == "Args":
			argsLit, _ = kv.Value.(*ast.CompositeLit)
		}
	}
	if s.code == "" {
		return reportSite{}, false // built from a variable: the call sites are found elsewhere
	}
	if argsLit != nil {
		for _, e := range argsLit.Elts {
			kv := e.(*ast.KeyValueExpr)
			s.args[literalKey(t, s.pos, kv.Key)] = sampleValue(kv.Key, kv.Value)
		}
	}
	return s, true
}

func literalKey(t *testing.T, pos string, e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Errorf("%s: an argument name is not a string literal; the wording cannot be checked", pos)
		return "?"
	}
	s, _ := strconv.Unquote(lit.Value)
	return s
}

func sampleValue(key, val ast.Expr) string {
	if lit, ok := val.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		s, _ := strconv.Unquote(lit.Value)
		return s
	}
	if lit, ok := key.(*ast.BasicLit); ok {
		k, _ := strconv.Unquote(lit.Value)
		return "sample_" + k
	}
	return "sample"
}
