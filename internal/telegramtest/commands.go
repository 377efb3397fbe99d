package telegramtest

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

const (
	maxCommands          = 100
	maxCommandLength     = 32
	maxCommandDescLength = 256
)

// commandKey identifies one command list: a scope and a language code.
type commandKey struct {
	scope string // "default", "all_private_chats", "chat:42", "chat_member:42:7", ...
	lang  string
}

// scopeKey canonicalizes a BotCommandScope JSON object.
func scopeKey(raw string) (string, *result) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "default", nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		return "", badRequest("can't parse BotCommandScope JSON object")
	}
	chatID := func() (string, *result) {
		var str string
		if json.Unmarshal(sc.ChatID, &str) == nil {
			return str, nil
		}
		var n int64
		if json.Unmarshal(sc.ChatID, &n) == nil && n != 0 {
			return strconv.FormatInt(n, 10), nil
		}
		return "", badRequest("chat_id is empty")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		return sc.Type, nil
	case "chat", "chat_administrators":
		id, res := chatID()
		if res != nil {
			return "", res
		}
		return sc.Type + ":" + id, nil
	case "chat_member":
		id, res := chatID()
		if res != nil {
			return "", res
		}
		if sc.UserID == 0 {
			return "", badRequest("user not found")
		}
		return sc.Type + ":" + id + ":" + strconv.FormatInt(sc.UserID, 10), nil
	}
	return "", badRequest("unsupported bot command scope type")
}

func commandKeyOf(p params) (commandKey, *result) {
	scope, res := scopeKey(p.str("scope"))
	if res != nil {
		return commandKey{}, res
	}
	return commandKey{scope: scope, lang: p.str("language_code")}, nil
}

func validCommandName(c string) bool {
	if c == "" || len(c) > maxCommandLength {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z')) {
			return false
		}
	}
	return true
}

func (s *Server) handleSetMyCommands(r *request) *result {
	key, res := commandKeyOf(r.p)
	if res != nil {
		return res
	}
	var cmds []models.BotCommand
	if raw := strings.TrimSpace(r.p.str("commands")); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
			return badRequest("can't parse commands JSON object")
		}
	}
	if len(cmds) > maxCommands {
		return badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !validCommandName(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if strings.TrimSpace(c.Description) == "" {
			return badRequest("command description must be non-empty")
		}
		if UTF16Len(c.Description) > maxCommandDescLength {
			return badRequest("command description is too long")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = append([]models.BotCommand(nil), cmds...)
	}
	s.bumpLocked()
	return okResult(true)
}

func (s *Server) handleGetMyCommands(r *request) *result {
	key, res := commandKeyOf(r.p)
	if res != nil {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return okResult(cmds)
}

func (s *Server) handleDeleteMyCommands(r *request) *result {
	key, res := commandKeyOf(r.p)
	if res != nil {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.bumpLocked()
	return okResult(true)
}

// Commands returns the commands set for the default scope and languageCode
// ("" for the fallback list), exactly as getMyCommands would.
func (s *Server) Commands(languageCode string) []models.BotCommand {
	return s.ScopedCommands(nil, languageCode)
}

// ScopedCommands returns the commands set for a scope (nil for the default
// scope) and languageCode.
func (s *Server) ScopedCommands(scope models.BotCommandScope, languageCode string) []models.BotCommand {
	key := commandKey{scope: "default", lang: languageCode}
	if scope != nil {
		raw, err := scope.MarshalCustom()
		if err != nil {
			return nil
		}
		k, res := scopeKey(string(raw))
		if res != nil {
			return nil
		}
		key.scope = k
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand(nil), s.commands[key]...)
}
