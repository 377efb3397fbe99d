package flow

import (
	"reflect"
	"sort"
	"time"
)

// Summary is what changed between two versions of a flow and its directory.
type Summary struct {
	Added, Removed, Changed []string // node ids, sorted (Changed: anything of the node changed)
	// Texts: language → ids of the nodes of both versions whose text, button
	// labels or retry text changed in that language, sorted.
	Texts    map[string][]string
	Coverage Coverage // the new flow's translation coverage (texts of its nodes and of the services they cite)
	// Resource ids, sorted (ResChanged: anything of the entry changed).
	ResAdded, ResRemoved, ResChanged []string
	// ToVerify: resources of the new directory whose verified_on is missing
	// or over 12 months old at now, sorted.
	ToVerify []string
}

// Diff compares two versions of a flow, each loaded with its directory. A
// nil flow counts as an empty one (a new flow, a deleted one).
func Diff(old, new *Flow, now time.Time) Summary {
	var s Summary
	oldNodes, newNodes := nodesOf(old), nodesOf(new)
	for id, n := range newNodes {
		o, ok := oldNodes[id]
		switch {
		case !ok:
			s.Added = append(s.Added, id)
		case !sameNode(o, n):
			s.Changed = append(s.Changed, id)
			for _, lang := range knownLanguages {
				if !reflect.DeepEqual(nodeTexts(o, lang), nodeTexts(n, lang)) {
					if s.Texts == nil {
						s.Texts = map[string][]string{}
					}
					s.Texts[lang] = append(s.Texts[lang], id)
				}
			}
		}
	}
	for id := range oldNodes {
		if _, ok := newNodes[id]; !ok {
			s.Removed = append(s.Removed, id)
		}
	}
	oldRes, newRes := resourcesOf(old), resourcesOf(new)
	for id, r := range newRes {
		o, ok := oldRes[id]
		switch {
		case !ok:
			s.ResAdded = append(s.ResAdded, id)
		case !reflect.DeepEqual(*o, *r):
			s.ResChanged = append(s.ResChanged, id)
		}
	}
	for id := range oldRes {
		if _, ok := newRes[id]; !ok {
			s.ResRemoved = append(s.ResRemoved, id)
		}
	}
	for _, r := range StaleResources(newRes, now) {
		s.ToVerify = append(s.ToVerify, r.ID)
	}
	for _, l := range [][]string{s.Added, s.Removed, s.Changed, s.ResAdded, s.ResRemoved, s.ResChanged, s.ToVerify} {
		sort.Strings(l)
	}
	for _, ids := range s.Texts {
		sort.Strings(ids)
	}
	s.Coverage = coverageOfFlow(new)
	return s
}

// Empty reports whether no node and no resource changed.
func (s Summary) Empty() bool {
	return len(s.Added)+len(s.Removed)+len(s.Changed)+len(s.ResAdded)+len(s.ResRemoved)+len(s.ResChanged) == 0
}

// coverageOfFlow counts the translated texts of a loaded flow (node texts,
// button labels, retry texts) and of the directory entries it cites, per
// language the product speaks. CoverageOf does the same on a YAML document,
// even one that fails validation.
func coverageOfFlow(f *Flow) Coverage {
	c := Coverage{Done: map[string]int{}}
	if f == nil {
		return c
	}
	count := func(t Text) {
		if t == nil {
			return
		}
		c.Total++
		for lang, s := range t {
			if s != "" {
				c.Done[lang]++
			}
		}
	}
	cited := map[string]bool{}
	for _, n := range f.Nodes {
		for _, t := range textsOf(n) {
			count(t)
		}
		for _, id := range n.Resources {
			cited[id] = true
		}
	}
	for id := range cited {
		if r := f.Resources[id]; r != nil {
			for _, t := range []Text{r.Name, r.For, r.Hours, r.Address} {
				count(t)
			}
		}
	}
	return c
}

func nodesOf(f *Flow) map[string]*Node {
	if f == nil {
		return nil
	}
	return f.Nodes
}

func resourcesOf(f *Flow) map[string]*Resource {
	if f == nil {
		return nil
	}
	return f.Resources
}

// textsOf lists the translated texts of a node a person reads: its text, the
// labels of its buttons and the retry text of its question.
func textsOf(n *Node) []Text {
	out := []Text{n.Text}
	if n.Handoff != nil {
		out = append(out, n.Handoff.Confirm)
	}
	for _, o := range n.Options {
		out = append(out, o.Label)
	}
	out = append(out, n.Skip)
	if n.Ask != nil {
		out = append(out, n.Ask.Retry)
	}
	return out
}

// nodeTexts is what a node says in lang, in a fixed order.
func nodeTexts(n *Node, lang string) []string {
	ts := textsOf(n)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t[lang]
	}
	return out
}

// sameNode compares what the file says of two nodes (not what is rendered at
// load: the buttons carry the version).
func sameNode(a, b *Node) bool {
	return a.Kind == b.Kind && reflect.DeepEqual(a.Text, b.Text) && reflect.DeepEqual(a.Resources, b.Resources) &&
		reflect.DeepEqual(a.Options, b.Options) && a.Next == b.Next && sameAsk(a.Ask, b.Ask) &&
		reflect.DeepEqual(a.Skip, b.Skip) && reflect.DeepEqual(a.Routes, b.Routes) &&
		reflect.DeepEqual(a.Handoff, b.Handoff) && a.Unavailable == b.Unavailable &&
		a.Ateliers == b.Ateliers
}

func sameAsk(a, b *Ask) bool {
	if a == nil || b == nil {
		return a == b
	}
	pa, pb := "", ""
	if a.Pattern != nil {
		pa = a.Pattern.String()
	}
	if b.Pattern != nil {
		pb = b.Pattern.String()
	}
	return a.Var == b.Var && a.Type == b.Type && pa == pb && reflect.DeepEqual(a.Retry, b.Retry) &&
		(a.Pattern == nil) == (b.Pattern == nil)
}
