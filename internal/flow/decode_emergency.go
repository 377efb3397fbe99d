package flow

import (
	"go.yaml.in/yaml/v3"
)

// writings are the kinds of writing emergency terms are given in: the flow's
// languages, and Darija in Latin letters.
var writings = []string{"fr", "ar", "latin"}

// emergency reads the emergency section, in one of two forms:
//
//	emergency:                       # one class per kind of alarm
//	  classes:
//	    danger:  {goto: urgence, terms: {fr: [menacer], ar: [هدد], latin: [khatar]}}
//	    suicide: {goto: suicide}
//
//	emergency: {goto: urgence, keywords: {fr: [...], ar: [...]}}   # older: one class, danger
//
// Terms extend the built-in lexicon of internal/triage; they are optional.
func (d *decoder) emergency(n *yaml.Node, langs []string) (Emergency, []gotoRef) {
	var e Emergency
	fs, _ := d.fields(n, "emergency", []string{"classes", "goto", "keywords"}, nil)
	if fs == nil {
		return e, nil
	}
	cl, hasClasses := fs["classes"]
	if !hasClasses {
		return d.emergencyLegacy(n, fs, langs)
	}
	for _, k := range []string{"goto", "keywords"} {
		if f, ok := fs[k]; ok {
			d.errorf(f.key, CodeEmergencyForms, "key", k)
		}
	}
	classes, order := d.fields(cl.val, "emergency.classes", nil, nil)
	var gotos []gotoRef
	for _, name := range order {
		f := classes[name]
		if _, ok := d.id(f.key, "emergency.classes"); !ok {
			continue
		}
		c, g := d.emergencyClass(name, f.val)
		e.Classes = append(e.Classes, c)
		if g.pos != nil {
			gotos = append(gotos, g)
		}
	}
	if classes != nil && classes[DefaultClass].key == nil {
		d.errorf(cl.val, CodeMissingKey, "key", DefaultClass, "in", "emergency.classes")
	}
	return e, gotos
}

// emergencyClass reads one class: its goto and its terms per writing.
func (d *decoder) emergencyClass(name string, n *yaml.Node) (EmergencyClass, gotoRef) {
	c := EmergencyClass{Name: name}
	what := "emergency.classes." + name
	fs, _ := d.fields(n, what, []string{"goto", "terms"}, []string{"goto"})
	if fs == nil {
		return c, gotoRef{}
	}
	var g gotoRef
	if v, ok := fs["goto"]; ok {
		if id, ok := d.id(v.val, what+".goto"); ok {
			c.Goto, g = id, gotoRef{id, v.val}
		}
	}
	if v, ok := fs["terms"]; ok {
		c.Terms = d.terms(v.val, what+".terms", nil)
	}
	return c, g
}

// terms reads lists of terms keyed by writing; required lists the writings
// that must be there.
func (d *decoder) terms(n *yaml.Node, what string, required []string) map[string][]string {
	kws, order := d.fields(n, what, writings, required)
	if kws == nil {
		return nil
	}
	out := make(map[string][]string, len(order))
	for _, w := range order {
		for _, k := range d.list(kws[w].val, what+"."+w) {
			s, ok := d.str(k, what+"."+w)
			if !ok {
				continue
			}
			if normalize(s) == "" {
				d.errorf(k, CodeEmptyText, "key", what, "lang", w)
				continue
			}
			out[w] = append(out[w], s)
		}
		if len(out[w]) == 0 {
			d.errorf(kws[w].val, CodeNoKeywords, "lang", w)
		}
	}
	return out
}

// emergencyLegacy reads the older form, goto and keywords: one class,
// danger, with keywords in every language of the flow.
func (d *decoder) emergencyLegacy(n *yaml.Node, fs map[string]field, langs []string) (Emergency, []gotoRef) {
	c := EmergencyClass{Name: DefaultClass}
	var gotos []gotoRef
	v, ok := fs["goto"]
	if !ok {
		d.errorf(n, CodeMissingKey, "key", "classes", "in", "emergency")
		return Emergency{}, nil
	}
	if id, ok := d.id(v.val, "emergency.goto"); ok {
		c.Goto = id
		gotos = append(gotos, gotoRef{id, v.val})
	}
	if v, ok := fs["keywords"]; ok {
		c.Terms = d.terms(v.val, "emergency.keywords", langs)
	}
	return Emergency{Classes: []EmergencyClass{c}}, gotos
}
