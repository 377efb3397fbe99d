package flow

import "sort"

// Gap is a translation to look at: a text of Node missing in Lang, or, with
// Same, a text identical in French and Arabic (Lang is then ""), most likely
// copied and never translated.
type Gap struct {
	Node, Lang string
	Same       bool
}

// Translations lists the gaps of the node texts and button labels of a
// flow, in every language the product speaks, sorted by node (then by
// language, Same first). A loaded flow has every text in its own languages:
// the gaps are the languages it does not declare and the texts left
// identical.
func Translations(f *Flow) []Gap {
	var out []Gap
	for id, n := range f.Nodes {
		same := false
		missing := map[string]bool{}
		for _, t := range textsOf(n) {
			if t == nil {
				continue
			}
			for _, lang := range knownLanguages {
				if t[lang] == "" {
					missing[lang] = true
				}
			}
			if t["fr"] != "" && t["fr"] == t["ar"] {
				same = true
			}
		}
		if same {
			out = append(out, Gap{Node: id, Same: true})
		}
		for _, lang := range knownLanguages {
			if missing[lang] {
				out = append(out, Gap{Node: id, Lang: lang})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Node != out[j].Node {
			return out[i].Node < out[j].Node
		}
		return out[i].Lang < out[j].Lang
	})
	return out
}

// Unreachable lists the services of a directory that give no way to reach
// them (no phone, SMS number, link nor address: see Resource.Reachable),
// sorted. They are never shown to a family.
func Unreachable(res map[string]*Resource) []string {
	var out []string
	for id, r := range res {
		if !r.Reachable() {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
