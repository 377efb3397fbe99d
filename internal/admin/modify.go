package admin

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
)

// perPage is how many screens or services one list shows: ten buttons fit
// a phone without scrolling far.
const perPage = 10

// modify is /modifier: a screen of the tree or a service of the directory?
func (e *Editor) modify(ctx context.Context, a actor, what string) {
	switch what {
	case "ecran", "écran", "screen":
		e.screens(ctx, a, 0)
	case "service", "annuaire":
		e.services(ctx, a, 0)
	default:
		a.say(ctx, "admin_modify_what", nil,
			[]flow.Button{{Label: a.t("admin_button_screen", nil), Data: callbackPrefix + "what:ecran"}},
			[]flow.Button{{Label: a.t("admin_button_service", nil), Data: callbackPrefix + "what:service"}})
	}
}

// base is the flow an edit starts from: the admin's draft if they have one,
// what is live otherwise.
func (e *Editor) base(ctx context.Context, a actor) (redisstore.Draft, *flow.Flow) {
	d, _, ok := e.load(ctx, a.id)
	if !ok {
		d = e.fresh()
	}
	f, _ := e.Library.Check(publish.Docs{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile})
	if f == nil {
		d, f = e.fresh(), e.Library.Live()
	}
	return d, f
}

// screens lists the screens by their first words, a page at a time.
func (e *Editor) screens(ctx context.Context, a actor, page int) {
	_, f := e.base(ctx, a)
	all := flow.Screens(f, a.lang)
	same := map[string]int{}
	for _, s := range all {
		same[s.Words]++
	}
	var rows [][]flow.Button
	for _, s := range pageOf(all, page) {
		label := s.Words
		if same[label] > 1 {
			label += " · " + s.ID // screens that begin alike, told apart by their name in the file
		}
		rows = append(rows, []flow.Button{{Label: label, Data: callbackPrefix + "node:" + s.ID}})
	}
	rows = append(rows, pager(a, "page", page, len(all))...)
	a.say(ctx, "admin_modify_screens", map[string]string{"count": strconv.Itoa(len(all))}, rows...)
}

// services lists the directory by name, a page at a time.
func (e *Editor) services(ctx context.Context, a actor, page int) {
	_, f := e.base(ctx, a)
	ids := make([]string, 0, len(f.Resources))
	for id := range f.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var rows [][]flow.Button
	for _, id := range pageOf(ids, page) {
		label := f.Resources[id].Name[a.lang]
		if label == "" {
			label = id
		}
		rows = append(rows, []flow.Button{{Label: label, Data: callbackPrefix + "res:" + id}})
	}
	rows = append(rows, pager(a, "svc", page, len(ids))...)
	a.say(ctx, "admin_modify_services", map[string]string{"count": strconv.Itoa(len(ids))}, rows...)
}

func pageOf[T any](all []T, page int) []T {
	from := min(max(page, 0)*perPage, len(all))
	return all[from:min(from+perPage, len(all))]
}

// pager is the row of "previous" and "next" buttons.
func pager(a actor, verb string, page, total int) [][]flow.Button {
	var row []flow.Button
	if page > 0 {
		row = append(row, flow.Button{Label: a.t("admin_button_prev", nil), Data: callbackPrefix + verb + ":" + strconv.Itoa(page-1)})
	}
	if (page+1)*perPage < total {
		row = append(row, flow.Button{Label: a.t("admin_button_next", nil), Data: callbackPrefix + verb + ":" + strconv.Itoa(page+1)})
	}
	if row == nil {
		return nil
	}
	return [][]flow.Button{row}
}

// chooseField asks which detail of a service changes.
func (e *Editor) chooseField(ctx context.Context, a actor, id string) {
	var rows [][]flow.Button
	for _, field := range flow.ResourceFields() {
		rows = append(rows, []flow.Button{{Label: a.t("admin_field_"+field, nil), Data: callbackPrefix + "field:" + id + ":" + field}})
	}
	a.say(ctx, "admin_modify_field", map[string]string{"id": id}, rows...)
}

// chooseLang asks in which language the text changes.
func (e *Editor) chooseLang(ctx context.Context, a actor, res bool, id, field string) {
	_, f := e.base(ctx, a)
	kind := "n"
	if res {
		kind = "r"
	}
	var row []flow.Button
	for _, l := range f.Languages {
		row = append(row, flow.Button{Label: e.Bundle.T(l, "lang_name", nil),
			Data: callbackPrefix + "lang:" + kind + ":" + id + ":" + field + ":" + l})
	}
	a.say(ctx, "admin_modify_lang", nil, row)
}

// askText shows the current text and waits for the new one.
func (e *Editor) askText(ctx context.Context, a actor, res bool, id, field, lang string) {
	d, f := e.base(ctx, a)
	cur, ok := "", false
	if res {
		if r := f.Resources[id]; r != nil {
			cur, ok = resourceText(r, field, lang)
		}
	} else if n := f.Nodes[id]; n != nil {
		cur, ok = n.Text[lang], true
	}
	if !ok {
		a.say(ctx, "admin_modify_gone", nil)
		return
	}
	if !e.save(ctx, a, d, session{Await: &await{Res: res, ID: id, Field: field, Lang: lang}}) {
		return
	}
	if cur == "" {
		cur = a.t("admin_modify_empty", nil)
	}
	a.say(ctx, "admin_modify_current", map[string]string{"lang": e.Bundle.T(lang, "lang_name", nil)})
	a.send(ctx, cur)
	a.say(ctx, "admin_modify_send", nil)
}

// resourceText is a localized detail of a service.
func resourceText(r *flow.Resource, field, lang string) (string, bool) {
	var t flow.Text
	switch field {
	case "name":
		t = r.Name
	case "for":
		t = r.For
	case "hours":
		t = r.Hours
	case "address":
		t = r.Address
	default:
		return "", false
	}
	return t[lang], true
}

// newText takes the text the editor waited for: the draft changes, is
// checked, and offered like an upload.
func (e *Editor) newText(ctx context.Context, a actor, d redisstore.Draft, s session, text string) {
	w := s.Await
	text = strings.TrimSpace(text)
	var err error
	next := d
	if w.Res {
		next.Resources, err = flow.SetResourceText(d.Resources, w.ID, w.Field, w.Lang, text)
		next.What = joinWhat(d.What, a.t("admin_what_service", map[string]string{"id": w.ID, "lang": w.Lang}))
	} else {
		next.Flow, err = flow.SetNodeText(d.Flow, w.ID, w.Lang, text)
		next.What = joinWhat(d.What, a.t("admin_what_screen", map[string]string{"id": w.ID, "lang": w.Lang}))
	}
	if err != nil {
		a.say(ctx, "admin_modify_gone", nil)
		return
	}
	if _, ok := e.check(ctx, a, next); !ok {
		return // the draft stays as it was; the admin may send another text
	}
	if e.save(ctx, a, next, session{}) {
		e.offer(ctx, a, next)
	}
}

// verify is /verifie ID: the service's details were checked today.
func (e *Editor) verify(ctx context.Context, a actor, id string) {
	d, f := e.base(ctx, a)
	if id == "" || f.Resources[id] == nil {
		a.say(ctx, "admin_verify_usage", nil)
		return
	}
	res, err := flow.SetVerified(d.Resources, id, e.Now())
	if err != nil {
		a.say(ctx, "admin_verify_usage", nil)
		return
	}
	d.Resources = res
	d.What = joinWhat(d.What, a.t("admin_what_verified", map[string]string{"id": id}))
	if _, ok := e.check(ctx, a, d); !ok {
		return
	}
	if e.save(ctx, a, d, session{}) {
		e.offer(ctx, a, d)
	}
}

// joinWhat adds one change to the line that says what a draft changes.
func joinWhat(was, now string) string {
	if was == "" {
		return now
	}
	return was + " ; " + now
}
