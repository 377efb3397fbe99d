package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// messageDeleteWindow is how old (in seconds) a message may be and still be
// deleted by a bot.
const messageDeleteWindow = 48 * 3600

const forbiddenBlocked = "Forbidden: bot was blocked by the user"

type methodHandler struct {
	name string
	fn   func(*Server, *request) *result
}

// methodTable maps lower-case method names (the Bot API ignores case) to
// their handlers.
var methodTable = map[string]methodHandler{}

func register(name string, fn func(*Server, *request) *result) {
	methodTable[strings.ToLower(name)] = methodHandler{name: name, fn: fn}
}

func init() {
	register("getMe", (*Server).handleGetMe)
	register("getUpdates", (*Server).handleGetUpdates)
	register("setWebhook", (*Server).handleSetWebhook)
	register("deleteWebhook", (*Server).handleDeleteWebhook)
	register("getWebhookInfo", (*Server).handleGetWebhookInfo)
	register("sendMessage", (*Server).handleSendMessage)
	register("editMessageText", (*Server).handleEditMessageText)
	register("editMessageCaption", (*Server).handleEditMessageCaption)
	register("editMessageReplyMarkup", (*Server).handleEditMessageReplyMarkup)
	register("deleteMessage", (*Server).handleDeleteMessage)
	register("deleteMessages", (*Server).handleDeleteMessages)
	register("copyMessage", (*Server).handleCopyMessage)
	register("copyMessages", (*Server).handleCopyMessages)
	register("sendPhoto", (*Server).handleSendPhoto)
	register("sendDocument", (*Server).handleSendDocument)
	register("getFile", (*Server).handleGetFile)
	register("sendChatAction", (*Server).handleSendChatAction)
	register("getChatMember", (*Server).handleGetChatMember)
	register("answerCallbackQuery", (*Server).handleAnswerCallbackQuery)
	register("setMyCommands", (*Server).handleSetMyCommands)
	register("getMyCommands", (*Server).handleGetMyCommands)
	register("deleteMyCommands", (*Server).handleDeleteMyCommands)
}

func lookupMethod(name string) (methodHandler, bool) {
	h, ok := methodTable[strings.ToLower(name)]
	return h, ok
}

// Methods returns the names of the Bot API methods the fake implements.
// Other methods answer 404 Not Found.
func Methods() []string {
	out := make([]string, 0, len(methodTable))
	for _, h := range methodTable {
		out = append(out, h.name)
	}
	sort.Strings(out)
	return out
}

func (s *Server) handleGetMe(*request) *result {
	return okResult(apiBotUser{
		ID:            s.botID,
		IsBot:         true,
		FirstName:     s.cfg.botFirstName,
		Username:      s.cfg.botUsername,
		CanJoinGroups: true,
	})
}

// admitSendLocked applies Block and the flood limits to n messages about to
// be sent to chatID. It consumes rate-limit budget only when it admits them
// all.
func (s *Server) admitSendLocked(chatID int64, n int) *result {
	if s.blocked[chatID] {
		return errResult(http.StatusForbidden, forbiddenBlocked)
	}
	if s.limiter != nil {
		if retry := s.limiter.take(s.now(), chatID, n, true); retry > 0 {
			return tooManyRequests(retry)
		}
	}
	return nil
}

// jsonParam validates an optional JSON parameter of the given kind ('{' or
// '[') and returns it compacted.
func jsonParam(p params, key string, open byte, what string) (json.RawMessage, *result) {
	raw := strings.TrimSpace(p.str(key))
	if raw == "" {
		return nil, nil
	}
	if raw[0] != open || !json.Valid([]byte(raw)) {
		return nil, badRequest("can't parse " + what + " JSON object")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(raw)); err != nil {
		return nil, badRequest("can't parse " + what + " JSON object")
	}
	return buf.Bytes(), nil
}

// replyTargetLocked resolves reply_parameters / reply_to_message_id.
func (s *Server) replyTargetLocked(c *chatState, p params) (int, *result) {
	id := p.int("reply_to_message_id")
	allow := p.bool("allow_sending_without_reply")
	target := c
	if raw := strings.TrimSpace(p.str("reply_parameters")); raw != "" {
		var rp struct {
			MessageID int             `json:"message_id"`
			ChatID    json.RawMessage `json:"chat_id"`
			Allow     bool            `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return 0, badRequest("can't parse reply parameters JSON object")
		}
		id, allow = rp.MessageID, rp.Allow
		if len(rp.ChatID) > 0 && string(rp.ChatID) != "null" {
			var other *chatState
			var res *result
			var str string
			if json.Unmarshal(rp.ChatID, &str) == nil {
				other, res = s.resolveChatLocked(str)
			} else {
				other, res = s.resolveChatLocked(string(rp.ChatID))
			}
			if res != nil {
				return 0, res
			}
			target = other
		}
	}
	if id == 0 {
		return 0, nil
	}
	if target.byID[id] == nil {
		if allow {
			return 0, nil
		}
		return 0, badRequest("message to be replied not found")
	}
	if target != c {
		return 0, nil // a reply to another chat is shown as an external reply
	}
	return id, nil
}

// linkPreviewParam reads link_preview_options (or the legacy
// disable_web_page_preview).
func linkPreviewParam(p params) (json.RawMessage, *result) {
	lp, res := jsonParam(p, "link_preview_options", '{', "link preview options")
	if res != nil {
		return nil, res
	}
	if lp == nil && p.bool("disable_web_page_preview") {
		lp = json.RawMessage(`{"is_disabled":true}`)
	}
	return lp, nil
}

// textParams reads and checks what sendMessage and editMessageText share:
// the text, its parse mode and entities, and the link preview options.
func textParams(p params) (text, mode string, entities, lp json.RawMessage, res *result) {
	text, mode = p.str("text"), p.str("parse_mode")
	if res := checkText(text, mode); res != nil {
		return "", "", nil, nil, res
	}
	if entities, res = jsonParam(p, "entities", '[', "message entities"); res != nil {
		return "", "", nil, nil, res
	}
	if lp, res = linkPreviewParam(p); res != nil {
		return "", "", nil, nil, res
	}
	return text, mode, entities, lp, nil
}

func (s *Server) handleSendMessage(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	text, mode, entities, lp, res := textParams(r.p)
	if res != nil {
		return res
	}
	rm, res := parseReplyMarkup(r.p.str("reply_markup"))
	if res != nil {
		return res
	}
	replyTo, res := s.replyTargetLocked(c, r.p)
	if res != nil {
		return res
	}
	if res := s.admitSendLocked(c.info.ID, 1); res != nil {
		return res
	}
	if entities == nil && mode == "" {
		entities = commandEntities(text)
	}
	m := &storedMsg{
		fromBot:     true,
		kind:        KindText,
		date:        s.now().Unix(),
		text:        text,
		parseMode:   mode,
		entities:    entities,
		linkPreview: lp,
		protected:   r.p.bool("protect_content"),
		replyTo:     replyTo,
	}
	applyMarkup(m, rm)
	c.add(m)
	s.bumpLocked()
	return okResult(s.apiMessageLocked(c, m, true))
}

func applyMarkup(m *storedMsg, rm *replyMarkup) {
	if rm == nil {
		return
	}
	m.markup = rm.inline
	m.keyboard = rm.keyboard
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

// maxDeleteMessages is deleteMessages' limit on message_ids.
const maxDeleteMessages = 100

// chatActions are the actions sendChatAction accepts.
var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true,
	"choose_sticker": true, "find_location": true, "record_video_note": true,
	"upload_video_note": true,
}

func (s *Server) handleSendChatAction(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, res := s.resolveChatLocked(r.p.str("chat_id"))
	if res != nil {
		return res
	}
	action := r.p.str("action")
	if !chatActions[action] {
		return badRequest("wrong parameter action in request")
	}
	if s.blocked[c.info.ID] {
		return errResult(http.StatusForbidden, forbiddenBlocked)
	}
	c.actions = append(c.actions, action)
	s.bumpLocked()
	return okResult(true)
}

const queryTooOld = "query is too old and response timeout expired or query ID is invalid"

func (s *Server) handleAnswerCallbackQuery(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	cq := s.callbacks[r.p.str("callback_query_id")]
	if cq == nil || cq.answered {
		return badRequest(queryTooOld)
	}
	cq.answered = true
	cq.answer = CallbackAnswer{
		Text:      r.p.str("text"),
		ShowAlert: r.p.bool("show_alert"),
		URL:       r.p.str("url"),
		CacheTime: r.p.int("cache_time"),
	}
	s.bumpLocked()
	return okResult(true)
}

// admitEditLocked applies the group flood limit to an edit of a message of
// chatID: Telegram counts edits in groups against the group's 20 messages
// a minute (not against the global limit); edits in private chats are not
// limited.
func (s *Server) admitEditLocked(chatID int64) *result {
	if s.limiter != nil && chatID < 0 {
		if retry := s.limiter.take(s.now(), chatID, 1, false); retry > 0 {
			return tooManyRequests(retry)
		}
	}
	return nil
}
