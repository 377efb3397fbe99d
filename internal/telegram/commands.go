package telegram

import (
	"context"
	"strings"

	"github.com/boussole/boussole/internal/i18n"
)

// commands are the bot's commands, in menu order. Their names are French in
// every language (Telegram only allows Latin letters); descriptions are
// translated.
var commands = []string{"start", "aide", "retour", "recommencer", "langue", "urgence", "fin", "effacer", "oubli"}

func knownCommand(text string) (string, bool) {
	if !strings.HasPrefix(text, "/") {
		return "", false
	}
	name, _, _ := strings.Cut(text[1:], " ")
	for _, c := range commands {
		if c == name {
			return c, true
		}
	}
	return "", false
}

// SetCommands publishes the command menu in French (the default) and Arabic.
func (b *Bot) SetCommands(ctx context.Context, bundle *i18n.Bundle) error {
	for _, lang := range []string{"", "fr", "ar"} {
		l := lang
		if l == "" {
			l = i18n.Default
		}
		cmds := make([]botCommand, len(commands))
		for i, c := range commands {
			cmds[i] = botCommand{Command: c, Description: bundle.T(l, "cmd_"+c, nil)}
		}
		if err := b.client.Call(ctx, "setMyCommands", &setCommands{Commands: cmds, LanguageCode: lang}, nil); err != nil {
			return err
		}
	}
	return nil
}
