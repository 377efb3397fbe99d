package telegramtest

import "strings"

// Editing messages: editMessageText, editMessageCaption and
// editMessageReplyMarkup.

// editTargetLocked finds the message an edit method addresses.
func (s *Server) editTargetLocked(p params) (*chatState, *storedMsg, *result) {
	if p.str("inline_message_id") != "" && p.str("chat_id") == "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	c, res := s.resolveChatLocked(p.str("chat_id"))
	if res != nil {
		return nil, nil, res
	}
	id := p.int("message_id")
	if id <= 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	return c, c.byID[id], nil
}

// editMarkup parses the reply_markup of an edit: inline keyboards only.
func editMarkup(p params) (*markup, *result) {
	rm, res := parseReplyMarkup(p.str("reply_markup"))
	if res != nil {
		return nil, res
	}
	if rm == nil {
		return nil, nil
	}
	if rm.inline == nil {
		return nil, badRequest("inline keyboard expected")
	}
	return rm.inline, nil
}

func (s *Server) handleEditMessageText(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, res := s.editTargetLocked(r.p)
	if res != nil {
		return res
	}
	text, mode, entities, lp, res := textParams(r.p)
	if res != nil {
		return res
	}
	mk, res := editMarkup(r.p)
	if res != nil {
		return res
	}
	switch {
	case m == nil:
		return badRequest("message to edit not found")
	case !m.fromBot:
		return badRequest("message can't be edited")
	case !m.hasText():
		return badRequest("there is no text in the message to edit")
	}
	if entities == nil && mode == "" {
		entities = commandEntities(text)
	}
	if m.text == text && strings.EqualFold(m.parseMode, mode) &&
		string(m.entities) == string(entities) && m.markup.equal(mk) {
		return badRequest(notModified)
	}
	if res := s.admitEditLocked(c.info.ID); res != nil {
		return res
	}
	m.text, m.parseMode, m.entities, m.markup = text, mode, entities, mk
	if lp != nil {
		m.linkPreview = lp
	}
	m.editDate = s.now().Unix()
	s.bumpLocked()
	return okResult(s.apiMessageLocked(c, m, true))
}

func (s *Server) handleEditMessageReplyMarkup(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, res := s.editTargetLocked(r.p)
	if res != nil {
		return res
	}
	mk, res := editMarkup(r.p)
	if res != nil {
		return res
	}
	switch {
	case m == nil:
		return badRequest("message to edit not found")
	case !m.fromBot:
		return badRequest("message can't be edited")
	case m.markup.equal(mk):
		return badRequest(notModified)
	}
	if res := s.admitEditLocked(c.info.ID); res != nil {
		return res
	}
	m.markup = mk
	m.editDate = s.now().Unix()
	s.bumpLocked()
	return okResult(s.apiMessageLocked(c, m, true))
}

func (s *Server) handleEditMessageCaption(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, res := s.editTargetLocked(r.p)
	if res != nil {
		return res
	}
	caption, mode := r.p.str("caption"), r.p.str("parse_mode")
	if res := checkCaption(caption, mode); res != nil {
		return res
	}
	entities, res := jsonParam(r.p, "caption_entities", '[', "caption entities")
	if res != nil {
		return res
	}
	mk, res := editMarkup(r.p)
	if res != nil {
		return res
	}
	switch {
	case m == nil:
		return badRequest("message to edit not found")
	case !m.fromBot:
		return badRequest("message can't be edited")
	case !m.hasCaption():
		return badRequest("there is no caption in the message to edit")
	}
	if m.caption == caption && strings.EqualFold(m.parseMode, mode) &&
		string(m.capEntities) == string(entities) && m.markup.equal(mk) {
		return badRequest(notModified)
	}
	if res := s.admitEditLocked(c.info.ID); res != nil {
		return res
	}
	m.caption, m.parseMode, m.capEntities, m.markup = caption, mode, entities, mk
	m.editDate = s.now().Unix()
	s.bumpLocked()
	return okResult(s.apiMessageLocked(c, m, true))
}
