package telegram

import (
	"strings"
	"unicode/utf16"
)

// maxMessageUnits is Telegram's limit on a message, in UTF-16 code units.
const maxMessageUnits = 4096

// splitText cuts text into parts Telegram accepts, at paragraph breaks when
// possible, then at line breaks, then at spaces, never inside a character.
func splitText(text string, limit int) []string {
	if units(text) <= limit {
		return []string{text}
	}
	var parts []string
	for units(text) > limit {
		cut := cutPoint(text, limit)
		parts = append(parts, strings.TrimRight(text[:cut], "\n "))
		text = strings.TrimLeft(text[cut:], "\n ")
	}
	if text != "" {
		parts = append(parts, text)
	}
	return parts
}

// cutPoint is the byte index of the best place to cut within limit units.
func cutPoint(text string, limit int) int {
	end, n := 0, 0
	for i, r := range text {
		w := utf16.RuneLen(r)
		if n+w > limit {
			break
		}
		n += w
		end = i + len(string(r))
	}
	head := text[:end]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > len(head)/2 {
			return i + len(sep)
		}
	}
	return end
}

func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
