package flow

// prepare renders every node and builds every button once, at load, so that
// Step only picks precomputed values.
func (f *Flow) prepare() {
	for _, n := range f.Nodes {
		n.rendered = make(map[string]string, len(f.Languages))
		n.buttons = make(map[string][]Button, len(f.Languages))
		n.folded = make(map[string][]string, len(f.Languages))
		for _, lang := range f.Languages {
			n.rendered[lang] = render(n, f.Resources, lang)
			var bs []Button
			if n.Handoff != nil {
				bs = append(bs, Button{n.Handoff.Confirm[lang], callbackData(f.Version, n.ID, "h")})
			}
			for i, o := range n.Options {
				bs = append(bs, Button{o.Label[lang], callbackData(f.Version, n.ID, itoa(i))})
			}
			if n.Skip != nil {
				bs = append(bs, Button{n.Skip[lang], callbackData(f.Version, n.ID, "s")})
			}
			n.buttons[lang] = bs
			folded := make([]string, len(bs))
			for i, b := range bs {
				folded[i] = normalize(b.Label)
			}
			n.folded[lang] = folded
		}
	}
}
