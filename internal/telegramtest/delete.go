package telegramtest

import (
	"encoding/json"
	"strings"
)

// Deleting messages: deleteMessage, deleteMessages.

func (s *Server) deletableLocked(m *storedMsg) bool {
	return s.now().Unix()-m.date < messageDeleteWindow
}

func (s *Server) handleDeleteMessage(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.p.str("chat_id") == "" {
		return badRequest("chat identifier is not specified")
	}
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	id := r.p.int("message_id")
	if id <= 0 {
		return badRequest(`parameter "message_id" is required`)
	}
	m := c.byID[id]
	if m == nil {
		return badRequest("message to delete not found")
	}
	if !s.deletableLocked(m) {
		return badRequest("message can't be deleted")
	}
	c.remove(id)
	s.bumpLocked()
	return okResult(true)
}

func (s *Server) handleDeleteMessages(r *request) *result {
	if !r.p.has("message_ids") {
		return badRequest("message identifiers are not specified")
	}
	var rawIDs []json.RawMessage
	raw := strings.TrimSpace(r.p.str("message_ids"))
	if !json.Valid([]byte(raw)) {
		return badRequest("can't parse message_ids JSON object")
	}
	if err := json.Unmarshal([]byte(raw), &rawIDs); err != nil {
		return badRequest("expected an Array of message identifiers")
	}
	if len(rawIDs) > maxDeleteMessages {
		return badRequest("too many message identifiers specified")
	}
	ids := make([]int, 0, len(rawIDs))
	for _, v := range rawIDs {
		var id int
		if err := json.Unmarshal(v, &id); err != nil || id <= 0 {
			return badRequest("invalid message identifier specified")
		}
		ids = append(ids, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	for _, id := range ids {
		if m := c.byID[id]; m != nil && s.deletableLocked(m) {
			c.remove(id)
		}
	}
	s.bumpLocked()
	return okResult(true)
}
