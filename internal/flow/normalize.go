package flow

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalize folds text for matching: lower case, no accents, no Arabic
// diacritics or tatweel, one form of alef, yeh and teh marbuta, and words
// separated by single spaces.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r), r == 'ـ':
			// accents, harakat, hamza marks, zero-width characters, tatweel
			continue
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ٱ':
			r = 'ا'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// arabicPrefixes are clitics glued to an Arabic word: "and", "the", "with the"…
var arabicPrefixes = []string{"وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب"}

// matcher finds emergency keywords as whole words in normalized text.
type matcher struct {
	keywords [][]string // each keyword as normalized words
}

func newMatcher(kw map[string][]string) *matcher {
	m := &matcher{}
	for _, list := range kw {
		for _, k := range list {
			if words := strings.Fields(normalize(k)); len(words) > 0 {
				m.keywords = append(m.keywords, words)
			}
		}
	}
	return m
}

// match reports whether text holds one of the keywords.
func (m *matcher) match(text string) bool {
	words := strings.Fields(normalize(text))
	for _, kw := range m.keywords {
		for i := 0; i+len(kw) <= len(words); i++ {
			if wordsMatch(words[i:i+len(kw)], kw) {
				return true
			}
		}
	}
	return false
}

func wordsMatch(words, kw []string) bool {
	for i := range kw {
		if !wordMatch(words[i], kw[i]) {
			return false
		}
	}
	return true
}

// wordMatch tolerates French gender and plural endings and Arabic clitics.
func wordMatch(w, kw string) bool {
	if w == kw {
		return true
	}
	if rest, ok := strings.CutPrefix(w, kw); ok {
		return rest == "e" || rest == "s" || rest == "es"
	}
	for _, p := range arabicPrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && rest == kw {
			return true
		}
	}
	return false
}
