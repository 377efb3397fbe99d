package delivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/boussole/boussole/internal/flow"
)

// Kind is what a queued item asks Telegram to do.
type Kind uint8

const (
	KindText   Kind = iota // send a message (text and buttons)
	KindDelete             // delete messages (an erase)
	KindCopy               // copy messages From a chat (copyMessage, or copyMessages for an album)
	KindEdit               // edit the text (or the caption, with Caption) of message IDs[0]
)

// Item is one entry of a chat's outbox: exactly one Bot API call.
type Item struct {
	Kind    Kind            `json:"k,omitempty"`
	Text    string          `json:"t,omitempty"`
	Buttons [][]flow.Button `json:"b,omitempty"` // rows of buttons, top to bottom
	Lang    string          `json:"l,omitempty"`
	IDs     []int           `json:"i,omitempty"` // KindDelete, KindCopy: message ids, at most DeleteBatch; KindEdit: the one edited
	At      int64           `json:"a"`           // when it was queued, unix milliseconds

	// To is the chat the item goes to when it is not the outbox's own chat:
	// a conversation's outbox also carries what is relayed between the
	// person and their volunteer, so that one sender keeps the order and one
	// journal knows every message to erase. 0: the outbox's chat.
	To int64 `json:"to,omitempty"`
	// From is the chat KindCopy copies from (0: the outbox's chat). On a
	// KindEdit, From and IDs[0] name the original message: the engine edits
	// the copy this outbox made of it, found when the edit is sent (the copy
	// went before it, in order).
	From int64 `json:"fr,omitempty"`
	// ReplyTo makes the message a reply to that message of the destination
	// chat (0: none).
	ReplyTo int `json:"rp,omitempty"`
	// Caption: KindEdit edits a media caption rather than a text.
	Caption bool `json:"c,omitempty"`
	// Album is the media group of a KindCopy: the parts of one album that
	// arrive one by one are copied together, as an album.
	Album string `json:"g,omitempty"`

	// Urgent: a reply to an emergency step, sent before anything else.
	Urgent bool `json:"-"`
	// First: the first reply of a conversation, sent before later steps.
	First bool `json:"-"`
	// Must: never superseded by a newer screen (relayed messages, deletes,
	// what an erase says).
	Must bool `json:"-"`

	// Set by the store when the item is queued.
	Seq int64 `json:"-"` // position in the chat's outbox, unique per chat
	Era int64 `json:"-"` // the chat's erase epoch when queued
}

// Dest is the chat an item goes to, from the outbox of chat.
func (it Item) Dest(chat int64) int64 {
	if it.To != 0 {
		return it.To
	}
	return chat
}

// Source is the chat a KindCopy copies from, from the outbox of chat.
func (it Item) Source(chat int64) int64 {
	if it.From != 0 {
		return it.From
	}
	return chat
}

// DeleteBatch is the most ids deleteMessages takes at once.
const DeleteBatch = 100

// ErrCorruptItem means a queued entry could not be read.
var ErrCorruptItem = errors.New("delivery: queued item is corrupt")

// Body encodes the item as the store keeps it, less the seq and era
// prefix the store adds: "<flags>|<json>". Flags are letters (u urgent,
// f first, m must, x relayed: names another chat, g part of an album) or
// "-": the store's scripts read "m" to know what a newer screen may
// replace, and decode the JSON only of "x" entries.
func (it Item) Body() (string, error) {
	b, err := json.Marshal(it)
	if err != nil {
		return "", fmt.Errorf("encode queued item: %w", err)
	}
	return it.flags() + "|" + string(b), nil
}

func (it Item) flags() string {
	var f strings.Builder
	if it.Urgent {
		f.WriteByte('u')
	}
	if it.First {
		f.WriteByte('f')
	}
	if it.Must {
		f.WriteByte('m')
	}
	if it.To != 0 || it.From != 0 || it.Kind == KindCopy || it.Kind == KindEdit {
		f.WriteByte('x') // the store reads the JSON: journal by chat, map copies
	}
	if it.Album != "" {
		f.WriteByte('g') // parts of one album queued together are merged
	}
	if f.Len() == 0 {
		return "-"
	}
	return f.String()
}

// Decode reads a stored entry "<seq>|<era>|<flags>|<json>".
func Decode(raw string) (Item, error) {
	parts := strings.SplitN(raw, "|", 4)
	if len(parts) != 4 {
		return Item{}, ErrCorruptItem
	}
	var it Item
	var err1, err2 error
	it.Seq, err1 = strconv.ParseInt(parts[0], 10, 64)
	it.Era, err2 = strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || json.Unmarshal([]byte(parts[3]), &it) != nil {
		return Item{}, ErrCorruptItem
	}
	it.Urgent = strings.Contains(parts[2], "u")
	it.First = strings.Contains(parts[2], "f")
	it.Must = strings.Contains(parts[2], "m")
	if it.Kind > KindEdit || (it.Kind == KindText && it.Text == "") || (it.Kind != KindText && len(it.IDs) == 0) {
		return Item{}, ErrCorruptItem
	}
	return it, nil
}
