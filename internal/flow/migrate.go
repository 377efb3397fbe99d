package flow

// A state made with another version of the flow is carried over by Step:
// to the same screen when it still waits for the person, else to the menu.

// waits reports whether a node is one a person can stand on: it shows
// something and waits for them (not a route, an erase nor a message that
// goes straight on).
func waits(n *Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case KindRoute, KindErase:
		return false
	case KindMessage:
		return len(n.Options) > 0
	}
	return true
}

// migrate moves a state from another version of the flow, whose node is
// still there, into this one: the screens of the history that are gone are
// dropped, the answers kept.
func (s *stepper) migrate() {
	s.st.Flow, s.st.Version = s.f.ID, s.f.Version
	var h []string
	for _, id := range s.st.History {
		if waits(s.f.Nodes[id]) {
			h = append(h, id)
		}
	}
	s.st.History = h
	if !waits(s.f.Nodes[s.st.Resume]) {
		s.st.Resume = ""
	}
}

// landOnMenu takes a person whose screen no longer exists to the menu (the
// start when the flow has none), keeping their language and answers; an
// emergency still goes to the emergency node.
func (s *stepper) landOnMenu(in Input) {
	vars := s.st.Vars // never modified in place: setVar copies
	s.st = State{Flow: s.f.ID, Version: s.f.Version, Lang: s.st.Lang, Urgent: s.st.Urgent,
		Steps: s.st.Steps, At: s.st.At, Vars: vars}
	switch {
	case in.Kind == InEmergency:
		s.st.Urgent = true
		s.enter(s.f.Emergency.Target(in.Class))
		return
	case in.Kind == InLanguage && s.f.HasLanguage(in.Lang):
		s.st.Lang = in.Lang
	}
	target := s.f.Menu
	if target == "" {
		target = s.f.Start
	}
	s.enter(target)
}
