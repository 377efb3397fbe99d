package flow

import (
	"strconv"
	"strings"
)

// typedAnswer reads the answer to an input node of a built-in type. An
// answer it cannot read means "prefer not to say": the person moves on. When
// they wrote more than a few words (a story, a question), they are told, with
// the next step, that nobody reads what is written here.
func (s *stepper) typedAnswer(n *Node, text string) {
	ok := false
	if n.Ask.Type == TypeArrondissement {
		var v string
		if v, ok = Arrondissement(text); ok {
			s.setVar(n.Ask.Var, v)
		}
	}
	if !ok && len(strings.Fields(text)) > 3 {
		s.notice(NoticeUseButtons)
	}
	s.goTo(n.Next)
}

// arrondissementWords are the words people write around the number of an
// arrondissement of Marseille, folded as normalize does ("13ème" is "13eme").
var arrondissementWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"le", "l", "dans", "j", "habite", "au", "du", "arrondissement", "arr", "arrdt",
		"marseille", "ème", "e", "er", "ere", "em", "me", "ieme", "في", "الدائرة", "مرسيليا", "الحي"} {
		m[normalize(w)] = true
	}
	return m
}()

// Arrondissement reads an arrondissement of Marseille as people write it:
// "13", "13e", "13ème", "le 13", "1er", "13013", "١٣", "arrondissement 13".
// It returns "1".."16"; ok is false for anything else (a story, a town, "non").
func Arrondissement(text string) (string, bool) {
	if len([]rune(text)) > 40 {
		return "", false
	}
	folded := normalize(westernDigits(text))
	number := ""
	for _, w := range strings.Fields(splitDigits(folded)) {
		switch {
		case w[0] >= '0' && w[0] <= '9':
			if number != "" {
				return "", false // two numbers: not an answer we can read
			}
			number = w
		case !arrondissementWords[w]:
			return "", false
		}
	}
	if len(number) == 5 && strings.HasPrefix(number, "130") {
		number = number[3:] // a postcode: 13001..13016
	}
	i, err := strconv.Atoi(number)
	if err != nil || i < 1 || i > 16 || len(number) > 2 {
		return "", false
	}
	return strconv.Itoa(i), true
}

// splitDigits puts spaces between digits and letters ("13eme" → "13 eme").
func splitDigits(s string) string {
	var b strings.Builder
	prevDigit := false
	for i, r := range s {
		digit := r >= '0' && r <= '9'
		if i > 0 && digit != prevDigit && r != ' ' && s[i-1] != ' ' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevDigit = digit
	}
	return b.String()
}
