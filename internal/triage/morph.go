package triage

import (
	"strings"
	"unicode/utf8"
)

// A candidate is a form a word may be the inflection of: the word itself
// (raw) or the word with a prefix or suffix taken off (stripped). Both sides,
// the lexicon's terms and the message's words, are reduced the same way; a
// word matches a term when they share a candidate.
type candidate struct {
	s        string
	stripped bool
	person   bool // an Arabic imperfect person prefix was taken off (يعاوني → عاوني)
}

// frenchSuffixes are the endings of French gender, number and the usual verb
// forms: "menacé", "menacée", "menaces", "menacent", "menaçait"…
var frenchSuffixes = []string{
	"eraient", "aient", "erait", "erons", "eront", "erai", "eras", "era", "ante", "ants", "ees",
	"ent", "ons", "ont", "ait", "ais", "ant", "ee", "es", "er", "ez", "e", "s", "x",
}

// frenchForm folds a few spellings French writes alike ("eau", "au", "o").
func frenchForm(w string) string {
	if !strings.Contains(w, "au") {
		return w
	}
	return strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(w, "eau", "o"), "aux", "o"), "au", "o")
}

// elisions are the French words written without their apostrophe in a
// hurry: "dexpulsion" is "d'expulsion".
var elisions = []string{"qu", "d", "l", "j", "m", "t", "s", "n", "c"}

// minElided is the shortest word seen behind an elision: "larme" stays a
// tear, not "l'arme".
const minElided = 6

// frenchCandidates appends the candidates of a French word.
func frenchCandidates(dst []candidate, w string) []candidate {
	w = frenchForm(w)
	dst = append(dst, candidate{s: w})
	for _, e := range elisions {
		if rest, ok := strings.CutPrefix(w, e); ok && len(rest) >= minElided && strings.IndexByte("aeiouhy", rest[0]) >= 0 {
			dst = append(dst, candidate{s: rest, stripped: true})
			break
		}
	}
	for _, s := range frenchSuffixes {
		if len(w) > len(s)+1 && strings.HasSuffix(w, s) {
			dst = append(dst, candidate{s: w[:len(w)-len(s)], stripped: true})
		}
	}
	// SMS French drops doubled consonants ("tabasé", "frapé", "blesé"):
	// every stem is also tried with its doubles made single, on both sides.
	for i, n := 0, len(dst); i < n; i++ {
		if single, ok := undouble(dst[i].s); ok && len(single) >= minFrench {
			dst = append(dst, candidate{s: single, stripped: true})
		}
	}
	return dst
}

// undouble writes doubled consonants once; ok is false if there were none.
func undouble(w string) (string, bool) {
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] && strings.IndexByte("aeiouy", w[i]) < 0 {
			var buf [64]byte
			b := append(buf[:0], w[:i]...)
			for j := i + 1; j < len(w); j++ {
				if w[j] != w[j-1] || strings.IndexByte("aeiouy", w[j]) >= 0 {
					b = append(b, w[j])
				}
			}
			return string(b), true
		}
	}
	return w, false
}

// minFrench is the shortest stripped French stem that matches on its own:
// "tu" (from "tuer") matches "tue" and "tuent", never the pronoun "tu".
const minFrench = 4

// Arabic clitics and affixes: conjunctions و ف, prepositions ب ل ك, the
// article ال, the future س, the Darija durative ك/ت, the imperfect person
// prefixes ي ت ن ا; plural, feminine and pronoun suffixes.
var arabicPrefixes = []string{
	"وال", "فال", "بال", "كال", "ولل", "لل", "ال",
	"وكي", "كي", "كت", "كن", "تي", "تن", "سي", "ست", "سن", "سا", "وي", "وت", "ون", "وب", "ول",
	"و", "ف", "ب", "ل", "ي", "ت", "ن", "ا",
}

var arabicSuffixes = []string{
	"وهم", "وها", "وني", "ونا", "تني", "تها", "تهم", "هما",
	"ونني", "نني", "ها", "هم", "كم", "ني", "نا", "وا", "ون", "ين", "ات", "وه", "وك", "تي", "تو", "ته", "يه", "وش",
	"ه", "ك", "ي", "و", "ت", "ش",
}

// minArabic is the shortest stripped Arabic stem, in letters: most roots have
// three.
const minArabic = 3

// arabicCandidates appends the candidates of an Arabic word: at most one
// prefix and one suffix (each possibly a cluster such as وال or وني) off.
func arabicCandidates(dst []candidate, w string) []candidate {
	dst = append(dst, candidate{s: w})
	// A doubled last letter is emphasis («خطرر»): Arabic writes a doubled
	// consonant with a shadda, not twice. Roots such as هدد keep theirs.
	if last, n := utf8.DecodeLastRuneInString(w); n > 0 && len(w) > 3*n {
		if prev, _ := utf8.DecodeLastRuneInString(w[:len(w)-n]); prev == last {
			dst = append(dst, candidate{s: w[:len(w)-n], stripped: true})
		}
	}
	// The suffixes w ends with, found once for every prefix.
	var sbuf [8]string
	sufs := sbuf[:0]
	for _, s := range arabicSuffixes0 {
		if strings.HasSuffix(w, s) && len(sufs) < len(sbuf) {
			sufs = append(sufs, s)
		}
	}
	n := utf8.RuneCountInString(w)
	for _, p := range arabicPrefixes0 {
		if !strings.HasPrefix(w, p) {
			continue
		}
		rest := w[len(p):]
		pn := utf8.RuneCountInString(p)
		person := personPrefix(p)
		for _, s := range sufs {
			if p == "" && s == "" || len(rest) < len(s) {
				continue
			}
			if n-pn-utf8.RuneCountInString(s) < minArabic {
				continue
			}
			dst = append(dst, candidate{s: rest[:len(rest)-len(s)], stripped: true, person: person})
		}
	}
	return dst
}

// personPrefix reports whether an Arabic prefix ends with a person marker of
// the imperfect (ي ت ن ا): «يعاوني» "he helps me" is not «عاوني» "help me".
func personPrefix(p string) bool {
	last, _ := utf8.DecodeLastRuneInString(p)
	return last == 'ي' || last == 'ت' || last == 'ن' || last == 'ا' && p != "ال" && !strings.HasSuffix(p, "ال")
}

// darijaKey writes a Latin-letter word as a consonant skeleton, so that the
// many spellings of one Darija word meet: digits for Arabic sounds (3 ع,
// 7 ح, 9 ق, 5 خ, 2 ء, 8 غ), kh/gh/ch/sh digraphs, q and k alike, no vowels,
// no doubled consonants. "yqetlouni", "y9atlouni" and "yktlouni" all give
// "yktln"; "khatar" and "5atar" give "Ktr".
func darijaKey(w string) string {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c == 'k' && next == 'h', c == '5':
			c = 'K'
			if c == 'K' && w[i] == 'k' {
				i++
			}
		case c == 'g' && next == 'h', c == '8':
			c = 'G'
			if w[i] == 'g' {
				i++
			}
		case (c == 'c' || c == 's') && next == 'h':
			c = 'C'
			i++
		case c == 'd' && next == 'j':
			c = 'j'
			i++
		case c == 'q' || c == '9':
			c = 'k'
		case c == '7':
			c = 'h'
		case c == '2':
			continue
		case c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u':
			continue
		case c == 'y' && len(b) > 0 && i == len(w)-1:
			continue // a final vowel ("baghy", "nebghiy")
		}
		if len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// darijaPrefixes and darijaSuffixes are Darija clitics as they appear in a
// skeleton: the article l/el, w "and", f "in", b "with", the imperfect
// persons y/t/n, the durative k; the pronouns n (-ni, -na), h (-h, -ha), hm,
// k, the plural w, the negation C (-ch).
var (
	darijaPrefixes = []string{"l", "w", "f", "b", "y", "t", "n", "k", "kt", "ky", "kn", "wl", "fl", "bl"}
	darijaSuffixes = []string{"hm", "n", "h", "k", "t", "w", "C"}
)

// minDarija is the shortest stripped skeleton that matches on its own.
const minDarija = 3

// darijaCandidates appends the candidates of a Darija skeleton.
func darijaCandidates(dst []candidate, key string) []candidate {
	dst = append(dst, candidate{s: key})
	for _, p := range darijaPrefixes0 {
		if !strings.HasPrefix(key, p) {
			continue
		}
		rest := key[len(p):]
		for _, s := range darijaSuffixes0 {
			if p == "" && s == "" || !strings.HasSuffix(rest, s) {
				continue
			}
			if stem := rest[:len(rest)-len(s)]; len(stem) < minDarija && !(len(stem) == 2 && arabiziMarked(stem)) {
				continue
			}
			dst = append(dst, candidate{s: rest[:len(rest)-len(s)], stripped: true})
		}
	}
	return dst
}

// arabiziMarked tells whether a skeleton holds a sound only Arabizi writes
// (3, 7, kh, gh): such a short key cannot be a French word.
func arabiziMarked(key string) bool { return strings.ContainsAny(key, "3KG") }

// spelling writes a Latin-letter word with the Arabizi digits and digraphs
// folded but its vowels kept: the exact form of Darija words too short for a
// skeleton ("rsas", "mous", "rou7i" = "rouhi").
func spelling(w string) string {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case '7':
			c = 'h'
		case '9', 'q':
			c = 'k'
		case '5':
			b = append(b, 'k')
			c = 'h'
		case '8':
			b = append(b, 'g')
			c = 'h'
		case '2':
			continue
		case 'o':
			if i+1 < len(w) && w[i+1] == 'u' {
				i++
				c = 'u'
			}
		}
		if len(b) > 0 && b[len(b)-1] == c {
			continue // "rassi" is "rasi"
		}
		b = append(b, c)
	}
	return string(b)
}

// latinArticles are the clitics taken off a Darija word matched by spelling.
var latinArticles = []string{"el", "l", "b", "f", "w"}

// The affix lists with the empty affix first, built once.
var (
	arabicPrefixes0 = append([]string{""}, arabicPrefixes...)
	arabicSuffixes0 = append([]string{""}, arabicSuffixes...)
	darijaPrefixes0 = append([]string{""}, darijaPrefixes...)
	darijaSuffixes0 = append([]string{""}, darijaSuffixes...)
)
