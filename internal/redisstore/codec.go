package redisstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
)

// Fields of the conv hash. Short names: there is one hash per person.
const (
	fieldRev    = "rev" // revision for compare-and-set
	fieldUpd    = "upd" // last Telegram update_id applied
	fieldState  = "st"  // flow.State as JSON
	fieldOutbox = "ob"  // []conversation.Outgoing as JSON, absent when empty
)

// ErrCorrupt means a stored value could not be decoded. The decoder's own
// message is left out on purpose: it may quote stored text, and the state
// and outbox hold what the person wrote and read.
var ErrCorrupt = errors.New("redisstore: stored value is corrupt")

// encodeState returns the state and outbox fields; the outbox is "" when
// there is nothing to send, which the commit script turns into HDEL.
func encodeState(r conversation.Record) (st, ob string, err error) {
	b, err := json.Marshal(r.State)
	if err != nil {
		return "", "", fmt.Errorf("encode state: %w", ErrCorrupt)
	}
	if len(r.Outbox) == 0 {
		return string(b), "", nil
	}
	o, err := json.Marshal(r.Outbox)
	if err != nil {
		return "", "", fmt.Errorf("encode outbox: %w", ErrCorrupt)
	}
	return string(b), string(o), nil
}

// decodeRecord turns {rev, upd, st, ob}, as HMGET or a script returns them
// (nil for a missing field), into a record.
func decodeRecord(vals []any) (conversation.Record, error) {
	var r conversation.Record
	if len(vals) < 4 {
		return r, fmt.Errorf("decode record of %d values: %w", len(vals), ErrCorrupt)
	}
	var err error
	if r.Rev, err = toInt(vals[0]); err != nil {
		return conversation.Record{}, fmt.Errorf("decode revision: %w", err)
	}
	if r.Rev == 0 {
		// Nothing stored (or erased): a blank record, whatever was read.
		return conversation.Record{}, nil
	}
	if r.LastUpdate, err = toInt(vals[1]); err != nil {
		return conversation.Record{}, fmt.Errorf("decode update id: %w", err)
	}
	if st, ok := vals[2].(string); ok && st != "" {
		if json.Unmarshal([]byte(st), &r.State) != nil {
			return conversation.Record{}, fmt.Errorf("decode state: %w", ErrCorrupt)
		}
	}
	if ob, ok := vals[3].(string); ok && ob != "" {
		if json.Unmarshal([]byte(ob), &r.Outbox) != nil {
			return conversation.Record{}, fmt.Errorf("decode outbox: %w", ErrCorrupt)
		}
	}
	return r, nil
}

// toInt reads a number that Redis returned as an integer reply (scripts) or
// a bulk string (HMGET); nil is 0.
func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return x, nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, ErrCorrupt
		}
		return n, nil
	default:
		return 0, ErrCorrupt
	}
}

// cloneRecord copies r deeply, so the cache and its callers never share a
// slice or a map.
func cloneRecord(r conversation.Record) conversation.Record {
	c := r
	c.State = cloneState(r.State)
	if r.Outbox != nil {
		c.Outbox = make([]conversation.Outgoing, len(r.Outbox))
		for i, o := range r.Outbox {
			c.Outbox[i] = o
			if o.Buttons != nil {
				c.Outbox[i].Buttons = make([][]flow.Button, len(o.Buttons))
				for j, row := range o.Buttons {
					c.Outbox[i].Buttons[j] = slices.Clone(row)
				}
			}
		}
	}
	return c
}

func cloneState(s flow.State) flow.State {
	c := s
	c.History = slices.Clone(s.History)
	c.Vars = maps.Clone(s.Vars)
	return c
}
