package handoff

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// What volunteers read: the card in the group, the header in their private
// chat, the queue. Never a name, a username, an id, or anything typed by
// the person: the code, the language, the need, the choices, the wait.

// takePrefix is the callback data of a card's button: "tk:<ticket id>".
const takePrefix = "tk:"

// card renders a ticket's card in the group, with its button while queued.
func (d *Desk) card(t Ticket, now time.Time) (string, [][]flow.Button) {
	const lang = "fr" // the group reads the association's language
	state := ""
	switch {
	case t.Status == Queued:
		state = d.bundle.T(lang, "desk_state_queued", nil)
	case t.Status == Claimed:
		state = d.bundle.T(lang, "desk_state_claimed", map[string]string{"Volunteer": t.Pseudonym})
	case t.Outcome == "erased":
		state = d.bundle.T(lang, "desk_state_erased", nil)
	case t.Outcome == "cancelled":
		state = d.bundle.T(lang, "desk_state_cancelled", nil)
	default:
		state = d.bundle.T(lang, "desk_state_closed", nil)
	}
	text := d.bundle.T(lang, "desk_card", d.fields(lang, t, now, map[string]string{"State": state}))
	if t.Status != Queued {
		return text, nil
	}
	return text, d.takeButton(lang, t.ID)
}

func (d *Desk) takeButton(lang string, id int64) [][]flow.Button {
	return [][]flow.Button{{{Label: d.bundle.T(lang, "desk_button_take", nil), Data: takePrefix + strconv.FormatInt(id, 10)}}}
}

// fields are what every view of a ticket says.
func (d *Desk) fields(lang string, t Ticket, now time.Time, extra map[string]string) map[string]string {
	f := map[string]string{
		"Code":     t.Code,
		"Priority": d.bundle.T(lang, "desk_prio_"+rankName(t.Rank), nil),
		"Lang":     d.bundle.T(lang, "desk_lang_"+langName(t.Lang), nil),
		"Category": d.bundle.T(lang, "desk_cat_"+category(t.Category), nil),
		"Summary":  d.summaryText(lang, t.Summary),
		"Wait":     d.waitText(lang, now.Sub(since(t))),
	}
	maps.Copy(f, extra)
	return f
}

// since is when the current wait began.
func since(t Ticket) time.Time {
	if !t.Queued.IsZero() {
		return t.Queued
	}
	return t.Opened
}

func rankName(r Rank) string {
	switch r {
	case RankUrgent:
		return "urgent"
	case RankAlarm:
		return "alarm"
	}
	return "normal"
}

func langName(l string) string {
	if l == "ar" {
		return "ar"
	}
	return "fr"
}

// summaryText lists the choices made in the tree, in a fixed order.
func (d *Desk) summaryText(lang string, s map[string]string) string {
	if len(s) == 0 {
		return d.bundle.T(lang, "desk_summary_none", nil)
	}
	keys := slices.Sorted(maps.Keys(s))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+" : "+s[k])
	}
	return strings.Join(parts, " · ")
}

// waitText says a wait in minutes (or hours), short.
func (d *Desk) waitText(lang string, w time.Duration) string {
	m := int(w / time.Minute)
	if m < 60 {
		return d.bundle.Plural(lang, "wait_minutes", max(m, 1), map[string]string{"Count": strconv.Itoa(max(m, 1))})
	}
	return strconv.Itoa(m/60) + " h " + strconv.Itoa(m%60) + " min"
}

// header is what a volunteer reads when they take a ticket.
func (d *Desk) header(vol int64, t Ticket, now time.Time) string {
	lang := d.langOf(vol)
	notes := d.bundle.T(lang, "desk_notes_none", nil)
	if len(t.Notes) > 0 {
		lines := make([]string, 0, len(t.Notes))
		for _, n := range t.Notes {
			lines = append(lines, d.bundle.T(lang, "desk_note_line", map[string]string{"By": n.By, "Text": n.Text}))
		}
		notes = strings.Join(lines, "\n")
	}
	return d.bundle.T(lang, "desk_ticket_header", d.fields(lang, t, now, map[string]string{"Notes": notes}))
}

// queueText lists what waits, next first.
func (d *Desk) queueText(vol int64, ts []Ticket, now time.Time) string {
	lang := d.langOf(vol)
	if len(ts) == 0 {
		return d.bundle.T(lang, "desk_queue_empty", nil)
	}
	lines := []string{d.bundle.Plural(lang, "desk_queue_head", len(ts), map[string]string{"Count": strconv.Itoa(len(ts))})}
	for _, t := range ts {
		lines = append(lines, d.bundle.T(lang, "desk_queue_line", d.fields(lang, t, now, nil)))
	}
	return strings.Join(lines, "\n")
}
