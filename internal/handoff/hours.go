package handoff

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database
)

// Hours are when volunteers are on duty, in Europe/Paris: for each day of
// the week, the spans of minutes after midnight. The zero value is always
// open.
type Hours struct {
	days [7][]span // by time.Weekday
	loc  *time.Location
	set  bool
}

type span struct{ from, to int } // minutes after midnight, from < to

var dayNames = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// ParseHours reads VOLUNTEER_HOURS: rules separated by ";" or ",", each
// "<days> <HH:MM>-<HH:MM>", days being a day ("sat") or a range ("mon-fri").
// Example: "mon-fri 09:00-19:00; sat 10:00-13:00". Empty: always open.
func ParseHours(s string) (Hours, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return Hours{}, err
	}
	h := Hours{loc: loc}
	s = strings.TrimSpace(s)
	if s == "" {
		return h, nil
	}
	h.set = true
	for _, rule := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		f := strings.Fields(strings.ToLower(rule))
		if len(f) != 2 {
			return Hours{}, fmt.Errorf("%q: want days and hours, like \"mon-fri 09:00-19:00\"", strings.TrimSpace(rule))
		}
		days, err := parseDays(f[0])
		if err != nil {
			return Hours{}, err
		}
		sp, err := parseSpan(f[1])
		if err != nil {
			return Hours{}, err
		}
		for _, d := range days {
			h.days[d] = append(h.days[d], sp)
		}
	}
	return h, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	a, b, ranged := strings.Cut(s, "-")
	from, ok1 := dayNames[a]
	to, ok2 := dayNames[b]
	if !ranged {
		to, ok2 = from, ok1
	}
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%q: days are mon tue wed thu fri sat sun, or a range like mon-fri", s)
	}
	var out []time.Weekday
	for d := from; ; d = (d + 1) % 7 {
		out = append(out, d)
		if d == to {
			return out, nil
		}
	}
}

func parseSpan(s string) (span, error) {
	a, b, ok := strings.Cut(s, "-")
	from, err1 := minutes(a)
	to, err2 := minutes(b)
	if !ok || err1 != nil || err2 != nil || from >= to {
		return span{}, fmt.Errorf("%q: want hours like 09:00-19:00 (the end after the start)", s)
	}
	return span{from, to}, nil
}

func minutes(s string) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return h*60 + m, nil
}

// Open reports whether someone is on duty at t.
func (h Hours) Open(t time.Time) bool {
	if !h.set {
		return true
	}
	t = t.In(h.loc)
	m := t.Hour()*60 + t.Minute()
	for _, sp := range h.days[t.Weekday()] {
		if m >= sp.from && m < sp.to {
			return true
		}
	}
	return false
}

// Next is when the next shift starts after t (t itself when open), in
// Europe/Paris; the zero time when no day has hours.
func (h Hours) Next(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	t = t.In(h.loc)
	for day := 0; day <= 7; day++ {
		d := t.AddDate(0, 0, day)
		best := -1
		for _, sp := range h.days[d.Weekday()] {
			if (day > 0 || sp.from > t.Hour()*60+t.Minute()) && (best < 0 || sp.from < best) {
				best = sp.from
			}
		}
		if best >= 0 {
			y, mo, dd := d.Date()
			return time.Date(y, mo, dd, best/60, best%60, 0, 0, h.loc)
		}
	}
	return time.Time{}
}
