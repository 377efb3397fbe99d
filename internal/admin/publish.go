package admin

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
)

// paris is how admins read times.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return l
}()

func when(t time.Time) string { return t.In(paris).Format("02/01/2006 15:04") }

// flux is /flux: what is live, since when, by whom; the documents on request.
func (e *Editor) flux(ctx context.Context, a actor) {
	cur := e.Library.Current()
	data := map[string]string{"flow": cur.FlowFile, "version": itoa64(cur.N)}
	id := "admin_flux_shipped"
	if cur.N > 0 {
		id = "admin_flux_published"
		data["author"], data["at"] = cur.Author, when(cur.At)
	}
	a.say(ctx, id, data,
		[]flow.Button{{Label: cur.FlowFile, Data: callbackPrefix + "get:flow"}},
		[]flow.Button{{Label: "resources.yaml", Data: callbackPrefix + "get:res"}})
}

// sendLive sends a live document back, to edit on a computer.
func (e *Editor) sendLive(ctx context.Context, a actor, which string) {
	cur := e.Library.Current()
	name, data := cur.FlowFile, cur.Flow
	if which == "res" {
		name, data = "resources.yaml", cur.Resources
	}
	caption := a.t("admin_flux_document", map[string]string{"version": itoa64(cur.N)})
	if _, err := e.Sender.SendDocument(ctx, a.chat, name, data, caption); err != nil {
		e.Log.Warn().Str("error", "document not sent").Msg("admin: /flux")
	}
}

// publish makes the admin's draft the live version on every replica. A
// draft made from a version another admin has replaced meanwhile is not
// published silently: the admin sees what that version changed, and
// decides.
func (e *Editor) publish(ctx context.Context, a actor, force bool) {
	d, _, ok := e.load(ctx, a.id)
	if !ok {
		a.say(ctx, "admin_no_draft", nil)
		return
	}
	cur := e.Library.Current()
	if force {
		d.Base = cur.N
	}
	if !e.draftChanges(d) {
		a.say(ctx, "admin_publish_nothing", nil)
		return
	}
	f, ok := e.check(ctx, a, d)
	if !ok {
		return
	}
	line := e.Bundle.SummaryLine(a.lang, flow.Diff(e.Library.Live(), f, e.Now()))
	n, err := e.Library.Publish(ctx, d, e.name(a.id), a.id, line)
	var moved *redisstore.BaseMovedError
	switch {
	case errors.As(err, &moved):
		e.moved(ctx, a, d, f, moved.Head)
		return
	case err != nil:
		a.say(ctx, "admin_publish_failed", nil)
		return
	}
	_ = e.Store.DropDraft(ctx, a.id)
	e.Log.Info().Int64("version", n).Msg("admin: version published")
	a.say(ctx, "admin_published", map[string]string{"version": itoa64(n), "summary": line})
}

// draftChanges reports whether the draft differs from what is live.
func (e *Editor) draftChanges(d redisstore.Draft) bool {
	cur := e.Library.Current()
	return string(d.Flow) != string(cur.Flow) || string(d.Resources) != string(cur.Resources)
}

// moved tells the admin that another version was published since their
// draft began: what it changed, and what theirs would change now.
func (e *Editor) moved(ctx context.Context, a actor, d redisstore.Draft, draft *flow.Flow, head int64) {
	_ = e.Library.Refresh(ctx)
	cur := e.Library.Current()
	text := a.t("admin_moved", map[string]string{"base": itoa64(d.Base), "head": itoa64(head),
		"author": cur.Author, "at": when(cur.At)})
	if old, err := e.Store.Get(ctx, d.Base); err == nil || d.Base == 0 {
		base := e.Library.Shipped()
		if d.Base != 0 {
			base, _ = e.Library.Check(publish.Docs{Flow: old.Flow, Resources: old.Resources, FlowFile: old.FlowFile})
		}
		if base != nil {
			text += "\n\n" + a.t("admin_moved_theirs", nil) + "\n" + e.Bundle.Summary(a.lang, flow.Diff(base, e.Library.Live(), e.Now()))
		}
	}
	text += "\n\n" + a.t("admin_moved_yours", nil) + "\n" + e.Bundle.Summary(a.lang, flow.Diff(e.Library.Live(), draft, e.Now()))
	a.send(ctx, text,
		[]flow.Button{{Label: a.t("admin_button_publish_anyway", nil), Data: callbackPrefix + "pub:force"}},
		[]flow.Button{{Label: a.t("admin_button_cancel", nil), Data: callbackPrefix + "drop"}})
}

// versions is /versions: the versions kept, newest first.
func (e *Editor) versions(ctx context.Context, a actor) {
	vs, err := e.Store.List(ctx)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	live := e.Library.Current().N
	lines := []string{a.t("admin_versions_head", nil)}
	for _, v := range vs {
		lines = append(lines, e.versionLine(a, v, v.N == live))
	}
	lines = append(lines, a.t("admin_version_shipped", nil))
	lines = append(lines, a.t("admin_versions_restore", nil))
	a.send(ctx, strings.Join(lines, "\n"))
}

// versionLine is one version as /versions and /journal list it.
func (e *Editor) versionLine(a actor, v redisstore.Version, live bool) string {
	data := map[string]string{"version": itoa64(v.N), "at": when(v.At), "author": v.Author, "summary": v.Summary}
	id := "admin_version_line"
	switch {
	case v.Shipped:
		id = "admin_version_line_shipped"
	case v.Restores > 0:
		id, data["restores"] = "admin_version_line_restore", itoa64(v.Restores)
	}
	line := a.t(id, data)
	if live {
		line += " " + a.t("admin_version_live", nil)
	}
	return line
}

// restore is /restaurer N: a new version that copies N, checked again.
func (e *Editor) restore(ctx context.Context, a actor, arg string) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(arg), "v"), 10, 64)
	if err != nil || n < 0 {
		a.say(ctx, "admin_restore_usage", nil)
		return
	}
	line := a.t("admin_restore_summary", map[string]string{"version": itoa64(n)})
	m, err := e.Library.Restore(ctx, n, e.name(a.id), a.id, line)
	switch {
	case errors.Is(err, redisstore.ErrNoVersion):
		a.say(ctx, "admin_restore_unknown", map[string]string{"version": itoa64(n)})
	case err != nil:
		a.say(ctx, "admin_restore_failed", nil)
	default:
		e.Log.Info().Int64("version", m).Int64("restores", n).Msg("admin: version restored")
		a.say(ctx, "admin_restored", map[string]string{"version": itoa64(n), "new": itoa64(m)})
	}
}

// journal is /journal: every publication and restoration.
func (e *Editor) journal(ctx context.Context, a actor) {
	vs, err := e.Store.Journal(ctx, 30)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	if len(vs) == 0 {
		a.say(ctx, "admin_journal_empty", nil)
		return
	}
	lines := []string{a.t("admin_journal_head", nil)}
	for _, v := range vs {
		lines = append(lines, e.versionLine(a, v, false))
	}
	a.send(ctx, strings.Join(lines, "\n"))
}
