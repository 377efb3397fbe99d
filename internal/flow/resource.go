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

// Card renders a resource in lang as the person reads it: one line per known
// field, absent fields left out.
func (r *Resource) Card(lang string) string {
	var b strings.Builder
	// In Arabic, a right-to-left mark starts each line: a line that begins
	// with an emoji or a number ("☎️ 17", "💬 SMS 114") would otherwise be
	// laid out left to right on the phone.
	mark := ""
	if lang == "ar" {
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
	line("☎️ ", r.Phone)
	line("💬 SMS ", r.SMS)
	line("🕒 ", r.Hours[lang])
	line("📍 ", r.Address[lang])
	line("🔗 ", r.Link)
	return b.String()
}

// render builds the full message of a node in lang: text, then the cards.
func render(n *Node, res map[string]*Resource, lang string) string {
	if len(n.Resources) == 0 {
		return n.Text[lang]
	}
	parts := make([]string, 0, len(n.Resources)+1)
	parts = append(parts, n.Text[lang])
	for _, id := range n.Resources {
		if r := res[id]; r != nil {
			parts = append(parts, r.Card(lang))
		}
	}
	return strings.Join(parts, "\n\n")
}
