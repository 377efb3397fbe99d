package flow

import (
	"net/url"
	"regexp"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

var resourceKeys = []string{"name", "for", "phone", "sms", "hours", "address", "link", "verified_on"}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ]{1,19}$`)

// resources decodes the directory of services; every text must exist in langs.
func (d *decoder) resources(data []byte, langs []string) (map[string]*Resource, map[string]*yaml.Node) {
	if len(langs) == 0 {
		langs = knownLanguages
	}
	root := d.parse(data)
	if root == nil {
		return nil, nil
	}
	top, _ := d.fields(root, "resources file", []string{"resources"}, []string{"resources"})
	f, ok := top["resources"]
	if !ok {
		return nil, nil
	}
	entries, order := d.fields(f.val, "resources", nil, nil)
	out := make(map[string]*Resource, len(order))
	pos := make(map[string]*yaml.Node, len(order))
	for _, id := range order {
		e := entries[id]
		if _, ok := d.id(e.key, "resources"); !ok {
			continue
		}
		out[id] = d.resource(id, e, langs)
		pos[id] = e.key
	}
	return out, pos
}

func (d *decoder) resource(id string, e field, langs []string) *Resource {
	r := &Resource{ID: id}
	where := "resources." + id
	fs, _ := d.fields(e.val, where, resourceKeys, []string{"name"})
	if fs == nil {
		return r
	}
	texts := map[string]*Text{"name": &r.Name, "for": &r.For, "hours": &r.Hours, "address": &r.Address}
	for key, dst := range texts {
		if f, ok := fs[key]; ok {
			*dst = d.text(f.val, where+"."+key, langs)
		}
	}
	for key, dst := range map[string]*string{"phone": &r.Phone, "sms": &r.SMS} {
		if f, ok := fs[key]; ok {
			if s, ok := d.str(f.val, where+"."+key); ok {
				if !phonePattern.MatchString(s) {
					d.errorf(f.val, CodeBadPhone, "key", where+"."+key, "value", s)
				}
				*dst = s
			}
		}
	}
	if f, ok := fs["link"]; ok {
		if s, ok := d.str(f.val, where+".link"); ok {
			u, err := url.Parse(s)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				d.errorf(f.val, CodeBadLink, "key", where+".link", "value", s)
			}
			r.Link = s
		}
	}
	if f, ok := fs["verified_on"]; ok {
		if s, ok := d.str(f.val, where+".verified_on"); ok {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				d.errorf(f.val, CodeBadDate, "key", where+".verified_on", "value", s)
			} else {
				r.VerifiedOn = s
			}
		}
	}
	if r.Phone == "" && r.SMS == "" && r.Link == "" && len(r.Address) == 0 {
		d.report(e.key, Warning, CodeIncompleteResource, "resource", id)
	}
	if r.VerifiedOn == "" {
		d.report(e.key, Warning, CodeUnverified, "resource", id)
	}
	return r
}

// StaleResources lists the resources whose details were last verified more
// than a year before now (or never), for the admins' reminders.
func StaleResources(res map[string]*Resource, now time.Time) []*Resource {
	var out []*Resource
	limit := now.AddDate(-1, 0, 0)
	for _, r := range res {
		t, err := time.Parse(time.DateOnly, r.VerifiedOn)
		if err != nil || t.Before(limit) {
			out = append(out, r)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
