package i18n

import (
	"sort"
	"strconv"
	"strings"

	"github.com/boussole/boussole/internal/flow"
)

// maxListed is how many ids a line lists before "… (+N)".
const maxListed = 8

// Summary renders what changed between two versions of a flow for an admin
// in lang, a few short lines readable on a phone:
//
//	➕ 1 écran ajouté : merci
//	✏️ 2 écrans modifiés : besoin, info
//	✏️ textes modifiés (ar) : besoin
//	🌐 Traduction : fr 100 %, ar 100 %
//
// With no change, it says so, then gives the coverage and the services to
// verify all the same.
func (b *Bundle) Summary(lang string, s flow.Summary) string {
	var lines []string
	item := func(emoji, what string, ids []string) {
		if len(ids) > 0 {
			lines = append(lines, emoji+" "+b.T(lang, "flows_item", map[string]string{"what": what, "ids": b.list(lang, ids)}))
		}
	}
	if s.Empty() {
		lines = append(lines, b.T(lang, "flows_none", nil))
	}
	item("➕", b.Plural(lang, "flows_nodes_added", len(s.Added), nil), s.Added)
	item("➖", b.Plural(lang, "flows_nodes_removed", len(s.Removed), nil), s.Removed)
	item("✏️", b.Plural(lang, "flows_nodes_changed", len(s.Changed), nil), s.Changed)
	for _, l := range textLangs(s) {
		item("✏️", b.T(lang, "flows_texts", map[string]string{"lang": l}), s.Texts[l])
	}
	item("➕", b.Plural(lang, "flows_res_added", len(s.ResAdded), nil), s.ResAdded)
	item("➖", b.Plural(lang, "flows_res_removed", len(s.ResRemoved), nil), s.ResRemoved)
	item("✏️", b.Plural(lang, "flows_res_changed", len(s.ResChanged), nil), s.ResChanged)
	if s.Coverage.Total > 0 {
		var parts []string
		for _, l := range coverageLangs(s.Coverage) {
			parts = append(parts, b.T(lang, "flows_coverage_lang", map[string]string{
				"lang": l, "percent": strconv.Itoa(s.Coverage.Done[l] * 100 / s.Coverage.Total)}))
		}
		lines = append(lines, "🌐 "+b.T(lang, "flows_coverage", map[string]string{"list": strings.Join(parts, sep(lang))}))
	}
	item("🔎", b.Plural(lang, "flows_to_verify", len(s.ToVerify), nil), s.ToVerify)
	return strings.Join(lines, "\n")
}

// SummaryLine renders what changed in one line, for a journal:
// "2 écrans modifiés, 1 écran ajouté; textes ar : 3".
func (b *Bundle) SummaryLine(lang string, s flow.Summary) string {
	if s.Empty() {
		return b.T(lang, "flows_none", nil)
	}
	count := func(parts []string, id string, n int) []string {
		if n > 0 {
			parts = append(parts, b.Plural(lang, id, n, nil))
		}
		return parts
	}
	var groups []string
	nodes := count(nil, "flows_nodes_changed", len(s.Changed))
	nodes = count(nodes, "flows_nodes_added", len(s.Added))
	nodes = count(nodes, "flows_nodes_removed", len(s.Removed))
	res := count(nil, "flows_res_changed", len(s.ResChanged))
	res = count(res, "flows_res_added", len(s.ResAdded))
	res = count(res, "flows_res_removed", len(s.ResRemoved))
	var texts []string
	for _, l := range textLangs(s) {
		texts = append(texts, b.T(lang, "flows_texts_count", map[string]string{"lang": l, "count": strconv.Itoa(len(s.Texts[l]))}))
	}
	for _, g := range [][]string{nodes, res, texts} {
		if len(g) > 0 {
			groups = append(groups, strings.Join(g, sep(lang)))
		}
	}
	semi := "; "
	if lang == "ar" {
		semi = "؛ "
	}
	return strings.Join(groups, semi)
}

// list joins ids, at most maxListed of them, then "… (+N)".
func (b *Bundle) list(lang string, ids []string) string {
	if len(ids) <= maxListed {
		return strings.Join(ids, sep(lang))
	}
	return strings.Join(ids[:maxListed], sep(lang)) + " " +
		b.T(lang, "flows_more", map[string]string{"n": strconv.Itoa(len(ids) - maxListed)})
}

func sep(lang string) string {
	if lang == "ar" {
		return "، "
	}
	return ", "
}

// textLangs are the languages of Texts with changes: French, Arabic, then
// any other in order.
func textLangs(s flow.Summary) []string {
	return ordered(s.Texts)
}

// coverageLangs are French, Arabic and any other language counted.
func coverageLangs(c flow.Coverage) []string {
	m := map[string]int{"fr": 1, "ar": 1}
	for l := range c.Done {
		m[l] = 1
	}
	return ordered(m)
}

func ordered[V any](m map[string]V) []string {
	var out []string
	for _, l := range []string{"fr", "ar"} {
		if _, ok := m[l]; ok {
			out = append(out, l)
		}
	}
	var rest []string
	for l := range m {
		if l != "fr" && l != "ar" {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
