// Package i18n translates the bot's own words (notices, buttons, commands,
// validation messages) with go-i18n. French is the default: a missing message
// in another language falls back to French rather than showing an id.
package i18n

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/boussole/boussole/locales"
)

// Default is the language used when none fits.
const Default = "fr"

// Bundle holds the translations and one localizer per language.
type Bundle struct {
	bundle *goi18n.Bundle
	locs   map[string]*goi18n.Localizer
}

// New loads the embedded locales.
func New() (*Bundle, error) { return Load(locales.FS) }

// Load reads every <topic>.<lang>.toml of fsys (active.<lang>.toml and
// the files of each topic).
func Load(fsys fs.FS) (*Bundle, error) {
	b := goi18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "*.*.toml")
	if err != nil {
		return nil, err
	}
	bd := &Bundle{bundle: b, locs: map[string]*goi18n.Localizer{}}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("parse locale %s: %w", name, err)
		}
		lang := mf.Tag.String()
		bd.locs[lang] = goi18n.NewLocalizer(b, lang, Default)
	}
	return bd, nil
}

// Languages lists the languages loaded.
func (b *Bundle) Languages() []string {
	out := make([]string, 0, len(b.locs))
	for l := range b.locs {
		out = append(out, l)
	}
	return out
}

// Has reports whether lang has its own locale file.
func (b *Bundle) Has(lang string) bool { _, ok := b.locs[lang]; return ok }

// T translates id in lang with its template data; it never fails: a missing
// message shows its id, which the completeness tests forbid.
func (b *Bundle) T(lang, id string, data map[string]string) string {
	return b.Plural(lang, id, nil, data)
}

// Plural translates id with the plural form that suits count.
func (b *Bundle) Plural(lang, id string, count any, data map[string]string) string {
	loc, ok := b.locs[lang]
	if !ok {
		loc = b.locs[Default]
	}
	if loc == nil {
		return id
	}
	td := make(map[string]any, len(data)+1)
	for k, v := range data {
		td[k] = v
	}
	if count != nil {
		td["Count"] = count
	}
	s, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: td, PluralCount: count})
	if err != nil && s == "" {
		return id
	}
	return strings.TrimSpace(s)
}
