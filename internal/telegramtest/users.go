package telegramtest

import (
	"fmt"
	"strconv"
)

// UserOpt sets a property of the simulated user of a private chat. Options
// stick: they apply to this action and to the user's later actions.
type UserOpt func(*userOpts)

type userOpts struct {
	firstName *string
	lastName  *string
	username  *string
	lang      *string
	replyTo   int
}

// FirstName sets the user's first name (default "User").
func FirstName(name string) UserOpt { return func(o *userOpts) { o.firstName = &name } }

// LastName sets the user's last name (default none).
func LastName(name string) UserOpt { return func(o *userOpts) { o.lastName = &name } }

// Username sets the user's username (default "user<chatID>"; "" for none).
func Username(name string) UserOpt { return func(o *userOpts) { o.username = &name } }

// Lang sets the user's language_code, e.g. "ar" (default "en"; "" omits it,
// as Telegram sometimes does).
func Lang(code string) UserOpt { return func(o *userOpts) { o.lang = &code } }

// ReplyTo makes the user's message a reply to a message of the chat. It only
// applies to the action it is given to.
func ReplyTo(messageID int) UserOpt { return func(o *userOpts) { o.replyTo = messageID } }

// userChatLocked returns the private chat with the user chatID, creating it
// on first contact, and applies the options.
func (s *Server) userChatLocked(chatID int64, opts []UserOpt) (*chatState, userOpts) {
	var o userOpts
	for _, opt := range opts {
		opt(&o)
	}
	c := s.chats[chatID]
	if c == nil {
		c = newChat(apiChat{ID: chatID, Type: "private"})
		c.user = apiUser{
			ID:           chatID,
			FirstName:    "User",
			Username:     "user" + strconv.FormatInt(chatID, 10),
			LanguageCode: "en",
		}
		s.chats[chatID] = c
	}
	if o.firstName != nil {
		c.user.FirstName = *o.firstName
	}
	if o.lastName != nil {
		c.user.LastName = *o.lastName
	}
	if o.username != nil {
		c.user.Username = *o.username
	}
	if o.lang != nil {
		c.user.LanguageCode = *o.lang
	}
	if c.info.Type == "private" {
		c.info.FirstName = c.user.FirstName
		c.info.LastName = c.user.LastName
		c.info.Username = c.user.Username
	}
	return c, o
}

// AddChat makes a private chat known without sending anything, as if the
// user had started the bot long ago. The bot may then write to it.
func (s *Server) AddChat(chatID int64, opts ...UserOpt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userChatLocked(chatID, opts)
	s.bumpLocked()
}

// userMessageLocked stores a message from the user and enqueues it as a
// "message" update.
func (s *Server) userMessageLocked(chatID int64, opts []UserOpt, m *storedMsg) (int64, int) {
	c, o := s.userChatLocked(chatID, opts)
	u := c.user
	m.sender = &u
	m.date = s.now().Unix()
	m.replyTo = o.replyTo
	c.add(m)
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, Message: s.apiMessageLocked(c, m, true)})
	s.enqueueLocked(id, "message", raw)
	return id, m.id
}

// SendText simulates the user of the private chat chatID (user id = chatID)
// sending text to the bot. Bot commands ("/start", "/help@test_bot") get
// bot_command entities. It returns the update_id and the message_id.
func (s *Server) SendText(chatID int64, text string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(chatID, opts, &storedMsg{
		kind:     KindText,
		text:     text,
		entities: commandEntities(text),
	})
}

func (s *Server) fileIDLocked(kind string) (string, string) {
	s.nextFileID++
	return fmt.Sprintf("fake-%s-%d", kind, s.nextFileID), fmt.Sprintf("u%s%d", kind, s.nextFileID)
}

// SendSticker simulates the user sending a sticker (no text).
func (s *Server) SendSticker(chatID int64, emoji string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fid, uid := s.fileIDLocked("sticker")
	sticker := map[string]any{
		"file_id": fid, "file_unique_id": uid, "type": "regular",
		"width": 512, "height": 512, "is_animated": false, "is_video": false,
		"file_size": 24576,
	}
	if emoji != "" {
		sticker["emoji"] = emoji
	}
	return s.userMessageLocked(chatID, opts, &storedMsg{kind: KindSticker, sticker: marshal(sticker)})
}

// SendVoice simulates the user sending a voice note of the given duration in
// seconds (no text).
func (s *Server) SendVoice(chatID int64, seconds int, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fid, uid := s.fileIDLocked("voice")
	voice := map[string]any{
		"file_id": fid, "file_unique_id": uid, "duration": seconds,
		"mime_type": "audio/ogg", "file_size": 2000 + 1600*seconds,
	}
	return s.userMessageLocked(chatID, opts, &storedMsg{kind: KindVoice, voice: marshal(voice)})
}

// SendPhoto simulates the user sending a photo with an optional caption
// (no text).
func (s *Server) SendPhoto(chatID int64, caption string, opts ...UserOpt) (updateID int64, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fid, uid := s.fileIDLocked("photo")
	var sizes []map[string]any
	for i, side := range []int{90, 320, 800} {
		sizes = append(sizes, map[string]any{
			"file_id": fmt.Sprintf("%s-%d", fid, i), "file_unique_id": fmt.Sprintf("%s%d", uid, i),
			"width": side, "height": side * 3 / 4, "file_size": side * side / 10,
		})
	}
	return s.userMessageLocked(chatID, opts, &storedMsg{kind: KindPhoto, photo: marshal(sizes), caption: caption})
}

// callbackState tracks one callback query.
type callbackState struct {
	id       string
	chatID   int64
	answered bool
	answer   CallbackAnswer
}

// CallbackAnswer is what the bot answered to a callback query.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

// Tap simulates the user pressing an inline button carrying data under the
// message messageID of the chat. The message may be old, edited or gone (the
// query then carries an inaccessible message, date 0); the data is not
// checked against the buttons, so stale keyboards can be tested. It returns
// the update_id and the callback query id.
func (s *Server) Tap(chatID int64, messageID int, data string, opts ...UserOpt) (updateID int64, callbackQueryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _ := s.userChatLocked(chatID, opts)
	s.nextCallback++
	cqID := strconv.FormatInt(4611686018427387904+s.botID%1000000*1000000000+s.nextCallback, 10)
	s.callbacks[cqID] = &callbackState{id: cqID, chatID: chatID}
	cq := &apiCallbackQuery{
		ID:           cqID,
		From:         c.user,
		ChatInstance: strconv.FormatInt(chatID*7919+s.botID, 10),
		Data:         data,
	}
	if m := c.byID[messageID]; m != nil {
		cq.Message = s.apiMessageLocked(c, m, true)
	} else {
		cq.Message = apiInaccessibleMessage{Chat: c.info, MessageID: messageID, Date: 0}
	}
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, CallbackQuery: cq})
	s.enqueueLocked(id, "callback_query", raw)
	return id, cqID
}
