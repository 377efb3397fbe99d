package main

import (
	"flag"
	"io"

	"github.com/boussole/boussole/internal/console"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
)

func runChat(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "fr", "the language of the person's phone (fr or ar)")
	file := fs.String("flow", "", "a flow file to try (default: the shipped orientation flow)")
	trace := fs.Bool("trace", false, "print the node after each step, and the triage of each message")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	f, _, err := loadFlow(*file)
	if err != nil {
		return err
	}
	b, err := i18n.New()
	if err != nil {
		return err
	}
	// The same store code as the bot, on an in-process server: the preview
	// goes through exactly what a Telegram user's message goes through.
	rdb, stop, err := redisstore.Embedded()
	if err != nil {
		return err
	}
	defer stop()
	store := redisstore.New(rdb, redisstore.Options{})
	return console.Run(console.Options{Flow: f, Bundle: b, Store: store, Lang: *lang, In: stdin, Out: stdout,
		Echo: !isTerminal(stdin), Trace: *trace})
}
