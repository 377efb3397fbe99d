package flow

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var nodeKeys = []string{"text", "resources", "options", "next", "input", "skip", "route", "handoff", "unavailable", "end", "erase", "ateliers"}

// node decodes one node; its kind is given by which of input, route, handoff
// or end it holds (none: a message).
func (d *decoder) node(id string, nf field, langs []string) (*Node, *nodeSrc) {
	fs, _ := d.fields(nf.val, "nodes."+id, nodeKeys, nil)
	if fs == nil {
		return nil, nil
	}
	n := &Node{ID: id, Kind: KindMessage}
	src := &nodeSrc{key: nf.key, fields: fs}
	var kinds []string
	for _, k := range []Kind{KindInput, KindRoute, KindHandoff, KindEnd, KindErase} {
		if _, ok := fs[string(k)]; ok {
			kinds = append(kinds, string(k))
			n.Kind = k
		}
	}
	if len(kinds) > 1 {
		d.errorf(nf.key, CodeConflictingKinds, "node", id, "kinds", strings.Join(kinds, ", "))
	}
	where := "nodes." + id
	allowedFor := map[Kind][]string{
		KindMessage: {"text", "resources", "options", "next", "ateliers"},
		KindInput:   {"text", "input", "skip", "next"},
		KindRoute:   {"route"},
		KindHandoff: {"text", "handoff", "unavailable", "options"},
		KindEnd:     {"text", "resources", "end"},
		KindErase:   {"erase"},
	}
	requiredFor := map[Kind][]string{
		KindMessage: {"text"},
		KindInput:   {"text", "next"},
		KindHandoff: {"text", "unavailable"},
		KindEnd:     {"text"},
	}
	if len(kinds) <= 1 {
		for name, f := range fs {
			if !contains(allowedFor[n.Kind], name) {
				d.errorf(f.key, CodeUnknownKey, "key", name, "in", where+" ("+string(n.Kind)+")",
					"allowed", strings.Join(allowedFor[n.Kind], ", "))
			}
		}
		for _, r := range requiredFor[n.Kind] {
			if _, ok := fs[r]; !ok {
				d.errorf(nf.key, CodeMissingKey, "key", r, "in", where)
			}
		}
	}
	if f, ok := fs["text"]; ok {
		n.Text = d.text(f.val, where+".text", langs)
	}
	if f, ok := fs["resources"]; ok {
		for _, r := range d.list(f.val, where+".resources") {
			if rid, ok := d.id(r, where+".resources"); ok {
				n.Resources = append(n.Resources, rid)
			}
		}
	}
	if f, ok := fs["options"]; ok {
		items := d.list(f.val, where+".options")
		if len(items) > MaxOptions {
			d.errorf(f.val, CodeTooManyOptions, "node", id, "count", itoa(len(items)), "max", itoa(MaxOptions))
		}
		if len(items) == 0 && f.val.Kind == yaml.SequenceNode {
			d.errorf(f.val, CodeNoWayOut, "node", id)
		}
		for _, it := range items {
			n.Options = append(n.Options, d.option(it, where+".options", langs, src))
		}
	}
	if f, ok := fs["next"]; ok {
		if _, has := fs["options"]; has && n.Kind == KindMessage {
			d.errorf(f.key, CodeOptionsAndNext, "node", id)
		}
		n.Next = d.gotoRef(f.val, where+".next", src)
	}
	if f, ok := fs["input"]; ok {
		n.Ask = d.input(f.val, where+".input", langs)
	}
	if f, ok := fs["skip"]; ok {
		n.Skip = d.text(f.val, where+".skip", langs)
		d.checkLabel(f.val, n.Skip, where+".skip")
	}
	if f, ok := fs["route"]; ok {
		n.Routes = d.routes(f.val, id, src)
	}
	if f, ok := fs["handoff"]; ok {
		n.Handoff = d.handoff(f.val, where+".handoff", langs)
	}
	if f, ok := fs["unavailable"]; ok {
		n.Unavailable = d.gotoRef(f.val, where+".unavailable", src)
	}
	if f, ok := fs["ateliers"]; ok {
		if f.val.Tag != "!!bool" {
			d.errorf(f.val, CodeNotBool, "key", where+".ateliers")
		} else {
			n.Ateliers = f.val.Value == "true"
		}
	}
	for _, key := range []string{"end", "erase"} {
		if f, ok := fs[key]; ok {
			if f.val.Tag != "!!bool" || f.val.Value != "true" {
				d.errorf(f.val, CodeWrongType, "key", where+"."+key, "want", "true")
			}
		}
	}
	return n, src
}

func (d *decoder) gotoRef(n *yaml.Node, what string, src *nodeSrc) string {
	target, ok := d.id(n, what)
	if ok {
		src.gotos = append(src.gotos, gotoRef{target, n})
	}
	return target
}

func (d *decoder) option(n *yaml.Node, what string, langs []string, src *nodeSrc) Option {
	var o Option
	fs, _ := d.fields(n, what, []string{"label", "set", "goto", "resume"}, []string{"label", "goto"})
	if fs == nil {
		return o
	}
	if f, ok := fs["label"]; ok {
		o.Label = d.text(f.val, what+".label", langs)
		d.checkLabel(f.val, o.Label, what+".label")
	}
	if f, ok := fs["set"]; ok {
		o.Set = d.vars(f.val, what+".set")
	}
	if f, ok := fs["goto"]; ok {
		o.Goto = d.gotoRef(f.val, what+".goto", src)
	}
	if f, ok := fs["resume"]; ok {
		if f.val.Tag != "!!bool" || f.val.Value != "true" {
			d.errorf(f.val, CodeWrongType, "key", what+".resume", "want", "true")
		}
		o.Resume = true
	}
	return o
}

// checkLabel keeps button labels short enough to read on a phone.
func (d *decoder) checkLabel(n *yaml.Node, t Text, what string) {
	for lang, s := range t {
		if c := len([]rune(s)); c > MaxLabelRunes {
			d.errorf(n, CodeLabelTooLong, "key", what, "lang", lang, "count", itoa(c), "max", itoa(MaxLabelRunes))
		}
	}
}

func (d *decoder) vars(n *yaml.Node, what string) map[string]string {
	fs, order := d.fields(n, what, nil, nil)
	out := make(map[string]string, len(order))
	for _, name := range order {
		f := fs[name]
		if _, ok := d.id(f.key, what); !ok {
			continue
		}
		if v, ok := d.str(f.val, what+"."+name); ok {
			if len(v) > MaxValueLen || v == "" {
				d.errorf(f.val, CodeBadValue, "key", what+"."+name, "max", itoa(MaxValueLen))
				continue
			}
			out[name] = v
		}
	}
	return out
}

func (d *decoder) input(n *yaml.Node, what string, langs []string) *Ask {
	fs, _ := d.fields(n, what, []string{"var", "type", "pattern", "retry"}, []string{"var"})
	if fs == nil {
		return nil
	}
	in := &Ask{}
	if f, ok := fs["type"]; ok {
		if s, ok := d.str(f.val, what+".type"); ok {
			if s != TypeArrondissement {
				d.errorf(f.val, CodeWrongType, "key", what+".type", "want", "type: "+TypeArrondissement)
			}
			in.Type = s
		}
		if _, both := fs["pattern"]; both {
			d.errorf(f.key, CodeUnknownKey, "key", "pattern", "in", what, "allowed", "var, type")
		}
	} else if _, ok := fs["retry"]; !ok {
		d.errorf(n, CodeMissingKey, "key", "retry", "in", what)
	}
	if f, ok := fs["var"]; ok {
		in.Var, _ = d.id(f.val, what+".var")
	}
	if f, ok := fs["pattern"]; ok {
		if s, ok := d.str(f.val, what+".pattern"); ok {
			re, err := regexp.Compile(s)
			if err != nil {
				d.errorf(f.val, CodeBadPattern, "pattern", s, "detail", err.Error())
			} else {
				in.Pattern = re
			}
		}
	}
	if f, ok := fs["retry"]; ok {
		in.Retry = d.text(f.val, what+".retry", langs)
	}
	return in
}

func (d *decoder) routes(n *yaml.Node, id string, src *nodeSrc) []Route {
	what := "nodes." + id + ".route"
	items := d.list(n, what)
	var out []Route
	for i, it := range items {
		fs, _ := d.fields(it, what, []string{"when", "goto"}, []string{"goto"})
		if fs == nil {
			continue
		}
		var r Route
		if f, ok := fs["when"]; ok {
			r.When = d.condition(f.val, what+".when")
		} else if i < len(items)-1 {
			d.errorf(it, CodeRouteDefaultEarly, "node", id)
		}
		if f, ok := fs["goto"]; ok {
			r.Goto = d.gotoRef(f.val, what+".goto", src)
		}
		out = append(out, r)
	}
	if len(items) == 0 || len(out) > 0 && out[len(out)-1].When != nil {
		d.errorf(n, CodeRouteNoDefault, "node", id)
	}
	return out
}

// condition reads {var: value} or {var: [values]}: every variable must hold
// one of its values.
func (d *decoder) condition(n *yaml.Node, what string) map[string][]string {
	fs, order := d.fields(n, what, nil, nil)
	out := make(map[string][]string, len(order))
	for _, name := range order {
		f := fs[name]
		if _, ok := d.id(f.key, what); !ok {
			continue
		}
		if f.val.Kind == yaml.SequenceNode {
			for _, v := range f.val.Content {
				if s, ok := d.str(v, what+"."+name); ok {
					out[name] = append(out[name], s)
				}
			}
			continue
		}
		if s, ok := d.str(f.val, what+"."+name); ok {
			out[name] = []string{s}
		}
	}
	if len(out) == 0 {
		d.errorf(n, CodeMissingKey, "key", "variable", "in", what)
	}
	return out
}

func (d *decoder) handoff(n *yaml.Node, what string, langs []string) *Handoff {
	fs, _ := d.fields(n, what, []string{"category", "priority", "confirm"}, []string{"category", "confirm"})
	if fs == nil {
		return nil
	}
	h := &Handoff{Priority: PriorityNormal}
	if f, ok := fs["category"]; ok {
		if c, ok := d.id(f.val, what+".category"); ok && !contains(Categories, c) {
			d.errorf(f.val, CodeBadCategory, "category", c, "allowed", strings.Join(Categories, ", "))
		} else {
			h.Category = c
		}
	}
	if f, ok := fs["priority"]; ok {
		if s, ok := d.str(f.val, what+".priority"); ok {
			switch p := Priority(s); p {
			case PriorityNormal, PriorityHigh, PriorityUrgent:
				h.Priority = p
			default:
				d.errorf(f.val, CodeBadPriority, "priority", s)
			}
		}
	}
	if f, ok := fs["confirm"]; ok {
		h.Confirm = d.text(f.val, what+".confirm", langs)
		d.checkLabel(f.val, h.Confirm, what+".confirm")
	}
	return h
}
