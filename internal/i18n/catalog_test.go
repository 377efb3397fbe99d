package i18n

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/boussole/boussole/locales"
)

// catalog is one locale file: message id → plural form ("other" for a
// message without plural) → text.
type catalog map[string]map[string]string

// catalogLangs are the locale files, French first: it is the reference.
var catalogLangs = []string{"fr", "ar", "en"}

// pluralForms are the CLDR forms go-i18n picks from, per language.
var pluralForms = map[string][]string{
	"fr": {"one", "many", "other"},
	"ar": {"zero", "one", "two", "few", "many", "other"},
	"en": {"one", "other"},
}

// uiOnly are the prefixes of the ids families read: English has only the
// admin and CLI words, and falls back to French for these.
var uiOnly = []string{
	"notice_", "button_", "cmd_", "lang_name", "language_choose", "help",
	"non_text", "forget_", "forgotten", "degraded",
	"handoff_",
}

func isUIOnly(id string) bool {
	for _, p := range uiOnly {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

func loadCatalogs(t *testing.T) map[string]catalog {
	t.Helper()
	files, err := fs.Glob(locales.FS, "*.*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		parts := strings.Split(f, ".")
		if !slices.Contains(catalogLangs, parts[len(parts)-2]) {
			t.Fatalf("locale file %s: add a new language to catalogLangs and pluralForms", f)
		}
	}
	out := map[string]catalog{}
	for _, lang := range catalogLangs {
		c := catalog{}
		topics, _ := fs.Glob(locales.FS, "*."+lang+".toml")
		if !slices.Contains(topics, "active."+lang+".toml") {
			t.Fatalf("no active.%s.toml", lang)
		}
		for _, name := range topics {
			data, err := fs.ReadFile(locales.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			if _, err := toml.Decode(string(data), &raw); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for id, v := range raw {
				table, ok := v.(map[string]any)
				if !ok {
					t.Errorf("%s: %s is not a table: write [%s] then other = \"…\"", name, id, id)
					continue
				}
				if _, dup := c[id]; dup {
					t.Errorf("%s: %s is written in another %s file too", name, id, lang)
				}
				c[id] = map[string]string{}
				for form, text := range table {
					s, ok := text.(string)
					if !ok {
						t.Errorf("%s: %s.%s is not a string", name, id, form)
						continue
					}
					c[id][form] = s
				}
			}
		}
		out[lang] = c
	}
	return out
}

func sortedIDs(c catalog) []string {
	ids := make([]string, 0, len(c))
	for id := range c {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func TestMissingTranslations(t *testing.T) {
	cats := loadCatalogs(t)
	fr := cats["fr"]
	for _, id := range sortedIDs(fr) {
		if _, ok := cats["ar"][id]; !ok {
			t.Errorf("%s is in French but not in Arabic", id)
		}
		if _, ok := cats["en"][id]; !ok && !isUIOnly(id) {
			t.Errorf("%s is in French but not in English (only the families' words may be missing there)", id)
		}
	}
	for _, lang := range catalogLangs[1:] {
		for _, id := range sortedIDs(cats[lang]) {
			if _, ok := fr[id]; !ok {
				t.Errorf("%s is in active.%s.toml but not in French: a typo, or a missing French text", id, lang)
			}
		}
	}
}

func TestAllKeysHaveValue(t *testing.T) {
	allowed := append([]string{"description"}, pluralForms["ar"]...)
	for lang, c := range loadCatalogs(t) {
		for _, id := range sortedIDs(c) {
			if _, ok := c[id]["other"]; !ok {
				t.Errorf("active.%s.toml: %s has no \"other\" form", lang, id)
			}
			for form, s := range c[id] {
				if !slices.Contains(allowed, form) {
					t.Errorf("active.%s.toml: %s has an unknown key %q", lang, id, form)
				}
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s locales: %s.%s is empty", lang, id, form)
				}
				if _, err := template.New(id).Parse(s); err != nil {
					t.Errorf("active.%s.toml: %s.%s: %v", lang, id, form, err)
				}
			}
		}
	}
}

func TestEveryCodeAndNoticeHasItsWords(t *testing.T) {
	cats := loadCatalogs(t)
	codes := sortedValues(flowConsts(t, "Code"))
	for _, lang := range catalogLangs {
		for _, code := range codes {
			for _, id := range []string{"flow_" + code, "flow_" + code + "_hint"} {
				if _, ok := cats[lang][id]; !ok {
					t.Errorf("active.%s.toml: no %s for problem code %q", lang, id, code)
				}
			}
		}
	}
	notices := sortedValues(flowConsts(t, "Notice"))
	for _, lang := range []string{"fr", "ar"} {
		for _, n := range notices {
			if _, ok := cats[lang]["notice_"+n]; !ok {
				t.Errorf("active.%s.toml: no notice_%s for notice %q", lang, n, n)
			}
		}
	}
	for _, id := range sortedIDs(cats["fr"]) {
		switch {
		case strings.HasPrefix(id, "flow_"):
			code := strings.TrimSuffix(strings.TrimPrefix(id, "flow_"), "_hint")
			if !slices.Contains(codes, code) {
				t.Errorf("%s matches no problem code of internal/flow", id)
			}
		case strings.HasPrefix(id, "notice_"):
			if !slices.Contains(notices, strings.TrimPrefix(id, "notice_")) {
				t.Errorf("%s matches no notice of internal/flow", id)
			}
		}
	}
}

func TestPluralForms(t *testing.T) {
	cats := loadCatalogs(t)
	for _, id := range sortedIDs(cats["fr"]) {
		plural := false
		for _, lang := range catalogLangs {
			for form := range cats[lang][id] {
				plural = plural || form != "other" && form != "description"
			}
		}
		if !plural {
			continue
		}
		for _, lang := range catalogLangs {
			forms, ok := cats[lang][id]
			if !ok {
				continue // reported by TestMissingTranslations
			}
			var got []string
			for form := range forms {
				if form != "description" {
					got = append(got, form)
				}
			}
			want := slices.Clone(pluralForms[lang])
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("active.%s.toml: plural %s has forms %v, want %v", lang, id, got, want)
			}
		}
	}
}

var (
	actionRe      = regexp.MustCompile(`\{\{(.*?)\}\}`)
	placeholderRe = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// placeholders lists the template fields a text uses ({{.node}} → node).
func placeholders(s string) []string {
	var out []string
	for _, a := range actionRe.FindAllStringSubmatch(s, -1) {
		for _, m := range placeholderRe.FindAllStringSubmatch(a[1], -1) {
			out = append(out, m[1])
		}
	}
	return out
}

func TestPlaceholdersMatchFrench(t *testing.T) {
	cats := loadCatalogs(t)
	for _, id := range sortedIDs(cats["fr"]) {
		known := map[string]bool{}
		for _, s := range cats["fr"][id] {
			for _, p := range placeholders(s) {
				known[p] = true
			}
		}
		for _, lang := range catalogLangs[1:] {
			for form, s := range cats[lang][id] {
				for _, p := range placeholders(s) {
					if !known[p] {
						t.Errorf("active.%s.toml: %s.%s uses {{.%s}}, which the French text does not", lang, id, form, p)
					}
				}
			}
		}
	}
}

// commandRe finds a command written in a text, as Telegram makes it tappable:
// at the start or after a space.
var commandRe = regexp.MustCompile(`(^|\s)/([a-z]+)\b`)

// adminCommands are the coordinators' (internal/admin): their texts name
// them, and no menu shows them to anybody else.
var adminCommands = []string{"flux", "modifier", "verifie", "versions", "restaurer", "journal",
	"traductions", "ressources", "quitter", "annuler", "stats", "ateliers"}

func TestCommandsInTextsExist(t *testing.T) {
	cats := loadCatalogs(t)
	for _, lang := range []string{"fr", "ar"} {
		c := cats[lang]
		for _, id := range sortedIDs(c) {
			for _, m := range commandRe.FindAllStringSubmatch(c[id]["other"], -1) {
				if strings.HasPrefix(id, "admin_") && slices.Contains(adminCommands, m[2]) {
					continue // the coordinators' commands are in no public menu
				}
				if _, ok := c["cmd_"+m[2]]; !ok {
					t.Errorf("active.%s.toml: %s mentions /%s, which has no cmd_%s", lang, id, m[2], m[2])
				}
			}
		}
		for _, id := range sortedIDs(c) {
			if !strings.HasPrefix(id, "cmd_") {
				continue
			}
			if !strings.Contains(c["help"]["other"], "/"+strings.TrimPrefix(id, "cmd_")) {
				t.Errorf("active.%s.toml: help does not explain /%s", lang, strings.TrimPrefix(id, "cmd_"))
			}
			// Telegram accepts 256; the menu of a phone shows about 40.
			if n := utf8.RuneCountInString(c[id]["other"]); n > 40 {
				t.Errorf("active.%s.toml: %s is %d characters long, 40 at most", lang, id, n)
			}
		}
	}
}

// In a right-to-left text, a command shows as "urgence/" unless a
// left-to-right mark comes first; the mark sits between two spaces, so the
// command stays apart from the Arabic text and still follows a space, as
// Telegram needs to make it tappable. "116 006" shows as "006 116" unless its
// groups are joined by a no-break space.
func TestArabicReadsRightToLeft(t *testing.T) {
	c := loadCatalogs(t)["ar"]
	spacedDigits := regexp.MustCompile(`[0-9] [0-9]`)
	for _, id := range sortedIDs(c) {
		for form, s := range c[id] {
			for _, loc := range commandRe.FindAllStringIndex(s, -1) {
				if !strings.HasSuffix(s[:loc[0]], " \u200e") {
					t.Errorf("active.ar.toml: %s.%s: write \" \\u200E \" before %q", id, form, strings.TrimSpace(s[loc[0]:loc[1]]))
				}
			}
			if spacedDigits.MatchString(s) {
				t.Errorf("active.ar.toml: %s.%s: join the groups of a number with \\u00A0, not a space", id, form)
			}
		}
	}
}

func TestButtonsFitOnAPhone(t *testing.T) {
	cats := loadCatalogs(t)
	for _, lang := range []string{"fr", "ar"} {
		c := cats[lang]
		for _, id := range sortedIDs(c) {
			if !strings.HasPrefix(id, "button_") && id != "lang_name" {
				continue
			}
			if n := utf8.RuneCountInString(c[id]["other"]); n > 24 {
				t.Errorf("active.%s.toml: %s is %d characters long, 24 at most", lang, id, n)
			}
		}
	}
}
