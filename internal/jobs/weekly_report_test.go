package jobs

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/observatory"
	"github.com/boussole/boussole/internal/redistest"
)

func TestPreviousWeek(t *testing.T) {
	for _, c := range []struct {
		now            time.Time
		week, mon, sun string
	}{
		{time.Date(2026, 11, 30, 8, 0, 0, 0, paris), "2026-W48", "2026-11-23", "2026-11-29"},
		{time.Date(2026, 12, 6, 23, 59, 0, 0, paris), "2026-W48", "2026-11-23", "2026-11-29"},
		{time.Date(2027, 1, 4, 8, 0, 0, 0, paris), "2026-W53", "2026-12-28", "2027-01-03"},
		{time.Date(2026, 3, 30, 8, 0, 0, 0, paris), "2026-W13", "2026-03-23", "2026-03-29"},       // after spring forward
		{time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC), "2026-W48", "2026-11-23", "2026-11-29"}, // Monday 00:30 in Paris
	} {
		w, mon, sun := PreviousWeek(c.now)
		if w != c.week || mon.Format(time.DateOnly) != c.mon || sun.Format(time.DateOnly) != c.sun || mon.Hour() != 0 || sun.Hour() != 0 {
			t.Errorf("PreviousWeek(%v) = %s %v %v, want %s %s %s", c.now, w, mon, sun, c.week, c.mon, c.sun)
		}
	}
}

// The ids of the test: none may appear in anything sent.
var (
	admins  = []int64{111111111, 222222222, 333333333}
	blocked = int64(222222222)
)

func record(t *testing.T, rec *observatory.Recorder, day time.Time, need, arr, kind string, n int) {
	t.Helper()
	for range n {
		if err := rec.Record(context.Background(), observatory.Event{Day: day, Lang: "fr", Need: need, Arrondissement: arr, Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWeeklyReport(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx := context.Background()
	rec := observatory.NewRecorder(rdb, []byte("secret"))
	tue := time.Date(2026, 11, 24, 15, 0, 0, 0, paris)
	sunLate := time.Date(2026, 11, 29, 23, 30, 0, 0, paris)
	record(t, rec, tue, "psy", "13", "conversation", 23)
	record(t, rec, sunLate, "psy", "13", "conversation", 8) // 31 in all
	record(t, rec, tue, "menace", "3", "conversation", 14)
	record(t, rec, tue, "deuil", "13", "conversation", 4) // small: hidden
	record(t, rec, tue, "other", "", "conversation", 12)
	record(t, rec, tue, "psy", "13", "handoff_asked", 16)
	record(t, rec, tue, "psy", "13", "ticket_taken", 15)
	for i := range 15 {
		if err := rec.Observe(ctx, tue, "wait", time.Duration(i+1)*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	var people []int64
	for i := range 40 {
		p := int64(5550001 + i)
		people = append(people, p)
		if err := rec.Seen(ctx, tue, p); err != nil {
			t.Fatal(err)
		}
	}
	// Outside the week: not counted.
	record(t, rec, time.Date(2026, 11, 30, 0, 30, 0, 0, paris), "legal", "1", "conversation", 500)
	record(t, rec, time.Date(2026, 11, 22, 23, 30, 0, 0, paris), "legal", "1", "conversation", 500)

	send := &fakeSender{blocked: map[int64]bool{blocked: true}}
	job := NewWeeklyReport(rec, send, func() []int64 { return admins })
	if job.Name() != "weekly-report" {
		t.Fatal(job.Name())
	}
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, paris)
	sum, err := job.Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if sum != "week 2026-W48, admins 3, sent 2, failed 1" {
		t.Errorf("summary %q", sum)
	}
	if got := send.to(blocked); len(got) != 0 {
		t.Errorf("blocked admin: %d messages", len(got))
	}

	var everything []string
	for _, chat := range []int64{admins[0], admins[2]} {
		got := send.to(chat)
		if len(got) != 5 {
			t.Fatalf("admin %d: %d messages, want text + 3 charts + CSV", chat, len(got))
		}
		if got[0].kind != "text" || !strings.Contains(got[0].caption, "semaine 48") ||
			!strings.Contains(got[0].caption, "du 23/11 au 29/11/2026") || !strings.Contains(got[0].caption, "masquée") {
			t.Errorf("text: %q", got[0].caption)
		}
		wantTitles := []string{"Conversations par semaine et par besoin", "Besoins par arrondissement", ""}
		for i, s := range got[1:4] {
			if s.kind != "photo" || s.caption == "" || (wantTitles[i] != "" && s.caption != wantTitles[i]) {
				t.Errorf("chart %d: %s %q", i, s.kind, s.caption)
			}
			img, err := png.Decode(bytes.NewReader(s.data))
			if err != nil {
				t.Fatalf("chart %d: %v", i, err)
			}
			if b := img.Bounds(); b.Dx() != 1080 || b.Dy() != 1350 {
				t.Errorf("chart %d: %v, want 1080×1350", i, b)
			}
		}
		doc := got[4]
		if doc.kind != "document" || doc.name != "boussole-semaine-2026-W48.csv" {
			t.Fatalf("last: %s %q", doc.kind, doc.name)
		}
		checkCSV(t, doc.data)
		everything = append(everything, got[0].caption, got[1].caption, got[2].caption, got[3].caption, doc.caption, string(doc.data))
	}
	all := strings.Join(everything, "\n")
	for _, id := range append(append([]int64{}, admins...), people...) {
		if strings.Contains(all, strconv.FormatInt(id, 10)) {
			t.Errorf("chat id %d in what was sent", id)
		}
	}
	if strings.Contains(sum, "111111111") {
		t.Error("chat id in the summary")
	}
}

// checkCSV checks the observatory's rules on the CSV: a value is hidden
// or a multiple of 5 of at least 10 (a count of at least 11, rounded); the
// cells of this test are where they should be.
func checkCSV(t *testing.T, data []byte) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != strings.Join(observatory.CSVHeader, ",") {
		t.Fatalf("CSV header %v", rows[0])
	}
	cell := map[string]string{}
	for _, r := range rows[1:] {
		if r[0] != "2026-11-23" || r[1] != "2026-11-29" {
			t.Errorf("row %v: period", r)
		}
		v, note := r[7], r[8]
		if v == "" {
			if note == "" {
				t.Errorf("row %v: hidden without a reason", r)
			}
		} else if n, err := strconv.Atoi(v); err != nil || n < 10 || n%5 != 0 || note != "" {
			t.Errorf("row %v: value %q breaks the rules", r, v)
		}
		cell[r[2]+"/"+r[3]+"/"+r[5]] = v
	}
	for k, want := range map[string]string{
		"arrondissement_besoin/13/psy":         "30", // 31
		"arrondissement_besoin/3/menace":       "15", // 14
		"arrondissement_besoin/13/deuil":       "",   // 4
		"arrondissement_besoin/1/legal":        "",   // outside the week
		"semaine_besoin/2026-W48/legal":        "",
		"semaine_besoin/2026-W48/psy":          "30",
		"personnes_semaine/2026-W48/personnes": "40",
	} {
		if got, ok := cell[k]; !ok || got != want {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, want)
		}
	}
}

func TestWeeklyReportNobody(t *testing.T) {
	rdb := redistest.New(t, testDB)
	rec := observatory.NewRecorder(rdb, nil)
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, paris)

	send := &fakeSender{}
	if sum, err := NewWeeklyReport(rec, send, func() []int64 { return nil }).Run(context.Background(), now); err != nil || sum != "admins 0" {
		t.Errorf("no admin: %q, %v", sum, err)
	}
	// Every admin blocked the bot: an error, without their ids.
	send = &fakeSender{blocked: map[int64]bool{admins[0]: true}}
	sum, err := NewWeeklyReport(rec, send, func() []int64 { return admins[:1] }).Run(context.Background(), now)
	if err == nil || strings.Contains(err.Error(), "111") || sum != "week 2026-W48, admins 1, sent 0, failed 1" {
		t.Errorf("all blocked: %q, %v", sum, err)
	}
	// An empty week is still a report: everything hidden.
	send = &fakeSender{}
	if _, err := NewWeeklyReport(rec, send, func() []int64 { return admins[:1] }).Run(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if got := send.to(admins[0]); len(got) != 5 {
		t.Errorf("empty week: %d messages", len(got))
	}
}

// The week's sessions: counts only, no chat id.
func TestWeeklyReportSessions(t *testing.T) {
	rdb := redistest.New(t, testDB)
	rec := observatory.NewRecorder(rdb, nil)
	ctx := context.Background()
	m := ateliers.NewMemory()
	tue := time.Date(2026, 11, 24, 18, 0, 0, 0, paris)
	m.Now = func() time.Time { return tue.Add(-time.Hour) }
	held, _ := m.Save(ctx, atelier(tue))
	for i := range 4 {
		m.SignUp(ctx, held.ID, ateliers.Sign{Chat: int64(880001 + i), Lang: "fr"})
	}
	cancelled := atelier(tue.Add(48 * time.Hour))
	cancelled.Cancelled = true
	cancelled, _ = m.Save(ctx, cancelled)
	notYet, _ := m.Save(ctx, atelier(tue.Add(72*time.Hour)))
	m.SignUp(ctx, notYet.ID, ateliers.Sign{Chat: 880009, Lang: "ar"})
	m.Save(ctx, atelier(tue.AddDate(0, 0, 7))) // next week
	m.Now = func() time.Time { return tue.AddDate(0, 0, 6) }
	held.Came = 3
	m.Save(ctx, held)

	send := &fakeSender{}
	job := NewWeeklyReport(rec, send, func() []int64 { return admins[:1] }).WithSessions(m)
	if _, err := job.Run(ctx, time.Date(2026, 11, 30, 8, 0, 0, 0, paris)); err != nil {
		t.Fatal(err)
	}
	text := send.to(admins[0])[0].caption
	for _, want := range []string{"Rendez-vous de la semaine :",
		"• 24/11 18:00 " + held.ID + ", Parler ensemble : 4 inscrit(s), 3 venu(s)",
		"• 26/11 18:00 " + cancelled.ID + ", Parler ensemble : annulé",
		"• 27/11 18:00 " + notYet.ID + ", Parler ensemble : 1 inscrit(s), venus non notés"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "• ") != 3 || strings.Contains(text, "8800") {
		t.Errorf("report:\n%s", text)
	}
	// Without a store, as before.
	send = &fakeSender{}
	NewWeeklyReport(rec, send, func() []int64 { return admins[:1] }).Run(ctx, time.Date(2026, 11, 30, 8, 0, 0, 0, paris))
	if strings.Contains(send.to(admins[0])[0].caption, "Rendez-vous") {
		t.Error("sessions without a store")
	}
}
