package flow

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Source is a named YAML document: a flow or the resource directory.
type Source struct {
	Name string
	Data []byte
}

// Load decodes and validates a flow together with the resource directory it
// uses. It returns every problem found; the flow is nil when any of them is an
// error, so a flow that fails validation can never be used.
func Load(flowSrc, resSrc Source) (*Flow, Problems) {
	fd := &decoder{file: flowSrc.Name}
	f, src := fd.flow(flowSrc.Data)
	var langs []string
	if f != nil {
		langs = f.Languages
	}
	rd := &decoder{file: resSrc.Name}
	res, resNodes := rd.resources(resSrc.Data, langs)
	if f != nil {
		f.Resources = res
		(&validator{flow: f, src: src, resNodes: resNodes, d: fd}).run()
	}
	probs := append(append(Problems{}, fd.probs...), rd.probs...)
	probs.Sort()
	if f == nil || len(probs.Errors()) > 0 {
		return nil, probs
	}
	h := sha256.New()
	h.Write(flowSrc.Data)
	h.Write([]byte{0})
	h.Write(resSrc.Data)
	f.Version = hex.EncodeToString(h.Sum(nil))[:8]
	f.prepare()
	return f, probs
}

// LoadResources decodes and checks the resource directory alone, in every
// language the product speaks.
func LoadResources(src Source) (map[string]*Resource, Problems) {
	d := &decoder{file: src.Name}
	res, _ := d.resources(src.Data, knownLanguages)
	d.probs.Sort()
	return res, d.probs
}

// nodeSrc keeps the YAML of a node, for located errors after decoding.
type nodeSrc struct {
	key    *yaml.Node
	fields map[string]field
	gotos  []gotoRef
}

type gotoRef struct {
	target string
	pos    *yaml.Node
}

// flowSrc keeps the YAML positions the graph checks need.
type flowSrc struct {
	root   *yaml.Node
	start  *yaml.Node
	menu   *yaml.Node
	egotos []gotoRef // the goto of each emergency class
	nodes  map[string]*nodeSrc
	order  []string
	nodesN *yaml.Node
}

var (
	flowKeys         = []string{"id", "languages", "start", "menu", "emergency", "nodes"}
	requiredFlowKeys = []string{"id", "languages", "start", "emergency", "nodes"}
)

func (d *decoder) flow(data []byte) (*Flow, *flowSrc) {
	root := d.parse(data)
	if root == nil {
		return nil, nil
	}
	fs, _ := d.fields(root, "flow", flowKeys, requiredFlowKeys)
	if fs == nil {
		return nil, nil
	}
	f := &Flow{Nodes: map[string]*Node{}}
	src := &flowSrc{root: root, nodes: map[string]*nodeSrc{}}
	if v, ok := fs["id"]; ok {
		f.ID, _ = d.id(v.val, "id")
	}
	if v, ok := fs["languages"]; ok {
		for _, n := range d.list(v.val, "languages") {
			lang, ok := d.str(n, "languages")
			switch {
			case !ok:
			case !contains(knownLanguages, lang):
				d.errorf(n, CodeUnknownLanguage, "lang", lang, "key", "languages", "allowed", "fr, ar")
			case contains(f.Languages, lang):
				d.errorf(n, CodeDuplicateLanguage, "lang", lang)
			default:
				f.Languages = append(f.Languages, lang)
			}
		}
		if len(f.Languages) == 0 && len(v.val.Content) == 0 {
			d.errorf(v.val, CodeMissingKey, "key", "fr", "in", "languages")
		}
	}
	if v, ok := fs["start"]; ok {
		f.Start, _ = d.id(v.val, "start")
		src.start = v.val
	}
	if v, ok := fs["menu"]; ok {
		f.Menu, _ = d.id(v.val, "menu")
		src.menu = v.val
	}
	if v, ok := fs["emergency"]; ok {
		f.Emergency, src.egotos = d.emergency(v.val, f.Languages)
	}
	if v, ok := fs["nodes"]; ok {
		src.nodesN = v.val
		nodes, order := d.fields(v.val, "nodes", nil, nil)
		if len(order) > MaxNodes {
			d.errorf(v.val, CodeTooManyNodes, "count", strconv.Itoa(len(order)), "max", strconv.Itoa(MaxNodes))
		}
		for _, id := range order {
			nf := nodes[id]
			if _, ok := d.id(nf.key, "nodes"); !ok {
				continue
			}
			n, ns := d.node(id, nf, f.Languages)
			if n != nil {
				f.Nodes[id] = n
				src.nodes[id] = ns
				src.order = append(src.order, id)
				f.order = append(f.order, id)
			}
		}
	}
	return f, src
}
