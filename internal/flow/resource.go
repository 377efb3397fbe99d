package flow

import "strings"

// Resource is one entry of the directory of services.
type Resource struct {
	ID         string
	Name       Text
	For        Text
	Phone      string
	SMS        string
	Hours      Text
	Address    Text
	Link       string
	VerifiedOn string // YYYY-MM-DD, empty when nobody checked the details
}

// Reachable reports whether the card gives a way to reach the service: a
// phone, an SMS number, a link or an address. A card without one is a dead
// end for someone who needs help today, and is never shown.
func (r *Resource) Reachable() bool {
	if r.Phone != "" || r.SMS != "" || r.Link != "" {
		return true
	}
	for _, a := range r.Address {
		if a != "" {
			return true
		}
	}
	return false
}

// Card renders a resource in lang as the person reads it: one line per known
// field, absent fields left out. The groups of digits of a number are joined
// with no-break spaces, so they never wrap nor swap in right-to-left text.
func (r *Resource) Card(lang string) string {
	var b strings.Builder
	// In Arabic, a right-to-left mark starts each line: a line that begins
	// with an emoji or a number ("☎️ 17", "💬 SMS 114") would otherwise be
	// laid out left to right on the phone.
	mark := ""
	if rtlLanguages[lang] {
		mark = "\u200f"
	}
	line := func(prefix, s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(mark)
		b.WriteString(prefix)
		b.WriteString(s)
	}
	line("▪️ ", r.Name[lang])
	line("", r.For[lang])
	line("☎️ ", joinDigitGroups(r.Phone))
	line("💬 SMS ", joinDigitGroups(r.SMS))
	line("🕒 ", r.Hours[lang])
	line("📍 ", r.Address[lang])
	line("🔗 ", r.Link)
	return b.String()
}

// render builds the full message of a node in lang: text, then the cards of
// the services that can be reached. Right-to-left text is prepared here.
func render(n *Node, res map[string]*Resource, lang string) string {
	parts := make([]string, 0, len(n.Resources)+1)
	parts = append(parts, n.Text[lang])
	for _, id := range n.Resources {
		if r := res[id]; r != nil && r.Reachable() {
			parts = append(parts, r.Card(lang))
		}
	}
	text := strings.Join(parts, "\n\n")
	if rtlLanguages[lang] {
		text = rightToLeft(text)
	}
	return text
}
