package flow

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// validator runs the checks that need the whole flow: links between nodes,
// reachability, loops that never wait for the person, rendered sizes.
type validator struct {
	flow     *Flow
	src      *flowSrc
	resNodes map[string]*yaml.Node
	d        *decoder
}

func (v *validator) run() {
	f, src := v.flow, v.src
	if f.Start != "" && f.Nodes[f.Start] == nil && src.start != nil {
		v.d.errorf(src.start, CodeDanglingGoto, "target", f.Start, "node", "start")
	}
	if f.Menu != "" && f.Nodes[f.Menu] == nil && src.menu != nil {
		v.d.errorf(src.menu, CodeDanglingGoto, "target", f.Menu, "node", "menu")
	}
	for _, g := range src.egotos {
		if f.Nodes[g.target] == nil {
			v.d.errorf(g.pos, CodeDanglingGoto, "target", g.target, "node", "emergency")
		}
	}
	for _, id := range src.order {
		n, ns := f.Nodes[id], src.nodes[id]
		for _, g := range ns.gotos {
			if f.Nodes[g.target] == nil {
				v.d.errorf(g.pos, CodeDanglingGoto, "target", g.target, "node", id)
			}
		}
		v.resources(n, ns)
		v.wayOut(n, ns)
		v.sizes(n, ns)
	}
	v.reachability()
	v.autoCycles()
}

func (v *validator) resources(n *Node, ns *nodeSrc) {
	f, ok := ns.fields["resources"]
	if !ok || f.val.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range f.val.Content {
		if _, known := v.flow.Resources[item.Value]; !known && idPattern.MatchString(item.Value) {
			v.d.errorf(item, CodeUnknownResource, "resource", item.Value, "node", n.ID)
		}
	}
}

func (v *validator) wayOut(n *Node, ns *nodeSrc) {
	if n.Kind != KindMessage || len(n.Options) > 0 || n.Next != "" {
		return
	}
	if _, ok := ns.fields["options"]; !ok { // an empty options list is reported where it stands
		v.d.errorf(ns.key, CodeNoWayOut, "node", n.ID)
	}
}

// sizes checks what Telegram would refuse or a phone would make unreadable.
func (v *validator) sizes(n *Node, ns *nodeSrc) {
	if n.Kind == KindRoute {
		return
	}
	for _, lang := range v.flow.Languages {
		text := render(n, v.flow.Resources, lang)
		if c := len([]rune(text)); c > MaxMessageRunes {
			v.d.errorf(ns.key, CodeTextTooLong, "node", n.ID, "lang", lang, "count", itoa(c), "max", itoa(MaxMessageRunes))
		}
		if n.Ask == nil { // the retry text is a message too
			continue
		}
		if c := len([]rune(n.Ask.Retry[lang])); c > MaxMessageRunes {
			v.d.errorf(ns.key, CodeTextTooLong, "node", n.ID, "lang", lang, "count", itoa(c), "max", itoa(MaxMessageRunes))
		}
	}
	for i := range n.Options {
		if data := callbackData(strings.Repeat("0", versionLen), n.ID, itoa(i)); len(data) > MaxCallbackData {
			v.d.errorf(ns.key, CodeCallbackTooLong, "node", n.ID, "count", itoa(len(data)), "max", itoa(MaxCallbackData))
		}
	}
}

// edges lists where a node can lead. auto tells whether the move happens
// without waiting for the person (next of a message, a route).
func edges(n *Node) (targets []string, auto bool) {
	for _, o := range n.Options {
		targets = append(targets, o.Goto)
	}
	for _, r := range n.Routes {
		targets = append(targets, r.Goto)
	}
	if n.Next != "" {
		targets = append(targets, n.Next)
	}
	if n.Unavailable != "" {
		targets = append(targets, n.Unavailable)
	}
	auto = n.Kind == KindRoute || n.Kind == KindMessage && len(n.Options) == 0
	return targets, auto
}

// autoEdges lists where a node leads without waiting for the person, in the
// flow with or without a desk: without one, a handoff node goes straight on
// to its unavailable node.
func autoEdges(n *Node) []string {
	if n.Kind == KindHandoff {
		return []string{n.Unavailable}
	}
	if targets, auto := edges(n); auto {
		return targets
	}
	return nil
}

func (v *validator) reachability() {
	f := v.flow
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		n := f.Nodes[id]
		if n == nil || seen[id] {
			return
		}
		seen[id] = true
		targets, _ := edges(n)
		for _, t := range targets {
			walk(t)
		}
	}
	walk(f.Start)
	for _, c := range f.Emergency.Classes {
		walk(c.Goto)
	}
	for _, id := range v.src.order {
		if !seen[id] {
			v.d.errorf(v.src.nodes[id].key, CodeUnreachable, "node", id)
		}
	}
}

// autoCycles finds loops made only of moves that do not wait for the person:
// the engine would spin in them forever. Handoff nodes count as moves, to
// their unavailable node: so they are in the flow without a desk.
func (v *validator) autoCycles() {
	f := v.flow
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var path []string
	var visit func(id string)
	visit = func(id string) {
		n := f.Nodes[id]
		if n == nil {
			return
		}
		targets := autoEdges(n)
		if len(targets) == 0 {
			return
		}
		color[id] = grey
		path = append(path, id)
		for _, t := range targets {
			switch color[t] {
			case grey: // each loop is found once, on the edge that closes it
				cycle := append(append([]string{}, path[indexOf(path, t):]...), t)
				v.d.errorf(v.src.nodes[id].key, CodeAutoCycle, "node", id, "path", strings.Join(cycle, " → "))
			case white:
				visit(t)
			}
		}
		path = path[:len(path)-1]
		color[id] = black
	}
	for _, id := range v.src.order {
		if color[id] == white {
			path = path[:0]
			visit(id)
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}
