//go:build !nodemo

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// demoChat is the chat id of the person typing in the terminal.
const demoChat = 4242

// runDemo runs the real bot (`serve`, long polling, embedded store) against
// an in-process fake of Telegram, and lets you be the person on the phone:
// type text or commands, or a button's letter or label to tap it. It needs
// no token and no Redis.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "fr", "the language of the person's phone (fr or ar)")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	tg := telegramtest.New(telegramtest.WithBotName("Boussole", "BoussoleDemoBot"))
	defer tg.Close()
	env := map[string]string{
		"TELEGRAM_TOKEN":   tg.Token(),
		"TELEGRAM_API_URL": tg.URL(),
		"POLL_TIMEOUT":     "1s",
		"LOG_LEVEL":        "error",
		"LISTEN_ADDR":      "127.0.0.1:0", // health and metrics: any free port, never a clash
	}
	botCtx, stopBot := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runServe(botCtx, func(k string) string { return env[k] }, io.Discard, stderr) }()
	defer func() { stopBot(); <-done }()

	fmt.Fprintln(stdout, "Boussole demo: the real bot on a fake Telegram, with an in-memory store (nothing is kept).\nType a message or a /command, or a button's letter (or its label) to tap it. Ctrl-D to quit.")
	d := &demo{tg: tg, out: stdout, echo: !isTerminal(stdin), opts: []telegramtest.UserOpt{telegramtest.Lang(*lang)}}
	d.send("/start")
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if d.echo {
			fmt.Fprintf(stdout, "» %s\n", line)
		}
		if line == "/quit" {
			break
		}
		d.send(line)
	}
	return sc.Err()
}

type demo struct {
	tg      *telegramtest.Server
	out     io.Writer
	echo    bool
	opts    []telegramtest.UserOpt
	printed int // highest bot message id shown
	buttons []telegramtest.Button
	from    int // message the numbered buttons belong to
}

// send does what the person would: tap the designated button, or write.
func (d *demo) send(line string) {
	if b, ok := d.button(line); ok {
		d.tg.Tap(demoChat, d.from, b.Data, d.opts...)
	} else {
		d.tg.SendText(demoChat, line, d.opts...)
	}
	d.showReplies()
}

func (d *demo) button(line string) (telegramtest.Button, bool) {
	for _, b := range d.buttons {
		if b.Text == line {
			return b, true
		}
	}
	// Buttons are lettered, so that digits stay answers (an arrondissement).
	if len(line) == 1 && line[0] >= 'a' && int(line[0]-'a') < len(d.buttons) {
		return d.buttons[line[0]-'a'], true
	}
	return telegramtest.Button{}, false
}

// showReplies waits for the bot's answer, and for a short quiet moment so
// that a reply in several messages is shown whole.
func (d *demo) showReplies() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fresh := func() []telegramtest.Message {
		var out []telegramtest.Message
		for _, m := range d.tg.BotMessages(demoChat) {
			if m.ID > d.printed {
				out = append(out, m)
			}
		}
		return out
	}
	_ = d.tg.WaitFor(ctx, func() bool { return len(fresh()) > 0 })
	for {
		n := len(fresh())
		quiet, cancelQuiet := context.WithTimeout(ctx, 300*time.Millisecond)
		_ = d.tg.WaitFor(quiet, func() bool { return len(fresh()) > n })
		cancelQuiet()
		if len(fresh()) == n || ctx.Err() != nil {
			break
		}
	}
	for _, m := range fresh() {
		d.print(m)
	}
}

func (d *demo) print(m telegramtest.Message) {
	d.printed = max(d.printed, m.ID)
	fmt.Fprintln(d.out, "── Boussole ──")
	fmt.Fprintln(d.out, m.Text)
	d.buttons, d.from = nil, m.ID
	for _, row := range m.Buttons {
		var cells []string
		for _, b := range row {
			d.buttons = append(d.buttons, b)
			cells = append(cells, fmt.Sprintf("[%c] %s", 'a'+len(d.buttons)-1, b.Text))
		}
		fmt.Fprintln(d.out, "   "+strings.Join(cells, "   "))
	}
	fmt.Fprintln(d.out)
}
