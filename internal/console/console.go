// Package console is the terminal front end of Boussole: a conversation with
// a flow through the same conversation service, store and rendering as
// Telegram, for admins to preview a flow and for scripted tests.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// chat is the one chat the console plays.
const chat = 1

// Options configure a console session.
type Options struct {
	Flow   *flow.Flow
	Bundle *i18n.Bundle
	Store  Store     // where the state and the outbox live, serialised, between lines
	Lang   string    // the person's client language, as Telegram would report it
	In     io.Reader // one line per action
	Out    io.Writer
	Echo   bool             // print each input line, for piped (scripted) sessions
	Trace  bool             // print the node after each step, and how triage read a message
	Now    func() time.Time // the clock given to the engine
}

// Store is what the console needs of a store: the conversation and its
// outbox (the Redis store, on an embedded server for a preview).
type Store interface {
	conversation.Store
	delivery.Queue
}

// owner is the console's lease token on its outbox.
const owner = "console"

// Session is one conversation in the terminal.
type Session struct {
	opt      Options
	svc      *conversation.Service
	screen   screen
	update   int64
	buttons  []flow.Button // the buttons on screen, as numbered (or lettered)
	lettered bool          // buttons are a, b… because digits are answers here
}

// NewSession prepares a conversation; nothing is shown before Start.
func NewSession(opt Options) *Session {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Session{opt: opt}
	s.svc = &conversation.Service{Flow: func() *flow.Flow { return opt.Flow }, Bundle: opt.Bundle,
		Store: opt.Store, Outbox: &s.screen, Channel: &s.screen, Owner: owner, Now: opt.Now, Retention: 24 * time.Hour}
	return s
}

// Run holds the conversation until the input ends or the person types /quit.
func Run(opt Options) error {
	s := NewSession(opt)
	if err := s.Do("/start"); err != nil {
		return err
	}
	sc := bufio.NewScanner(opt.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if opt.Echo {
			fmt.Fprintf(opt.Out, "» %s\n", line)
		}
		if line == "/quit" || line == "/q" {
			return nil
		}
		if err := s.Do(line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Do plays one typed line as a Telegram user would act: a button (by its
// number, letter or label) or a message, commands included.
func (s *Session) Do(line string) error {
	s.update++
	u := conversation.Update{ID: s.update, Chat: chat, Lang: s.opt.Lang}
	if b, ok := s.button(line); ok {
		u.Kind, u.Data = conversation.KindButton, b.Data
	} else {
		u.Kind, u.Text, u.MsgID = conversation.KindText, line, int(s.update)
		if s.opt.Trace && !strings.HasPrefix(line, "/") {
			if m := conversation.Classifier(s.opt.Flow).Classify(line); m.Class != "" || len(m.Cancelled) > 0 {
				line := "· triage: " + orDash(m.Class)
				if len(m.Fired) > 0 {
					line += " | fired: " + strings.Join(m.Fired, "; ")
				}
				if len(m.Cancelled) > 0 {
					line += " | cancelled: " + strings.Join(m.Cancelled, "; ")
				}
				fmt.Fprintln(s.opt.Out, line)
			}
		}
	}
	s.screen.claim = delivery.Claim{}
	ctx := context.Background()
	if _, err := s.svc.Handle(ctx, u); err != nil {
		return err
	}
	// The replies go through the outbox, as on Telegram, without its pacing.
	if err := delivery.SendAll(ctx, s.opt.Store, &s.screen, chat, owner, s.screen.claim, s.opt.Now); err != nil {
		return err
	}
	return s.show()
}

// Press taps a button by its callback data (for tests that walk a flow).
func (s *Session) Press(data string) error {
	return s.Do(s.keyOf(data))
}

// Buttons are the buttons on screen now.
func (s *Session) Buttons() []flow.Button { return s.buttons }

// State is where the person is, as stored.
func (s *Session) State() (flow.State, error) {
	rec, err := s.opt.Store.Load(context.Background(), chat)
	return rec.State, err
}

// show prints what the bot sent during the last action. Buttons are numbered,
// or lettered where digits are answers (an input node).
func (s *Session) show() error {
	st, err := s.State()
	if err != nil {
		return err
	}
	n := s.opt.Flow.Nodes[st.Node]
	lettered := n != nil && n.Kind == flow.KindInput
	if s.screen.erased > 0 {
		// On a phone the chat is now empty: say so, or a transcript would
		// seem to show nothing happening.
		fmt.Fprintln(s.opt.Out, "── (the conversation was erased: the chat is empty) ──")
		fmt.Fprintln(s.opt.Out)
		s.screen.erased = 0
	}
	for _, r := range s.screen.take() {
		fmt.Fprintln(s.opt.Out, "── Boussole ──")
		fmt.Fprintln(s.opt.Out, r.Text)
		s.buttons = s.buttons[:0]
		for _, row := range r.Buttons {
			var cells []string
			for _, b := range row {
				s.buttons = append(s.buttons, b)
				cells = append(cells, "["+key(len(s.buttons), lettered)+"] "+b.Label)
			}
			fmt.Fprintln(s.opt.Out, "   "+strings.Join(cells, "   "))
		}
		fmt.Fprintln(s.opt.Out)
	}
	s.lettered = lettered
	if s.opt.Trace {
		mode := ""
		if st.Mode != flow.ModeFlow {
			mode = " (" + string(st.Mode) + ")"
		}
		fmt.Fprintf(s.opt.Out, "· node: %s%s\n", orDash(st.Node), mode)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func key(i int, lettered bool) string {
	if lettered {
		return string(rune('a' + i - 1))
	}
	return strconv.Itoa(i)
}

// button finds the on-screen button a line designates.
func (s *Session) button(line string) (flow.Button, bool) {
	for i, b := range s.buttons {
		if b.Label == line || key(i+1, s.lettered) == line {
			return b, true
		}
	}
	return flow.Button{}, false
}

func (s *Session) keyOf(data string) string {
	for i, b := range s.buttons {
		if b.Data == data {
			return key(i+1, s.lettered)
		}
	}
	return data
}
