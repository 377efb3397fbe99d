package telegramtest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Copying messages: copyMessage and copyMessages.

const (
	cantCopy          = "message can't be copied"
	copyNotFound      = "message to copy not found"
	protectedNoCopy   = "message has protected content and can't be forwarded"
	idsNotIncreasing  = "message identifiers must be in a strictly increasing order"
	maxCopiedMessages = 100
)

// copyableLocked tells whether src may be copied, as Telegram decides:
// service messages and quizzes whose correct option the bot does not know
// can't be; protected content can't leave its chat.
func copyable(src *storedMsg) *result {
	if src.kind == KindService {
		return badRequest(cantCopy)
	}
	if src.kind == KindPoll {
		var p struct {
			Type    string `json:"type"`
			Correct *int   `json:"correct_option_id"`
		}
		if json.Unmarshal(src.media, &p) == nil && p.Type == "quiz" && p.Correct == nil {
			return badRequest(cantCopy)
		}
	}
	if src.protected {
		return badRequest(protectedNoCopy)
	}
	return nil
}

// copyOf makes the bot's copy of src, which keeps its kind, text, caption,
// entities and media, but not its keyboard, album or reply.
func (s *Server) copyOf(from *chatState, src *storedMsg, protect bool) *storedMsg {
	return &storedMsg{
		fromBot:     true,
		kind:        src.kind,
		date:        s.now().Unix(),
		text:        src.text,
		entities:    src.entities,
		linkPreview: src.linkPreview,
		caption:     src.caption,
		capEntities: src.capEntities,
		media:       src.media,
		media2:      src.media2,
		file:        src.file,
		protected:   protect,
		copyOf:      &MessageRef{ChatID: from.info.ID, MessageID: src.id},
	}
}

// copyChatsLocked resolves chat_id and from_chat_id.
func (s *Server) copyChatsLocked(p params) (to, from *chatState, res *result) {
	if to, res = s.resolveChatLocked(p.str("chat_id")); res != nil {
		return nil, nil, res
	}
	if p.str("from_chat_id") == "" {
		return nil, nil, badRequest("from_chat_id is empty")
	}
	if from, res = s.resolveChatLocked(p.str("from_chat_id")); res != nil {
		return nil, nil, res
	}
	return to, from, nil
}

func (s *Server) handleCopyMessage(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	to, from, res := s.copyChatsLocked(r.p)
	if res != nil {
		return res
	}
	id := r.p.int("message_id")
	if id <= 0 {
		return badRequest("message identifier is not specified")
	}
	src := from.byID[id]
	if src == nil {
		return badRequest(copyNotFound)
	}
	if res := copyable(src); res != nil {
		return res
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
	if res := s.admitSendLocked(to.info.ID, 1); res != nil {
		return res
	}
	m := s.copyOf(from, src, r.p.bool("protect_content"))
	m.replyTo = replyTo
	if hasCaption && src.hasCaption() {
		m.caption, m.capEntities, m.parseMode = caption, capEntities, mode
	}
	applyMarkup(m, rm)
	to.add(m)
	s.bumpLocked()
	return okResult(apiMessageID{MessageID: m.id})
}

// messageIDsParam reads copyMessages' message_ids: 1 to 100 identifiers in
// strictly increasing order.
func messageIDsParam(p params) ([]int, *result) {
	raw := strings.TrimSpace(p.str("message_ids"))
	if raw == "" {
		return nil, badRequest("message identifiers are not specified")
	}
	var rawIDs []json.RawMessage
	if !json.Valid([]byte(raw)) {
		return nil, badRequest("can't parse message_ids JSON object")
	}
	if err := json.Unmarshal([]byte(raw), &rawIDs); err != nil {
		return nil, badRequest("expected an Array of message identifiers")
	}
	if len(rawIDs) == 0 {
		return nil, badRequest("message identifiers are not specified")
	}
	if len(rawIDs) > maxCopiedMessages {
		return nil, badRequest("too many message identifiers specified")
	}
	ids := make([]int, 0, len(rawIDs))
	for _, v := range rawIDs {
		var id int
		if err := json.Unmarshal(v, &id); err != nil || id <= 0 {
			return nil, badRequest("invalid message identifier specified")
		}
		if len(ids) > 0 && id <= ids[len(ids)-1] {
			return nil, badRequest(idsNotIncreasing)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// handleCopyMessages copies what exists of message_ids, skipping missing
// and uncopyable messages; the parts of an album stay together in a new
// album. It answers the new ids, in order.
func (s *Server) handleCopyMessages(r *request) *result {
	ids, res := messageIDsParam(r.p)
	if res != nil {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	to, from, res := s.copyChatsLocked(r.p)
	if res != nil {
		return res
	}
	var srcs []*storedMsg
	for _, id := range ids {
		src := from.byID[id]
		if src == nil {
			continue
		}
		if res := copyable(src); res != nil {
			if src.protected {
				return res
			}
			continue
		}
		srcs = append(srcs, src)
	}
	out := make([]apiMessageID, 0, len(srcs))
	if len(srcs) == 0 {
		return okResult(out)
	}
	if res := s.admitSendLocked(to.info.ID, len(srcs)); res != nil {
		return res
	}
	protect, noCaption := r.p.bool("protect_content"), r.p.bool("remove_caption")
	albums := map[string]string{}
	for _, src := range srcs {
		m := s.copyOf(from, src, protect)
		if noCaption {
			m.caption, m.capEntities = "", nil
		}
		if g := src.mediaGroup; g != "" {
			if albums[g] == "" {
				albums[g] = s.mediaGroupIDLocked()
			}
			m.mediaGroup = albums[g]
		}
		to.add(m)
		out = append(out, apiMessageID{MessageID: m.id})
	}
	s.bumpLocked()
	return okResult(out)
}

// mediaGroupIDLocked returns a new media_group_id.
func (s *Server) mediaGroupIDLocked() string {
	s.nextFileID++
	return strconv.FormatInt(13000000000000000+s.nextFileID, 10)
}
