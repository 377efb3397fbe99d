package triage

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// script is the kind of writing of one word.
type script uint8

const (
	latin  script = iota // French or Darija in Latin letters, digits allowed (Arabizi)
	arabic               // Arabic script
)

// word is one normalised word of a message.
type word struct {
	s      string
	script script
}

// words normalises a message and cuts it into words: lower case, no accents,
// no Arabic diacritics, tatweel or hamza marks, one form of alef, yeh and teh
// marbuta, Eastern digits as 0-9, runs of three or more identical letters as
// one, and SMS contractions expanded ("jsuis" is "je suis").
func words(text string, dst []word) []word {
	var buf [256]byte
	b := buf[:0]
	flush := func() {
		if len(b) == 0 {
			return
		}
		dst = appendWord(dst, b)
		b = b[:0]
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var d []byte
		if r >= utf8.RuneSelf {
			d = norm.NFD.PropertiesString(text[i : i+size]).Decomposition()
		}
		i += size
		if d == nil {
			if !fold(&b, r) {
				flush()
			}
			continue
		}
		for len(d) > 0 {
			r, n := utf8.DecodeRune(d)
			d = d[n:]
			if !fold(&b, r) {
				flush()
			}
		}
	}
	flush()
	return dst
}

// fold appends the folded form of r to the current word; it returns false
// when r separates words.
func fold(b *[]byte, r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		default:
			return false
		}
	case r >= '٠' && r <= '٩':
		r = '0' + r - '٠'
	case r >= '۰' && r <= '۹':
		r = '0' + r - '۰'
	case r == 'ـ' || r == 'ء' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r):
		return true // tatweel, hamza, harakat, accents, zero-width characters
	default:
		switch r {
		case 'ى', 'ی':
			r = 'ي'
		case 'ة':
			r = 'ه'
		case 'ٱ':
			r = 'ا'
		case 'ک', 'گ':
			r = 'ك'
		case 'ڤ':
			r = 'ف'
		case 'œ':
			*b = append(*b, 'o', 'e')
			return true
		case 'æ':
			*b = append(*b, 'a', 'e')
			return true
		}
		if r >= 0x0621 && r <= 0x06FF {
			if r > 0x064A && r < 0x0671 || r >= 0x06D4 && r <= 0x06ED || r >= 0x06F0 {
				return false // Arabic punctuation, signs and digits already handled
			}
			break // an Arabic letter: no case
		}
		if !unicode.IsLetter(r) {
			return false
		}
		r = unicode.ToLower(r)
	}
	*b = utf8.AppendRune(*b, r)
	return true
}

// appendWord adds one folded word (expanded if it is an SMS contraction).
func appendWord(dst []word, b []byte) []word {
	sc := latin
	for _, c := range b {
		if c >= 0xd8 && c <= 0xdb { // lead byte of U+0600–U+06FF
			sc = arabic
			break
		}
	}
	b = squeeze(b)
	if sc == latin {
		if exp, ok := sms[string(b)]; ok {
			for _, w := range exp {
				dst = append(dst, word{w, latin})
			}
			return dst
		}
	}
	return append(dst, word{string(b), sc})
}

// squeeze writes a run of three or more identical letters as one
// ("secoursss", «خطررر»).
func squeeze(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		j := i + n
		run := 1
		for j < len(b) {
			r2, n2 := utf8.DecodeRune(b[j:])
			if r2 != r {
				break
			}
			j += n2
			run++
		}
		if run >= 3 {
			out = utf8.AppendRune(out, r)
		} else {
			out = append(out, b[i:j]...) // out never overtakes i: safe in place
		}
		i = j
	}
	return out
}

// sms expands the contractions of texting French (and a few Darija ones) so
// that phrases match whatever the spelling.
var sms = map[string][]string{
	"jsuis": {"je", "suis"}, "jsui": {"je", "suis"}, "jsu": {"je", "suis"}, "chui": {"je", "suis"},
	"chuis": {"je", "suis"}, "jss": {"je", "suis"}, "jsuit": {"je", "suis"},
	"jveux": {"je", "veux"}, "jveu": {"je", "veux"}, "jve": {"je", "veux"}, "jvx": {"je", "veux"},
	"jvais": {"je", "vais"}, "jvai": {"je", "vais"},
	"jai": {"j", "ai"}, "jme": {"je", "me"}, "jte": {"je", "te"}, "jpeux": {"je", "peux"},
	"jpeu": {"je", "peux"}, "jpp": {"j", "en", "peux", "plus"}, "jen": {"j", "en"},
	"jvoudrais": {"je", "voudrais"}, "jsp": {"je", "sais", "pas"}, "g": {"j", "ai"},
	"cest": {"c", "est"}, "ct": {"c", "etait"}, "ya": {"il", "y", "a"}, "yen": {"il", "y", "en"},
	"den": {"d", "en"}, "dla": {"de", "la"}, "ns": {"nous"}, "vs": {"vous"}, "ds": {"dans"}, "pr": {"pour"}, "pa": {"pas"}, "pu": {"plus"}, "plu": {"plus"},
	"tro": {"trop"}, "vx": {"veux"}, "veu": {"veux"}, "ve": {"veux"}, "svp": {"svp"}, "stp": {"svp"},
	"mtn": {"maintenant"}, "wlh": {"wallah"}, "1": {"un"}, "o": {"au"},
}
