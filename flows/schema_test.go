package flows

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/boussole/boussole/internal/flow"
)

// plain turns a YAML node into the JSON value an editor's YAML language
// server would validate: dates stay strings, as they do in the YAML text.
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return plain(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = plain(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, plain(c))
		}
		return l
	}
	switch n.Tag {
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	case "!!int", "!!float":
		f, _ := strconv.ParseFloat(n.Value, 64)
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return n.Value
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustRead(t, "schema.json")))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func validateSchema(t *testing.T, s *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// Round-trip through JSON so numbers are what a JSON validator sees.
	raw, _ := json.Marshal(plain(&n))
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s does not match schema.json: %v", name, err)
	}
}

// Every shipped flow passes both the JSON Schema (what an admin's editor
// checks) and the Go validator (what the bot checks).
func TestShippedFlowsPassSchemaAndValidator(t *testing.T) {
	s := compileSchema(t)
	names, _ := filepath.Glob("*.yaml")
	if len(names) < 2 {
		t.Fatalf("expected the orientation flow and resources.yaml, found %v", names)
	}
	for _, name := range names {
		validateSchema(t, s, name, mustRead(t, name))
	}
	set, probs, err := Load(os.DirFS("."), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs.Errors() {
		t.Error(p.Error())
	}
	if set["orientation"] == nil {
		t.Fatal("orientation flow not loaded")
	}
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// Every complete flow given as an example in docs/flows.md is valid too, so
// the documentation cannot drift from the format.
func TestDocExamplesPassSchemaAndValidator(t *testing.T) {
	s := compileSchema(t)
	doc := mustRead(t, "../docs/flows.md")
	res := mustRead(t, ResourcesFile)
	examples := 0
	for i, m := range yamlBlock.FindAllSubmatch(doc, -1) {
		block := m[1]
		if !bytes.Contains(block, []byte("\nnodes:")) && !bytes.HasPrefix(block, []byte("resources:")) {
			continue // a fragment, not a whole document
		}
		examples++
		name := "docs/flows.md example " + strconv.Itoa(i+1)
		validateSchema(t, s, name, block)
		if bytes.HasPrefix(block, []byte("resources:")) {
			if _, probs := flow.LoadResources(flow.Source{Name: name, Data: block}); len(probs.Errors()) > 0 {
				t.Errorf("%s: %v", name, probs)
			}
			continue
		}
		if _, probs := flow.Load(flow.Source{Name: name, Data: block}, flow.Source{Name: ResourcesFile, Data: res}); len(probs.Errors()) > 0 {
			t.Errorf("%s: %v", name, probs)
		}
	}
	if examples < 5 {
		t.Errorf("docs/flows.md has %d complete examples; want one per node kind at least", examples)
	}
}

// The schema rejects what the Go validator rejects for the common mistakes an
// editor can catch, so an admin sees them while typing.
func TestSchemaRejectsCommonMistakes(t *testing.T) {
	s := compileSchema(t)
	cases := map[string]string{
		"unknown key":   "id: x\nlanguages: [fr]\nstart: a\nemergency: {goto: a, keywords: {fr: [danger]}}\nnodes:\n  a: {text: {fr: t}, end: true, colour: red}\n",
		"bad language":  "id: x\nlanguages: [en]\nstart: a\nemergency: {goto: a, keywords: {fr: [danger]}}\nnodes:\n  a: {text: {fr: t}, end: true}\n",
		"long label":    "id: x\nlanguages: [fr]\nstart: a\nemergency: {goto: a, keywords: {fr: [danger]}}\nnodes:\n  a: {text: {fr: t}, options: [{label: {fr: \"" + string(bytes.Repeat([]byte("é"), 41)) + "\"}, goto: a}]}\n",
		"bad priority":  "id: x\nlanguages: [fr]\nstart: a\nemergency: {goto: a, keywords: {fr: [danger]}}\nnodes:\n  a: {text: {fr: t}, handoff: {category: c, priority: asap, confirm: {fr: ok}}}\n",
		"empty text":    "id: x\nlanguages: [fr]\nstart: a\nemergency: {goto: a, keywords: {fr: [danger]}}\nnodes:\n  a: {text: {fr: \" \"}, end: true}\n",
		"http link":     "resources:\n  r: {name: {fr: n}, link: \"http://example.org\"}\n",
		"phone letters": "resources:\n  r: {name: {fr: n}, phone: \"abc\"}\n",
	}
	for name, src := range cases {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw, _ := json.Marshal(plain(&n))
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if s.Validate(v) == nil {
			t.Errorf("%s: schema accepted it", name)
		}
	}
}

// The graph of the orientation flow in docs/flows.md is the one the CLI draws
// today: regenerate it with `go run ./cmd/boussole flows graph`.
func TestDocGraphIsCurrent(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	doc := string(mustRead(t, "../docs/flows.md"))
	begin := strings.Index(doc, "```mermaid\n")
	end := strings.Index(doc, "<!-- graph:end -->")
	if begin < 0 || end < begin {
		t.Fatal("docs/flows.md has no generated graph block")
	}
	got := strings.TrimSuffix(doc[begin+len("```mermaid\n"):end], "```\n")
	if got != set["orientation"].Mermaid("fr") {
		t.Error("the graph in docs/flows.md is out of date: paste the output of `go run ./cmd/boussole flows graph` between the graph markers")
	}
}
