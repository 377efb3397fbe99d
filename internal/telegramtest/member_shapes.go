package telegramtest

// Member statuses, as getChatMember and chat_member updates spell them.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusRestricted    = "restricted"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// chatMember renders a ChatMember of the given status with the fields
// Telegram sends for it.
func chatMember(status string, u apiUser) apiChatMember {
	m := apiChatMember{"status": status, "user": u}
	switch status {
	case StatusCreator:
		m["is_anonymous"] = false
	case StatusAdministrator:
		for _, k := range []string{
			"can_manage_chat", "can_delete_messages", "can_manage_video_chats",
			"can_restrict_members", "can_change_info", "can_invite_users",
			"can_pin_messages", "can_post_stories", "can_edit_stories",
			"can_delete_stories", "can_manage_topics",
		} {
			m[k] = true
		}
		m["can_be_edited"] = false
		m["is_anonymous"] = false
		m["can_promote_members"] = false
	case StatusRestricted:
		m["is_member"] = true
		for _, k := range []string{
			"can_send_messages", "can_send_audios", "can_send_documents",
			"can_send_photos", "can_send_videos", "can_send_video_notes",
			"can_send_voice_notes", "can_send_polls", "can_send_other_messages",
			"can_add_web_page_previews", "can_change_info", "can_invite_users",
			"can_pin_messages", "can_manage_topics",
		} {
			m[k] = false
		}
		m["until_date"] = 0
	case StatusKicked:
		m["until_date"] = 0 // for ever
	}
	return m
}
