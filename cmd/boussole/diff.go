package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// shippedFlowFile is the shipped flow a resources.yaml is diffed with.
const shippedFlowFile = "orientation.yaml"

// runDiff prints what changed between two versions of a flow (or of the
// directory), as admins read it on Telegram; if either side fails
// validation, its problems as `flows check` prints them, and exit status 1.
func runDiff(args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("flows diff", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "fr", "language of the summary (fr, ar or en)")
	if err := fset.Parse(flagsFirst(args)); err != nil {
		return exitCode(2)
	}
	if fset.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: boussole flows diff [--lang fr|ar|en] OLD NEW (each a flow file or a resources.yaml)")
		return exitCode(2)
	}
	b, err := i18n.New()
	if err != nil {
		return err
	}
	var sides [2]*flow.Flow
	var probs flow.Problems
	for i, p := range fset.Args() {
		f, ps, err := loadSide(p)
		if err != nil {
			return err
		}
		if f == nil {
			probs = append(probs, ps...)
		}
		sides[i] = f
	}
	if sides[0] == nil || sides[1] == nil {
		probs.Sort()
		nwarn := 0
		for _, p := range probs {
			if p.Severity == flow.Warning {
				if strings.HasPrefix(p.File, embeddedPrefix) {
					continue
				}
				nwarn++
			}
			fmt.Fprintln(stdout, b.Problem(*lang, p))
		}
		fmt.Fprintln(stdout, b.Plural(*lang, "check_errors", len(probs.Errors()), nil))
		fmt.Fprintln(stdout, b.Plural(*lang, "check_warnings", nwarn, nil))
		return exitCode(1)
	}
	fmt.Fprintln(stdout, b.Summary(*lang, flow.Diff(sides[0], sides[1], time.Now())))
	return nil
}

// loadSide loads one side of a diff: a flow file (with the resources.yaml
// beside it, or the shipped one), or a resources.yaml with the shipped
// orientation flow. The flow is nil when it fails validation; the error is
// for a file that cannot be read.
func loadSide(p string) (*flow.Flow, flow.Problems, error) {
	if filepath.Base(p) != flows.ResourcesFile {
		f, probs, err := loadFlow(p)
		if f == nil && len(probs.Errors()) > 0 {
			return nil, probs, nil
		}
		return f, probs, err
	}
	res, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	data, err := flows.FS.ReadFile(shippedFlowFile)
	if err != nil {
		return nil, nil, err
	}
	f, probs := flow.Load(flow.Source{Name: embeddedPrefix + shippedFlowFile, Data: data}, flow.Source{Name: p, Data: res})
	return f, probs, nil
}
