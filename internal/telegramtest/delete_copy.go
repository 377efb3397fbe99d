package telegramtest

import (
	"encoding/json"
	"strings"
)

// Deleting and copying messages: deleteMessage, deleteMessages, copyMessage.

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

func (s *Server) handleCopyMessage(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	to, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	if r.p.str("from_chat_id") == "" {
		return badRequest("from_chat_id is empty")
	}
	from, res := s.resolveChatLocked(r.p.str("from_chat_id"))
	if res != nil {
		return res
	}
	id := r.p.int("message_id")
	if id <= 0 {
		return badRequest("message identifier is not specified")
	}
	src := from.byID[id]
	if src == nil {
		return badRequest("message to copy not found")
	}
	if src.protected {
		return badRequest("message has protected content and can't be forwarded")
	}
	mode := r.p.str("parse_mode")
	caption, hasCaption := r.p.str("caption"), r.p.has("caption")
	if hasCaption {
		if res := checkCaption(caption, mode); res != nil {
			return res
		}
	}
	capEntities, res := jsonParam(r.p, "caption_entities", '[', "caption entities")
	if res != nil {
		return res
	}
	rm, res := parseReplyMarkup(r.p.str("reply_markup"))
	if res != nil {
		return res
	}
	replyTo, res := s.replyTargetLocked(to, r.p)
	if res != nil {
		return res
	}
	if res := s.admitSendLocked(to.info.ID); res != nil {
		return res
	}
	m := &storedMsg{
		fromBot:     true,
		kind:        KindCopy,
		date:        s.now().Unix(),
		text:        src.text,
		entities:    src.entities,
		linkPreview: src.linkPreview,
		caption:     src.caption,
		capEntities: src.capEntities,
		photo:       src.photo,
		sticker:     src.sticker,
		voice:       src.voice,
		protected:   r.p.bool("protect_content"),
		replyTo:     replyTo,
		copyOf:      &MessageRef{ChatID: from.info.ID, MessageID: src.id},
	}
	if hasCaption && !src.hasText() {
		m.caption, m.capEntities, m.parseMode = caption, capEntities, mode
	}
	applyMarkup(m, rm)
	to.add(m)
	s.bumpLocked()
	return okResult(apiMessageID{MessageID: m.id})
}
