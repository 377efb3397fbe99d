package admin

import (
	"bytes"
	"context"
	"errors"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// MaxUpload bounds a YAML document an admin sends: the shipped flow is
// about 60 KB, the directory less; anything far larger is not a flow.
const MaxUpload = 512 << 10

// maxProblems bounds the problems listed in one answer: the first ones
// are what to fix first, and a phone screen holds little.
const maxProblems = 12

var (
	resourcesDoc = regexp.MustCompile(`(?m)^resources\s*:`)
	flowDoc      = regexp.MustCompile(`(?m)^nodes\s*:`)
)

// IsYAML reports whether a document's name is a YAML file's.
func IsYAML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// upload takes a YAML document an admin sent: checked like `boussole flows
// check`, and, when valid, kept as their draft with a summary of the change
// and the buttons to try, publish or drop it. Nothing live changes.
func (e *Editor) upload(ctx context.Context, a actor, u conversation.Update) {
	if !IsYAML(u.FileName) {
		a.say(ctx, "admin_upload_not_yaml", nil)
		return
	}
	if u.FileSize > MaxUpload {
		a.say(ctx, "admin_upload_too_big", map[string]string{"max": strconv.Itoa(MaxUpload >> 10)})
		return
	}
	data, err := e.Sender.Download(ctx, u.FileID, MaxUpload)
	switch {
	case errors.Is(err, telegram.ErrFileTooBig):
		a.say(ctx, "admin_upload_too_big", map[string]string{"max": strconv.Itoa(MaxUpload >> 10)})
		return
	case err != nil:
		a.say(ctx, "admin_upload_failed", nil)
		return
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		a.say(ctx, "admin_upload_binary", nil)
		return
	}
	d, _, ok := e.load(ctx, a.id) // a draft going on takes the document in
	if !ok {
		d = e.fresh()
	}
	switch {
	case resourcesDoc.Match(data):
		d.Resources = data
		d.What = a.t("admin_what_upload", map[string]string{"file": "resources.yaml"})
	case flowDoc.Match(data):
		d.Flow = data
		d.What = a.t("admin_what_upload", map[string]string{"file": d.FlowFile})
	default:
		a.say(ctx, "admin_upload_unknown", nil)
		return
	}
	if _, ok := e.check(ctx, a, d); !ok {
		return
	}
	if e.save(ctx, a, d, session{}) {
		e.offer(ctx, a, d)
	}
}

// check validates a draft; problems are told to the admin, each with its
// line, column and what to do.
func (e *Editor) check(ctx context.Context, a actor, d redisstore.Draft) (*flow.Flow, bool) {
	f, probs := e.Library.Check(publish.Docs{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile})
	if f != nil {
		return f, true
	}
	errs := probs.Errors()
	lines := []string{a.e.Bundle.Plural(a.lang, "admin_check_errors", len(errs), nil)}
	for i, p := range errs {
		if i == maxProblems {
			lines = append(lines, a.t("admin_check_more", map[string]string{"count": strconv.Itoa(len(errs) - i)}))
			break
		}
		lines = append(lines, e.problem(a.lang, p))
	}
	lines = append(lines, a.t("admin_check_nothing_live", nil))
	a.send(ctx, strings.Join(lines, "\n\n"))
	return nil, false
}

// problem is one problem as an admin reads it on a phone.
func (e *Editor) problem(lang string, p flow.Problem) string {
	id := "flow_" + string(p.Code)
	return e.Bundle.T(lang, "admin_problem", map[string]string{
		"file": path.Base(p.File), "line": strconv.Itoa(p.Line), "col": strconv.Itoa(p.Col),
		"message": e.Bundle.T(lang, id, p.Args), "hint": e.Bundle.T(lang, id+"_hint", p.Args)})
}

// offer shows what the draft changes against what is live, with the three
// choices.
func (e *Editor) offer(ctx context.Context, a actor, d redisstore.Draft) {
	f, _ := e.Library.Check(publish.Docs{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile})
	if f == nil {
		return
	}
	sum := flow.Diff(e.Library.Live(), f, e.Now())
	text := a.t("admin_draft_head", map[string]string{"what": d.What, "base": itoa64(d.Base)}) + "\n\n" +
		e.Bundle.Summary(a.lang, sum)
	a.send(ctx, text, []flow.Button{
		{Label: a.t("admin_button_try", nil), Data: callbackPrefix + "try"},
		{Label: a.t("admin_button_publish", nil), Data: callbackPrefix + "pub"},
		{Label: a.t("admin_button_cancel", nil), Data: callbackPrefix + "drop"},
	})
}

// cancel drops the admin's draft, and with it any edit or trial.
func (e *Editor) cancel(ctx context.Context, a actor) {
	if err := e.Store.DropDraft(ctx, a.id); err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	a.say(ctx, "admin_draft_dropped", nil)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
