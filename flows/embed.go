// Package flows holds the decision trees the bot ships with, their resource
// directory, the volunteers' canned replies and the JSON Schema admins'
// editors use, and loads a directory of them.
package flows

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/boussole/boussole/internal/flow"
)

// FS holds the shipped flows, resources.yaml and schema.json.
//
//go:embed *.yaml schema.json
var FS embed.FS

// ResourcesFile is the name of the directory of services in a flows folder.
const ResourcesFile = "resources.yaml"

// Set is every flow of a folder, by id.
type Set map[string]*flow.Flow

// Load reads every *.yaml of dir in fsys as a flow, each validated with the
// folder's resources.yaml. Problems hold everything found; a flow with an
// error is left out of the set. The volunteers' canned replies
// (modeles.yaml), when the folder has them, are checked too: an error in
// them is returned as the error, so a broken file is never published.
func Load(fsys fs.FS, dir string) (Set, flow.Problems, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(names)
	resPath := path.Join(dir, ResourcesFile)
	res, err := fs.ReadFile(fsys, resPath)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", resPath, err)
	}
	set := Set{}
	var probs flow.Problems
	resOnce := false
	for _, name := range names {
		switch path.Base(name) {
		case ResourcesFile:
			continue
		case TemplatesFile:
			if _, err := LoadTemplates(fsys, name); err != nil {
				return nil, nil, err
			}
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		f, ps := flow.Load(flow.Source{Name: name, Data: data}, flow.Source{Name: resPath, Data: res})
		if resOnce {
			ps = dropFile(ps, resPath) // the shared directory is reported once
		}
		resOnce = true
		probs = append(probs, ps...)
		if f == nil {
			continue
		}
		if set[f.ID] != nil {
			return nil, probs, fmt.Errorf("%s: flow id %q is used by two files", name, f.ID)
		}
		set[f.ID] = f
	}
	probs.Sort()
	return set, probs, nil
}

// Default loads the flows shipped in the binary.
func Default() (Set, error) {
	set, probs, err := Load(FS, ".")
	if err != nil {
		return nil, err
	}
	if errs := probs.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return set, nil
}

func dropFile(ps flow.Problems, file string) flow.Problems {
	out := ps[:0:0]
	for _, p := range ps {
		if p.File != file {
			out = append(out, p)
		}
	}
	return out
}
