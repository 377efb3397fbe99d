package telegramtest

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// queuedUpdate is one update waiting for the bot.
type queuedUpdate struct {
	id   int64
	kind string // "message", "callback_query", ...; "" when unknown
	raw  []byte
	// redelivered updates are handed out once even if the bot's offset is
	// already past their id (see Redeliver).
	redelivered bool
	handedOut   bool
	// chat the update belongs to, read once (see chatOf); chatRead tells
	// whether it was read.
	chat     int64
	chatRead bool
}

// chatID is chatOf(u.raw), decoded once: a webhook queue of thousands of
// updates is scanned on every delivery.
func (u *queuedUpdate) chatID() int64 {
	if !u.chatRead {
		u.chat, u.chatRead = chatOf(u.raw), true
	}
	return u.chat
}

// defaultExcludedUpdates are the update types Telegram does not send unless
// they are listed in allowed_updates.
var defaultExcludedUpdates = map[string]bool{
	"chat_member":            true,
	"message_reaction":       true,
	"message_reaction_count": true,
}

func (s *Server) allowedLocked(kind string) bool {
	if kind == "" {
		return true
	}
	if s.allowed == nil {
		return !defaultExcludedUpdates[kind]
	}
	return s.allowed[kind]
}

// setAllowedLocked stores an allowed_updates parameter (a JSON array).
// An empty list restores the default.
func (s *Server) setAllowedLocked(raw string) *result {
	var names []string
	if err := json.Unmarshal([]byte(raw), &names); err != nil {
		return badRequest("can't parse allowed updates JSON object")
	}
	if len(names) == 0 {
		s.allowed = nil
		return nil
	}
	s.allowed = map[string]bool{}
	for _, n := range names {
		s.allowed[n] = true
	}
	return nil
}

func (s *Server) allowedListLocked() []string {
	if s.allowed == nil {
		return nil
	}
	out := make([]string, 0, len(s.allowed))
	for k := range s.allowed {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SetNextUpdateID makes n the update_id of the next update, higher or lower
// than the last one. Telegram numbers updates sequentially, but "if there
// are no new updates for at least a week, then identifier of the next update
// will be chosen randomly instead of sequentially": a test plays that quiet
// week with a lower n. Offsets are compared as numbers, so a polling bot
// whose offset is past n confirms the new updates unseen; use a webhook for
// such tests.
func (s *Server) SetNextUpdateID(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdateID = n - 1
}

// nextUpdateIDLocked reserves the next update_id.
func (s *Server) nextUpdateIDLocked() int64 {
	s.lastUpdateID++
	return s.lastUpdateID
}

// enqueueLocked appends an update whose id was reserved by nextUpdateIDLocked.
func (s *Server) enqueueLocked(id int64, kind string, raw []byte) {
	u := &queuedUpdate{id: id, kind: kind, raw: raw}
	s.history[id] = u
	s.queue = append(s.queue, u)
	s.bumpLocked()
}

// updateKind returns the name of the first field of an update other than
// update_id, e.g. "message".
func updateKind(raw []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	var keys []string
	for k := range fields {
		if k != "update_id" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// Push enqueues any update, e.g. an edited message, a chat member change or
// a deliberately odd payload. Its ID is replaced by the next update_id, which
// is returned. A message or callback query in it registers its chat, so the
// bot can answer; a message also appears in the chat view. Push panics if
// the update cannot be encoded (e.g. a ChatMember without its Type).
func (s *Server) Push(update models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpdateIDLocked()
	update.ID = id
	raw, err := json.Marshal(&update)
	if err != nil {
		panic("telegramtest: cannot encode update: " + err.Error())
	}
	s.registerPushedLocked(&update)
	s.enqueueLocked(id, updateKind(raw), raw)
	return id
}

// PushRaw enqueues raw JSON as an update and returns its update_id. When raw
// is a JSON object its "update_id" is set to the assigned id; anything else
// is delivered verbatim, which makes the whole getUpdates answer unparsable,
// as a corrupted update would.
func (s *Server) PushRaw(raw []byte) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpdateIDLocked()
	body := append([]byte(nil), raw...)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err == nil && fields != nil {
		fields["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
		body = marshal(fields)
		var u models.Update
		if json.Unmarshal(body, &u) == nil {
			s.registerPushedLocked(&u)
		}
	}
	s.enqueueLocked(id, updateKind(body), body)
	return id
}

// registerPushedLocked makes chats, messages and callback queries of a
// pushed update known to the fake.
func (s *Server) registerPushedLocked(u *models.Update) {
	for _, m := range []*models.Message{u.Message, u.ChannelPost, u.BusinessMessage} {
		if m == nil || m.Chat.ID == 0 {
			continue
		}
		c := s.chatFromModelLocked(m.Chat, m.From)
		kind, media, media2 := kindOfModel(m)
		sm := &storedMsg{
			id:          m.ID,
			kind:        kind,
			media:       media,
			media2:      media2,
			mediaGroup:  m.MediaGroupID,
			date:        int64(m.Date),
			text:        m.Text,
			entities:    rawOf(m.Entities),
			caption:     m.Caption,
			capEntities: rawOf(m.CaptionEntities),
			protected:   m.HasProtectedContent,
		}
		for _, u := range m.NewChatMembers {
			sm.joined = append(sm.joined, *userFromModel(&u))
		}
		if m.LeftChatMember != nil {
			sm.left = userFromModel(m.LeftChatMember)
		}
		if sm.date == 0 {
			sm.date = s.now().Unix()
		}
		if m.From != nil {
			sm.fromBot = m.From.IsBot && m.From.ID == s.botID
			if !sm.fromBot {
				sm.sender = userFromModel(m.From)
			}
		}
		if m.ReplyToMessage != nil {
			sm.replyTo = m.ReplyToMessage.ID
		}
		c.insert(sm)
	}
	if cq := u.CallbackQuery; cq != nil && cq.ID != "" {
		cs := &callbackState{id: cq.ID}
		if cq.Message.Message != nil {
			cs.chatID = cq.Message.Message.Chat.ID
			s.chatFromModelLocked(cq.Message.Message.Chat, &cq.From)
		} else if cq.Message.InaccessibleMessage != nil {
			cs.chatID = cq.Message.InaccessibleMessage.Chat.ID
			s.chatFromModelLocked(cq.Message.InaccessibleMessage.Chat, &cq.From)
		}
		if s.callbacks[cq.ID] == nil {
			s.callbacks[cq.ID] = cs
		}
	}
}

func (s *Server) chatFromModelLocked(ch models.Chat, from *models.User) *chatState {
	if c := s.chats[ch.ID]; c != nil {
		return c
	}
	c := newChat(apiChat{
		ID: ch.ID, Type: string(ch.Type), Title: ch.Title,
		FirstName: ch.FirstName, LastName: ch.LastName, Username: ch.Username,
	})
	if c.info.Type == "" {
		c.info.Type = "private"
	}
	if from != nil {
		c.user = *userFromModel(from)
	}
	s.chats[ch.ID] = c
	return c
}

func userFromModel(u *models.User) *apiUser {
	return &apiUser{
		ID: u.ID, IsBot: u.IsBot, FirstName: u.FirstName, LastName: u.LastName,
		Username: u.Username, LanguageCode: u.LanguageCode,
	}
}

// Redeliver enqueues an earlier update again with the same update_id, as
// Telegram does when a webhook did not answer 2xx or when a poller did not
// confirm it. It is handed out once even if the bot's getUpdates offset is
// already past it. It returns false for an unknown update_id.
func (s *Server) Redeliver(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.history[updateID]
	if old == nil {
		return false
	}
	u := &queuedUpdate{id: old.id, kind: old.kind, raw: old.raw, redelivered: true}
	i := sort.Search(len(s.queue), func(i int) bool { return s.queue[i].id > updateID })
	s.queue = append(s.queue, nil)
	copy(s.queue[i+1:], s.queue[i:])
	s.queue[i] = u
	s.bumpLocked()
	return true
}

// Pending returns the update_ids not yet confirmed by the bot: not yet
// acknowledged by a getUpdates offset, or not yet answered 2xx by the
// webhook.
func (s *Server) Pending() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.queue))
	for _, u := range s.queue {
		out = append(out, u.id)
	}
	return out
}

// Update returns the JSON of an update created earlier.
func (s *Server) Update(updateID int64) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.history[updateID]
	if u == nil {
		return nil, false
	}
	return append(json.RawMessage(nil), u.raw...), true
}

// confirmLocked applies a getUpdates offset.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		kept := s.queue[:0]
		for _, u := range s.queue {
			if u.id >= offset || (u.redelivered && !u.handedOut) {
				kept = append(kept, u)
			}
		}
		clearTail(s.queue, len(kept))
		s.queue = kept
	case offset < 0:
		keep := int(-offset)
		if keep < len(s.queue) {
			n := copy(s.queue, s.queue[len(s.queue)-keep:])
			clearTail(s.queue, n)
			s.queue = s.queue[:n]
		}
	}
}

func clearTail(q []*queuedUpdate, from int) {
	for i := from; i < len(q); i++ {
		q[i] = nil
	}
}

// dropUnwantedLocked removes queued updates whose type is not allowed.
func (s *Server) dropUnwantedLocked() {
	kept := s.queue[:0]
	for _, u := range s.queue {
		if s.allowedLocked(u.kind) {
			kept = append(kept, u)
		}
	}
	clearTail(s.queue, len(kept))
	s.queue = kept
}

func (s *Server) removeQueuedLocked(u *queuedUpdate) {
	for i, q := range s.queue {
		if q == u {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			return
		}
	}
}

// isJSON reports whether b is valid JSON (used to keep invalid raw updates
// verbatim in responses).
func isJSON(b []byte) bool { return json.Valid(bytes.TrimSpace(b)) }
