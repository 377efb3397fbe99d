package conversation

import "strings"

// Kind is what kind of update a person sent.
type Kind int

const (
	KindText   Kind = iota // a text message (commands included)
	KindButton             // a tap on an inline button
	KindOther              // a sticker, voice note, photo… that the bot cannot read (Media names it)
	KindMember             // the person blocked (Blocked) or unblocked the bot; in the volunteers' group: a member left (Left)
)

// Update is one event from a person, independent of Telegram.
type Update struct {
	ID         int64 // update_id: redelivered updates are recognised by it
	Chat       int64
	Kind       Kind
	Text       string // KindText
	MsgID      int    // the person's message (journaled for erasing); 0 for a tap
	Data       string // KindButton: callback data
	CallbackID string // KindButton: to stop the button's spinner
	Lang       string // the language of the person's app (Telegram's language_code)
	Blocked    bool   // KindMember: true when the person blocked the bot

	// For the volunteer desk and the relay. None of it is ever logged.
	From     int64  // the user who sent it (a tap: who tapped); 0 if unknown
	Private  bool   // sent in a private chat with the bot (else a group)
	Media    string // KindOther: "photo", "video", "voice", "audio", "document", "sticker", "animation", "video_note", "location", "venue", "contact", "poll", "dice", "other"
	Copyable bool   // copyMessage can copy it (not a service message, a paid medium, a quiz…)
	Album    string // media_group_id: the parts of one album
	ReplyTo  int    // the message it answers, 0 if none
	Edited   bool   // an edit of message MsgID (Text holds the new text or caption)
	Caption  bool   // Text is a media caption
	Left     bool   // KindMember in a group: user From is no longer a member

	// A document (Media "document"): what an admin's upload needs to fetch
	// it. Never logged.
	FileID   string
	FileName string
	FileSize int64
	FileMIME string
}

// command splits "/cmd arg" (the adapter has already removed any @BotName).
func command(text string) (cmd, arg string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	cmd, arg, _ = strings.Cut(strings.TrimSpace(text[1:]), " ")
	return strings.ToLower(cmd), strings.TrimSpace(arg), cmd != ""
}

// clientLang maps Telegram's language_code to a language we speak.
func clientLang(code string) string {
	if strings.HasPrefix(strings.ToLower(code), "ar") {
		return "ar"
	}
	return "fr"
}
