package ateliers

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong in a form an admin typed: its line (1 for the
// first line of the text given to Parse; 0 when a key is missing), the key
// as written and a code, whose words are admin_ateliers_problem_<code> in
// the locales.
type Problem struct {
	Line int
	Key  string
	Code string
}

// The problems' codes.
const (
	CodeSyntax       = "syntax"         // a line without "key: value"
	CodeUnknownKey   = "unknown_key"    // a key the form does not have
	CodeDuplicate    = "duplicate"      // a key written twice
	CodeMissing      = "missing"        // a required key is missing
	CodeEmpty        = "empty"          // a key without a value
	CodeKind         = "kind"           // type is not atelier, groupe, permanence
	CodeNeeds        = "needs"          // an unknown need
	CodeLangs        = "langs"          // a language other than fr, ar
	CodeDate         = "date"           // not YYYY-MM-DD HH:MM
	CodePast         = "past"           // the date is not in the future
	CodeDuration     = "duration"       // not 15 to 480 minutes
	CodeNotArabic    = "not_arabic"     // an Arabic text without Arabic letters
	CodeNotLatin     = "not_latin"      // a French text without Latin letters
	CodeTooLongTitle = "too_long_title" // a title over MaxTitle runes
	CodeTooLong      = "too_long"       // a text over MaxText runes
	CodeYesNo        = "yes_no"         // "lieu la veille" is not oui or non
)

// Codes lists every problem code (each has its words in the locales).
var Codes = []string{CodeSyntax, CodeUnknownKey, CodeDuplicate, CodeMissing, CodeEmpty, CodeKind, CodeNeeds,
	CodeLangs, CodeDate, CodePast, CodeDuration, CodeNotArabic, CodeNotLatin, CodeTooLongTitle, CodeTooLong,
	CodeYesNo}

// Bounds of what fits on a phone's card, and of a session.
const (
	MaxTitle   = 60
	MaxText    = 200
	MinMinutes = 15
	MaxMinutes = 480
)

// Needs are the needs a session may suit (the flow's needs).
var Needs = []string{"psy", "medical", "legal", "deuil", "menace", "general"}

// Langs are the languages a session may be held in.
var Langs = []string{"fr", "ar"}

// The form's keys, in the order of a blank form.
const (
	keyType      = "type"
	keyTitleFr   = "titre fr"
	keyTitleAr   = "titre ar"
	keyForFr     = "pour fr"
	keyForAr     = "pour ar"
	keyNeeds     = "besoins"
	keyLangs     = "langues"
	keyDate      = "date"
	keyMinutes   = "durée"
	keyPlaceFr   = "lieu fr"
	keyPlaceAr   = "lieu ar"
	keyPlaceEve  = "lieu la veille"
	dateLayout   = "2006-01-02 15:04"
	dateLayoutFr = "02/01/2006 15:04"
)

// Keys lists the form's keys.
var Keys = []string{keyType, keyTitleFr, keyTitleAr, keyForFr, keyForAr, keyNeeds, keyLangs, keyDate,
	keyMinutes, keyPlaceFr, keyPlaceAr, keyPlaceEve}

// normKey reads a key as typed on a phone: any case, spaces, "duree".
func normKey(k string) string {
	k = strings.Join(strings.Fields(strings.ToLower(k)), " ")
	if k == "duree" {
		return keyMinutes
	}
	return k
}

// Parse reads the form an admin types, one "key: value" per line (see
// Keys), dates on loc's clock. Without base it is a new session (Came -1);
// with base, the keys given replace base's. The session is valid only when
// no problem is returned.
func Parse(text string, loc *time.Location, now time.Time, base *Session) (Session, []Problem) {
	var s Session
	if base != nil {
		s = clone(*base)
	} else {
		s = Session{Came: -1}
	}
	var probs []Problem
	add := func(line int, key, code string) { probs = append(probs, Problem{Line: line, Key: key, Code: code}) }
	seen := map[string]int{}
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line := i + 1
		if strings.TrimSpace(raw) == "" {
			continue
		}
		k, v, ok := strings.Cut(raw, ":")
		if !ok {
			add(line, strings.TrimSpace(raw), CodeSyntax)
			continue
		}
		key, v := normKey(k), strings.TrimSpace(v)
		if !slices.Contains(Keys, key) {
			add(line, strings.TrimSpace(k), CodeUnknownKey)
			continue
		}
		if _, dup := seen[key]; dup {
			add(line, key, CodeDuplicate)
			continue
		}
		seen[key] = line
		if v == "" && key != keyForFr && key != keyForAr && key != keyNeeds {
			add(line, key, CodeEmpty)
			continue
		}
		if code := set(&s, key, v, loc, now); code != "" {
			add(line, key, code)
		}
	}
	for _, key := range []string{keyType, keyTitleFr, keyTitleAr, keyLangs, keyDate, keyMinutes, keyPlaceFr, keyPlaceAr} {
		if _, given := seen[key]; !given && !has(s, key) {
			add(0, key, CodeMissing)
		}
	}
	// Who it is for: both languages or none.
	if (s.Audience["fr"] == "") != (s.Audience["ar"] == "") {
		missing := keyForAr
		if s.Audience["fr"] == "" {
			missing = keyForFr
		}
		add(seen[missing], missing, CodeMissing)
	}
	return s, probs
}

// has reports whether the session already holds key (a change's base).
func has(s Session, key string) bool {
	switch key {
	case keyType:
		return s.Kind != ""
	case keyTitleFr:
		return s.Title["fr"] != ""
	case keyTitleAr:
		return s.Title["ar"] != ""
	case keyLangs:
		return len(s.Langs) > 0
	case keyDate:
		return !s.Start.IsZero()
	case keyMinutes:
		return s.Minutes > 0
	case keyPlaceFr:
		return s.Place["fr"] != ""
	case keyPlaceAr:
		return s.Place["ar"] != ""
	}
	return false
}

// set stores one value; it returns a problem's code, or "".
func set(s *Session, key, v string, loc *time.Location, now time.Time) string {
	switch key {
	case keyType:
		k := strings.ToLower(v)
		if !slices.Contains(Kinds, k) {
			return CodeKind
		}
		s.Kind = k
	case keyTitleFr, keyTitleAr, keyForFr, keyForAr, keyPlaceFr, keyPlaceAr:
		lang := key[len(key)-2:]
		if v != "" {
			if code := checkText(key, lang, v); code != "" {
				return code
			}
		}
		m := map[string]map[string]string{keyTitleFr: s.Title, keyTitleAr: s.Title, keyForFr: s.Audience,
			keyForAr: s.Audience, keyPlaceFr: s.Place, keyPlaceAr: s.Place}[key]
		if m == nil {
			m = map[string]string{}
		}
		if v == "" {
			delete(m, lang)
		} else {
			m[lang] = v
		}
		switch key {
		case keyTitleFr, keyTitleAr:
			s.Title = m
		case keyForFr, keyForAr:
			s.Audience = m
		default:
			s.Place = m
		}
	case keyNeeds:
		needs, ok := list(v, Needs)
		if !ok {
			return CodeNeeds
		}
		s.Needs = needs
	case keyLangs:
		langs, ok := list(v, Langs)
		if !ok || len(langs) == 0 {
			return CodeLangs
		}
		s.Langs = langs
	case keyDate:
		t, err := time.ParseInLocation(dateLayout, strings.Join(strings.Fields(v), " "), loc)
		if err != nil {
			if t, err = time.ParseInLocation(dateLayoutFr, strings.Join(strings.Fields(v), " "), loc); err != nil {
				return CodeDate
			}
		}
		if !t.After(now) {
			return CodePast
		}
		s.Start = t
	case keyMinutes:
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "min")))
		if err != nil || n < MinMinutes || n > MaxMinutes {
			return CodeDuration
		}
		s.Minutes = n
	case keyPlaceEve:
		switch strings.ToLower(v) {
		case "oui", "yes", "نعم":
			s.PlaceLater = true
		case "non", "no", "لا":
			s.PlaceLater = false
		default:
			return CodeYesNo
		}
	}
	return ""
}

// checkText checks a text for a card: its script and its length.
func checkText(key, lang, v string) string {
	want := unicode.Latin
	code := CodeNotLatin
	if lang == "ar" {
		want, code = unicode.Arabic, CodeNotArabic
	}
	found := false
	for _, r := range v {
		if unicode.IsLetter(r) && unicode.Is(want, r) {
			found = true
			break
		}
	}
	if !found {
		return code
	}
	n := utf8.RuneCountInString(v)
	if strings.HasPrefix(key, "titre") && n > MaxTitle {
		return CodeTooLongTitle
	}
	if n > MaxText {
		return CodeTooLong
	}
	return ""
}

// list reads "a, b" from the allowed words, in their order, each once.
func list(v string, allowed []string) ([]string, bool) {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		w = strings.NewReplacer("é", "e", "è", "e").Replace(w)
		if !slices.Contains(allowed, w) {
			return nil, false
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(allowed, a) - slices.Index(allowed, b) })
	return out, true
}

// clone copies a session, its maps and lists included, so that a change
// never writes into its base.
func clone(s Session) Session {
	cp := func(m map[string]string) map[string]string {
		if m == nil {
			return nil
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	s.Title, s.Audience, s.Place = cp(s.Title), cp(s.Audience), cp(s.Place)
	s.Needs, s.Langs = slices.Clone(s.Needs), slices.Clone(s.Langs)
	return s
}
