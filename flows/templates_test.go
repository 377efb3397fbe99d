package flows

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// The shipped replies load, cover what volunteers say most often, and stay
// short enough to read on a phone.
func TestDefaultTemplates(t *testing.T) {
	tpl, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bonjour", "reformuler", "france_victimes", "psychologue", "plainte", "securite", "fin"} {
		if tpl[name] == nil {
			t.Errorf("no reply %q", name)
		}
	}
	for _, name := range tpl.Names() {
		for _, lang := range templateLangs {
			text := tpl[name][lang]
			if n := utf8.RuneCountInString(text); n > 600 {
				t.Errorf("%s (%s): %d characters, keep it under 600", name, lang, n)
			}
			if lang == "ar" {
				// A command in right-to-left text shows as "effacer/" without
				// a left-to-right mark before it.
				for _, loc := range command.FindAllStringIndex(text, -1) {
					if !strings.HasSuffix(text[:loc[0]], " \u200e") {
						t.Errorf("%s (ar): write \" \\u200E \" before %q", name, text[loc[0]:loc[1]])
					}
				}
			}
		}
	}
	if got := tpl.Names(); len(got) < 7 || !strings.HasPrefix(strings.Join(got, ","), "bonjour,fin,") {
		t.Errorf("names %v, want them sorted", got)
	}
}

var command = regexp.MustCompile(`(^|\s)/[a-z]+`)

func loadOne(t *testing.T, src string) (Templates, error) {
	t.Helper()
	return LoadTemplates(fstest.MapFS{"m.yaml": {Data: []byte(src)}}, "m.yaml")
}

func TestLoadTemplates(t *testing.T) {
	tpl, err := loadOne(t, "a-1_b: {fr: \"Bonjour\", ar: \"مرحبا\"}\n")
	if err != nil {
		t.Fatal(err)
	}
	if tpl["a-1_b"]["fr"] != "Bonjour" || tpl["a-1_b"]["ar"] != "مرحبا" {
		t.Errorf("got %v", tpl)
	}
	long := strings.Repeat("é", MaxTemplateRunes)
	if _, err := loadOne(t, "x: {fr: \""+long+"\", ar: \"نص\"}\n"); err != nil {
		t.Errorf("%d characters refused: %v", MaxTemplateRunes, err)
	}
	if _, err := LoadTemplates(fstest.MapFS{}, "m.yaml"); err == nil {
		t.Error("a missing file loaded")
	}
}

// Each problem is reported, all at once, naming the reply and the language.
func TestLoadTemplatesRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"not yaml", "a: [\n", []string{"m.yaml"}},
		{"empty file", "", []string{"m.yaml"}},
		{"a list", "- a\n", []string{"m.yaml"}},
		{"no reply", "{}\n", []string{"no reply"}},
		{"bad name", "Bonjour: {fr: a, ar: b}\n", []string{`"Bonjour"`, "a-z"}},
		{"long name", strings.Repeat("a", 33) + ": {fr: a, ar: b}\n", []string{strings.Repeat("a", 33)}},
		{"no arabic", "bonjour: {fr: Bonjour}\n", []string{`"bonjour"`, "ar"}},
		{"no french", "bonjour: {ar: مرحبا}\n", []string{`"bonjour"`, "fr"}},
		{"empty", "bonjour: {fr: \"  \", ar: مرحبا}\n", []string{`"bonjour" (fr) is empty`}},
		{"null", "bonjour: {fr: ~, ar: مرحبا}\n", []string{`"bonjour" (fr)`}},
		{"too long", "bonjour: {fr: a, ar: \"" + strings.Repeat("ب", MaxTemplateRunes+1) + "\"}\n",
			[]string{`"bonjour" (ar) is 4097 characters long`}},
		{"unknown language", "bonjour: {fr: a, ar: b, en: c}\n", []string{`"bonjour"`, `"en"`}},
		{"twice", "bonjour: {fr: a, ar: b}\nbonjour: {fr: a, ar: b}\n", []string{`"bonjour" is written twice`}},
		{"not a mapping", "bonjour: Bonjour\n", []string{`"bonjour"`}},
		{"alias", "a: &x {fr: a, ar: b}\nb: *x\n", []string{`"b"`}},
		{"reversed number", "appel: {fr: \"116 006\", ar: \"الرقم 116 006\"}\n", []string{`"appel" (ar)`, "U+00A0"}},
		{"several", "A: {fr: a, ar: b}\nb: {fr: a}\n", []string{`"A"`, `"b" has no ar`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := loadOne(t, tc.src)
			if err == nil {
				t.Fatalf("loaded %v", tpl)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// A broken modeles.yaml in a flows folder fails the whole load, as flows
// check and the bot read it.
func TestLoadChecksTemplates(t *testing.T) {
	orientation, _ := FS.ReadFile("orientation.yaml")
	res, _ := FS.ReadFile(ResourcesFile)
	fsys := fstest.MapFS{
		"orientation.yaml": {Data: orientation},
		ResourcesFile:      {Data: res},
		TemplatesFile:      {Data: []byte("bonjour: {fr: Bonjour}\n")},
	}
	if _, _, err := Load(fsys, "."); err == nil || !strings.Contains(err.Error(), `"bonjour" has no ar`) {
		t.Fatalf("Load: %v", err)
	}
	fsys[TemplatesFile] = &fstest.MapFile{Data: []byte("bonjour: {fr: Bonjour, ar: مرحبا}\n")}
	set, _, err := Load(fsys, ".")
	if err != nil || set["orientation"] == nil || len(set) != 1 {
		t.Fatalf("Load: %v, %v", set, err)
	}
}
