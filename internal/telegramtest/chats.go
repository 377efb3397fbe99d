package telegramtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// chatState is everything the fake knows about one chat.
type chatState struct {
	info      apiChat
	user      apiUser // the user of a private chat
	nextMsgID int
	msgs      []*storedMsg // visible messages in order
	byID      map[int]*storedMsg
	actions   []string
	members   map[int64]string // status by user id; non-nil for groups only
}

// storedMsg is one message of a chat, in both its API and view forms.
type storedMsg struct {
	id          int
	fromBot     bool
	kind        Kind
	sender      *apiUser // nil for the bot
	date        int64
	editDate    int64
	text        string
	caption     string
	parseMode   string
	entities    json.RawMessage
	capEntities json.RawMessage
	linkPreview json.RawMessage
	media       json.RawMessage // the kind's field: "photo", "video", "poll", ...
	media2      json.RawMessage // "document" of an animation, "location" of a venue
	file        *storedFile     // the file of a photo or document the bot sent
	mediaGroup  string
	joined      []apiUser // new_chat_members of a service message
	left        *apiUser  // left_chat_member of a service message
	markup      *markup
	keyboard    [][]string
	protected   bool
	replyTo     int
	copyOf      *MessageRef
}

// hasText reports whether editMessageText may change this message.
func (m *storedMsg) hasText() bool {
	return m.media == nil && m.kind != KindService
}

// hasCaption reports whether the message is of a kind that carries a
// caption (editMessageCaption, copyMessage's caption).
func (m *storedMsg) hasCaption() bool {
	switch m.kind {
	case KindPhoto, KindVideo, KindDocument, KindAnimation, KindAudio, KindVoice:
		return true
	}
	return false
}

func newChat(info apiChat) *chatState {
	return &chatState{info: info, byID: map[int]*storedMsg{}}
}

// add appends a message with the next message id of the chat.
func (c *chatState) add(m *storedMsg) {
	c.nextMsgID++
	m.id = c.nextMsgID
	c.msgs = append(c.msgs, m)
	c.byID[m.id] = m
}

// insert stores a message that already has an id (pushed updates).
func (c *chatState) insert(m *storedMsg) {
	if m.id <= 0 || c.byID[m.id] != nil {
		return
	}
	if m.id > c.nextMsgID {
		c.nextMsgID = m.id
	}
	c.msgs = append(c.msgs, m)
	c.byID[m.id] = m
}

func (c *chatState) remove(id int) {
	if c.byID[id] == nil {
		return
	}
	delete(c.byID, id)
	for i, m := range c.msgs {
		if m.id == id {
			c.msgs = append(c.msgs[:i], c.msgs[i+1:]...)
			break
		}
	}
}

// resolveChatLocked finds the chat named by a chat_id parameter.
func (s *Server) resolveChatLocked(raw string) (*chatState, *result) {
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	c := s.chats[id]
	if c == nil {
		return nil, badRequest("chat not found")
	}
	return c, nil
}

func (s *Server) botAPIUser() *apiUser {
	return &apiUser{ID: s.botID, IsBot: true, FirstName: s.cfg.botFirstName, Username: s.cfg.botUsername}
}

// apiMessageLocked renders a stored message as the Bot API does. Replies
// carry the replied message one level deep.
func (s *Server) apiMessageLocked(c *chatState, m *storedMsg, withReply bool) *apiMessage {
	am := &apiMessage{
		MessageID:           m.id,
		Chat:                c.info,
		Date:                m.date,
		EditDate:            m.editDate,
		HasProtectedContent: m.protected,
		Text:                m.text,
		Entities:            m.entities,
		LinkPreviewOptions:  m.linkPreview,
		MediaGroupID:        m.mediaGroup,
		Caption:             m.caption,
		CaptionEntities:     m.capEntities,
		NewChatMembers:      m.joined,
		LeftChatMember:      m.left,
	}
	setMedia(am, m)
	if m.fromBot {
		am.From = s.botAPIUser()
	} else if m.sender != nil {
		u := *m.sender
		am.From = &u
	}
	if m.markup != nil {
		am.ReplyMarkup = m.markup.raw
	}
	if withReply && m.replyTo != 0 {
		if r := c.byID[m.replyTo]; r != nil {
			am.ReplyToMessage = s.apiMessageLocked(c, r, false)
		}
	}
	return am
}

// viewLocked converts a stored message into the inspection form.
func viewOf(chatID int64, m *storedMsg) Message {
	v := Message{
		ChatID:    chatID,
		ID:        m.id,
		FromBot:   m.fromBot,
		Kind:      m.kind,
		Text:      m.text,
		Caption:   m.caption,
		ParseMode: m.parseMode,
		Protected: m.protected,
		Date:      time.Unix(m.date, 0),
		ReplyTo:   m.replyTo,
		Keyboard:  cloneKeyboard(m.keyboard),
		Album:     m.mediaGroup,
		Media:     append(json.RawMessage(nil), m.media...),
	}
	if m.sender != nil {
		v.From = m.sender.ID
	}
	v.FileName = fileName(m)
	if m.editDate != 0 {
		v.Edited = true
		v.EditDate = time.Unix(m.editDate, 0)
	}
	if m.markup != nil {
		v.Buttons = cloneButtons(m.markup.buttons)
	}
	if m.copyOf != nil {
		ref := *m.copyOf
		v.CopyOf = &ref
	}
	return v
}

func cloneButtons(in [][]Button) [][]Button {
	if in == nil {
		return nil
	}
	out := make([][]Button, len(in))
	for i, row := range in {
		out[i] = append([]Button(nil), row...)
	}
	return out
}

func cloneKeyboard(in [][]string) [][]string {
	if in == nil {
		return nil
	}
	out := make([][]string, len(in))
	for i, row := range in {
		out[i] = append([]string(nil), row...)
	}
	return out
}

// fileName is the name of a message's file: the file_name of its media, or
// the name the bot uploaded it with.
func fileName(m *storedMsg) string {
	if len(m.media) > 0 && m.media[0] == '{' {
		var f struct {
			FileName string `json:"file_name"`
		}
		if json.Unmarshal(m.media, &f) == nil && f.FileName != "" {
			return f.FileName
		}
	}
	if m.file != nil {
		return m.file.name
	}
	return ""
}
