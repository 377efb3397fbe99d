package redisstore

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
)

// Fields of the conv hash. Short names: there is one hash per person.
const (
	fieldRev   = "rev" // revision for compare-and-set
	fieldIDs   = "ids" // the last update ids applied, space-separated
	fieldState = "st"  // flow.State as JSON
	fieldLink  = "lk"  // conversation.Link as JSON, absent when none
)

// ErrCorrupt means a stored value could not be decoded. The decoder's own
// message is left out on purpose: it may quote stored text.
var ErrCorrupt = fmt.Errorf("redisstore: %w", conversation.ErrCorrupt)

// decodeRecord turns {rev, ids, st, lk}, as HMGET or a script returns them
// (nil for a missing field), into a record.
func decodeRecord(vals []any) (conversation.Record, error) {
	var r conversation.Record
	if len(vals) < 3 {
		return r, fmt.Errorf("decode record of %d values: %w", len(vals), ErrCorrupt)
	}
	var err error
	if r.Rev, err = toInt(vals[0]); err != nil {
		return conversation.Record{}, fmt.Errorf("decode revision: %w", err)
	}
	if r.Rev == 0 {
		// Nothing stored (or forgotten): a blank record, but the update ids
		// still count, so a redelivered /oubli is not applied twice.
		r.Recent, _ = decodeIDs(vals[1])
		return r, nil
	}
	if r.Recent, err = decodeIDs(vals[1]); err != nil {
		return conversation.Record{}, err
	}
	if st, ok := vals[2].(string); ok && st != "" {
		if json.Unmarshal([]byte(st), &r.State) != nil {
			return conversation.Record{}, fmt.Errorf("decode state: %w", ErrCorrupt)
		}
	}
	if len(vals) > 3 {
		if lk, ok := vals[3].(string); ok && lk != "" {
			if json.Unmarshal([]byte(lk), &r.Link) != nil {
				return conversation.Record{}, fmt.Errorf("decode link: %w", ErrCorrupt)
			}
		}
	}
	return r, nil
}

// encodeLink is the link as stored: "" when there is none.
func encodeLink(l conversation.Link) (string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("encode link: %w", err)
	}
	if string(b) == "{}" {
		return "", nil
	}
	return string(b), nil
}

func decodeIDs(v any) ([]int64, error) {
	s, _ := v.(string)
	fields := strings.Fields(s)
	ids := make([]int64, 0, len(fields))
	for _, f := range fields {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("decode update ids: %w", ErrCorrupt)
		}
		ids = append(ids, id)
	}
	return ids, nil
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
		if x == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, ErrCorrupt
		}
		return n, nil
	default:
		return 0, ErrCorrupt
	}
}

// toStr reads a bulk string reply; nil is "".
func toStr(v any) string {
	s, _ := v.(string)
	return s
}

// cloneRecord copies r deeply, so the cache and its callers never share a
// slice or a map.
func cloneRecord(r conversation.Record) conversation.Record {
	c := r
	c.State = cloneState(r.State)
	c.Recent = slices.Clone(r.Recent)
	c.Link.Pending = slices.Clone(r.Link.Pending)
	return c
}

func cloneState(s flow.State) flow.State {
	c := s
	c.History = slices.Clone(s.History)
	c.Vars = maps.Clone(s.Vars)
	return c
}
