package flow

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// editor edits one value of a YAML document in place, byte for byte: the
// rest of the file (comments, blank lines, layout) stays as the admins wrote
// it. The public edits are in edit.go.
type editor struct {
	src   []byte
	lines []int // byte offset of the start of each line
	root  *yaml.Node
	path  []string // keys from the root to the mapping being edited
}

// pair is a key of a mapping with its value, as found by lookup.
type pair struct {
	key, val *yaml.Node
	inFlow   bool // the mapping holding it is written {like: this}
	parent   *yaml.Node
}

func newEditor(doc []byte) (*editor, error) {
	var d yaml.Node
	if err := yaml.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("the document is not valid YAML: %w", err)
	}
	if len(d.Content) == 0 || d.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the document is not a mapping")
	}
	if findAlias(&d) != nil {
		return nil, errors.New("the document uses anchors or aliases")
	}
	e := &editor{src: doc, root: d.Content[0], lines: []int{0}}
	for i, c := range doc {
		if c == '\n' {
			e.lines = append(e.lines, i+1)
		}
	}
	return e, nil
}

// lookup finds key in mapping m, recording the path for the final check.
func (e *editor) lookup(m *yaml.Node, key string) *pair {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			e.path = append(e.path, key)
			return &pair{key: m.Content[i], val: m.Content[i+1], inFlow: m.Style&yaml.FlowStyle != 0, parent: m}
		}
	}
	return nil
}

func (e *editor) resource(id string) (*yaml.Node, error) {
	res := e.lookup(e.root, "resources")
	if res == nil || res.val.Kind != yaml.MappingNode {
		return nil, errors.New("the document has no resources")
	}
	r := e.lookup(res.val, id)
	if r == nil || r.val.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("no resource %q", id)
	}
	return r.val, nil
}

// setText sets lang in the text mapping t, or adds it.
func (e *editor) setText(t *pair, lang, text string) ([]byte, error) {
	m := t.val
	path := append([]string(nil), e.path...)
	kv := e.lookup(m, lang)
	if kv == nil {
		indent := 0
		if len(m.Content) > 0 {
			indent = m.Content[0].Column - 1
		}
		var firstErr error
		for _, v := range e.renderings(text, m.Style&yaml.FlowStyle != 0, indent) {
			out, err := e.addPair(m, lang, v, func(m *yaml.Node) {
				m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: lang},
					&yaml.Node{Kind: yaml.ScalarNode, Value: text})
			})
			if err == nil {
				return out, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return nil, firstErr
	}
	if kv.val.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s.%s is not a text", strings.Join(path, "."), lang)
	}
	start, end := e.scalarSpan(kv.val, kv.inFlow, kv.key.Column)
	var firstErr error
	for _, v := range e.renderings(text, kv.inFlow, kv.key.Column-1) {
		out, err := e.check(e.splice(start, end, strings.TrimPrefix(v, " ")), func(root *yaml.Node) {
			found(root, append(path, lang)...).Value = text
		})
		if err == nil {
			return out, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// addText adds a translated field with one language to the mapping r.
func (e *editor) addText(r *yaml.Node, field, lang, text string) ([]byte, error) {
	indent := 0
	if len(r.Content) > 0 {
		indent = r.Content[0].Column - 1
	}
	inFlow := r.Style&yaml.FlowStyle != 0
	var values []string
	if !inFlow && strings.Contains(text, "\n") {
		for _, v := range e.renderings(text, false, indent+2) {
			values = append(values, "\n"+strings.Repeat(" ", indent+2)+lang+":"+v)
		}
	}
	values = append(values, " {"+lang+": "+quoteDouble(text)+"}")
	var firstErr error
	for _, v := range values {
		out, err := e.addPair(r, field, v, func(m *yaml.Node) {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: field},
				&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Value: lang}, {Kind: yaml.ScalarNode, Value: text}}})
		})
		if err == nil {
			return out, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// renderings are the ways to write text as a value after "key:" (each
// starting with a space or a newline), best first: a literal block for
// several lines of a block mapping whose keys are indented by indent, and
// always a double-quoted string.
func (e *editor) renderings(text string, inFlow bool, indent int) []string {
	var out []string
	if !inFlow && strings.Contains(text, "\n") && literalFits(text) {
		var b strings.Builder
		b.WriteString(" |-")
		for _, line := range strings.Split(text, "\n") {
			b.WriteByte('\n')
			if line != "" {
				b.WriteString(strings.Repeat(" ", indent+2))
				b.WriteString(line)
			}
		}
		out = append(out, b.String())
	}
	return append(out, " "+quoteDouble(text))
}

// literalFits reports whether a literal block with strip chomping (|-) reads
// back as text, with its indentation found from its first line.
func literalFits(text string) bool {
	if strings.ContainsAny(text, "\r\u0085\u2028\u2029\ufeff") || strings.HasSuffix(text, "\n") {
		return false
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			if line != "" {
				return false // spaces alone on a line would be read as indentation
			}
			continue
		}
		return line[0] != ' ' && line[0] != '\t'
	}
	return false
}

// quoteDouble writes s as a YAML double-quoted string.
func quoteDouble(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff ||
				r >= 0xd800 && r < 0xe000 || r == 0xfffe || r == 0xffff {
				fmt.Fprintf(&b, `\u%04X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// offset is the byte offset of a YAML position (line and column from 1, the
// column counted in characters).
func (e *editor) offset(line, col int) int {
	if line < 1 || line > len(e.lines) {
		return len(e.src)
	}
	i := e.lines[line-1]
	for c := 1; c < col && i < len(e.src) && e.src[i] != '\n'; c++ {
		_, w := utf8.DecodeRune(e.src[i:])
		i += w
	}
	return i
}

// lineEnd is the offset of the end of the line holding offset i (its '\n',
// or the end of the document).
func (e *editor) lineEnd(i int) int {
	if j := bytes.IndexByte(e.src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(e.src)
}

// indentOf returns the indentation of line (from 1) and whether it is blank.
func (e *editor) indentOf(line int) (int, bool) {
	start := e.lines[line-1]
	text := e.src[start:e.lineEnd(start)]
	text = bytes.TrimRight(text, "\r")
	n := len(text) - len(bytes.TrimLeft(text, " "))
	return n, len(bytes.TrimSpace(text)) == 0
}

// scalarSpan is where the value v is written. keyCol is the column of its key.
func (e *editor) scalarSpan(v *yaml.Node, inFlow bool, keyCol int) (int, int) {
	start := e.offset(v.Line, v.Column)
	switch v.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		end := e.lineEnd(start)
		content := -1 // the indentation of the block, given by its first line
		for line := v.Line + 1; line <= len(e.lines); line++ {
			ind, blank := e.indentOf(line)
			if blank {
				continue
			}
			if content < 0 {
				content = ind
			}
			if ind < keyCol || ind < content { // the block is over
				break
			}
			end = e.lineEnd(e.lines[line-1])
		}
		return start, end
	case yaml.DoubleQuotedStyle:
		for i := start + 1; i < len(e.src); i++ {
			switch e.src[i] {
			case '\\':
				i++
			case '"':
				return start, i + 1
			}
		}
	case yaml.SingleQuotedStyle:
		for i := start + 1; i < len(e.src); i++ {
			if e.src[i] == '\'' {
				if i+1 < len(e.src) && e.src[i+1] == '\'' {
					i++
					continue
				}
				return start, i + 1
			}
		}
	default:
		end := e.plainEnd(start, inFlow)
		if !inFlow { // a plain text may go on over more indented lines
			for line := v.Line + 1; line <= len(e.lines); line++ {
				ind, blank := e.indentOf(line)
				first := e.lines[line-1] + ind
				if blank || ind < keyCol || e.src[first] == '#' {
					break
				}
				end = e.plainEnd(first, false)
			}
		}
		return start, end
	}
	return start, len(e.src)
}

// plainEnd is the end of a plain scalar's text on its line from i.
func (e *editor) plainEnd(i int, inFlow bool) int {
	end := e.lineEnd(i)
	for j := i; j < end; j++ {
		c := e.src[j]
		if c == '#' && j > i && (e.src[j-1] == ' ' || e.src[j-1] == '\t') ||
			inFlow && (c == ',' || c == ']' || c == '}') {
			end = j
			break
		}
	}
	for end > i && (e.src[end-1] == ' ' || e.src[end-1] == '\t' || e.src[end-1] == '\r') {
		end--
	}
	return end
}

// blockEnd is the end of the last line of a block mapping's content.
func (e *editor) blockEnd(m *yaml.Node) int {
	keyCol := m.Content[0].Column
	last := m.Content[len(m.Content)-1]
	lastLine := last.Line
	end := e.lineEnd(e.offset(lastLine, 1))
	for line := lastLine + 1; line <= len(e.lines); line++ {
		ind, blank := e.indentOf(line)
		if blank {
			continue
		}
		if ind < keyCol { // more indented than the keys: still the last value
			break
		}
		end = e.lineEnd(e.lines[line-1])
	}
	return end
}

// flowEnd is the end of a value written in a flow mapping or sequence.
func (e *editor) flowEnd(v *yaml.Node) int {
	start := e.offset(v.Line, v.Column)
	if v.Kind == yaml.ScalarNode {
		_, end := e.scalarSpan(v, true, v.Column)
		return end
	}
	depth := 0
	for i := start; i < len(e.src); i++ {
		switch e.src[i] {
		case '"', '\'':
			q := e.src[i]
			for i++; i < len(e.src) && e.src[i] != q; i++ {
				if q == '"' && e.src[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(e.src)
}

// addPair adds key with its written value (starting with a space or a
// newline) at the end of mapping m; want applies the same change to a
// decoded copy, for the check.
func (e *editor) addPair(m *yaml.Node, key, value string, want func(*yaml.Node)) ([]byte, error) {
	path := append([]string(nil), e.path...)
	apply := func(root *yaml.Node) { want(found(root, path...)) }
	if len(m.Content) == 0 {
		return nil, fmt.Errorf("%s is empty", strings.Join(path, "."))
	}
	if m.Style&yaml.FlowStyle != 0 {
		if strings.HasPrefix(value, "\n") {
			return nil, fmt.Errorf("%s is written on one line", strings.Join(path, "."))
		}
		end := e.flowEnd(m.Content[len(m.Content)-1])
		return e.check(e.splice(end, end, ", "+key+":"+value), apply)
	}
	end := e.blockEnd(m)
	line := "\n" + strings.Repeat(" ", m.Content[0].Column-1) + key + ":" + value
	return e.check(e.splice(end, end, line), apply)
}

func (e *editor) splice(start, end int, s string) []byte {
	out := make([]byte, 0, len(e.src)-(end-start)+len(s))
	out = append(out, e.src[:start]...)
	out = append(out, s...)
	return append(out, e.src[end:]...)
}

// check reads the edited document back: it must be the original one with
// the change want makes, and nothing else.
func (e *editor) check(out []byte, want func(root *yaml.Node)) ([]byte, error) {
	var got, exp yaml.Node
	if err := yaml.Unmarshal(out, &got); err != nil || len(got.Content) == 0 {
		return nil, errors.New("the edit cannot be written in this document")
	}
	if err := yaml.Unmarshal(e.src, &exp); err != nil {
		return nil, err
	}
	want(exp.Content[0])
	if !sameTree(got.Content[0], exp.Content[0]) {
		return nil, errors.New("the edit cannot be written in this document")
	}
	return out, nil
}

// found follows keys from a mapping; it is only called on paths lookup found.
func found(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == k {
				m = m.Content[i+1]
				break
			}
		}
	}
	return m
}

// sameTree compares what two YAML trees say, not how they are written.
func sameTree(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}
