package telegramtest

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Request is one Bot API request of the bot, in a form made for scanning,
// e.g. to assert that nothing sent to a group contains a person's name.
type Request struct {
	Method string // canonical name, e.g. "copyMessage"
	ChatID int64  // the chat_id parameter; 0 when absent or not numeric
	// Params are the parameters as [Call.Params] has them (nested JSON as
	// text). Treat it as read-only.
	Params map[string]string
	// Text holds every parameter, one "key=value" line each, sorted by key,
	// followed by one "key: leaf" line for every string and number inside
	// a JSON value (reply_markup, entities, ...), decoded: "\u00e9" and
	// "\u003c" escapes are already undone.
	Text string
	OK   bool // whether Telegram accepted it
}

// Contains reports whether sub appears in the request's parameters, raw or
// decoded, ignoring case. A user id is found inside longer numbers too.
func (r Request) Contains(sub string) bool {
	return strings.Contains(strings.ToLower(r.Text), strings.ToLower(sub))
}

// Requests returns every recorded request of the bot, for every chat and
// method, oldest first (bounded by [WithCallLogLimit]).
func (s *Server) Requests() []Request {
	calls := s.Calls(AnyMethod)
	out := make([]Request, 0, len(calls))
	for _, c := range calls {
		out = append(out, requestOf(c))
	}
	return out
}

// RequestsTo returns the recorded requests whose chat_id is chatID.
func (s *Server) RequestsTo(chatID int64) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.ChatID == chatID {
			out = append(out, r)
		}
	}
	return out
}

func requestOf(c Call) Request {
	r := Request{Method: c.Method, Params: c.Params, OK: c.OK()}
	r.ChatID, _ = strconv.ParseInt(strings.TrimSpace(c.Params["chat_id"]), 10, 64)
	keys := make([]string, 0, len(c.Params))
	for k := range c.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + c.Params[k] + "\n")
	}
	for _, k := range keys {
		v := strings.TrimSpace(c.Params[k])
		if v == "" || (v[0] != '{' && v[0] != '[') {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(v)))
		dec.UseNumber()
		var tree any
		if dec.Decode(&tree) == nil {
			writeLeaves(&b, k, tree)
		}
	}
	r.Text = b.String()
	return r
}

// writeLeaves writes the strings and numbers of a decoded JSON value.
func writeLeaves(b *strings.Builder, key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			writeLeaves(b, key+"."+k, x)
		}
	case []any:
		for i, x := range v {
			writeLeaves(b, key+"."+strconv.Itoa(i), x)
		}
	case string:
		b.WriteString(key + ": " + v + "\n")
	case json.Number:
		b.WriteString(key + ": " + v.String() + "\n")
	}
}
