package telegram

import "github.com/boussole/boussole/internal/flow"

// The Bot API shapes this package sends and reads. Field names follow
// go-telegram/bot's models and the Bot API documentation; only the fields
// Boussole uses are here, which keeps encoding and decoding cheap.

type sendMessage struct {
	ChatID         int64         `json:"chat_id"`
	Text           string        `json:"text"`
	ProtectContent bool          `json:"protect_content,omitempty"`
	LinkPreview    *linkPreview  `json:"link_preview_options,omitempty"`
	Reply          *replyParams  `json:"reply_parameters,omitempty"`
	ReplyMarkup    *inlineMarkup `json:"reply_markup,omitempty"`
}

// replyParams makes a message a reply; it is sent anyway when the message
// it answers is gone.
type replyParams struct {
	MessageID    int  `json:"message_id"`
	WithoutReply bool `json:"allow_sending_without_reply"`
}

// reply is the reply_parameters of an item, nil when it answers nothing.
func reply(to int) *replyParams {
	if to <= 0 {
		return nil
	}
	return &replyParams{MessageID: to, WithoutReply: true}
}

// sendPhoto and sendDocument are the parameters of an upload but its file,
// which goes in its own part ("photo", "document").
type sendPhoto struct {
	ChatID         int64  `json:"chat_id"`
	Caption        string `json:"caption,omitempty"`
	ProtectContent bool   `json:"protect_content,omitempty"`
}

type sendDocument struct {
	ChatID         int64  `json:"chat_id"`
	Caption        string `json:"caption,omitempty"`
	ProtectContent bool   `json:"protect_content,omitempty"`
}

type copyMessage struct {
	ChatID         int64        `json:"chat_id"`
	FromChatID     int64        `json:"from_chat_id"`
	MessageID      int          `json:"message_id"`
	ProtectContent bool         `json:"protect_content,omitempty"`
	Reply          *replyParams `json:"reply_parameters,omitempty"`
}

type copyMessages struct {
	ChatID         int64 `json:"chat_id"`
	FromChatID     int64 `json:"from_chat_id"`
	MessageIDs     []int `json:"message_ids"`
	ProtectContent bool  `json:"protect_content,omitempty"`
}

type editMessageText struct {
	ChatID      int64         `json:"chat_id"`
	MessageID   int           `json:"message_id"`
	Text        string        `json:"text"`
	LinkPreview *linkPreview  `json:"link_preview_options,omitempty"`
	ReplyMarkup *inlineMarkup `json:"reply_markup,omitempty"`
}

// editMessageCaption always sends the caption: an empty one removes it.
type editMessageCaption struct {
	ChatID    int64  `json:"chat_id"`
	MessageID int    `json:"message_id"`
	Caption   string `json:"caption"`
}

type getChatMember struct {
	ChatID int64 `json:"chat_id"`
	UserID int64 `json:"user_id"`
}

// botUser is getMe's answer.
type botUser struct {
	Username string `json:"username"`
}

type linkPreview struct {
	IsDisabled bool `json:"is_disabled"`
}

type inlineMarkup struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

type sentMessage struct {
	MessageID int `json:"message_id"`
}

type deleteMessages struct {
	ChatID     int64 `json:"chat_id"`
	MessageIDs []int `json:"message_ids"`
}

type answerCallback struct {
	ID        string `json:"callback_query_id"`
	Text      string `json:"text,omitempty"`
	ShowAlert bool   `json:"show_alert,omitempty"`
}

type chatAction struct {
	ChatID int64  `json:"chat_id"`
	Action string `json:"action"`
}

type botCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type setCommands struct {
	Commands     []botCommand  `json:"commands"`
	Scope        *commandScope `json:"scope,omitempty"`
	LanguageCode string        `json:"language_code,omitempty"`
}

// commandScope is a BotCommandScope: here only "chat", one person's menu.
type commandScope struct {
	Type   string `json:"type"`
	ChatID int64  `json:"chat_id"`
}

type getUpdates struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit,omitempty"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

type setWebhook struct {
	URL            string   `json:"url"`
	SecretToken    string   `json:"secret_token,omitempty"`
	AllowedUpdates []string `json:"allowed_updates"`
}

// allowedUpdates are the only updates Boussole asks for.
// my_chat_member tells when a person blocks the bot and unblocks it (and
// when the bot is removed from the volunteers' group); chat_member, when
// someone joins or leaves that group (Telegram sends it to admins only).
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}

// update is an incoming update, read with only the fields Boussole needs.
type update struct {
	ID            int64          `json:"update_id"`
	Message       *message       `json:"message"`
	EditedMessage *message       `json:"edited_message"`
	CallbackQuery *callbackQuery `json:"callback_query"`
	MyChatMember  *memberUpdate  `json:"my_chat_member"`
	ChatMember    *memberUpdate  `json:"chat_member"`
}

// memberUpdate is a change of membership. my_chat_member is the bot's own:
// in a private chat, "kicked" when the person blocks the bot and "member"
// when they unblock it. chat_member is another user's, in a group.
type memberUpdate struct {
	Chat chat   `json:"chat"`
	From user   `json:"from"`
	New  member `json:"new_chat_member"`
}

// member is a ChatMember (also getChatMember's answer).
type member struct {
	Status   string `json:"status"`
	User     user   `json:"user"`
	IsMember bool   `json:"is_member"` // "restricted" only
}

// gone tells a member who is no longer in the chat.
func (m member) gone() bool {
	return m.Status == "left" || m.Status == "kicked" || (m.Status == "restricted" && !m.IsMember)
}

// present is a field whose content Boussole does not read, only its presence.
type present = *struct{}

type message struct {
	ID           int          `json:"message_id"`
	From         *user        `json:"from"`
	Chat         chat         `json:"chat"`
	Text         string       `json:"text"`
	Entities     []entity     `json:"entities"`
	Caption      string       `json:"caption"`
	MediaGroupID string       `json:"media_group_id"`
	ReplyTo      *messageRef  `json:"reply_to_message"`
	Photo        []struct{}   `json:"photo"`
	Poll         *pollMessage `json:"poll"`

	// Content that may carry a caption.
	Video     present   `json:"video"`
	Animation present   `json:"animation"`
	Audio     present   `json:"audio"`
	Document  *document `json:"document"`
	Voice     present   `json:"voice"`
	PaidMedia present   `json:"paid_media"`
	// Other content; a message with none of it is a service message
	// (someone joined, a pinned message, a new title…).
	Sticker         present `json:"sticker"`
	VideoNote       present `json:"video_note"`
	Location        present `json:"location"`
	Venue           present `json:"venue"`
	Contact         present `json:"contact"`
	Dice            present `json:"dice"`
	Story           present `json:"story"`
	Game            present `json:"game"`
	Checklist       present `json:"checklist"`
	Invoice         present `json:"invoice"`
	Giveaway        present `json:"giveaway"`
	GiveawayWinners present `json:"giveaway_winners"`
}

// document is a general file; what an admin's upload needs to fetch it.
type document struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name"`
	MimeType string `json:"mime_type"`
	FileSize int64  `json:"file_size"`
}

type getFile struct {
	FileID string `json:"file_id"`
}

// file is getFile's answer: where to download the file, and its size when
// Telegram knows it.
type file struct {
	FileSize int64  `json:"file_size"`
	FilePath string `json:"file_path"`
}

type messageRef struct {
	ID int `json:"message_id"`
}

type pollMessage struct {
	Type string `json:"type"` // "regular" or "quiz"
}

type user struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	LanguageCode string `json:"language_code"`
}

type chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type callbackQuery struct {
	ID      string   `json:"id"`
	From    user     `json:"from"`
	Message *message `json:"message"`
	Data    string   `json:"data"`
}

// keyboard lays out buttons as an inline keyboard.
func keyboard(rows [][]flow.Button) *inlineMarkup {
	kb := make([][]inlineButton, len(rows))
	for i, row := range rows {
		kb[i] = make([]inlineButton, len(row))
		for j, b := range row {
			kb[i][j] = inlineButton{Text: b.Label, CallbackData: b.Data}
		}
	}
	return &inlineMarkup{InlineKeyboard: kb}
}
