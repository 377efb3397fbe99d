package redisstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

// fieldMap reads a hash as HGETALL or a script returns it: a flat list of
// field, value.
func deskFieldMap(raw any) (map[string]string, error) {
	arr, ok := raw.([]any)
	if !ok || len(arr)%2 != 0 {
		return nil, fmt.Errorf("desk hash: %w", ErrCorrupt)
	}
	m := make(map[string]string, len(arr)/2)
	for i := 0; i < len(arr); i += 2 {
		k, ok1 := arr[i].(string)
		v, ok2 := arr[i+1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("desk hash: %w", ErrCorrupt)
		}
		m[k] = v
	}
	return m, nil
}

// fields decodes the fields of one hash, keeping the first error.
type deskFields struct {
	m   map[string]string
	err error
}

func (f *deskFields) int(name string) int64 {
	s := f.m[name]
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("desk field %s: %w", name, ErrCorrupt)
	}
	return n
}

func (f *deskFields) time(name string) time.Time {
	ms := f.int(name)
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func (f *deskFields) flag(name string) bool { return f.m[name] == "1" }

func (f *deskFields) json(name string, v any) {
	s := f.m[name]
	if s == "" {
		return
	}
	if json.Unmarshal([]byte(s), v) != nil && f.err == nil {
		// The decoder's message is left out: it may quote stored text.
		f.err = fmt.Errorf("desk field %s: %w", name, ErrCorrupt)
	}
}

// decodeTicket reads a ticket hash as a script returns it.
func (d *Desk) decodeTicket(raw any) (handoff.Ticket, error) {
	m, err := deskFieldMap(raw)
	if err != nil {
		return handoff.Ticket{}, err
	}
	return d.ticketOf(m)
}

// ticketOf reads a ticket hash.
func (d *Desk) ticketOf(m map[string]string) (handoff.Ticket, error) {
	f := &deskFields{m: m}
	t := handoff.Ticket{
		ID:        f.int("id"),
		Chat:      f.int("ch"),
		Status:    handoff.Status(m["st"]),
		Category:  m["cat"],
		Rank:      handoff.Rank(f.int("rk")),
		Lang:      m["lg"],
		Opened:    f.time("op"),
		Queued:    f.time("q"),
		Taken:     f.time("tt"),
		Volunteer: f.int("v"),
		Pseudonym: m["ps"],
		Card:      int(f.int("cd")),
		Outcome:   m["out"],
		Reminded:  f.flag("rm"),
		Alerted:   f.flag("al"),
		Messages:  int(f.int("n")),
		Closed:    f.time("cl"),
		Version:   f.int("ver"),
	}
	f.json("sum", &t.Summary)
	f.json("nt", &t.Notes)
	f.json("rc", &t.Recused)
	if f.err != nil {
		return handoff.Ticket{}, fmt.Errorf("ticket %s: %w", m["id"], f.err)
	}
	switch {
	case t.ID <= 0:
		return handoff.Ticket{}, fmt.Errorf("ticket without id: %w", ErrCorrupt)
	case t.Status != handoff.Queued && t.Status != handoff.Claimed && t.Status != handoff.Closed:
		return handoff.Ticket{}, fmt.Errorf("ticket %d status: %w", t.ID, ErrCorrupt)
	case t.Rank < handoff.RankUrgent || t.Rank > handoff.RankNormal:
		return handoff.Ticket{}, fmt.Errorf("ticket %d rank: %w", t.ID, ErrCorrupt)
	}
	t.Code = d.codes.code(t.ID)
	return t, nil
}

// decodeTickets reads a list of ticket hashes.
func (d *Desk) decodeTickets(raw any) ([]handoff.Ticket, error) {
	arr, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("desk tickets: %w", ErrCorrupt)
	}
	out := make([]handoff.Ticket, 0, len(arr))
	for _, r := range arr {
		t, err := d.decodeTicket(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// decodeVolunteer reads a volunteer hash.
func decodeVolunteer(m map[string]string) (handoff.Volunteer, error) {
	f := &deskFields{m: m}
	v := handoff.Volunteer{
		ID:        f.int("id"),
		Pseudonym: m["ps"],
		Off:       f.flag("off"),
		Capacity:  int(f.int("cap")),
		Last:      f.int("last"),
		Private:   f.flag("pv"),
	}
	for _, s := range strings.Fields(m["tk"]) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return handoff.Volunteer{}, fmt.Errorf("volunteer %d tickets: %w", v.ID, ErrCorrupt)
		}
		v.Tickets = append(v.Tickets, id)
	}
	if f.err != nil {
		return handoff.Volunteer{}, fmt.Errorf("volunteer %s: %w", m["id"], f.err)
	}
	return v, nil
}
