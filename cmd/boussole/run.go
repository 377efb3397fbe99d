package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

// exitCode ends the program with a status and no further message: the
// command has already said what went wrong.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `Usage:
  boussole demo [--lang fr|ar]                   the real bot on a fake Telegram and an in-memory store: no token, no Redis
  boussole serve                                 run the bot (settings from the environment: see README.md)
  boussole version                               print the version this binary was built as
  boussole healthcheck [URL]                     exit 0 if URL (default http://127.0.0.1:8080/healthz) answers 200
  boussole chat [--lang fr|ar] [--flow FILE] [--trace]
                                                 talk to a flow in the terminal (--trace: the node after each step)
  boussole triage [--flow FILE] [--eval FILE.tsv [--errors]]
                                                 classify messages (one per line on stdin) as the bot does,
                                                 or print the confusion matrix of a labelled file
  boussole flows check [--lang fr|ar|en] [PATH…] validate flows (a folder or files)
  boussole flows graph [--flow FILE] [--lang fr|ar]
                                                 draw a flow as a Mermaid chart
  boussole flows diff [--lang fr|ar|en] OLD NEW  what changed between two versions of a flow file
                                                 (or of resources.yaml, with the shipped flow)
  boussole stats export [--from DAY] [--to DAY] [--format csv|json]
                                                 the observatory's anonymous figures (REDIS_URL), small counts hidden
`

// run is the whole program, with its environment passed in so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCode(2)
	}
	switch args[0] {
	case "demo":
		return runDemo(ctx, args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, getenv, stdout, stderr)
	case "chat":
		return runChat(args[1:], stdin, stdout, stderr)
	case "triage":
		return runTriage(args[1:], stdin, stdout, stderr)
	case "stats":
		return runStats(ctx, args[1:], getenv, stdout, stderr)
	case "flows":
		if len(args) > 1 {
			switch args[1] {
			case "check":
				return runCheck(args[2:], stdout, stderr)
			case "graph":
				return runGraph(args[2:], stdout, stderr)
			case "diff":
				return runDiff(args[2:], stdout, stderr)
			}
		}
	case "healthcheck":
		return runHealthcheck(args[1:], stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return exitCode(2)
}

// isTerminal reports whether r is an interactive terminal (not a pipe or a file).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
