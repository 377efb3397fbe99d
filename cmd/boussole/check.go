package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// runCheck validates flows, prints every problem located and translated, the
// translation coverage and the resources to verify; exit status 1 on any error.
func runCheck(args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("flows check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "fr", "language of the messages (fr, ar or en)")
	if err := fset.Parse(flagsFirst(args)); err != nil {
		return exitCode(2)
	}
	b, err := i18n.New()
	if err != nil {
		return err
	}
	paths := fset.Args()
	var probs flow.Problems
	var covered []coverageLine
	var resources map[string]*flow.Resource
	if len(paths) == 0 {
		p, c, r, err := checkFS(flows.FS, ".", "flows")
		if err != nil {
			return err
		}
		probs, covered, resources = p, c, r
	}
	for _, p := range paths {
		ps, c, r, err := checkPath(p)
		if err != nil {
			return err
		}
		probs = append(probs, ps...)
		covered = append(covered, c...)
		if resources == nil {
			resources = r
		}
	}
	probs.Sort()
	for _, p := range probs {
		if p.Severity == flow.Warning && strings.HasPrefix(p.File, embeddedPrefix) {
			continue // the shipped directory's own reminders are not this file's business
		}
		fmt.Fprintln(stdout, b.Problem(*lang, p))
	}
	for _, c := range covered {
		for _, l := range []string{"fr", "ar"} {
			pct := 100
			if c.cov.Total > 0 {
				pct = c.cov.Done[l] * 100 / c.cov.Total
			}
			fmt.Fprintf(stdout, "%s: %s\n", c.file, b.T(*lang, "check_coverage", map[string]string{
				"lang": l, "done": itoa(c.cov.Done[l]), "total": itoa(c.cov.Total), "percent": itoa(pct)}))
		}
	}
	stale := flow.StaleResources(resources, time.Now())
	sort.Slice(stale, func(i, j int) bool { return stale[i].ID < stale[j].ID })
	for _, r := range stale {
		if r.VerifiedOn == "" {
			continue // already reported as never verified
		}
		fmt.Fprintln(stdout, b.T(*lang, "check_stale", map[string]string{"resource": r.ID}))
	}
	nerr, nwarn := len(probs.Errors()), 0
	for _, p := range probs.Warnings() {
		if !strings.HasPrefix(p.File, embeddedPrefix) {
			nwarn++
		}
	}
	fmt.Fprintln(stdout, b.Plural(*lang, "check_errors", nerr, nil))
	fmt.Fprintln(stdout, b.Plural(*lang, "check_warnings", nwarn, nil))
	if nerr > 0 {
		return exitCode(1)
	}
	return nil
}

type coverageLine struct {
	file string
	cov  flow.Coverage
}

// checkPath checks a folder of flows, one flow file (with the resources.yaml
// beside it) or the resources file alone.
func checkPath(p string) (flow.Problems, []coverageLine, map[string]*flow.Resource, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, nil, err
	}
	if st.IsDir() {
		return checkFS(os.DirFS(p), ".", p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, nil, err
	}
	cov := []coverageLine{{p, flow.CoverageOf(data)}}
	if filepath.Base(p) == flows.ResourcesFile {
		res, probs := flow.LoadResources(flow.Source{Name: p, Data: data})
		return probs, cov, res, nil
	}
	_, probs, err := loadFlow(p)
	if len(probs) == 0 && err != nil {
		return nil, nil, nil, err
	}
	return probs, cov, nil, nil
}

// checkFS checks every flow of a folder; file names are shown under prefix.
func checkFS(fsys fs.FS, dir, prefix string) (flow.Problems, []coverageLine, map[string]*flow.Resource, error) {
	set, probs, err := flows.Load(fsys, dir)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range probs {
		probs[i].File = filepath.Join(prefix, probs[i].File)
	}
	names, _ := fs.Glob(fsys, "*.yaml")
	var cov []coverageLine
	for _, n := range names {
		data, _ := fs.ReadFile(fsys, n)
		cov = append(cov, coverageLine{filepath.Join(prefix, n), flow.CoverageOf(data)})
	}
	var res map[string]*flow.Resource
	for _, f := range set {
		res = f.Resources
		break
	}
	if res == nil {
		data, _ := fs.ReadFile(fsys, flows.ResourcesFile)
		res, _ = flow.LoadResources(flow.Source{Name: flows.ResourcesFile, Data: data})
	}
	return probs, cov, res, nil
}

func itoa(n int) string { return fmt.Sprint(n) }

// flagsFirst moves flags before paths, so that `flows check flows/ --lang ar`
// works as an admin would type it. Every flag of the command takes a value.
func flagsFirst(args []string) []string {
	var flags, paths []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			paths = append(paths, args[i+1:]...)
			return append(append(flags, "--"), paths...)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			paths = append(paths, a)
		}
	}
	return append(flags, paths...)
}
