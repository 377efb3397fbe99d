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
	from      int64  // acting user in a group
	status    string // AddMember's status
	quiz      *int   // SendPoll: a quiz with this correct option (-1: unknown)
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

// From makes a user act in a group: SendText(group, "/file",
// From(volunteer)) or Tap(group, msg, data, From(volunteer)). The user must
// be a member of the group (see [Server.AddMember]). Name options given with
// it apply to that user.
func From(userID int64) UserOpt { return func(o *userOpts) { o.from = userID } }

func collectOpts(opts []UserOpt) userOpts {
	var o userOpts
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// userLocked returns the user userID, creating it on first sight with the
// default names, and applies the name options. The private chat with the
// user, if any, follows.
func (s *Server) userLocked(userID int64, o userOpts) *apiUser {
	u := s.users[userID]
	if u == nil {
		if c := s.chats[userID]; c != nil && c.info.Type == "private" && c.user.ID != 0 {
			cp := c.user
			u = &cp
		} else {
			u = &apiUser{
				ID:           userID,
				FirstName:    "User",
				Username:     "user" + strconv.FormatInt(userID, 10),
				LanguageCode: "en",
			}
		}
		s.users[userID] = u
	}
	if o.firstName != nil {
		u.FirstName = *o.firstName
	}
	if o.lastName != nil {
		u.LastName = *o.lastName
	}
	if o.username != nil {
		u.Username = *o.username
	}
	if o.lang != nil {
		u.LanguageCode = *o.lang
	}
	if c := s.chats[userID]; c != nil && c.info.Type == "private" {
		c.user = *u
		c.info.FirstName, c.info.LastName, c.info.Username = u.FirstName, u.LastName, u.Username
	}
	return u
}

// userChatLocked returns the private chat with the user chatID, creating it
// on first contact, and applies the options.
func (s *Server) userChatLocked(chatID int64, opts []UserOpt) (*chatState, userOpts) {
	o := collectOpts(opts)
	if s.chats[chatID] == nil {
		s.chats[chatID] = newChat(apiChat{ID: chatID, Type: "private"})
	}
	s.userLocked(chatID, o)
	return s.chats[chatID], o
}

// actorLocked returns the chat a user action happens in and the acting
// user: the user of a private chat, or the From member of a group.
func (s *Server) actorLocked(chatID int64, opts []UserOpt) (*chatState, apiUser, userOpts) {
	if chatID > 0 {
		c, o := s.userChatLocked(chatID, opts)
		return c, c.user, o
	}
	o := collectOpts(opts)
	c := s.chats[chatID]
	if c == nil || c.members == nil {
		panic(fmt.Sprintf("telegramtest: chat %d is not a group made by AddGroup", chatID))
	}
	if o.from == 0 {
		panic(fmt.Sprintf("telegramtest: an action in group %d needs From(user)", chatID))
	}
	if !isPresent(c.members[o.from]) {
		panic(fmt.Sprintf("telegramtest: user %d is not a member of group %d", o.from, chatID))
	}
	return c, *s.userLocked(o.from, o), o
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
	c, u, o := s.actorLocked(chatID, opts)
	if c.members != nil && c.members[u.ID] == StatusRestricted {
		panic(fmt.Sprintf("telegramtest: user %d is restricted in group %d and can't send messages", u.ID, chatID))
	}
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
// sending text to the bot, or, in a group (chatID < 0), the member named by
// [From] sending text to the group. Bot commands ("/start", "/help@test_bot") get
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
// the update_id and the callback query id. In a group, [From] names the
// member who taps.
func (s *Server) Tap(chatID int64, messageID int, data string, opts ...UserOpt) (updateID int64, callbackQueryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, user, _ := s.actorLocked(chatID, opts)
	s.nextCallback++
	cqID := strconv.FormatInt(4611686018427387904+s.botID%1000000*1000000000+s.nextCallback, 10)
	s.callbacks[cqID] = &callbackState{id: cqID, chatID: chatID}
	cq := &apiCallbackQuery{
		ID:           cqID,
		From:         user,
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
