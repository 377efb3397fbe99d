// Package console is the terminal front end of Boussole: a conversation with
// a flow through the same engine and the same rendering as Telegram, for
// admins to preview a flow and for scripted tests.
package console

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Options configure a console session.
type Options struct {
	Flow   *flow.Flow
	Bundle *i18n.Bundle
	Lang   string    // the person's client language, as Telegram would report it
	In     io.Reader // one line per action
	Out    io.Writer
	Echo   bool             // print each input line, for piped (scripted) sessions
	Now    func() time.Time // the clock given to the engine
}

// session is one conversation: the state is kept serialised, as a store
// would keep it, and decoded again for every step.
type session struct {
	Options
	state    []byte
	buttons  []flow.Button // the buttons of the last reply, as numbered on screen
	lettered bool          // buttons are a, b… because digits are answers here
	forget   bool          // waiting for the confirmation of /oubli
}

// Run holds the conversation until the input ends or the person types /quit.
func Run(opt Options) error {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &session{Options: opt}
	if err := s.step(flow.Input{Kind: flow.InStart, Lang: opt.Lang}); err != nil {
		return err
	}
	sc := bufio.NewScanner(opt.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if s.Echo {
			fmt.Fprintf(s.Out, "» %s\n", line)
		}
		if line == "/quit" || line == "/q" {
			return nil
		}
		if err := s.handle(line); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (s *session) load() (flow.State, error) {
	var st flow.State
	if len(s.state) == 0 {
		return st, nil
	}
	err := json.Unmarshal(s.state, &st)
	return st, err
}

func (s *session) lang() string {
	st, _ := s.load()
	if s.Flow.HasLanguage(st.Lang) {
		return st.Lang
	}
	if s.Flow.HasLanguage(s.Lang) {
		return s.Lang
	}
	return s.Flow.Languages[0]
}

// handle maps a typed line to what a Telegram user would do: a command, a
// button (by its number), or free text.
func (s *session) handle(line string) error {
	if b, ok := s.button(line); ok {
		return s.press(b.Data)
	}
	cmd, arg, _ := strings.Cut(line, " ")
	switch cmd {
	case "/start":
		return s.step(flow.Input{Kind: flow.InStart, Lang: s.Lang})
	case "/retour":
		return s.step(flow.Input{Kind: flow.InBack})
	case "/recommencer":
		return s.step(flow.Input{Kind: flow.InRestart})
	case "/urgence":
		return s.step(flow.Input{Kind: flow.InEmergency})
	case "/langue":
		if arg != "" {
			return s.step(flow.Input{Kind: flow.InLanguage, Lang: arg})
		}
		var bs []flow.Button
		for _, l := range s.Flow.Languages {
			bs = append(bs, flow.Button{Label: s.Bundle.T(l, "lang_name", nil), Data: flow.ButtonLanguage(l)})
		}
		s.print(conversation.Reply{Text: s.Bundle.T(s.lang(), "language_choose", nil), Buttons: [][]flow.Button{bs}})
		return nil
	case "/aide":
		s.print(conversation.Reply{Text: s.Bundle.T(s.lang(), "help", nil)})
		return nil
	case "/effacer":
		lang := s.lang()
		s.state = nil
		s.print(conversation.Reply{Text: s.Bundle.T(lang, "erased", nil)})
		return nil
	case "/oubli":
		lang := s.lang()
		s.forget = true
		s.print(conversation.Reply{Text: s.Bundle.T(lang, "forget_confirm", nil), Buttons: [][]flow.Button{{
			{Label: s.Bundle.T(lang, "button_forget_yes", nil), Data: "forget:yes"},
			{Label: s.Bundle.T(lang, "button_forget_no", nil), Data: "forget:no"},
		}}})
		return nil
	}
	return s.step(flow.Input{Kind: flow.InText, Text: line})
}

// button finds the on-screen button a line designates.
func (s *session) button(line string) (flow.Button, bool) {
	for _, b := range s.buttons {
		if b.Label == line {
			return b, true
		}
	}
	var i int
	if s.lettered {
		if len(line) != 1 || line[0] < 'a' || line[0] > 'z' {
			return flow.Button{}, false
		}
		i = int(line[0]-'a') + 1
	} else {
		n, err := strconv.Atoi(line)
		if err != nil {
			return flow.Button{}, false
		}
		i = n
	}
	if i < 1 || i > len(s.buttons) {
		return flow.Button{}, false
	}
	return s.buttons[i-1], true
}

func (s *session) press(data string) error {
	if data == "forget:yes" || data == "forget:no" {
		lang := s.lang()
		if !s.forget {
			return s.step(flow.Input{Kind: flow.InButton, Data: data})
		}
		s.forget = false
		if data == "forget:no" {
			s.print(conversation.Reply{Text: s.Bundle.T(lang, "forget_cancelled", nil)})
			return nil
		}
		s.state = nil
		s.print(conversation.Reply{Text: s.Bundle.T(lang, "forgotten", nil)})
		return nil
	}
	return s.step(flow.ButtonInput(data))
}

// step runs the engine on the stored state and stores the result.
func (s *session) step(in flow.Input) error {
	st, err := s.load()
	if err != nil {
		return fmt.Errorf("decode state: %w", err)
	}
	next, outs, err := flow.Step(s.Flow, st, in, s.Now())
	if err != nil {
		return err
	}
	if s.state, err = json.Marshal(next); err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	n := s.Flow.Nodes[next.Node]
	s.lettered = n != nil && n.Kind == flow.KindInput && next.Mode == flow.ModeFlow
	for _, r := range conversation.Render(s.Flow, s.Bundle, next.Lang, outs) {
		s.print(r)
	}
	for _, o := range outs {
		switch o.Kind {
		case flow.OutHandoff:
			fmt.Fprintf(s.Out, "   %s\n", s.Bundle.T(next.Lang, "console_handoff", nil))
		case flow.OutRelay:
			fmt.Fprintf(s.Out, "   %s\n", s.Bundle.T(next.Lang, "console_relayed", nil))
		}
	}
	return nil
}

// print shows a reply as the person would read it, buttons numbered (or
// lettered where digits are answers).
func (s *session) print(r conversation.Reply) {
	fmt.Fprintln(s.Out, "── Boussole ──")
	fmt.Fprintln(s.Out, r.Text)
	s.buttons = s.buttons[:0]
	for _, row := range r.Buttons {
		var cells []string
		for _, b := range row {
			s.buttons = append(s.buttons, b)
			key := strconv.Itoa(len(s.buttons))
			if s.lettered {
				key = string(rune('a' + len(s.buttons) - 1))
			}
			cells = append(cells, "["+key+"] "+b.Label)
		}
		fmt.Fprintln(s.Out, "   "+strings.Join(cells, "   "))
	}
	fmt.Fprintln(s.Out)
}
