package telegram

import (
	"strings"
	"unicode/utf16"

	"github.com/boussole/boussole/internal/conversation"
)

// convert turns a Bot API update into a conversation update. ok is false for
// updates Boussole does not handle (messages of bots, channels, inline
// messages…): they are acknowledged and dropped. A callback that cannot be
// handled still carries its id so it is answered.
//
// Private chats and groups (the volunteers' desk) are both converted;
// Private tells them apart, and the service routes them.
func convert(u *update) (conversation.Update, bool) {
	switch {
	case u.Message != nil:
		return convertMessage(u.ID, u.Message, false)
	case u.EditedMessage != nil:
		return convertMessage(u.ID, u.EditedMessage, true)
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.Message == nil || !handled(q.Message.Chat) {
			return conversation.Update{ID: u.ID, CallbackID: q.ID}, false
		}
		return conversation.Update{ID: u.ID, Chat: q.Message.Chat.ID, Kind: conversation.KindButton,
			Data: q.Data, CallbackID: q.ID, Lang: q.From.LanguageCode, From: q.From.ID,
			Private: q.Message.Chat.Type == "private"}, true
	case u.MyChatMember != nil:
		// The bot's own membership: blocked or unblocked by a person, or
		// removed from (or added to) a group.
		m := u.MyChatMember
		if !handled(m.Chat) {
			return conversation.Update{ID: u.ID}, false
		}
		return conversation.Update{ID: u.ID, Chat: m.Chat.ID, Kind: conversation.KindMember,
			Blocked: m.New.gone(), Lang: m.From.LanguageCode, From: m.From.ID,
			Private: m.Chat.Type == "private"}, true
	case u.ChatMember != nil:
		// Someone else joined or left a group.
		m := u.ChatMember
		if !handled(m.Chat) || m.Chat.Type == "private" {
			return conversation.Update{ID: u.ID}, false
		}
		return conversation.Update{ID: u.ID, Chat: m.Chat.ID, Kind: conversation.KindMember,
			From: m.New.User.ID, Left: m.New.gone()}, true
	}
	return conversation.Update{ID: u.ID}, false
}

// handled tells the chats Boussole talks in: private chats and groups, not
// channels.
func handled(c chat) bool {
	switch c.Type {
	case "private", "group", "supergroup":
		return true
	}
	return false
}

// convertMessage converts a message or, with edited, the new version of one.
func convertMessage(id int64, m *message, edited bool) (conversation.Update, bool) {
	if !handled(m.Chat) || m.From == nil || m.From.IsBot {
		return conversation.Update{ID: id, Chat: m.Chat.ID}, false
	}
	cu := conversation.Update{ID: id, Chat: m.Chat.ID, MsgID: m.ID, Lang: m.From.LanguageCode,
		From: m.From.ID, Private: m.Chat.Type == "private", Album: m.MediaGroupID, Edited: edited}
	if m.ReplyTo != nil {
		cu.ReplyTo = m.ReplyTo.ID
	}
	if m.Text != "" {
		cu.Kind = conversation.KindText
		cu.Text = commandText(m)
		cu.Copyable = true
		return cu, true
	}
	cu.Kind = conversation.KindOther
	cu.Media, cu.Caption, cu.Copyable = media(m)
	if cu.Caption {
		cu.Text = m.Caption
	}
	if cu.Media == "document" {
		d := m.Document
		cu.FileID, cu.FileName, cu.FileSize, cu.FileMIME = d.FileID, d.FileName, d.FileSize, d.MimeType
	}
	return cu, true
}

// media names the content of a message that is not a text. caption: it is
// of a kind that carries a caption (possibly empty: an edit may remove it).
// copyable: copyMessage accepts it (not a service message, paid media, a
// quiz, an invoice or a giveaway).
func media(m *message) (name string, caption, copyable bool) {
	switch {
	case len(m.Photo) > 0:
		return "photo", true, true
	case m.Video != nil:
		return "video", true, true
	case m.Animation != nil: // an animation is also sent as a document: it comes first
		return "animation", true, true
	case m.Audio != nil:
		return "audio", true, true
	case m.Document != nil:
		return "document", true, true
	case m.Voice != nil:
		return "voice", true, true
	case m.PaidMedia != nil:
		return "other", true, false
	case m.Sticker != nil:
		return "sticker", false, true
	case m.VideoNote != nil:
		return "video_note", false, true
	case m.Venue != nil: // a venue also has a location: it comes first
		return "venue", false, true
	case m.Location != nil:
		return "location", false, true
	case m.Contact != nil:
		return "contact", false, true
	case m.Poll != nil:
		// A quiz can be copied only when its answer is known: never here.
		return "poll", false, m.Poll.Type != "quiz"
	case m.Dice != nil:
		return "dice", false, true
	case m.Story != nil, m.Game != nil, m.Checklist != nil:
		return "other", false, true
	}
	// Invoices, giveaways and service messages cannot be copied.
	return "other", false, false
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
