package flow

import (
	"strings"
	"unicode/utf8"
)

// Free text: an answer to an input node, an option typed out, or a hint
// to use the buttons. Whether it is a cry for help is decided before Step,
// by internal/triage: an alarming text comes as InEmergency.

func (s *stepper) text(text string) {
	var buf [512]byte
	folded := appendFolded(buf[:0], text) // once, on the stack, for every check below
	if s.st.Mode != ModeFlow {
		s.out = append(s.out, Output{Kind: OutRelay, Text: text})
		return
	}
	n := s.f.Nodes[s.st.Node]
	switch {
	case n.Kind == KindInput:
		s.answer(n, strings.TrimSpace(text), folded)
	case n.Kind == KindEnd:
		s.restart() // coming back after the end starts again, in the same language
	default:
		if i, ok := s.optionByText(n, text, folded); ok {
			s.choose(n, i)
			return
		}
		s.notice(NoticeUseButtons)
		s.show(n)
	}
}

// optionByText accepts an option's number or its label typed out (folded is
// the text normalized).
func (s *stepper) optionByText(n *Node, text string, folded []byte) (int, bool) {
	if i, ok := number(strings.TrimSpace(text)); ok {
		if n.Handoff != nil {
			i-- // buttons are numbered as shown: the confirm button comes first
		}
		if i >= 0 && i <= len(n.Options) && (i > 0 || n.Handoff != nil) {
			return i - 1, true
		}
	}
	if len(folded) == 0 {
		return 0, false
	}
	first := 0 // index of the first option among the buttons
	if n.Handoff != nil {
		first = 1
	}
	for j, label := range n.folded[s.st.Lang] {
		if label == string(folded) && j-first < len(n.Options) {
			return j - first, true // -1: the handoff confirmation
		}
	}
	return 0, false
}

// number reads a button number typed out ("2", "+2", "02"); ok is false for
// anything else.
func number(t string) (int, bool) {
	t = westernDigits(strings.TrimPrefix(t, "+"))
	if t == "" || len(t) > 9 {
		return 0, false
	}
	i := 0
	for _, c := range []byte(t) {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, true
}

func (s *stepper) answer(n *Node, text string, folded []byte) {
	if n.Ask.Type != "" {
		s.typedAnswer(n, text)
		return
	}
	if utf8.RuneCountInString(text) > MaxInputRunes {
		s.notice(NoticeTooLong)
		s.show(n)
		return
	}
	if labels := n.folded[s.st.Lang]; n.Skip != nil && len(labels) > 0 && string(folded) == labels[len(labels)-1] {
		s.goTo(n.Next)
		return
	}
	text = westernDigits(text) // "١٣" on an Arabic keyboard is 13
	if text == "" || n.Ask.Pattern != nil && !n.Ask.Pattern.MatchString(text) {
		s.out = append(s.out, Output{Kind: OutMessage, Node: n.ID, Text: n.Ask.Retry[s.st.Lang],
			Buttons: n.buttons[s.st.Lang], Back: len(s.st.History) > 0})
		return
	}
	s.setVar(n.Ask.Var, text)
	s.goTo(n.Next)
}

// westernDigits writes Arabic-Indic (٠-٩) and Eastern Arabic (۰-۹) digits
// as 0-9. It allocates only when there is one to change.
func westernDigits(t string) string {
	if !strings.ContainsFunc(t, isEasternDigit) {
		return t
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, t)
}

func isEasternDigit(r rune) bool { return r >= '٠' && r <= '٩' || r >= '۰' && r <= '۹' }
