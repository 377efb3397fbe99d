package jobs

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/scheduler"
)

type notified struct {
	chat       int64
	lang, text string
}

type fakeNotifier struct {
	mu      sync.Mutex
	blocked map[int64]bool
	out     []notified
}

func (f *fakeNotifier) Notify(_ context.Context, chat int64, lang, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.blocked[chat] {
		return errBlocked
	}
	f.out = append(f.out, notified{chat, lang, text})
	return nil
}

func atelier(start time.Time) ateliers.Session {
	return ateliers.Session{
		Kind: "atelier", Title: map[string]string{"fr": "Parler ensemble", "ar": "نتحدث معاً"},
		Langs: []string{"fr", "ar"}, Start: start, Minutes: 90, Came: -1,
		Place: map[string]string{"fr": "12 rue Abc", "ar": "12 شارع Abc"},
	}
}

func remindSetup(t *testing.T, start time.Time) (*ateliers.Memory, ateliers.Session, *i18n.Bundle) {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	m := ateliers.NewMemory()
	m.Now = func() time.Time { return start.Add(-72 * time.Hour) }
	s, _ := m.Save(context.Background(), atelier(start))
	for _, sg := range []ateliers.Sign{{Chat: 601, Lang: "fr", Remind: true}, {Chat: 602, Lang: "ar", Remind: true}, {Chat: 603, Lang: "fr"}} {
		if _, err := m.SignUp(context.Background(), s.ID, sg); err != nil {
			t.Fatal(err)
		}
	}
	return m, s, b
}

// The reminders are due from 10:00 in Paris on the calendar day before,
// across the changes of daylight saving time.
func TestAteliersRemindDay(t *testing.T) {
	for _, c := range []struct {
		name   string
		start  time.Time
		before time.Time // a firing just before: nothing
		due    time.Time // the firing that sends
	}{
		{"Monday after spring forward", time.Date(2026, 3, 30, 9, 0, 0, 0, paris),
			time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC)},
		{"Sunday of spring forward", time.Date(2026, 3, 29, 18, 0, 0, 0, paris),
			time.Date(2026, 3, 28, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)},
		{"Monday after fall back", time.Date(2026, 10, 26, 9, 0, 0, 0, paris),
			time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 9, 0, 0, 0, time.UTC)},
		{"Sunday of fall back", time.Date(2026, 10, 25, 18, 0, 0, 0, paris),
			time.Date(2026, 10, 24, 7, 0, 0, 0, time.UTC), time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)},
	} {
		m, s, b := remindSetup(t, c.start)
		n := &fakeNotifier{}
		job := NewAteliersRemind(m, n, b)
		if h := c.due.In(paris).Hour(); h != 10 {
			t.Fatalf("%s: due firing at %d h in Paris", c.name, h)
		}
		for _, early := range []time.Time{c.start.AddDate(0, 0, -2), c.before} {
			if sum, err := job.Run(context.Background(), early); err != nil || len(n.out) != 0 {
				t.Errorf("%s: at %v: %q %v %v", c.name, early.In(paris), sum, err, n.out)
			}
		}
		sum, err := job.Run(context.Background(), c.due)
		if err != nil || sum != "sessions 1, sent 2, failed 0" || len(n.out) != 2 {
			t.Fatalf("%s: %q %v %+v", c.name, sum, err, n.out)
		}
		day := strconv.Itoa(c.start.In(paris).Day())
		if n.out[0].chat != 601 || !strings.HasPrefix(n.out[0].text, "Rappel : rendez-vous demain, ") ||
			!strings.Contains(n.out[0].text, day+" ") || !strings.Contains(n.out[0].text, "12 rue Abc") ||
			n.out[1].lang != "ar" || !strings.Contains(n.out[1].text, "غداً") || strings.Contains(n.out[0].text, "Parler") {
			t.Errorf("%s: %+v (session %s)", c.name, n.out, s.ID)
		}
	}
}

// Two runs, two replicas: one reminder each.
func TestAteliersRemindOnce(t *testing.T) {
	start := time.Date(2026, 12, 3, 18, 0, 0, 0, paris)
	m, _, b := remindSetup(t, start)
	n := &fakeNotifier{blocked: map[int64]bool{602: true}}
	a, other := NewAteliersRemind(m, n, b), NewAteliersRemind(m, n, b)
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, paris)
	var wg sync.WaitGroup
	for _, j := range []*AteliersRemind{a, other, a, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := j.Run(context.Background(), at); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	a.Run(context.Background(), at.Add(time.Hour))
	if len(n.out) != 1 || n.out[0].chat != 601 {
		t.Errorf("sent %+v, want one reminder to 601", n.out)
	}
}

func TestAteliersRemindCancelledAndPlaceLater(t *testing.T) {
	start := time.Date(2026, 12, 3, 18, 0, 0, 0, paris)
	m, s, b := remindSetup(t, start)
	s.Cancelled = true
	m.Save(context.Background(), s)
	later := atelier(start.Add(time.Hour))
	later.PlaceLater = true
	later, _ = m.Save(context.Background(), later)
	m.SignUp(context.Background(), later.ID, ateliers.Sign{Chat: 701, Lang: "fr"})
	m.SignUp(context.Background(), later.ID, ateliers.Sign{Chat: 702, Lang: "ar", Remind: true})
	n := &fakeNotifier{}
	sum, err := NewAteliersRemind(m, n, b).Run(context.Background(), time.Date(2026, 12, 2, 11, 0, 0, 0, paris))
	if err != nil || sum != "sessions 1, sent 2, failed 0" {
		t.Fatalf("%q %v", sum, err)
	}
	for _, o := range n.out {
		if o.chat == 601 || o.chat == 602 || o.chat == 603 {
			t.Errorf("cancelled session reminded: %+v", o)
		}
	}
	if len(n.out) != 2 || n.out[0].text != "Rendez-vous demain, jeudi 3 décembre à 19 h : 12 rue Abc." ||
		!strings.HasPrefix(n.out[1].text, "تذكير") || !strings.Contains(n.out[1].text, "12 شارع Abc") {
		t.Errorf("place given the day before: %+v", n.out)
	}
	if strings.Contains(sum, "70") {
		t.Error("a chat id in the summary")
	}
}

func TestAteliersRemindSchedule(t *testing.T) {
	if _, err := scheduler.Parse(DefaultAteliersRemind); err != nil {
		t.Error(err)
	}
	if got := scheduler.EnvVar((&AteliersRemind{}).Name()); got != "JOB_ATELIERS_REMIND" {
		t.Errorf("reads %s", got)
	}
	m := ateliers.NewMemory()
	b, _ := i18n.New()
	names, err := Register(newScheduler(), func(string) string { return "" }, Deps{Ateliers: m, Notifier: &fakeNotifier{}, Bundle: b})
	if err != nil || len(names) != 1 || names[0] != "ateliers-remind" {
		t.Errorf("register: %v %v", names, err)
	}
}

// The sign-ups name chats: a key of theirs that lost its expiry gets the
// retention of a person's keys, not the default of counters.
func TestAteliersSignUpsArePersonal(t *testing.T) {
	for _, k := range []string{"bsl:{ateliers}:sg:K7F2", "bsl:{ateliers}:sg:KXFA", "bsl:{ateliers}:me:12345"} {
		if !IsPersonal("bsl", Family(k)) {
			t.Errorf("%s (%s) is not personal", k, Family(k))
		}
	}
	if IsPersonal("bsl", Family("bsl:{ateliers}:s:K7F2")) {
		t.Error("a session is not about a person")
	}
}
