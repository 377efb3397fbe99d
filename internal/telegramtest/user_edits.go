package telegramtest

import "fmt"

// Edits made by users.

// userEditLocked finds a user's message to edit, or panics: a test editing
// a message that is not there is a broken test.
func (s *Server) userEditLocked(chatID int64, messageID int) (*chatState, *storedMsg) {
	c := s.chats[chatID]
	if c == nil || c.byID[messageID] == nil {
		panic(fmt.Sprintf("telegramtest: no message %d in chat %d to edit", messageID, chatID))
	}
	m := c.byID[messageID]
	if m.fromBot || m.sender == nil {
		panic(fmt.Sprintf("telegramtest: message %d of chat %d is not a user's", messageID, chatID))
	}
	return c, m
}

// editedLocked stamps the edit and sends the "edited_message" update, if
// the bot's allowed_updates let it through (they do by default).
func (s *Server) editedLocked(c *chatState, m *storedMsg) int64 {
	m.editDate = s.now().Unix()
	if !s.allowedLocked("edited_message") {
		s.bumpLocked()
		return 0
	}
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, EditedMessage: s.apiMessageLocked(c, m, true)})
	s.enqueueLocked(id, "edited_message", raw)
	return id
}

// EditText simulates the sender of a text message editing it to text (in
// a private chat or a group). The chat view shows the new text, and the
// bot gets an "edited_message" update, whose id is returned (0 if the bot's
// allowed_updates leave edited_message out). It panics if the message is
// missing, not a user's, or not a text message.
func (s *Server) EditText(chatID int64, messageID int, text string) (updateID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m := s.userEditLocked(chatID, messageID)
	if !m.hasText() {
		panic(fmt.Sprintf("telegramtest: message %d of chat %d has no text to edit", messageID, chatID))
	}
	m.text, m.entities = text, commandEntities(text)
	return s.editedLocked(c, m)
}

// EditCaption simulates the sender of a media message (photo, video,
// document, animation, audio, voice) changing its caption; like
// [Server.EditText] otherwise.
func (s *Server) EditCaption(chatID int64, messageID int, caption string) (updateID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m := s.userEditLocked(chatID, messageID)
	if !m.hasCaption() {
		panic(fmt.Sprintf("telegramtest: message %d of chat %d has no caption to edit", messageID, chatID))
	}
	m.caption, m.capEntities = caption, nil
	return s.editedLocked(c, m)
}
