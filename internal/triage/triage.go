package triage

import (
	"fmt"
	"sort"
	"strings"
)

// The classes the built-in lexicon knows. A flow may declare others, with
// terms of their own.
const (
	Danger  = "danger"  // violence, threats, weapons, a person hurt, followed or missing
	Suicide = "suicide" // the person speaks of ending their life
)

// Writings are the kinds of writing a term is given in. Each has its own
// morphology.
const (
	French = "fr"    // French, SMS spelling included
	Arabic = "ar"    // Arabic script, Modern Standard or Darija
	Latin  = "latin" // Darija in Latin letters (Arabizi)
)

// Lexicon is what an admin adds to the built-in one: class → writing (fr, ar,
// latin) → terms. A term is a word or a phrase, written in its plain form
// ("menacer", "coups de feu", «هدد», "khatar"): the inflections come from the
// morphology. A leading "!" makes the term strong (not cancelled by a
// minimiser such as "rien de grave"); a leading "=" matches the words as
// written, without taking endings off (useful for «ساعدني» whose stem is
// also "help" as a noun).
type Lexicon map[string]map[string][]string

// Match is the verdict on one message.
type Match struct {
	Class string // "" when the message is not a cry for help
	// Fired lists what matched, for an admin: class, writing and term, then
	// the words of the message in brackets ("danger fr tuer [tué]").
	Fired []string
	// Cancelled lists what matched but was cancelled, and why ("negation
	// pas", "minimiser", "harmless menace expulsion").
	Cancelled []string
}

// Classifier classifies messages against one lexicon. It is immutable and
// safe for concurrent use.
type Classifier struct {
	classes []string // in order of precedence on a tie
	terms   []term
	fr      map[string][]ref // French candidates
	frFuzzy [256][]fuzzyRef  // French forms long enough for fuzzy matching, by first letter
	ar      map[string][]ref // Arabic candidates
	dj      map[string][]ref // Darija skeletons
	sp      map[string][]ref // Darija spellings, for short words
}

// role is what a term does when it matches.
type role uint8

const (
	alarm     role = iota // a cry for help of the term's class
	harmless              // a known harmless sense: cancels the alarms it overlaps
	minimiser             // "rien de grave": cancels the weak alarms of the message
)

type term struct {
	class   string
	writing string
	text    string
	words   int
	role    role
	strong  bool // not cancelled by a minimiser
	immune  bool // holds its own negation ("ma b9itch n3ich"): never cancelled by one
	exact   bool
}

// ref points at word pos of a term; raw is set when the key is the term's
// word as written (not a stem), short when the key is shorter than a stem
// may be on its own.
// fuzzyRef is a ref with the form it was made from.
type fuzzyRef struct {
	ref
	form string
}

type ref struct {
	term  int32
	pos   uint8
	raw   bool
	short bool
	exact bool // the term's words as written: no person prefix taken off the message's word either
}

// New builds a classifier from the built-in lexicon extended by lex. Classes
// are tried in the order danger, suicide, then the others by name; a term
// that is empty once normalised is an error.
func New(lex Lexicon) (*Classifier, error) {
	c := &Classifier{fr: map[string][]ref{}, ar: map[string][]ref{},
		dj: map[string][]ref{}, sp: map[string][]ref{}}
	seen := map[string]bool{}
	addClass := func(name string) {
		if !seen[name] {
			seen[name] = true
			c.classes = append(c.classes, name)
		}
	}
	addClass(Danger)
	addClass(Suicide)
	for _, e := range builtin() {
		if e.role == alarm {
			addClass(e.class)
		}
		if err := c.add(e); err != nil {
			return nil, fmt.Errorf("built-in lexicon: %w", err)
		}
	}
	names := make([]string, 0, len(lex))
	for name := range lex {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		addClass(name)
		for _, wr := range []string{French, Arabic, Latin} {
			for _, t := range lex[name][wr] {
				if err := c.add(parseTerm(name, wr, t)); err != nil {
					return nil, err
				}
			}
		}
		for wr := range lex[name] {
			if wr != French && wr != Arabic && wr != Latin {
				return nil, fmt.Errorf("class %s: unknown writing %q (fr, ar or latin)", name, wr)
			}
		}
	}
	return c, nil
}

// parseTerm reads the markers of a term: "!" strong, "=" exact, "~" immune
// to negation.
func parseTerm(class, writing, s string) term {
	t := term{class: class, writing: writing}
	s = strings.TrimSpace(s)
	for len(s) > 0 {
		switch s[0] {
		case '!':
			t.strong = true
		case '=':
			t.exact = true
		case '~':
			t.immune = true
		default:
			t.text = s
			return t
		}
		s = strings.TrimSpace(s[1:])
	}
	return t
}

// Classes returns the classes the classifier can answer, in precedence order.
func (c *Classifier) Classes() []string { return append([]string(nil), c.classes...) }

func (c *Classifier) add(t term) error {
	ws := words(t.text, nil)
	if len(ws) == 0 {
		return fmt.Errorf("class %s, %s: the term %q has no letter", t.class, t.writing, t.text)
	}
	if len(ws) > 255 {
		return fmt.Errorf("class %s, %s: the term %q is too long", t.class, t.writing, t.text)
	}
	t.words = len(ws)
	id := int32(len(c.terms))
	c.terms = append(c.terms, t)
	var cands []candidate
	for i, w := range ws {
		pos := uint8(i)
		switch {
		case w.script == arabic:
			cands = arabicCandidates(cands[:0], w.s)
			for _, k := range cands {
				if t.exact && k.stripped {
					continue
				}
				short := k.stripped && runeLen(k.s) < minArabic
				c.ar[k.s] = append(c.ar[k.s], ref{id, pos, !k.stripped, short, t.exact})
			}
		case t.writing == Latin:
			key := darijaKey(w.s)
			if len(key) < minDarija && !(len(key) == 2 && arabiziMarked(key)) || t.exact {
				sp := spelling(w.s)
				c.sp[sp] = append(c.sp[sp], ref{id, pos, true, false, t.exact})
				continue
			}
			cands = darijaCandidates(cands[:0], key)
			for _, k := range cands {
				c.dj[k.s] = append(c.dj[k.s], ref{id, pos, !k.stripped, false, t.exact})
			}
		default: // French, or a Latin-letter word in an Arabic term
			cands = frenchCandidates(cands[:0], w.s)
			for _, k := range cands {
				if t.exact && k.stripped {
					continue
				}
				c.fr[k.s] = append(c.fr[k.s], ref{id, pos, !k.stripped, k.stripped && len(k.s) < minFrench, t.exact})
			}
			if f := frenchForm(w.s); !t.exact && len(f) >= minFuzzy {
				c.frFuzzy[f[0]] = append(c.frFuzzy[f[0]], fuzzyRef{ref{id, pos, true, false, t.exact}, f})
			}
		}
	}
	return nil
}

func runeLen(s string) int { return len([]rune(s)) }
