package handoff

import (
	"testing"
	"time"
)

func TestHoursOpenAndNextShift(t *testing.T) {
	h, err := ParseHours("mon-fri 09:00-19:00; sat 10:00-13:00")
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct {
		now  string
		open bool
		next string
	}{
		{"2026-11-25 10:00", true, "2026-11-25 10:00"},  // Wednesday morning
		{"2026-11-25 19:00", false, "2026-11-26 09:00"}, // closing time: tomorrow
		{"2026-11-25 07:30", false, "2026-11-25 09:00"}, // early: today
		{"2026-11-27 23:00", false, "2026-11-28 10:00"}, // Friday night: Saturday
		{"2026-11-28 14:00", false, "2026-11-30 09:00"}, // Saturday afternoon: Monday
		{"2026-11-29 12:00", false, "2026-11-30 09:00"}, // Sunday
	}
	for _, c := range cases {
		now := at(c.now)
		if got := h.Open(now); got != c.open {
			t.Errorf("%s: open %v, want %v", c.now, got, c.open)
		}
		if got := h.Next(now); !got.Equal(at(c.next)) {
			t.Errorf("%s: next %v, want %s", c.now, got, c.next)
		}
	}
	// In UTC, 08:30 on a winter Wednesday is 09:30 in Paris: open.
	if !h.Open(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)) {
		t.Error("hours are not read in Europe/Paris")
	}
}

func TestHoursEmptyIsAlwaysOpenAndErrorsSayWhatToWrite(t *testing.T) {
	h, err := ParseHours("")
	if err != nil || !h.Open(time.Now()) {
		t.Fatal(err)
	}
	for _, bad := range []string{"mon-fri", "lun 09:00-19:00", "mon 19:00-09:00", "mon 9h-19h"} {
		if _, err := ParseHours(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
