package flow

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Right-to-left display is fixed here, once, so that no admin has to type an
// invisible character in YAML. Telegram lays out each line with the Unicode
// bidi algorithm, its direction set by the first strong letter of the line.

const (
	lrm  = '\u200e' // left-to-right mark
	rlm  = '\u200f' // right-to-left mark
	nbsp = '\u00a0' // no-break space: a common separator between digits
)

// rtlLanguages are the languages written right to left.
var rtlLanguages = map[string]bool{"ar": true}

// joinDigitGroups joins the groups of a phone number with no-break spaces:
// "116 006" stays one number on a French line, and in Arabic the groups keep
// their order (a plain space between digit groups lets them swap: 006 116).
func joinDigitGroups(phone string) string {
	return strings.ReplaceAll(phone, " ", string(nbsp))
}

// digitSpaceDigit finds digit groups split by a plain space, the mistake the
// check rtl_digit_groups reports in right-to-left texts.
var digitSpaceDigit = regexp.MustCompile(`[0-9٠-٩۰-۹]+(?:[ \t]+[0-9٠-٩۰-۹]+)+`)

// rightToLeft prepares a text for a right-to-left reader:
//   - each line whose first strong letter is not right to left (a line that
//     starts with a Latin name, an emoji or a number) starts with U+200F, so it
//     is laid out right to left like the rest;
//   - U+200E goes before each /command and each Latin term that follows Arabic
//     text, so "/effacer" never shows as "effacer/" and a Latin term keeps its
//     punctuation on the right side.
func rightToLeft(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if line != "" && !startsRightToLeft(line) {
			b.WriteRune(rlm)
		}
		markLatin(&b, line)
	}
	return b.String()
}

// startsRightToLeft reports whether the first strong letter of line is
// right to left (a mark counts as strong).
func startsRightToLeft(line string) bool {
	for _, r := range line {
		switch {
		case r == rlm || isRTLLetter(r):
			return true
		case r == lrm || unicode.IsLetter(r):
			return false
		}
	}
	return false
}

func isRTLLetter(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) || unicode.Is(unicode.Hebrew, r) && unicode.IsLetter(r)
}

func isLatinLetter(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }

// markLatin writes line with U+200E before each /command and each Latin run
// that does not continue Latin text.
func markLatin(b *strings.Builder, line string) {
	prev, prevSolid := rune(-1), rune(-1) // the previous rune, and the previous one that is not a space
	for i, r := range line {
		switch {
		case r == '/' && (prev == -1 || unicode.IsSpace(prev)) && i+1 < len(line) && isLatinLetter(nextRune(line[i+1:])):
			b.WriteRune(lrm)
		case isLatinLetter(r) && !continuesLatin(prev, prevSolid):
			b.WriteRune(lrm)
		}
		b.WriteRune(r)
		prev = r
		if !unicode.IsSpace(r) {
			prevSolid = r
		}
	}
}

// continuesLatin tells whether a Latin letter after prev (and after
// prevSolid, the last rune that is not a space) belongs to a run already
// marked: a word after another Latin word, "Point-justice", "d'aide",
// "/effacer", "SMS 114"...
func continuesLatin(prev, prevSolid rune) bool {
	switch {
	case prev == lrm:
		return true
	case isLatinLetter(prev) || prev >= '0' && prev <= '9' && isLatinLetter(prevSolid):
		return true
	case prev == '/' || prev == '-' || prev == '\'' || prev == '’' || prev == '.' || prev == '@' || prev == '_':
		return true
	case unicode.IsSpace(prev) && (isLatinLetter(prevSolid) || prevSolid >= '0' && prevSolid <= '9'):
		return true
	}
	return false
}

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
