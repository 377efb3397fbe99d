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

// AdminCommands are the coordinators' (internal/admin): only their own
// menu shows them, after the families' commands.
var AdminCommands = []string{"flux", "modifier", "verifie", "versions", "restaurer", "journal", "traductions",
	"ressources", "ateliers", "stats", "quitter_essai", "annuler"}

// SetCommands publishes the command menu in French (the default) and Arabic.
func (b *Bot) SetCommands(ctx context.Context, bundle *i18n.Bundle) error {
	return b.setMenu(ctx, bundle, nil, nil)
}

// SetAdminCommands gives each coordinator a menu of their own, with their
// commands: nobody else's menu shows them. A coordinator who never wrote to
// the bot cannot have one yet (Telegram: chat not found); the others still
// get theirs, and the first error is returned.
func (b *Bot) SetAdminCommands(ctx context.Context, bundle *i18n.Bundle, admins []int64) error {
	var first error
	for _, id := range admins {
		if err := b.setMenu(ctx, bundle, &commandScope{Type: "chat", ChatID: id}, AdminCommands); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (b *Bot) setMenu(ctx context.Context, bundle *i18n.Bundle, scope *commandScope, extra []string) error {
	for _, lang := range []string{"", "fr", "ar"} {
		l := lang
		if l == "" {
			l = i18n.Default
		}
		cmds := make([]botCommand, 0, len(commands)+len(extra))
		for _, c := range commands {
			cmds = append(cmds, botCommand{Command: c, Description: bundle.T(l, "cmd_"+c, nil)})
		}
		for _, c := range extra {
			cmds = append(cmds, botCommand{Command: c, Description: bundle.T(l, "admincmd_"+c, nil)})
		}
		req := &setCommands{Commands: cmds, Scope: scope, LanguageCode: lang}
		if err := b.client.Call(ctx, "setMyCommands", req, nil); err != nil {
			return err
		}
	}
	return nil
}
