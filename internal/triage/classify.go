package triage

import "strings"

// Limits on what one message costs.
const (
	maxWords = 200 // words of a message looked at; the rest is ignored
	maxGap   = 2   // words a phrase may skip between two of its words
	negScope = 2   // words before an Arabic term where a negation cancels it (1 in Latin letters)
	minFuzzy = 6   // shortest French form matched with a one-letter slip
)

// hit is one word of the message matching word pos of a term.
type hit struct {
	word int
	term int32
	pos  uint8
}

// span is a whole term found in the message, from word to word.
type span struct {
	term     int32
	from, to int
	dropped  string // why it was cancelled, "" if it stands
}

// Classify tells whether text is a cry for help, of which class, and what
// fired. It never fails; an empty or unreadable text is no cry.
func (c *Classifier) Classify(text string) Match {
	if len(text) > 8*maxWords {
		text = text[:8*maxWords]
	}
	var wbuf [64]word
	ws := words(text, wbuf[:0])
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	var hbuf [256]hit
	hits := c.hits(ws, hbuf[:0])
	if len(hits) == 0 {
		return Match{}
	}
	var sbuf [16]span
	spans := c.spans(ws, hits, sbuf[:0])
	return c.resolve(ws, spans)
}

// hits finds, word by word, the terms each word may belong to.
func (c *Classifier) hits(ws []word, dst []hit) []hit {
	var cbuf [48]candidate
	for i, w := range ws {
		add := func(refs []ref, k candidate) bool {
			found := false
			for _, r := range refs {
				if r.short && !k.stripped || r.exact && k.person {
					continue
				}
				dst = append(dst, hit{i, r.term, r.pos})
				found = true
			}
			return found
		}
		if w.script == arabic {
			for _, k := range arabicCandidates(cbuf[:0], w.s) {
				add(c.ar[k.s], k)
			}
			continue
		}
		found := false
		for _, k := range frenchCandidates(cbuf[:0], w.s) {
			found = add(c.fr[k.s], k) || found
		}
		if key := darijaKey(w.s); len(key) >= 2 {
			for _, k := range darijaCandidates(cbuf[:0], key) {
				add(c.dj[k.s], k)
			}
		}
		sp := spelling(w.s)
		add(c.sp[sp], candidate{s: sp})
		for _, a := range latinArticles {
			if len(sp) >= len(a)+3 && strings.HasPrefix(sp, a) {
				add(c.sp[sp[len(a):]], candidate{s: sp[len(a):], stripped: true})
			}
		}
		if !found {
			dst = c.fuzzy(i, w.s, dst)
		}
	}
	return dst
}

// fuzzy finds French terms one letter away from a long word: "urgance",
// "dange", "poignardee". A substituted letter counts only in words of 7
// letters or more ("menace" is not "ménage"); the first letter must be right
// (typos rarely fall there, and it keeps the search to a few forms).
func (c *Classifier) fuzzy(i int, w string, dst []hit) []hit {
	f := frenchForm(w)
	if len(f) < minFuzzy-1 || len(f) > 24 || strings.ContainsAny(f, "0123456789") {
		return dst
	}
	for _, r := range c.frFuzzy[f[0]] {
		d := len(r.form) - len(f)
		if d < -1 || d > 1 || d == 0 && len(f) < 7 {
			continue
		}
		if oneEdit(f, r.form) && !hasHit(dst, i, r.term, r.pos) {
			dst = append(dst, hit{i, r.term, r.pos})
		}
	}
	return dst
}

func hasHit(hs []hit, word int, t int32, pos uint8) bool {
	for _, h := range hs {
		if h.word == word && h.term == t && h.pos == pos {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b (ASCII) are one insertion, deletion,
// substitution or transposition apart.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// spans assembles the hits into whole terms: a phrase's words in order, at
// most maxGap words apart, with no negation in between.
func (c *Classifier) spans(ws []word, hits []hit, dst []span) []span {
	// at[w]..at[w+1] are the hits of word w (hits come in word order).
	var abuf [maxWords + 1]int32
	at := abuf[:len(ws)+1]
	for i, k := 0, 0; i <= len(ws); i++ {
		for k < len(hits) && hits[k].word < i {
			k++
		}
		at[i] = int32(k)
	}
	for _, h := range hits {
		if h.pos != 0 {
			continue
		}
		t := &c.terms[h.term]
		end, ok := h.word, true
		for p := uint8(1); ok && int(p) < t.words; p++ {
			ok = false
			gap := maxGap
			if len(ws[end].s) <= 3 {
				gap = 0 // after a small word ("un", "me", "en"), the next one follows: "un mort", not "un film a mort"
			}
			for j := end + 1; j <= end+1+gap && j < len(ws); j++ {
				if hasHit(hits[at[j]:at[j+1]], j, h.term, p) {
					end, ok = j, true
					break
				}
				// A harmless sense is a set phrase: it skips only the small
				// words that link a noun to its complement ("menace
				// d'expulsion", «موس ديال الكوزينة»), never "par des dealers".
				if isNegation(ws, j) || t.role == harmless && !linking[ws[j].s] {
					break
				}
			}
		}
		if ok && !hasSpan(dst, h.term, h.word, end) {
			dst = append(dst, span{term: h.term, from: h.word, to: end})
		}
	}
	return dst
}

func hasSpan(ss []span, t int32, from, to int) bool {
	for _, s := range ss {
		if s.term == t && s.from == from && s.to == to {
			return true
		}
	}
	return false
}

// resolve cancels what the context cancels and picks the class.
func (c *Classifier) resolve(ws []word, spans []span) Match {
	minimised, joking := "", false
	for i := range spans {
		s := &spans[i]
		t := &c.terms[s.term]
		switch t.role {
		case harmless:
			for j := range spans {
				o := &spans[j]
				ot := c.terms[o.term]
				if ot.role != alarm || o.dropped != "" || o.to < s.from || s.to < o.from {
					continue
				}
				// A strong alarm that reaches past the harmless words stands:
				// "menacé de mort" is not "menacé de perdre son logement".
				if ot.strong && (o.from < s.from || o.to > s.to) {
					continue
				}
				o.dropped = "harmless «" + t.text + "»"
			}
		case minimiser:
			minimised = t.text
			joking = joking || t.strong // "mdr": a joke, whatever the words
		}
	}
	for i := range spans {
		s := &spans[i]
		t := &c.terms[s.term]
		if t.role != alarm || s.dropped != "" {
			continue
		}
		if !t.immune {
			if k := negatedBy(ws, s.from); k >= 0 {
				s.dropped = "negation «" + ws[k].s + "»"
			}
		}
		if s.dropped == "" && minimised != "" && (!t.strong || joking) {
			s.dropped = "minimiser «" + minimised + "»"
		}
	}
	// A term inside a longer one that stands is part of it: "me tuer" in
	// "je vais me tuer" is the suicide phrase, not a threat.
	for i := range spans {
		s := &spans[i]
		if c.terms[s.term].role != alarm || s.dropped != "" {
			continue
		}
		for j := range spans {
			o := spans[j]
			if i != j && c.terms[o.term].role == alarm && o.dropped == "" &&
				o.from <= s.from && s.to <= o.to && o.to-o.from > s.to-s.from {
				s.dropped = inside + c.terms[o.term].text + "»"
				break
			}
		}
	}
	var m Match
	best, bestScore := "", 0
	for _, class := range c.classes {
		score := 0 // stretches of words that fired, however many terms each matched
		for i, s := range spans {
			if t := c.terms[s.term]; t.role == alarm && t.class == class && s.dropped == "" && !c.counted(spans[:i], s) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = class, score
		}
	}
	m.Class = best
	for i, s := range spans {
		t := c.terms[s.term]
		if t.role != alarm || strings.HasPrefix(s.dropped, inside) {
			continue // a part of a longer term says nothing more
		}
		desc := t.class + " " + t.writing + " " + t.text + " [" + quote(ws, s.from, s.to) + "]"
		if s.dropped == "" {
			if !c.counted(spans[:i], s) {
				m.Fired = appendNew(m.Fired, desc)
			}
		} else if len(m.Cancelled) < 8 {
			m.Cancelled = appendNew(m.Cancelled, desc+" ← "+s.dropped)
		}
	}
	return m
}

// counted reports whether an earlier standing span covers the same words
// for the same class: «يقتلوني» matches يقتل, قتل and قتلى, one alarm.
func (c *Classifier) counted(earlier []span, s span) bool {
	class := c.terms[s.term].class
	for _, o := range earlier {
		if o.from == s.from && o.to == s.to && o.dropped == "" && c.terms[o.term].role == alarm && c.terms[o.term].class == class {
			return true
		}
	}
	return false
}

// inside marks a term dropped because a longer one holds it.
const inside = "inside «"

// appendNew appends s unless list has it already (a term both built in and
// added by an admin).
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func quote(ws []word, from, to int) string {
	var b strings.Builder
	for k := from; k <= to; k++ {
		if k > from {
			b.WriteByte(' ')
		}
		b.WriteString(ws[k].s)
	}
	return b.String()
}
