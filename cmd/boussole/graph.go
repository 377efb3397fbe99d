package main

import (
	"flag"
	"fmt"
	"io"
)

// runGraph prints a flow as a Mermaid flowchart.
func runGraph(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("flows graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("flow", "", "the flow file (default: the shipped orientation flow)")
	lang := fs.String("lang", "fr", "language of the button labels")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	f, _, err := loadFlow(*file)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, f.Mermaid(*lang))
	return nil
}
