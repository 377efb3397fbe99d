package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/triage"
)

// runTriage classifies messages as the bot does, with the lexicon of a
// flow: one message per line on stdin, or a labelled file with --eval.
func runTriage(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("flow", "", "the flow whose emergency terms to use (default: the shipped orientation flow)")
	eval := fs.String("eval", "", "a labelled file (label<TAB>writing<TAB>message): print the confusion matrix and rates")
	errs := fs.Bool("errors", false, "with --eval, also list the misclassified messages")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	f, _, err := loadFlow(*file)
	if err != nil {
		return err
	}
	c := conversation.Classifier(f)
	if *eval != "" {
		return evalCorpus(c, *eval, *errs, stdout)
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fmt.Fprintln(stdout, verdict(c.Classify(sc.Text())))
	}
	return sc.Err()
}

// verdict is one line of output: the class (or -), a tab, what fired, and
// what was cancelled and why.
func verdict(m triage.Match) string {
	class := m.Class
	if class == "" {
		class = "-"
	}
	line := class + "\t" + strings.Join(m.Fired, "; ")
	if len(m.Cancelled) > 0 {
		if len(m.Fired) > 0 {
			line += " "
		}
		line += "| cancelled: " + strings.Join(m.Cancelled, "; ")
	}
	return line
}

func evalCorpus(c *triage.Classifier, file string, listErrors bool, stdout io.Writer) error {
	data, err := os.Open(file)
	if err != nil {
		return err
	}
	defer data.Close()
	samples, err := triage.ReadCorpus(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	r := triage.Evaluate(c, samples)
	if err := r.Write(stdout); err != nil {
		return err
	}
	if listErrors {
		fmt.Fprintln(stdout)
		for _, e := range r.Errors {
			fmt.Fprintf(stdout, "%s:%d\t%s\t%s\t%s\t%s\n", file, e.Line, e.Label, e.Writing, e.Text, verdict(e.Got))
		}
	}
	return nil
}
