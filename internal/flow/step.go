package flow

import (
	"errors"
	"strconv"
	"time"
)

// ErrNoFlow is returned when Step is called without a flow.
var ErrNoFlow = errors.New("flow: no flow given")

// Step is the engine: from a state and what the person did, the next state
// and what to show. It is pure: no I/O, no clock (now is given), and the
// given state is never modified.
//
// A state from another version of the flow goes on at its node when the
// node is still there; otherwise the person lands on the menu (the start when
// the flow has no menu) with an apology;
// a button from an old message never moves the person: the current step is
// shown again; an emergency (the command, or a text triage found alarming)
// wins in every node and every mode.
func Step(f *Flow, st State, in Input, now time.Time) (State, []Output, error) {
	if f == nil {
		return st, nil, ErrNoFlow
	}
	s := stepper{f: f, st: st, out: make([]Output, 0, 2)}
	s.st.Steps++
	s.st.At = now.Unix()
	if !f.HasLanguage(s.st.Lang) {
		s.st.Lang = f.Languages[0]
	}
	if in.Kind == InStart && in.Lang != "" && !st.Started() && f.HasLanguage(in.Lang) {
		s.st.Lang = in.Lang
	}
	if !st.Started() || st.Flow != f.ID || st.Version != f.Version || f.Nodes[st.Node] == nil {
		switch {
		case !st.Started():
			s.fresh(in)
			return s.st, s.out, nil
		case st.Mode != ModeFlow:
			// A human conversation goes on: the paused tree quietly moves to
			// the new start, and the person's messages still reach the volunteer.
			s.fresh(Input{})
			s.st.Mode, s.out = st.Mode, s.out[:0]
		case waits(f.Nodes[st.Node]):
			// Their screen is still there: they go on, in the new version.
			s.migrate()
		default:
			// Their screen is gone: the menu, with an apology, never the
			// first questions again.
			s.notice(NoticeFlowUpdated)
			s.landOnMenu(in)
			return s.st, s.out, nil
		}
	}
	s.apply(in)
	return s.st, s.out, nil
}

// stepper carries one step's work.
type stepper struct {
	f   *Flow
	st  State
	out []Output
}

func (s *stepper) apply(in Input) {
	if n := s.f.Nodes[s.st.Node]; s.f.noDesk && s.st.Mode == ModeFlow && n.Kind == KindHandoff &&
		(in.Kind == InButton || in.Kind == InText) {
		// A state from when the desk answered: the offer on screen is gone.
		// Nothing the person sends here may open a ticket.
		s.notice(NoticeMenuChanged)
		s.enter(n.Unavailable)
		return
	}
	switch in.Kind {
	case InStart:
		if n := s.f.Nodes[s.st.Node]; s.st.Mode == ModeFlow && n.Kind == KindEnd {
			s.restart() // coming back after the end starts again, in the same language
			return
		}
		s.reshow()
	case InText:
		s.text(in.Text)
	case InButton:
		s.button(in.Data)
	case InBack:
		s.back()
	case InRestart:
		if s.st.Mode != ModeFlow {
			s.out = append(s.out, Output{Kind: OutCancel})
		}
		s.restart()
	case InLanguage:
		if !s.f.HasLanguage(in.Lang) {
			s.notice(NoticeLangUnavailable)
		} else {
			s.st.Lang = in.Lang
		}
		s.reshow()
	case InEmergency:
		s.emergency(in)
	case InHumanJoined:
		if s.st.Mode == ModeWaiting {
			s.st.Mode = ModeHuman
			s.notice(NoticeHumanJoined)
		}
	case InHumanDone:
		if s.st.Mode != ModeFlow {
			s.st.Mode = ModeFlow
			s.notice(NoticeHumanDone)
			s.reshow()
		}
	}
}

func (s *stepper) notice(n Notice) {
	s.out = append(s.out, Output{Kind: OutNotice, Notice: n})
}

// fresh starts a person who has no usable state: at the start, or straight
// at the emergency node when that is what they asked for.
func (s *stepper) fresh(in Input) {
	s.st = State{Flow: s.f.ID, Version: s.f.Version, Lang: s.st.Lang, Urgent: s.st.Urgent,
		Steps: s.st.Steps, At: s.st.At}
	if in.Kind == InEmergency {
		s.st.Urgent = true
		s.enter(s.f.Emergency.Target(in.Class))
		return
	}
	if in.Kind == InLanguage && s.f.HasLanguage(in.Lang) {
		s.st.Lang = in.Lang
	}
	s.enter(s.f.Start)
}

// restart puts the person at the start, keeping only their language and
// whether they went through the emergency node.
func (s *stepper) restart() {
	s.st = State{Flow: s.f.ID, Version: s.f.Version, Lang: s.st.Lang, Urgent: s.st.Urgent,
		Steps: s.st.Steps, At: s.st.At}
	s.enter(s.f.Start)
}

// reshow shows the current step again (or says the tree is paused).
func (s *stepper) reshow() {
	if s.st.Mode != ModeFlow {
		s.notice(NoticeWithHuman)
		return
	}
	s.show(s.f.Nodes[s.st.Node])
}

// show outputs a node that waits for the person and makes it current.
// Without a desk, a handoff node shows where it leads instead.
func (s *stepper) show(n *Node) {
	if s.f.noDesk && n.Kind == KindHandoff {
		s.enter(n.Unavailable)
		return
	}
	s.st.Node = n.ID
	s.out = append(s.out, Output{Kind: OutMessage, Node: n.ID, Text: n.rendered[s.st.Lang],
		Buttons: n.buttons[s.st.Lang], Back: len(s.st.History) > 0})
	s.ateliers(n)
	if n.Kind == KindEnd {
		s.out = append(s.out, Output{Kind: OutEnd, Node: n.ID})
	}
}

// ateliers asks the caller to show the association's coming sessions after
// a node that introduces them: for the need the person chose, or every
// session when they came from the menu (a need chosen earlier is not what
// they are looking at now).
func (s *stepper) ateliers(n *Node) {
	if !n.Ateliers {
		return
	}
	need := s.st.Vars[NeedVar]
	if h := s.st.History; s.f.Menu != "" && len(h) > 0 && h[len(h)-1] == s.f.Menu {
		need = ""
	}
	s.out = append(s.out, Output{Kind: OutAteliers, Node: n.ID, Need: need})
}

// goTo leaves the current node for target, remembering it for "back".
func (s *stepper) goTo(target string) {
	h := s.st.History
	if len(h) >= MaxHistory {
		h = h[len(h)-MaxHistory+1:]
	}
	next := make([]string, len(h), len(h)+1)
	copy(next, h)
	s.st.History = append(next, s.st.Node)
	s.enter(target)
}

// enter follows routes and messages that do not wait, then shows the first
// node that waits for the person.
func (s *stepper) enter(id string) {
	for hop := 0; hop <= len(s.f.Nodes); hop++ { // a validated flow has no loop without a wait
		n := s.f.Nodes[id]
		switch {
		case n.Kind == KindRoute:
			id = s.route(n)
		case n.Kind == KindErase:
			// The conversation is erased: nothing to show, nothing to keep.
			s.st = State{Flow: s.f.ID, Version: s.f.Version, Lang: s.st.Lang, Steps: s.st.Steps, At: s.st.At}
			s.out = append(s.out[:0], Output{Kind: OutErase, Node: n.ID})
			return
		case n.Kind == KindMessage && len(n.Options) == 0:
			s.out = append(s.out, Output{Kind: OutMessage, Node: n.ID, Text: n.rendered[s.st.Lang]})
			s.ateliers(n)
			id = n.Next
		case n.Kind == KindHandoff && s.f.noDesk:
			id = n.Unavailable
		default:
			s.show(n)
			return
		}
	}
	// Unreachable for a validated flow (loops without a wait are rejected).
	s.show(s.f.Nodes[s.f.Start])
}

func (s *stepper) route(n *Node) string {
	for _, r := range n.Routes {
		if s.holds(r.When) {
			return r.Goto
		}
	}
	return n.Routes[len(n.Routes)-1].Goto
}

func (s *stepper) holds(when map[string][]string) bool {
	for name, values := range when {
		if !contains(values, s.st.Vars[name]) {
			return false
		}
	}
	return true
}

func (s *stepper) setVar(name, value string) {
	vars := make(map[string]string, len(s.st.Vars)+1)
	for k, v := range s.st.Vars {
		vars[k] = v
	}
	vars[name] = value
	s.st.Vars = vars
}

func (s *stepper) setVars(set map[string]string) {
	if len(set) == 0 {
		return
	}
	vars := make(map[string]string, len(s.st.Vars)+len(set))
	for k, v := range s.st.Vars {
		vars[k] = v
	}
	for k, v := range set {
		vars[k] = v
	}
	s.st.Vars = vars
}

func (s *stepper) back() {
	if s.st.Mode != ModeFlow {
		s.notice(NoticeWithHuman)
		return
	}
	s.st.Resume = ""
	h := s.st.History
	if len(h) == 0 {
		s.notice(NoticeNoBack)
		s.reshow()
		return
	}
	s.st.History = h[: len(h)-1 : len(h)-1]
	s.show(s.f.Nodes[h[len(h)-1]])
}

// emergency goes to the node of the class of alarm. In a human conversation
// the tree stays paused: the volunteer gets the text and an alert.
func (s *stepper) emergency(in Input) {
	s.st.Urgent = true
	target := s.f.Nodes[s.f.Emergency.Target(in.Class)]
	if s.st.Mode != ModeFlow {
		if in.Text != "" {
			s.out = append(s.out, Output{Kind: OutRelay, Text: in.Text})
		}
		// The tree stays paused, but the person sees the numbers at once.
		n := target
		for hop := 0; n.Kind == KindRoute && hop <= len(s.f.Nodes); hop++ {
			n = s.f.Nodes[s.route(n)]
		}
		s.out = append(s.out, Output{Kind: OutAlert}, Output{Kind: OutMessage, Node: n.ID,
			Text: n.rendered[s.st.Lang]})
		return
	}
	if s.st.Node == target.ID {
		s.show(target)
		return
	}
	s.st.Resume = s.st.Node
	s.goTo(target.ID)
}

func (s *stepper) button(data string) {
	version, node, key, ok := parseCallback(data)
	n := s.f.Nodes[s.st.Node]
	if !ok || s.st.Mode != ModeFlow || version != s.f.Version || node != n.ID {
		if s.st.Mode == ModeFlow {
			s.notice(NoticeMenuChanged)
		}
		s.reshow()
		return
	}
	switch {
	case key == "s" && n.Skip != nil:
		s.goTo(n.Next)
	case key == "h" && n.Handoff != nil:
		s.choose(n, -1)
	default:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n.Options) || strconv.Itoa(i) != key {
			s.notice(NoticeMenuChanged)
			s.reshow()
			return
		}
		s.choose(n, i)
	}
}

// choose applies option i of n; -1 is the handoff confirmation.
func (s *stepper) choose(n *Node, i int) {
	if i < 0 {
		s.handoff(n)
		return
	}
	o := n.Options[i]
	s.setVars(o.Set)
	resume := s.st.Resume
	s.st.Resume = ""
	if h := s.st.History; o.Resume && resume != "" && len(h) > 0 && h[len(h)-1] == resume && s.f.Nodes[resume] != nil {
		// Back to where the emergency interrupted the person, as "back" would.
		s.st.History = h[: len(h)-1 : len(h)-1]
		s.show(s.f.Nodes[resume])
		return
	}
	s.goTo(o.Goto)
}

func (s *stepper) handoff(n *Node) {
	prio := n.Handoff.Priority
	if s.st.Urgent {
		prio = PriorityUrgent
	}
	answers := make(map[string]string, len(s.st.Vars))
	for k, v := range s.st.Vars {
		answers[k] = v
	}
	s.st.Mode = ModeWaiting
	s.out = append(s.out,
		Output{Kind: OutHandoff, Node: n.ID, Ticket: &Ticket{Category: n.Handoff.Category, Priority: prio,
			Lang: s.st.Lang, Answers: answers}},
		Output{Kind: OutNotice, Notice: NoticeHandoffRequested})
}

// Current is the step a person is at, as it would be shown again; ok is false
// when the state is not in this version of the flow, or stands on a handoff
// node of a flow without a desk (the next Step moves it on).
func Current(f *Flow, st State) (Output, bool) {
	n := f.Nodes[st.Node]
	if n == nil || st.Version != f.Version || !f.HasLanguage(st.Lang) || f.noDesk && n.Kind == KindHandoff {
		return Output{}, false
	}
	return Output{Kind: OutMessage, Node: n.ID, Text: n.rendered[st.Lang], Buttons: n.buttons[st.Lang],
		Back: len(st.History) > 0}, true
}
