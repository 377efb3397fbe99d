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
)

// Item is one entry of a chat's outbox: exactly one Bot API call.
type Item struct {
	Kind    Kind            `json:"k,omitempty"`
	Text    string          `json:"t,omitempty"`
	Buttons [][]flow.Button `json:"b,omitempty"` // rows of buttons, top to bottom
	Lang    string          `json:"l,omitempty"`
	IDs     []int           `json:"i,omitempty"` // KindDelete: message ids, at most DeleteBatch
	At      int64           `json:"a"`           // when it was queued, unix milliseconds

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

// DeleteBatch is the most ids deleteMessages takes at once.
const DeleteBatch = 100

// ErrCorruptItem means a queued entry could not be read.
var ErrCorruptItem = errors.New("delivery: queued item is corrupt")

// Body encodes the item as the store keeps it, less the seq and era
// prefix the store adds: "<flags>|<json>". Flags are letters (u urgent,
// f first, m must) or "-": the store's scripts read "m" to know what a newer
// screen may replace.
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
	if it.Kind > KindDelete || (it.Kind == KindText && it.Text == "") || (it.Kind == KindDelete && len(it.IDs) == 0) {
		return Item{}, ErrCorruptItem
	}
	return it, nil
}
