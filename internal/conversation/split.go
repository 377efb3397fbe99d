package conversation

import (
	"strings"
	"time"
	"unicode/utf16"

	"github.com/boussole/boussole/internal/delivery"
)

// MaxMessageUnits is the longest message Telegram accepts, in UTF-16 code
// units (what it counts), not bytes or characters.
const MaxMessageUnits = 4096

// Items turns a reply into outbox items, one per message: a text longer than
// Telegram accepts is split at paragraph breaks when possible (the buttons go
// with the last part), so that every message sent is one item, acknowledged
// and journaled on its own. proto carries the flags.
func Items(r Reply, now time.Time, proto delivery.Item) []delivery.Item {
	parts := splitText(r.Text, MaxMessageUnits)
	out := make([]delivery.Item, len(parts))
	for i, p := range parts {
		it := proto
		it.Kind, it.Text, it.Lang, it.At = delivery.KindText, p, r.Lang, now.UnixMilli()
		if i == len(parts)-1 {
			it.Buttons = r.Buttons
		}
		out[i] = it
	}
	return out
}

// splitText cuts text into parts of at most limit UTF-16 units, at paragraph
// breaks when possible, then at line breaks, then at spaces, never inside a
// character.
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

// units counts UTF-16 code units, as Telegram does.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
