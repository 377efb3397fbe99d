package telegramtest

import "encoding/json"

// The api* types are the JSON shapes the fake emits. They follow the Bot API
// field names and omit empty optional fields, like Telegram.

type apiUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type apiBotUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username"`
	CanJoinGroups           bool   `json:"can_join_groups"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries"`
	CanConnectToBusiness    bool   `json:"can_connect_to_business"`
	HasMainWebApp           bool   `json:"has_main_web_app"`
}

type apiChat struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
	Title     string `json:"title,omitempty"`
	Type      string `json:"type"`
}

type apiMessage struct {
	MessageID           int             `json:"message_id"`
	From                *apiUser        `json:"from,omitempty"`
	Chat                apiChat         `json:"chat"`
	Date                int64           `json:"date"`
	ReplyToMessage      *apiMessage     `json:"reply_to_message,omitempty"`
	EditDate            int64           `json:"edit_date,omitempty"`
	HasProtectedContent bool            `json:"has_protected_content,omitempty"`
	Text                string          `json:"text,omitempty"`
	Entities            json.RawMessage `json:"entities,omitempty"`
	LinkPreviewOptions  json.RawMessage `json:"link_preview_options,omitempty"`
	MediaGroupID        string          `json:"media_group_id,omitempty"`
	Animation           json.RawMessage `json:"animation,omitempty"`
	Audio               json.RawMessage `json:"audio,omitempty"`
	Document            json.RawMessage `json:"document,omitempty"`
	Photo               json.RawMessage `json:"photo,omitempty"`
	Sticker             json.RawMessage `json:"sticker,omitempty"`
	Video               json.RawMessage `json:"video,omitempty"`
	VideoNote           json.RawMessage `json:"video_note,omitempty"`
	Voice               json.RawMessage `json:"voice,omitempty"`
	Caption             string          `json:"caption,omitempty"`
	CaptionEntities     json.RawMessage `json:"caption_entities,omitempty"`
	Contact             json.RawMessage `json:"contact,omitempty"`
	Dice                json.RawMessage `json:"dice,omitempty"`
	Poll                json.RawMessage `json:"poll,omitempty"`
	Venue               json.RawMessage `json:"venue,omitempty"`
	Location            json.RawMessage `json:"location,omitempty"`
	NewChatMembers      []apiUser       `json:"new_chat_members,omitempty"`
	LeftChatMember      *apiUser        `json:"left_chat_member,omitempty"`
	ReplyMarkup         json.RawMessage `json:"reply_markup,omitempty"`
}

// apiInaccessibleMessage is what callback queries carry for messages the bot
// can no longer access (date is always 0).
type apiInaccessibleMessage struct {
	Chat      apiChat `json:"chat"`
	MessageID int     `json:"message_id"`
	Date      int64   `json:"date"`
}

type apiCallbackQuery struct {
	ID           string  `json:"id"`
	From         apiUser `json:"from"`
	Message      any     `json:"message,omitempty"`
	ChatInstance string  `json:"chat_instance"`
	Data         string  `json:"data,omitempty"`
}

type apiUpdate struct {
	UpdateID      int64                 `json:"update_id"`
	Message       *apiMessage           `json:"message,omitempty"`
	EditedMessage *apiMessage           `json:"edited_message,omitempty"`
	CallbackQuery *apiCallbackQuery     `json:"callback_query,omitempty"`
	MyChatMember  *apiChatMemberUpdated `json:"my_chat_member,omitempty"`
	ChatMember    *apiChatMemberUpdated `json:"chat_member,omitempty"`
}

type apiChatMemberUpdated struct {
	Chat          apiChat       `json:"chat"`
	From          apiUser       `json:"from"`
	Date          int64         `json:"date"`
	OldChatMember apiChatMember `json:"old_chat_member"`
	NewChatMember apiChatMember `json:"new_chat_member"`
}

// apiChatMember is a ChatMember: "status", "user" and the fields of that
// status (see chatMember).
type apiChatMember map[string]any

type apiMessageID struct {
	MessageID int `json:"message_id"`
}

type apiWebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}
