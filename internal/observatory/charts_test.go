package observatory

import (
	"bytes"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sample is a plausible month: four weeks, most people in the northern
// arrondissements, few in Arabic, some waits over an hour.
func sample() Table {
	rng := rand.New(rand.NewPCG(7, 11))
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, paris)
	t := Table{
		From:   from,
		To:     from.AddDate(0, 0, 27),
		Weeks:  []string{"2026-W45", "2026-W46", "2026-W47", "2026-W48"},
		Counts: map[Key]int64{},
		Times:  map[string][]int64{"wait": {34, 41, 27, 18, 9, 4, 2}, "handling": {3, 12, 30, 41, 25, 11, 3}},
		People: map[string]int64{"2026-W45": 96, "2026-W46": 121, "2026-W47": 8, "2026-W48": 143},
	}
	weight := map[string]int{"3": 5, "13": 9, "14": 8, "15": 9, "16": 4, "1": 2, "2": 2, "11": 3, "": 6, "8": 1}
	needs := map[string]int{"psy": 6, "menace": 4, "deuil": 2, "legal": 3, "medical": 1, "proche": 3, "other": 1}
	for _, w := range t.Weeks {
		for a, aw := range weight {
			for n, nw := range needs {
				c := int64(rng.IntN(aw*nw + 1))
				if w == "2026-W47" { // a quiet week: some needs hidden
					c /= 6
				}
				t.Counts[Key{w, "fr", n, a, "conversation"}] += c
				t.Counts[Key{w, "ar", n, a, "conversation"}] += c / 4
				t.Counts[Key{w, "fr", n, a, "resources"}] += c / 2
			}
		}
	}
	t.Counts[Key{"2026-W48", "fr", "psy", "13", "ticket_taken"}] = 135
	t.Counts[Key{"2026-W48", "fr", "psy", "13", "ticket_closed"}] = 125
	return t
}

// TestCharts draws the report's charts and checks their shape; with
// OBSERVATORY_CHARTS=dir they are also written there, to be looked at.
func TestCharts(t *testing.T) {
	p, _ := Protect(sample())
	charts, err := WeeklyCharts(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   string
		series int
	}{
		{"conversations-par-semaine.png", len(Needs)},
		{"besoins-par-arrondissement.png", len(Needs)},
		{"temps-d-attente.png", 1},
	}
	if len(charts) != len(want) {
		t.Fatalf("%d charts, want %d", len(charts), len(want))
	}
	dir := os.Getenv("OBSERVATORY_CHARTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for i, c := range charts {
		if c.Name != want[i].name || c.Series != want[i].series || c.Title == "" {
			t.Errorf("chart %d: %s, %d series, title %q; want %s, %d series", i, c.Name, c.Series, c.Title, want[i].name, want[i].series)
		}
		img, err := png.Decode(bytes.NewReader(c.Data))
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if b := img.Bounds(); b.Dx() != 1080 || b.Dy() != 1350 || c.Width != 1080 || c.Height != 1350 {
			t.Errorf("%s: %v, want 1080×1350", c.Name, b)
		}
		// Not blank: some dark pixels (text) and some coloured ones.
		dark, colour := 0, 0
		for y := 0; y < 1350; y += 3 {
			for x := 0; x < 1080; x += 3 {
				r, g, b, _ := img.At(x, y).RGBA()
				if r < 0x4000 && g < 0x4000 && b < 0x4000 {
					dark++
				}
				if max(r, g, b)-min(r, g, b) > 0x3000 {
					colour++
				}
			}
		}
		if dark < 500 || colour < 500 {
			t.Errorf("%s: %d dark and %d coloured samples: blank?", c.Name, dark, colour)
		}
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Several periods: one group of bars per week of all of them.
	a, b := sample(), sample()
	a.Weeks, b.Weeks = a.Weeks[:2], b.Weeks[2:]
	pa, _ := Protect(a)
	pb, _ := Protect(b)
	if charts, err = WeeklyCharts(pa, pb); err != nil || len(charts) != 3 {
		t.Fatalf("two periods: %d charts, %v", len(charts), err)
	}
	if _, err := WeeklyCharts(); err == nil {
		t.Error("no period: no error")
	}
}
