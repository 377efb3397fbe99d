package telegram

import (
	"strings"
	"unicode/utf16"

	"github.com/boussole/boussole/internal/conversation"
)

// convert turns a Bot API update into a conversation update. ok is false for
// updates Boussole does not handle (edits, groups, other bots…): they are
// acknowledged and dropped. A callback that cannot be handled still carries
// its id so it is answered.
func convert(u *update) (conversation.Update, bool) {
	switch {
	case u.Message != nil:
		m := u.Message
		if m.Chat.Type != "private" || m.From == nil || m.From.IsBot {
			return conversation.Update{ID: u.ID, Chat: m.Chat.ID}, false
		}
		cu := conversation.Update{ID: u.ID, Chat: m.Chat.ID, MsgID: m.ID, Lang: m.From.LanguageCode}
		if m.Text == "" {
			cu.Kind = conversation.KindOther
			return cu, true
		}
		cu.Kind = conversation.KindText
		cu.Text = commandText(m)
		return cu, true
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.Message == nil || q.Message.Chat.Type != "private" {
			return conversation.Update{ID: u.ID, CallbackID: q.ID}, false
		}
		return conversation.Update{ID: u.ID, Chat: q.Message.Chat.ID, Kind: conversation.KindButton,
			Data: q.Data, CallbackID: q.ID, Lang: q.From.LanguageCode}, true
	case u.MyChatMember != nil:
		m := u.MyChatMember
		if m.Chat.Type != "private" {
			return conversation.Update{ID: u.ID}, false
		}
		return conversation.Update{ID: u.ID, Chat: m.Chat.ID, Kind: conversation.KindMember,
			Blocked: m.New.Status == "kicked", Lang: m.From.LanguageCode}, true
	}
	return conversation.Update{ID: u.ID}, false
}

// commandText normalises a command typed at the very start of a message:
// "/Retour@BoussoleBot  x" becomes "/retour x". Entity offsets count UTF-16
// units, so the command is cut by them, not by bytes.
func commandText(m *message) string {
	for _, e := range m.Entities {
		if e.Type != "bot_command" || e.Offset != 0 {
			continue
		}
		u := utf16.Encode([]rune(m.Text))
		if e.Length > len(u) {
			return m.Text
		}
		cmd := string(utf16.Decode(u[:e.Length]))
		rest := string(utf16.Decode(u[e.Length:]))
		if at := strings.IndexByte(cmd, '@'); at >= 0 {
			cmd = cmd[:at]
		}
		return strings.ToLower(cmd) + rest
	}
	return m.Text
}
