package flow

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize folds text for matching: lower case, no accents, no Arabic
// diacritics or tatweel, one form of alef, yeh and teh marbuta, and words
// separated by single spaces.
func normalize(s string) string {
	return string(appendFolded(make([]byte, 0, len(s)), s))
}

// appendFolded appends the normalized form of s to dst. It allocates nothing
// when dst has room, so Step can fold a message on the stack.
func appendFolded(dst []byte, s string) []byte {
	start, space := len(dst), true
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			dst, space = fold(dst, space, rune(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		// The canonical decomposition (NFD) of the character: a base letter
		// followed by its accents or hamza, which fold then drops.
		if d := norm.NFD.PropertiesString(s[i : i+size]).Decomposition(); d != nil {
			for len(d) > 0 {
				r, n := utf8.DecodeRune(d)
				dst, space = fold(dst, space, r)
				d = d[n:]
			}
		} else {
			dst, space = fold(dst, space, r)
		}
		i += size
	}
	if n := len(dst); n > start && dst[n-1] == ' ' {
		dst = dst[:n-1]
	}
	return dst
}

// fold appends one character of a decomposed text; space tells whether the
// last byte written is a space (or nothing was written yet).
func fold(dst []byte, space bool, r rune) ([]byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			return append(dst, byte(r)), false
		}
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r), r == 'ـ', r == 'ء':
		// accents, harakat, hamza marks (also a hamza on the line: طوارىء is
		// طوارئ), zero-width characters, tatweel
		return dst, space
	default:
		switch r {
		case 'ى':
			r = 'ي'
		case 'ة':
			r = 'ه'
		case 'ٱ':
			r = 'ا'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return utf8.AppendRune(dst, unicode.ToLower(r)), false
		}
	}
	if !space {
		dst = append(dst, ' ')
	}
	return dst, true
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
	var buf [512]byte
	return m.matchFolded(appendFolded(buf[:0], text))
}

// matchFolded is match on a text already normalized.
func (m *matcher) matchFolded(t []byte) bool {
	starts := make([]int, 0, 64) // where each word begins; words are separated by one space
	for i := 0; i < len(t); i++ {
		if i == 0 || t[i-1] == ' ' {
			starts = append(starts, i)
		}
	}
	for _, kw := range m.keywords {
	next:
		for i := 0; i+len(kw) <= len(starts); i++ {
			for k := range kw {
				if !wordMatch(word(t, starts, i+k), kw[k]) {
					continue next
				}
			}
			return true
		}
	}
	return false
}

// word returns the i-th word of t.
func word(t []byte, starts []int, i int) []byte {
	end := len(t)
	if i+1 < len(starts) {
		end = starts[i+1] - 1
	}
	return t[starts[i]:end]
}

// wordMatch tolerates French gender and plural endings and Arabic clitics.
// "armée" thus matches "arme": a needless emergency screen costs one tap,
// a missed one (an admin forgot "blessée") could cost much more.
func wordMatch(w []byte, kw string) bool {
	if string(w) == kw {
		return true
	}
	if len(w) > len(kw) && string(w[:len(kw)]) == kw {
		rest := w[len(kw):]
		return string(rest) == "e" || string(rest) == "s" || string(rest) == "es"
	}
	for _, p := range arabicPrefixes {
		if len(w) == len(p)+len(kw) && string(w[:len(p)]) == p && string(w[len(p):]) == kw {
			return true
		}
	}
	return false
}
