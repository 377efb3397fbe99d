package flow

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Edits from a phone change one value of a flow or of the resource
// directory. They rewrite only the bytes of that value (or add one line
// after the last key of its mapping): comments, blank lines, key order and
// the way everything else is written stay as the admins wrote them. Every
// edit is checked by reading the result again: it must be the document with
// that one value changed, or the edit is refused. The caller validates the
// result with Load before using it.

// Screen is a node as an admin picks it from a list on a phone.
type Screen struct {
	ID string
	// Words: the first words of the node's text in the language asked (the
	// flow's first language when it has none), at most screenWords runes,
	// ending with "…" when cut.
	Words string
}

const screenWords = 40

// Screens lists the nodes that have a text, in the order of the file.
func Screens(f *Flow, lang string) []Screen {
	var out []Screen
	for _, id := range f.order {
		n := f.Nodes[id]
		if n == nil || len(n.Text) == 0 {
			continue
		}
		s := n.Text[lang]
		if s == "" && len(f.Languages) > 0 {
			s = n.Text[f.Languages[0]]
		}
		out = append(out, Screen{ID: id, Words: firstWords(s, screenWords)})
	}
	return out
}

// firstWords cuts s to at most max runes, at a space when there is one,
// with "…" at the end when cut; lines are joined with spaces.
func firstWords(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// resourceFields are the translated fields of a resource, in the order of
// the file format.
var resourceFields = []string{"name", "for", "hours", "address"}

// ResourceFields lists the translated fields an admin may edit on a service.
func ResourceFields() []string { return append([]string(nil), resourceFields...) }

// SetNodeText sets the text of a node in lang, adding the language when the
// node has no text in it. A text of several lines is written as a literal
// block (|-) when its mapping is written as a block.
func SetNodeText(doc []byte, node, lang, text string) ([]byte, error) {
	if !contains(knownLanguages, lang) {
		return nil, fmt.Errorf("unknown language %q (allowed: %s)", lang, strings.Join(knownLanguages, ", "))
	}
	e, err := newEditor(doc)
	if err != nil {
		return nil, err
	}
	nodes := e.lookup(e.root, "nodes")
	if nodes == nil || nodes.val.Kind != yaml.MappingNode {
		return nil, errors.New("the document has no nodes")
	}
	n := e.lookup(nodes.val, node)
	if n == nil || n.val.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("no node %q", node)
	}
	t := e.lookup(n.val, "text")
	if t == nil || t.val.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("node %q has no text", node)
	}
	return e.setText(t, lang, text)
}

// SetResourceText sets a translated field of a service in lang, adding the
// language, or the field, when missing.
func SetResourceText(doc []byte, id, field, lang, text string) ([]byte, error) {
	if !contains(resourceFields, field) {
		return nil, fmt.Errorf("unknown field %q (allowed: %s)", field, strings.Join(resourceFields, ", "))
	}
	if !contains(knownLanguages, lang) {
		return nil, fmt.Errorf("unknown language %q (allowed: %s)", lang, strings.Join(knownLanguages, ", "))
	}
	e, err := newEditor(doc)
	if err != nil {
		return nil, err
	}
	r, err := e.resource(id)
	if err != nil {
		return nil, err
	}
	t := e.lookup(r, field)
	if t == nil {
		return e.addText(r, field, lang, text)
	}
	if t.val.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("resource %q: %s is not a translated text", id, field)
	}
	return e.setText(t, lang, text)
}

// SetVerified sets the day the details of a service were last checked
// (verified_on: YYYY-MM-DD), adding the key when missing.
func SetVerified(doc []byte, id string, day time.Time) ([]byte, error) {
	e, err := newEditor(doc)
	if err != nil {
		return nil, err
	}
	r, err := e.resource(id)
	if err != nil {
		return nil, err
	}
	value := day.Format(time.DateOnly)
	if kv := e.lookup(r, "verified_on"); kv != nil {
		if kv.val.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("resource %q: verified_on is not a date", id)
		}
		start, end := e.scalarSpan(kv.val, kv.inFlow, kv.key.Column)
		return e.check(e.splice(start, end, value), func(root *yaml.Node) {
			found(root, "resources", id, "verified_on").Value = value
		})
	}
	return e.addPair(r, "verified_on", " "+value, func(m *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "verified_on"},
			&yaml.Node{Kind: yaml.ScalarNode, Value: value})
	})
}
