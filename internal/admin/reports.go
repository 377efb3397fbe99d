package admin

import (
	"context"
	"sort"
	"strings"

	"github.com/boussole/boussole/internal/flow"
)

// maxReportLines bounds a report: the rest is counted, not listed.
const maxReportLines = 40

// translations is /traductions: the texts missing in a language, and the
// texts identical in French and Arabic (most often not translated at all).
func (e *Editor) translations(ctx context.Context, a actor) {
	gaps := flow.Translations(e.Library.Live())
	if len(gaps) == 0 {
		a.say(ctx, "admin_translations_none", nil)
		return
	}
	lines := []string{a.e.Bundle.Plural(a.lang, "admin_translations_head", len(gaps), nil)}
	for _, g := range gaps {
		if g.Same {
			lines = append(lines, a.t("admin_translation_same", map[string]string{"node": g.Node}))
		} else {
			lines = append(lines, a.t("admin_translation_missing", map[string]string{"node": g.Node,
				"lang": e.Bundle.T(g.Lang, "lang_name", nil)}))
		}
	}
	a.send(ctx, cut(a, lines))
}

// resources is /ressources: the services to verify again, and those nobody
// can reach (never shown to families until a way is added).
func (e *Editor) resources(ctx context.Context, a actor) {
	res := e.Library.Live().Resources
	stale := flow.StaleResources(res, e.Now())
	sort.Slice(stale, func(i, j int) bool { return stale[i].ID < stale[j].ID })
	dead := flow.Unreachable(res)
	if len(stale) == 0 && len(dead) == 0 {
		a.say(ctx, "admin_resources_ok", nil)
		return
	}
	var lines []string
	if len(stale) > 0 {
		lines = append(lines, a.e.Bundle.Plural(a.lang, "admin_resources_stale", len(stale), nil))
		for _, r := range stale {
			id := "admin_resource_stale"
			if r.VerifiedOn == "" {
				id = "admin_resource_never"
			}
			lines = append(lines, a.t(id, map[string]string{"id": r.ID, "date": r.VerifiedOn}))
		}
	}
	if len(dead) > 0 {
		lines = append(lines, a.e.Bundle.Plural(a.lang, "admin_resources_dead", len(dead), nil))
		for _, id := range dead {
			lines = append(lines, "• "+id)
		}
	}
	lines = append(lines, a.t("admin_resources_hint", nil))
	a.send(ctx, cut(a, lines))
}

// cut keeps a report to maxReportLines lines.
func cut(a actor, lines []string) string {
	if len(lines) > maxReportLines {
		more := len(lines) - maxReportLines
		lines = append(lines[:maxReportLines], a.t("admin_check_more", map[string]string{"count": itoa64(int64(more))}))
	}
	return strings.Join(lines, "\n")
}
