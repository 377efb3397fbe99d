package telegramtest

import (
	"encoding/json"
	"html"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	maxTextLength    = 4096 // UTF-16 code units, after entity parsing
	maxCaptionLength = 1024
)

// UTF16Len returns the length of s in UTF-16 code units, the unit Telegram
// uses for text limits and entity offsets.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// visibleText approximates the text Telegram keeps after parsing entities.
// HTML tags are removed and character references decoded; Markdown is
// counted as sent.
func visibleText(text, parseMode string) string {
	if !strings.EqualFold(parseMode, "HTML") {
		return text
	}
	var b strings.Builder
	inTag := false
	for _, r := range text {
		switch {
		case r == '<' && !inTag:
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

func validParseMode(mode string) bool {
	switch strings.ToLower(mode) {
	case "", "html", "markdown", "markdownv2":
		return true
	}
	return false
}

// checkText applies sendMessage/editMessageText's text rules.
func checkText(text, parseMode string) *result {
	if !validParseMode(parseMode) {
		return badRequest("unsupported parse_mode")
	}
	visible := visibleText(text, parseMode)
	if strings.TrimSpace(visible) == "" {
		return badRequest("message text is empty")
	}
	if UTF16Len(visible) > maxTextLength {
		return badRequest("message is too long")
	}
	return nil
}

// checkCaption applies the caption rules of media messages and copies.
func checkCaption(caption, parseMode string) *result {
	if !validParseMode(parseMode) {
		return badRequest("unsupported parse_mode")
	}
	if UTF16Len(visibleText(caption, parseMode)) > maxCaptionLength {
		return badRequest("message caption is too long")
	}
	return nil
}

type apiEntity struct {
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	Type   string `json:"type"`
}

func isASCIIWordByte(b byte) bool {
	return b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// commandEntities finds bot commands like Telegram's clients do:
// "/" + 1-64 of [A-Za-z0-9_], optionally "@" + 3-32 of the same, not glued to
// a word character, "/", "<" or ">" on either side. Offsets and lengths are
// in UTF-16 code units.
func commandEntities(text string) json.RawMessage {
	var ents []apiEntity
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if isWordRune(prev) || prev == '/' || prev == '<' || prev == '>' {
				continue
			}
		}
		j := i + 1
		for j < len(text) && isASCIIWordByte(text[j]) {
			j++
		}
		if n := j - i - 1; n < 1 || n > 64 {
			continue
		}
		end := j
		if j < len(text) && text[j] == '@' {
			k := j + 1
			for k < len(text) && isASCIIWordByte(text[k]) {
				k++
			}
			if n := k - j - 1; n >= 3 && n <= 32 {
				end = k
			}
		}
		if end < len(text) {
			next, _ := utf8.DecodeRuneInString(text[end:])
			if isWordRune(next) || next == '/' || next == '<' || next == '>' {
				i = end - 1
				continue
			}
		}
		ents = append(ents, apiEntity{
			Offset: UTF16Len(text[:i]),
			Length: UTF16Len(text[i:end]),
			Type:   "bot_command",
		})
		i = end - 1
	}
	if len(ents) == 0 {
		return nil
	}
	return marshal(ents)
}
