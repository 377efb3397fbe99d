package flows

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// TemplatesFile holds the volunteers' canned replies in a flows folder.
const TemplatesFile = "modeles.yaml"

// MaxTemplateRunes is the longest canned reply: one Telegram message.
const MaxTemplateRunes = 4096

// templateLangs are the languages every canned reply is written in: the
// languages of the people volunteers answer.
var templateLangs = []string{"fr", "ar"}

var (
	templateName = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	// In Arabic, "116 006" with a plain space shows as "006 116".
	spacedDigits = regexp.MustCompile(`[0-9] [0-9]`)
)

// Templates are the volunteers' canned replies: name → language → text.
type Templates map[string]map[string]string

// Names returns the names of the replies, sorted.
func (t Templates) Names() []string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultTemplates returns the canned replies shipped in the binary.
func DefaultTemplates() (Templates, error) {
	return LoadTemplates(FS, TemplatesFile)
}

// LoadTemplates reads and checks a file of canned replies: names of
// lowercase letters, digits, _ and - (32 at most); every reply in French and
// Arabic, none empty, none longer than a Telegram message. The error lists
// every problem, each naming the reply and the language.
func LoadTemplates(fsys fs.FS, name string) (Templates, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: expected replies as \"name: {fr: …, ar: …}\"", name)
	}
	root := doc.Content[0]
	var errs []error
	fail := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...)))
	}
	out := Templates{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		reply := k.Value
		switch {
		case k.Kind != yaml.ScalarNode || !templateName.MatchString(reply):
			fail(k, "reply %q: a name is made of a-z, 0-9, _ and -, 32 characters at most", reply)
			continue
		case out[reply] != nil:
			fail(k, "reply %q is written twice", reply)
			continue
		case v.Kind != yaml.MappingNode:
			fail(v, "reply %q: expected its texts as fr: … and ar: …", reply)
			continue
		}
		texts := map[string]string{}
		for j := 0; j+1 < len(v.Content); j += 2 {
			lk, lv := v.Content[j], v.Content[j+1]
			lang := lk.Value
			if _, dup := texts[lang]; dup {
				fail(lk, "reply %q (%s) is written twice", reply, lang)
				continue
			}
			if !slices.Contains(templateLangs, lang) {
				fail(lk, "reply %q: unknown language %q (%s)", reply, lang, strings.Join(templateLangs, ", "))
				continue
			}
			if lv.Kind != yaml.ScalarNode || lv.Tag == "!!null" {
				fail(lv, "reply %q (%s): expected a text", reply, lang)
				continue
			}
			text := lv.Value
			switch n := utf8.RuneCountInString(text); {
			case strings.TrimSpace(text) == "":
				fail(lv, "reply %q (%s) is empty", reply, lang)
				continue
			case n > MaxTemplateRunes:
				fail(lv, "reply %q (%s) is %d characters long, %d at most", reply, lang, n, MaxTemplateRunes)
				continue
			}
			if m := spacedDigits.FindString(text); lang == "ar" && m != "" {
				fail(lv, "reply %q (%s): in %q, join the digit groups with a no-break space (U+00A0): right to left, a plain space shows them reversed", reply, lang, m)
				continue
			}
			texts[lang] = text
		}
		for _, lang := range templateLangs {
			if _, ok := texts[lang]; !ok && !hasKey(v, lang) {
				fail(v, "reply %q has no %s text", reply, lang)
			}
		}
		out[reply] = texts
	}
	if len(root.Content) == 0 {
		errs = append(errs, fmt.Errorf("%s: no reply", name))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}
