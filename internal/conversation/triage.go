package conversation

import (
	"sync"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/triage"
)

// Triage of free text: internal/triage decides whether a message is a cry
// for help and of which class; the flow only says where each class leads.

// Classifier returns the classifier of a flow: the built-in lexicon extended
// by the terms of the flow's emergency section. It is built once per loaded
// flow (a flow is immutable; a new version is a new value) and kept.
func Classifier(f *flow.Flow) *triage.Classifier {
	return classifiers.get(f)
}

// triageText turns a free text that triage finds alarming into an emergency
// input of its class; any other input is returned as is.
func triageText(f *flow.Flow, in flow.Input) flow.Input {
	if in.Kind != flow.InText || f == nil {
		return in
	}
	if m := Classifier(f).Classify(in.Text); m.Class != "" {
		return flow.Input{Kind: flow.InEmergency, Class: m.Class, Text: in.Text}
	}
	return in
}

// maxClassifiers bounds the cache: the live flow, a draft or two, and the
// versions people are still finishing.
const maxClassifiers = 8

// classifierCache holds the classifiers of the flows seen lately.
type classifierCache struct {
	mu sync.Mutex
	m  map[*flow.Flow]*triage.Classifier
}

var classifiers = classifierCache{m: map[*flow.Flow]*triage.Classifier{}}

func (c *classifierCache) get(f *flow.Flow) *triage.Classifier {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.m[f]; ok {
		return cl
	}
	cl, err := triage.New(f.Emergency.Lexicon())
	if err != nil {
		// The flow's validation refuses such terms; should one slip through,
		// the built-in lexicon still catches cries for help.
		cl, _ = triage.New(nil)
	}
	if len(c.m) >= maxClassifiers {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[f] = cl
	return cl
}
