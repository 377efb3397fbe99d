package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
)

// AnyMethod makes a fault match every method except getUpdates (which a
// polling bot calls continuously; name it explicitly to fail it).
const AnyMethod = "*"

type fault struct {
	method     string // lower case, or "*"
	remaining  int
	code       int
	desc       string
	retryAfter int
}

// Fail makes the next times calls of method (case-insensitive, or
// [AnyMethod]) fail with code before doing anything. The description is
// Telegram's usual one for the code:
//
//	429 "Too Many Requests: retry after N" with parameters.retry_after = retryAfter
//	403 "Forbidden: bot was blocked by the user"
//	400 "Bad Request", 401 "Unauthorized", 404 "Not Found", 409 "Conflict"
//	500 "Internal Server Error"
//	502, 503, 504: nginx's HTML error page, as Telegram's front end sends
//
// Faults queue up; each call consumes the oldest matching one.
func (s *Server) Fail(method string, times int, code int, retryAfter int) {
	s.FailWith(method, times, code, defaultDescription(code, retryAfter), retryAfter)
}

// FailWith is [Server.Fail] with a chosen description, e.g.
// "Bad Request: chat not found" or "Forbidden: user is deactivated".
func (s *Server) FailWith(method string, times int, code int, description string, retryAfter int) {
	if times <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{
		method:     strings.ToLower(method),
		remaining:  times,
		code:       code,
		desc:       description,
		retryAfter: retryAfter,
	})
}

// ClearFaults removes the faults and hangs not yet consumed.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.hangs = nil
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return forbiddenBlocked
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusConflict:
		return "Conflict"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error"
}

// takeFault consumes the first fault matching method, if any.
func (s *Server) takeFault(method string) *result {
	lower := strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.method != lower && (f.method != AnyMethod || lower == "getupdates") {
			continue
		}
		f.remaining--
		if f.remaining <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return faultResult(f)
	}
	return nil
}

func faultResult(f *fault) *result {
	switch f.code {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return &result{code: f.code, rawBody: nginxPage(f.code), contentType: "text/html"}
	}
	res := errResult(f.code, f.desc)
	if f.retryAfter > 0 {
		res.retryAfter = f.retryAfter
	}
	return res
}

func nginxPage(code int) []byte {
	status := fmt.Sprintf("%d %s", code, http.StatusText(code))
	return []byte("<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" +
		status + "</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n")
}

// Block makes every message or chat action sent to chatID fail with 403
// "Forbidden: bot was blocked by the user" until [Server.Unblock]. The user's
// own actions do not unblock. Like Telegram, it sends the bot a
// my_chat_member update (new status "kicked"), which a bot receives unless
// its allowed_updates leave my_chat_member out.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[chatID] {
		return
	}
	s.blocked[chatID] = true
	s.myChatMemberLocked(chatID, "member", "kicked")
}

// Unblock undoes [Server.Block] and sends the bot a my_chat_member update
// (new status "member"), as Telegram does when the user restarts the bot.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.blocked[chatID] {
		return
	}
	delete(s.blocked, chatID)
	s.myChatMemberLocked(chatID, "kicked", "member")
}

// myChatMemberLocked enqueues the update telling the bot that the user of
// the private chat chatID changed the bot's status from old to new.
func (s *Server) myChatMemberLocked(chatID int64, old, new string) {
	c, _ := s.userChatLocked(chatID, nil)
	bot := *s.botAPIUser()
	id := s.nextUpdateIDLocked()
	raw := marshal(apiUpdate{UpdateID: id, MyChatMember: &apiChatMemberUpdated{
		Chat:          c.info,
		From:          c.user,
		Date:          s.now().Unix(),
		OldChatMember: chatMember(old, bot),
		NewChatMember: chatMember(new, bot),
	}})
	s.enqueueLocked(id, "my_chat_member", raw)
}
