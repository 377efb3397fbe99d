package telegramtest

import (
	"fmt"
	"strconv"
)

// Supergroups and their members.

// AddGroup makes a supergroup known: chatID must be negative (e.g.
// -1001234567890). The bot is an administrator of it; nobody else is a
// member until [Server.AddMember]. Calling it again renames the group.
func (s *Server) AddGroup(chatID int64, title string) {
	if chatID >= 0 {
		panic(fmt.Sprintf("telegramtest: group id %d must be negative", chatID))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		c = newChat(apiChat{ID: chatID, Type: "supergroup"})
		s.chats[chatID] = c
	}
	if c.members == nil {
		c.members = map[int64]string{}
	}
	c.info.Type, c.info.Title = "supergroup", title
	s.bumpLocked()
}

// AsAdmin makes [Server.AddMember] add (or promote) the user as an
// administrator.
func AsAdmin() UserOpt { return func(o *userOpts) { o.status = StatusAdministrator } }

// AsCreator makes [Server.AddMember] add the user as the group's creator.
func AsCreator() UserOpt { return func(o *userOpts) { o.status = StatusCreator } }

// AsRestricted makes [Server.AddMember] add the user as a restricted member
// (a member who may not send messages).
func AsRestricted() UserOpt { return func(o *userOpts) { o.status = StatusRestricted } }

// isPresent reports whether a member of that status is in the group.
func isPresent(status string) bool {
	switch status {
	case StatusCreator, StatusAdministrator, StatusMember, StatusRestricted:
		return true
	}
	return false
}

func (s *Server) groupLocked(chatID int64) *chatState {
	c := s.chats[chatID]
	if c == nil || c.members == nil {
		panic(fmt.Sprintf("telegramtest: chat %d is not a group made by AddGroup", chatID))
	}
	return c
}

// AddMember makes the user a member of the group (status "member", or the
// one set by [AsAdmin], [AsCreator], [AsRestricted]); name options
// ([FirstName], ...) apply to the user. A user who was not in the group
// joins: the group shows a service message (new_chat_members) and the bot
// gets it as a "message" update. Any change of status also sends a
// "chat_member" update if the bot listed "chat_member" in its
// allowed_updates (Telegram leaves it out by default). Adding a user with
// their current status changes nothing. It does not open a private chat:
// the bot may write to the user only after [Server.AddChat] or a message
// from them.
func (s *Server) AddMember(group, user int64, opts ...UserOpt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.groupLocked(group)
	o := collectOpts(opts)
	u := *s.userLocked(user, o)
	status := o.status
	if status == "" {
		status = StatusMember
	}
	old := c.members[user]
	if old == "" {
		old = StatusLeft
	}
	if old == status {
		s.bumpLocked()
		return
	}
	c.members[user] = status
	by := u
	if isPresent(old) {
		by = s.groupAdminLocked(c, 0)
	} else {
		s.serviceMessageLocked(c, by, &storedMsg{joined: []apiUser{u}})
	}
	s.chatMemberLocked(c, by, u, old, status)
}

// RemoveMember makes the user leave the group by themselves (status
// "left"), with the service message (left_chat_member) and the chat_member
// update Telegram sends. A user not in the group changes nothing.
func (s *Server) RemoveMember(group, user int64) {
	s.removeMember(group, user, StatusLeft, nil)
}

// KickMember bans the user from the group (status "kicked", for ever). The
// ban is made by the member named by [From], or else by the group's creator
// or, without one, by the bot. A user never seen in the group is banned
// all the same, without a service message.
func (s *Server) KickMember(group, user int64, opts ...UserOpt) {
	s.removeMember(group, user, StatusKicked, opts)
}

func (s *Server) removeMember(group, user int64, status string, opts []UserOpt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.groupLocked(group)
	o := collectOpts(opts)
	u := *s.userLocked(user, userOpts{})
	old := c.members[user]
	if old == "" {
		old = StatusLeft
	}
	if old == status || (status == StatusLeft && !isPresent(old)) {
		s.bumpLocked()
		return
	}
	c.members[user] = status
	by := u
	if status == StatusKicked {
		by = s.groupAdminLocked(c, o.from)
	}
	if isPresent(old) {
		s.serviceMessageLocked(c, by, &storedMsg{left: &u})
	}
	s.chatMemberLocked(c, by, u, old, status)
}

// groupAdminLocked returns the user acting as an administrator: from if
// set, else the creator, else the bot.
func (s *Server) groupAdminLocked(c *chatState, from int64) apiUser {
	if from != 0 {
		return *s.userLocked(from, userOpts{})
	}
	for id, st := range c.members {
		if st == StatusCreator {
			return *s.userLocked(id, userOpts{})
		}
	}
	return *s.botAPIUser()
}

// serviceMessageLocked stores a service message of the group and sends it
// to the bot as a "message" update.
func (s *Server) serviceMessageLocked(c *chatState, from apiUser, m *storedMsg) {
	m.kind = KindService
	m.date = s.now().Unix()
	if from.ID == s.botID && from.IsBot {
		m.fromBot = true
	} else {
		m.sender = &from
	}
	c.add(m)
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, Message: s.apiMessageLocked(c, m, false)})
	s.enqueueLocked(id, "message", raw)
}

// chatMemberLocked sends a chat_member update if the bot asked for them.
func (s *Server) chatMemberLocked(c *chatState, from, user apiUser, old, status string) {
	if !s.allowedLocked("chat_member") {
		s.bumpLocked()
		return
	}
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, ChatMember: &apiChatMemberUpdated{
		Chat:          c.info,
		From:          from,
		Date:          s.now().Unix(),
		OldChatMember: chatMember(old, user),
		NewChatMember: chatMember(status, user),
	}})
	s.enqueueLocked(id, "chat_member", raw)
}

// MemberStatus returns the user's status in the group ("left" if never
// added), as getChatMember would.
func (s *Server) MemberStatus(group, user int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[group]; c != nil && c.members != nil {
		if st := c.members[user]; st != "" {
			return st
		}
	}
	return StatusLeft
}

func (s *Server) handleGetChatMember(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	uid := r.p.int64("user_id")
	if uid <= 0 {
		return badRequest("invalid user_id specified")
	}
	var u apiUser
	switch {
	case uid == s.botID:
		u = *s.botAPIUser()
	case s.users[uid] != nil:
		u = *s.users[uid]
	default:
		u = apiUser{ID: uid, FirstName: "User", Username: "user" + strconv.FormatInt(uid, 10)}
	}
	status := StatusLeft
	switch {
	case c.members != nil && uid == s.botID:
		status = StatusAdministrator
	case c.members != nil:
		if st := c.members[uid]; st != "" {
			status = st
		}
	case uid == c.info.ID || uid == s.botID:
		status = StatusMember
	}
	return okResult(chatMember(status, u))
}
