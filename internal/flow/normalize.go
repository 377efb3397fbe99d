package flow

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize folds text for matching typed-out button labels: lower case, no accents, no Arabic
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
