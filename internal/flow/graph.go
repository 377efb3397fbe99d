package flow

import (
	"fmt"
	"sort"
	"strings"
)

// Mermaid draws the flow as a Mermaid flowchart, labels in lang: one box per
// node, one arrow per way out, labelled with the button that takes it; a
// handoff node's dotted arrows go to the volunteer and, labelled
// "unavailable", to where it leads when no desk answers.
func (f *Flow) Mermaid(lang string) string {
	ids := make([]string, 0, len(f.Nodes))
	for id := range f.Nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	fmt.Fprintf(&b, "    start((start)) --> %s\n", f.Start)
	for _, c := range f.Emergency.Classes {
		fmt.Fprintf(&b, "    emergency_%s{{emergency: %s}} -.-> %s\n", c.Name, c.Name, c.Goto)
	}
	shapes := map[Kind][2]string{
		KindMessage: {"[", "]"}, KindInput: {"[/", "/]"}, KindRoute: {"{", "}"},
		KindHandoff: {"[[", "]]"}, KindEnd: {"([", "])"}, KindErase: {"([", "])"},
	}
	for _, id := range ids {
		n := f.Nodes[id]
		sh := shapes[n.Kind]
		fmt.Fprintf(&b, "    %s%s\"%s<br/><i>%s</i>\"%s\n", id, sh[0], id, n.Kind, sh[1])
	}
	for _, id := range ids {
		n := f.Nodes[id]
		for _, o := range n.Options {
			fmt.Fprintf(&b, "    %s -- \"%s\" --> %s\n", id, mermaidEscape(o.Label[lang]), o.Goto)
		}
		for _, r := range n.Routes {
			fmt.Fprintf(&b, "    %s -- \"%s\" --> %s\n", id, mermaidEscape(condition(r.When)), r.Goto)
		}
		if n.Next != "" {
			fmt.Fprintf(&b, "    %s --> %s\n", id, n.Next)
		}
		if n.Handoff != nil {
			fmt.Fprintf(&b, "    %s -. \"%s\" .-> human((volunteer))\n", id, mermaidEscape(n.Handoff.Confirm[lang]))
		}
		if n.Unavailable != "" {
			fmt.Fprintf(&b, "    %s -. \"unavailable\" .-> %s\n", id, n.Unavailable)
		}
	}
	return b.String()
}

func condition(when map[string][]string) string {
	if len(when) == 0 {
		return "otherwise"
	}
	names := make([]string, 0, len(when))
	for k := range when {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + " = " + strings.Join(when[k], " | ")
	}
	return strings.Join(parts, ", ")
}

func mermaidEscape(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ").Replace(s)
}
