package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
)

// embeddedPrefix names the shipped resource directory in messages.
const embeddedPrefix = "(embedded) "

// loadFlow returns the flow to talk to: the given file (with the
// resources.yaml beside it, or the shipped one) or the shipped orientation.
func loadFlow(file string) (*flow.Flow, flow.Problems, error) {
	if file == "" {
		set, err := flows.Default()
		if err != nil {
			return nil, nil, err
		}
		return set["orientation"], nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	resName := filepath.Join(filepath.Dir(file), flows.ResourcesFile)
	res, err := os.ReadFile(resName)
	if os.IsNotExist(err) {
		resName = embeddedPrefix + flows.ResourcesFile
		res, err = flows.FS.ReadFile(flows.ResourcesFile)
	}
	if err != nil {
		return nil, nil, err
	}
	f, probs := flow.Load(flow.Source{Name: file, Data: data}, flow.Source{Name: resName, Data: res})
	if f == nil {
		return nil, probs, fmt.Errorf("%s: the flow has errors; run: boussole flows check %s", file, file)
	}
	return f, probs, nil
}
