package flow

import "go.yaml.in/yaml/v3"

// Coverage counts, per language, how many of a file's texts are translated.
// A text is any mapping whose keys are all language codes. It works on files
// that fail validation too, so an admin sees how far a translation has got.
type Coverage struct {
	Total int
	Done  map[string]int
}

// CoverageOf reads a YAML document and counts its translated texts.
func CoverageOf(data []byte) Coverage {
	c := Coverage{Done: map[string]int{}}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || hasAlias(&doc) {
		return c
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if isText(n) {
			c.Total++
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i+1].Value != "" {
					c.Done[n.Content[i].Value]++
				}
			}
			return
		}
		for _, ch := range n.Content {
			walk(ch)
		}
	}
	walk(&doc)
	return c
}

func isText(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return false
	}
	for i := 0; i < len(n.Content); i += 2 {
		if !contains(knownLanguages, n.Content[i].Value) || n.Content[i+1].Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}
