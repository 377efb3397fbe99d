package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
)

// pick chooses a tap that keeps the family in the flow: mostly forward (one
// of the node's own buttons), sometimes ⬅️ Retour, and Recommencer at an end.
// Language buttons are left alone, so every step is an ordinary one.
func pick(buttons []string) string {
	var nav []string
	back, restart := false, false
	for _, b := range buttons {
		switch {
		case b == "g:back":
			back = true
		case b == "g:restart":
			restart = true
		case strings.HasPrefix(b, "g:"):
		default:
			nav = append(nav, b)
		}
	}
	switch {
	case back && (len(nav) == 0 || rand.IntN(3) == 0):
		return "g:back"
	case len(nav) > 0:
		return nav[rand.IntN(len(nav))]
	case restart:
		return "g:restart"
	}
	return ""
}

// messageID reads the message_id of a sendMessage result, which the fake
// writes first.
func messageID(result []byte) int {
	const key = `{"message_id":`
	if rest, ok := bytes.CutPrefix(result, []byte(key)); ok {
		end := bytes.IndexAny(rest, ",}")
		if end > 0 {
			if n, err := strconv.Atoi(string(rest[:end])); err == nil {
				return n
			}
		}
	}
	var m struct {
		ID int `json:"message_id"`
	}
	_ = json.Unmarshal(result, &m)
	return m.ID
}

// callbackData lists the callback data of an inline keyboard.
func callbackData(markup string) []string {
	if markup == "" {
		return nil
	}
	var m struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &m) != nil {
		return nil
	}
	var out []string
	for _, row := range m.Rows {
		for _, b := range row {
			if b.Data != "" {
				out = append(out, b.Data)
			}
		}
	}
	return out
}
