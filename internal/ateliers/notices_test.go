package ateliers

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/boussole/boussole/locales"
)

func TestNotices(t *testing.T) {
	b := bundle(t)
	s := thursday()
	eve := time.Date(2026, 12, 2, 10, 0, 0, 0, paris)
	for lang, want := range map[string]string{
		"fr": "Rappel : rendez-vous demain, jeudi 3 décembre à 18 h, Maison des familles, 12 rue Abc.",
		"ar": "تذكير: موعدكم غداً، الخميس 3 ديسمبر على الساعة 18:00، دار العائلات، 12 شارع Abc.",
		"en": "Reminder: appointment tomorrow, Thursday 3 December at 18:00, Maison des familles, 12 rue Abc.",
	} {
		if got := Reminder(b, paris, lang, s, eve); got != want {
			t.Errorf("%s reminder:\n got %q\nwant %q", lang, got, want)
		}
	}
	if got := Reminder(b, paris, "fr", s, s.Start.Add(-time.Hour)); !strings.Contains(got, "aujourd'hui") {
		t.Errorf("same day: %q", got)
	}
	moved := s
	moved.Start = s.Start.Add(24*time.Hour + 30*time.Minute)
	if got := Moved(b, paris, "fr", s, moved); got != "Changement : le rendez-vous du jeudi 3 décembre à 18 h est déplacé au vendredi 4 décembre à 18 h 30, Maison des familles, 12 rue Abc." {
		t.Errorf("moved: %q", got)
	}
	if got := Moved(b, paris, "fr", s, s); got != "" {
		t.Errorf("nothing changed: %q", got)
	}
	later := s
	later.PlaceLater = true
	later.Place = map[string]string{"fr": "Ailleurs", "ar": "مكان آخر"}
	if got := Moved(b, paris, "fr", s, later); strings.Contains(got, "Ailleurs") || got == "" {
		t.Errorf("place now given the day before: %q", got)
	}
	if got := Cancelled(b, paris, "ar", s); !strings.Contains(got, "الخميس 3 ديسمبر") {
		t.Errorf("cancelled: %q", got)
	}
}

// What reaches a phone's notifications says nothing of what the meeting is
// about: someone else may read it.
func TestNoticesAreNeutral(t *testing.T) {
	forbidden := []string{"violence", "victime", "trafic", "drogue", "aide", "soutien", "deuil", "menace",
		"psycholog", "atelier", "parole", "boussole", "association", "victim", "traffick", "drug", "help",
		"support", "grief", "threat", "compass", "عنف", "ضحي", "ضحا", "مخدر", "دعم", "حداد", "تهديد", "مساعد",
		"نفسي", "بوصلة", "جمعية", "ورشة"}
	neutral := func(id string) bool {
		for _, p := range []string{"ateliers_remind", "ateliers_place", "ateliers_notice_", "ateliers_today",
			"ateliers_tomorrow", "ateliers_at", "ateliers_date", "ateliers_weekday_", "ateliers_month_"} {
			if strings.HasPrefix(id, p) {
				return true
			}
		}
		return false
	}
	n := 0
	for _, lang := range []string{"fr", "ar", "en"} {
		data, err := fs.ReadFile(locales.FS, "ateliers."+lang+".toml")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]map[string]string
		if _, err := toml.Decode(string(data), &cat); err != nil {
			t.Fatal(err)
		}
		for id, forms := range cat {
			if !neutral(id) {
				continue
			}
			n++
			for _, text := range forms {
				low := strings.ToLower(text)
				for _, w := range forbidden {
					if strings.Contains(low, w) {
						t.Errorf("ateliers.%s.toml: %s says %q: %q", lang, id, w, text)
					}
				}
			}
		}
	}
	if n < 3*(5+7+12) {
		t.Errorf("only %d neutral texts checked", n)
	}
	// And what they are filled with: a real reminder in each language.
	b := bundle(t)
	s := thursday()
	s.Place = map[string]string{"fr": "12 rue Abc", "ar": "12 شارع Abc"}
	for _, lang := range []string{"fr", "ar", "en"} {
		for _, text := range []string{Reminder(b, paris, lang, s, now), PlaceNotice(b, paris, lang, s, now),
			Cancelled(b, paris, lang, s), Moved(b, paris, lang, thursday(), s)} {
			if strings.Contains(text, "Groupe des parents") || strings.Contains(text, "مجموعة الأولياء") {
				t.Errorf("%s: the title in %q", lang, text)
			}
			for _, w := range forbidden {
				if strings.Contains(strings.ToLower(text), w) {
					t.Errorf("%s: %q says %q", lang, text, w)
				}
			}
		}
	}
}
