package triage

import (
	"strings"
	"unicode/utf8"
)

// Negation: a word that negates what follows cancels a weak alarm term.

// isNegation reports whether word k negates what follows: "pas", «ماشي»,
// "machi", a Darija ma…ch, «ما…ش», or "personne ne".
func isNegation(ws []word, k int) bool {
	w := ws[k].s
	if negations[w] {
		return true
	}
	if w == "personne" {
		return k+1 < len(ws) && (ws[k+1].s == "ne" || ws[k+1].s == "n")
	}
	if (w == "ne" || w == "n") && k > 0 && ws[k-1].s == "personne" {
		return true // "personne ne m'a menacé": the scope runs on past "ne"
	}
	prev := ""
	if k > 0 {
		prev = ws[k-1].s
	}
	if ws[k].script == arabic {
		switch {
		case strings.HasSuffix(w, "ش") && (prev == "ما" || strings.HasPrefix(w, "م") && utf8.RuneCountInString(w) >= 4):
			return true // ما…ش: «ماكاينش», «ما راكيش»
		case w == "حتي": // حتى, folded
			return k > 0 && isNegation(ws, k-1) || k > 1 && isNegation(ws, k-2) // «ما عندي حتى»
		}
		return false
	}
	if prev == "ma" && darijaAfterMa[w] {
		return true // "ma kayn", "ma 3ndi"
	}
	return len(w) >= 6 && strings.HasPrefix(w, "ma") && strings.HasSuffix(w, "ch") // "makaynch"
}

// darijaAfterMa are the Darija words that "ma" negates when written apart.
var darijaAfterMa = map[string]bool{"kayn": true, "kain": true, "kan": true, "3ndi": true, "3andi": true,
	"3ndna": true, "3andna": true, "rani": true, "rah": true, "fih": true, "fiha": true, "bqa": true, "b9a": true}

// negatedBy returns the index of the negation that cancels a term starting at
// word from, or -1. It looks at the word before the term (two in Arabic),
// not counting articles, pronouns and auxiliaries: "pas de danger", "je
// n'ai pas peur", "personne ne m'a menacé", «لا يوجد خطر».
func negatedBy(ws []word, from int) int {
	scope := 1
	if ws[from].script == arabic {
		scope = negScope
	}
	for k := from - 1; k >= 0 && scope > 0; k-- {
		if isNegation(ws, k) {
			return k
		}
		if !transparent[ws[k].s] {
			scope--
		}
	}
	// A Darija negation reaches over a noun to its adjective: "machi
	// mochkil khatir".
	if k := from - 2; ws[from].script == latin && k >= 0 && darijaNegation(ws[k].s) {
		return k
	}
	return -1
}

func darijaNegation(w string) bool {
	return w == "machi" || w == "mashi" || w == "makayn" || w == "walo" ||
		len(w) >= 6 && strings.HasPrefix(w, "ma") && strings.HasSuffix(w, "ch")
}

// transparent are the small words a negation reaches over.
var transparent = map[string]bool{
	"m": true, "me": true, "t": true, "te": true, "l": true, "le": true, "la": true, "les": true, "lui": true,
	"y": true, "en": true, "a": true, "ai": true, "as": true, "ont": true, "est": true, "suis": true, "es": true,
	"sont": true, "etait": true, "etre": true, "de": true, "d": true, "du": true, "des": true, "un": true, "une": true,
	"nous": true, "vous": true, "se": true, "s": true, "vraiment": true, "trop": true, "encore": true,
	"في": true, "فيه": true, "هناك": true, "f": true, "fi": true,
}

// linking are the small words a harmless phrase may skip.
var linking = map[string]bool{"de": true, "d": true, "du": true, "des": true, "la": true, "le": true, "l": true,
	"les": true, "a": true, "au": true, "ديال": true, "متاع": true, "نتاع": true, "dyal": true, "dial": true, "ntaa": true}
