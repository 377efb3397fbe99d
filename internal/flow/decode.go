package flow

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder walks a YAML node tree and records every problem with its position.
// It never stops at the first problem: an admin gets the whole list at once.
type decoder struct {
	file  string
	probs Problems
}

func (d *decoder) report(n *yaml.Node, sev Severity, code Code, kv ...string) {
	p := Problem{File: d.file, Severity: sev, Code: code}
	if n != nil {
		p.Line, p.Col = n.Line, n.Column
	}
	if len(kv) > 0 {
		p.Args = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			p.Args[kv[i]] = kv[i+1]
		}
	}
	d.probs = append(d.probs, p)
}

func (d *decoder) errorf(n *yaml.Node, code Code, kv ...string) { d.report(n, Error, code, kv...) }

// field is a key of a mapping with its value.
type field struct {
	key, val *yaml.Node
}

// fields reads a mapping, reporting unknown, duplicate and missing keys.
// allowed == nil accepts any key (used for maps keyed by ids).
func (d *decoder) fields(n *yaml.Node, what string, allowed, required []string) (map[string]field, []string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, CodeWrongType, "key", what, "want", "mapping")
		return nil, nil
	}
	out := make(map[string]field, len(n.Content)/2)
	order := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if _, dup := out[name]; dup {
			d.errorf(k, CodeDuplicateKey, "key", name)
			continue
		}
		if allowed != nil && !contains(allowed, name) {
			d.errorf(k, CodeUnknownKey, "key", name, "in", what, "allowed", strings.Join(allowed, ", "))
			continue
		}
		out[name] = field{k, v}
		order = append(order, name)
	}
	for _, r := range required {
		if _, ok := out[r]; !ok {
			d.errorf(n, CodeMissingKey, "key", r, "in", what)
		}
	}
	return out, order
}

func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, CodeWrongType, "key", what, "want", "text")
		return "", false
	}
	return n.Value, true
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

func (d *decoder) id(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return "", false
	}
	if !idPattern.MatchString(s) {
		d.errorf(n, CodeBadID, "id", s, "key", what)
		return s, false
	}
	return s, true
}

func (d *decoder) list(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, CodeWrongType, "key", what, "want", "list")
		return nil
	}
	return n.Content
}

// text reads a translated text and requires every language in langs.
func (d *decoder) text(n *yaml.Node, what string, langs []string) Text {
	fs, order := d.fields(n, what, nil, nil)
	if fs == nil {
		return nil
	}
	t := make(Text, len(fs))
	for _, lang := range order {
		f := fs[lang]
		if !contains(langs, lang) {
			d.errorf(f.key, CodeUnknownLanguage, "lang", lang, "key", what, "allowed", strings.Join(langs, ", "))
			continue
		}
		s, ok := d.str(f.val, what+"."+lang)
		if !ok {
			continue
		}
		if strings.TrimSpace(s) == "" {
			d.errorf(f.val, CodeEmptyText, "key", what, "lang", lang)
			continue
		}
		if rtlLanguages[lang] {
			if m := digitSpaceDigit.FindString(s); m != "" {
				d.errorf(f.val, CodeRTLDigits, "key", what, "lang", lang, "value", m)
			}
		}
		t[lang] = s
	}
	for _, lang := range langs {
		if _, ok := fs[lang]; !ok {
			d.errorf(n, CodeMissingTranslation, "key", what, "lang", lang)
		}
	}
	return t
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parse reads YAML into a document node, turning a syntax error into a
// located problem.
func (d *decoder) parse(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			if isParserError(msg) {
				line++ // the YAML parser counts these lines from 0
			}
			msg = strings.TrimPrefix(msg, m[0]+": ") // the line is given apart, and right
		}
		d.probs = append(d.probs, Problem{File: d.file, Line: line, Col: 1, Code: CodeYAMLSyntax,
			Args: map[string]string{"detail": msg}})
		return nil
	}
	if len(doc.Content) == 0 {
		d.errorf(&yaml.Node{Line: 1, Column: 1}, CodeWrongType, "key", "document", "want", "mapping")
		return nil
	}
	root := doc.Content[0]
	if a := findAlias(root); a != nil {
		// Aliases would let a small file expand into a huge tree; admins never need them.
		d.errorf(a, CodeWrongType, "key", "alias", "want", "plain YAML without anchors")
		return nil
	}
	return root
}

func hasAlias(n *yaml.Node) bool { return findAlias(n) != nil }

// findAlias returns the first anchor or alias of a tree, nil if none.
func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// parserProblems are the syntax errors of the YAML parser (as opposed to its
// scanner): it reports their line counted from 0.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"found undefined tag handle", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
}

func isParserError(msg string) bool {
	for _, p := range parserProblems {
		if strings.HasSuffix(msg, p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
