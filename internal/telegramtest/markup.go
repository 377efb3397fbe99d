package telegramtest

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
)

// maxCallbackDataBytes is Telegram's limit on callback_data.
const maxCallbackDataBytes = 64

// markup is a validated inline keyboard.
type markup struct {
	raw     json.RawMessage // normalized {"inline_keyboard":[...]} as echoed back
	buttons [][]Button
}

func (m *markup) equal(o *markup) bool {
	if m == nil || o == nil {
		return m == nil && o == nil
	}
	return bytes.Equal(m.raw, o.raw)
}

// replyMarkup is a parsed reply_markup parameter.
type replyMarkup struct {
	inline   *markup    // inline keyboard
	keyboard [][]string // custom reply keyboard (button texts)
	other    bool       // remove_keyboard or force_reply
}

// inlineButtonActions are the fields that make an inline button more than
// plain text.
var inlineButtonActions = []string{
	"callback_data", "url", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"copy_text", "callback_game", "pay",
}

// parseReplyMarkup validates a reply_markup parameter like Telegram.
func parseReplyMarkup(raw string) (*replyMarkup, *result) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil || obj == nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	rm := &replyMarkup{}
	switch {
	case obj["inline_keyboard"] != nil:
		mk, res := parseInlineKeyboard(obj["inline_keyboard"])
		if res != nil {
			return nil, res
		}
		if len(mk.buttons) > 0 {
			rm.inline = mk
		}
	case obj["keyboard"] != nil:
		kb, res := parseReplyKeyboard(obj["keyboard"])
		if res != nil {
			return nil, res
		}
		rm.keyboard = kb
	case obj["remove_keyboard"] != nil, obj["force_reply"] != nil:
		rm.other = true
	default:
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	return rm, nil
}

func parseInlineKeyboard(raw json.RawMessage) (*markup, *result) {
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
	}
	mk := &markup{buttons: make([][]Button, 0, len(rows))}
	normRows := make([][]map[string]json.RawMessage, 0, len(rows))
	for _, row := range rows {
		viewRow := make([]Button, 0, len(row))
		normRow := make([]map[string]json.RawMessage, 0, len(row))
		for _, btn := range row {
			b, norm, res := parseInlineButton(btn)
			if res != nil {
				return nil, res
			}
			viewRow = append(viewRow, b)
			normRow = append(normRow, norm)
		}
		mk.buttons = append(mk.buttons, viewRow)
		normRows = append(normRows, normRow)
	}
	mk.raw = marshal(map[string]any{"inline_keyboard": normRows})
	return mk, nil
}

func parseInlineButton(btn map[string]json.RawMessage) (Button, map[string]json.RawMessage, *result) {
	var b Button
	if btn == nil {
		return b, nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
	}
	norm := map[string]json.RawMessage{}
	for k, v := range btn {
		if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			norm[k] = v
		}
	}
	rawText, ok := norm["text"]
	if !ok {
		return b, nil, badRequest(`can't parse inline keyboard button: Can't find field "text"`)
	}
	if err := json.Unmarshal(rawText, &b.Text); err != nil {
		return b, nil, badRequest(`can't parse inline keyboard button: Field "text" must be of type String`)
	}
	// go-telegram/bot always sends "copy_text":{"text":""}; Telegram ignores
	// an empty copy_text, so do we.
	if ct, ok := norm["copy_text"]; ok {
		var v struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(ct, &v) != nil || v.Text == "" {
			delete(norm, "copy_text")
		}
	}
	if pay, ok := norm["pay"]; ok && bytes.Equal(bytes.TrimSpace(pay), []byte("false")) {
		delete(norm, "pay")
	}
	if cd, ok := norm["callback_data"]; ok {
		if err := json.Unmarshal(cd, &b.Data); err != nil {
			return b, nil, badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`)
		}
		if n := len(b.Data); n == 0 || n > maxCallbackDataBytes {
			return b, nil, badRequest("BUTTON_DATA_INVALID")
		}
	}
	if u, ok := norm["url"]; ok {
		if err := json.Unmarshal(u, &b.URL); err != nil {
			return b, nil, badRequest(`can't parse inline keyboard button: Field "url" must be of type String`)
		}
		if b.URL == "" || strings.IndexFunc(b.URL, unicode.IsSpace) >= 0 {
			return b, nil, badRequest("BUTTON_URL_INVALID")
		}
	}
	hasAction := false
	for _, k := range inlineButtonActions {
		if _, ok := norm[k]; ok {
			hasAction = true
			break
		}
	}
	if !hasAction {
		return b, nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	return b, norm, nil
}

func parseReplyKeyboard(raw json.RawMessage) ([][]string, *result) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest(`field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays`)
	}
	out := make([][]string, 0, len(rows))
	for _, row := range rows {
		texts := make([]string, 0, len(row))
		for _, btn := range row {
			var text string
			if err := json.Unmarshal(btn, &text); err != nil {
				var obj struct {
					Text *string `json:"text"`
				}
				if err := json.Unmarshal(btn, &obj); err != nil || obj.Text == nil {
					return nil, badRequest(`can't parse keyboard button: Can't find field "text"`)
				}
				text = *obj.Text
			}
			texts = append(texts, text)
		}
		out = append(out, texts)
	}
	return out, nil
}
