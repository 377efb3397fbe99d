package observatory

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// table builds a hand-made table of one week (2026-W48).
func table(counts map[Key]int64) Table {
	t := Table{
		From:   time.Date(2026, 11, 23, 0, 0, 0, 0, paris),
		To:     time.Date(2026, 11, 29, 0, 0, 0, 0, paris),
		Weeks:  []string{"2026-W48"},
		Counts: map[Key]int64{},
		Times:  map[string][]int64{"wait": make([]int64, 7), "handling": make([]int64, 7)},
		People: map[string]int64{"2026-W48": 0},
	}
	for k, v := range counts {
		if k.Week == "" {
			k.Week = "2026-W48"
		}
		t.Counts[k] = v
	}
	return t
}

func conv(need, arr string) Key {
	return Key{Lang: "fr", Need: need, Arrondissement: arr, Kind: "conversation"}
}

// cell returns the published value of a grid's cell by codes.
func cell(t *testing.T, p Published, grid, row, col string) Value {
	t.Helper()
	g, ok := p.Grid(grid)
	if !ok {
		t.Fatalf("no grid %s", grid)
	}
	i := indexOfLabel(g.Rows, row)
	j := indexOfLabel(g.Cols, col)
	if i < 0 || j < 0 {
		t.Fatalf("grid %s has no cell %s × %s", grid, row, col)
	}
	return g.Cells[i][j]
}

func indexOfLabel(ls []Label, code string) int {
	for i, l := range ls {
		if l.Code == code {
			return i
		}
	}
	return -1
}

func TestRound(t *testing.T) {
	for n, want := range map[int64]int64{11: 10, 12: 10, 13: 15, 14: 15, 15: 15, 17: 15, 18: 20, 102: 100, 103: 105} {
		if got := round(n); got != want {
			t.Errorf("round(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestPrimarySuppressionAndRounding(t *testing.T) {
	tab := table(map[Key]int64{
		conv("psy", "13"):   23,
		conv("psy", "14"):   11,
		conv("psy", "15"):   10,
		conv("legal", "13"): 12,
	})
	tab.People["2026-W48"] = 37
	p, r := Protect(tab)
	for _, c := range []struct {
		row, col string
		n        int64
		reason   string
	}{
		{"13", "psy", 25, ""},
		{"14", "psy", 10, ""}, // 11: published, rounded down
		{"15", "psy", 0, ReasonSmall},
		{"13", "legal", 10, ""},
		{"13", "medical", 0, ReasonSmall}, // zero: not published either
		{"13", Total, 35, ""},
	} {
		v := cell(t, p, GridArrNeed, c.row, c.col)
		if v.N != c.n || v.Hidden != (c.reason != "") || v.Reason != c.reason {
			t.Errorf("%s × %s: %+v, want %d %q", c.row, c.col, v, c.n, c.reason)
		}
	}
	if v := cell(t, p, GridWeekPersons, "2026-W48", "personnes"); v.Hidden || v.N != 35 {
		t.Errorf("people: %+v", v)
	}
	if r.Small == 0 || r.Cells != r.Small+r.Complement+published(p) {
		t.Errorf("report %+v", r)
	}
	if !strings.Contains(r.Text, "moins de 11 personnes") || !strings.Contains(r.Text, "arrondis à 5") {
		t.Errorf("report text: %s", r.Text)
	}
	if r.Text != p.Report.Text {
		t.Error("the published report differs from the one returned")
	}
	assertNoLoneHidden(t, tab, p)
}

func published(p Published) int {
	n := 0
	for _, g := range p.Grids {
		for _, row := range g.Cells {
			for _, v := range row {
				if !v.Hidden {
					n++
				}
			}
		}
	}
	return n
}

// TestComplementarySuppression: arrondissement 13 has six needs of 11 or
// more and one (medical) of 3. Hiding only the 3 would leak it: the row's
// total minus the six others gives it back. The smallest other need of the
// row must be hidden too, and so on in the grids that share those figures.
func TestComplementarySuppression(t *testing.T) {
	row := map[string]int64{"psy": 40, "medical": 3, "legal": 20, "deuil": 12, "menace": 15, "proche": 18, "other": 25}
	counts := map[Key]int64{}
	for n, v := range row {
		counts[conv(n, "13")] = v
	}
	tab := table(counts)

	// What a naive suppression would publish, and what it would give away.
	naive := round(133) - (round(40) + round(20) + round(12) + round(15) + round(18) + round(25))
	if naive < 0 || naive > 10 {
		t.Fatalf("the test's premise: naive subtraction gives %d", naive)
	}

	p, r := Protect(tab)
	if v := cell(t, p, GridArrNeed, "13", "medical"); v.Reason != ReasonSmall {
		t.Errorf("13 × medical: %+v", v)
	}
	if v := cell(t, p, GridArrNeed, "13", "deuil"); v.Reason != ReasonComplement {
		t.Errorf("13 × deuil (the smallest other): %+v, want hidden in complement", v)
	}
	if v := cell(t, p, GridArrNeed, "13", Total); v.Hidden || v.N != 135 {
		t.Errorf("13 total: %+v", v)
	}
	for _, n := range []string{"psy", "legal", "menace", "proche", "other"} {
		if v := cell(t, p, GridArrNeed, "13", n); v.Hidden {
			t.Errorf("13 × %s hidden: %+v", n, v)
		}
	}
	// The need totals: medical's is 3, and the grand total is published, so
	// deuil's total (12) goes too; in every grid that shows them.
	for _, g := range []struct{ grid, row, col string }{
		{GridArrNeed, Total, "deuil"},
		{GridWeekNeed, Total, "deuil"},
		{GridWeekNeed, "2026-W48", "deuil"},
		{GridNeedKind, "deuil", "conversation"},
	} {
		if v := cell(t, p, g.grid, g.row, g.col); !v.Hidden {
			t.Errorf("%s %s × %s published: %+v", g.grid, g.row, g.col, v)
		}
	}
	if r.Complement == 0 || !strings.Contains(r.Text, "complément") {
		t.Errorf("report %+v", r)
	}
	assertNoLoneHidden(t, tab, p)
}

// TestTimesTiedToTickets: a histogram's total is about the number of
// tickets taken; hiding one hides the other.
func TestTimesTiedToTickets(t *testing.T) {
	tab := table(map[Key]int64{{Lang: "fr", Need: "psy", Kind: "ticket_taken"}: 117})
	tab.Times["wait"] = []int64{20, 30, 25, 4, 15, 12, 11}
	p, _ := Protect(tab)
	if v := cell(t, p, GridTimes, "wait", "lt1h"); v.Reason != ReasonSmall {
		t.Errorf("wait 30 min–1 h: %+v", v)
	}
	if v := cell(t, p, GridTimes, "wait", "ge4h"); v.Reason != ReasonComplement {
		t.Errorf("wait > 4 h (the smallest other): %+v", v)
	}
	if v := cell(t, p, GridTimes, "wait", Total); v.Hidden || v.N != 115 {
		t.Errorf("wait total: %+v", v)
	}

	// With too few tickets taken, the waits' total goes with them.
	tab = table(map[Key]int64{{Lang: "fr", Need: "psy", Kind: "ticket_taken"}: 9})
	tab.Times["wait"] = []int64{20, 0, 0, 0, 0, 0, 0}
	p, _ = Protect(tab)
	if v := cell(t, p, GridTimes, "wait", Total); v.Reason != ReasonComplement {
		t.Errorf("wait total with 9 tickets taken: %+v", v)
	}
	if v := cell(t, p, GridTimes, "wait", "lt5m"); v.Hidden || v.N != 20 {
		t.Errorf("wait < 5 min (its row has other hidden cells): %+v", v)
	}
}

// TestProtectRandom checks the rules on random tables: nothing under 11
// published, every figure rounded from its raw count, no total that gives
// away a hidden part.
func TestProtectRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		counts := map[Key]int64{}
		for range rng.IntN(80) {
			k := Key{
				Week: []string{"2026-W48", "2026-W49"}[rng.IntN(2)],
				Lang: Langs[rng.IntN(len(Langs))], Need: Needs[rng.IntN(len(Needs))],
				Arrondissement: Arrondissements[rng.IntN(len(Arrondissements))], Kind: Kinds[rng.IntN(len(Kinds))],
			}
			counts[k] += int64(rng.IntN(30))
		}
		tab := table(counts)
		tab.Weeks = []string{"2026-W48", "2026-W49"}
		for b := range tab.Times["wait"] {
			tab.Times["wait"][b] = int64(rng.IntN(25))
		}
		p, _ := Protect(tab)
		gs, _, _ := layout(tab)
		for gi, g := range gs {
			for i, row := range g.ids {
				for j, id := range row {
					v, raw := p.Grids[gi].Cells[i][j], tab.value(id)
					if v.Hidden {
						if v.N != 0 {
							t.Fatalf("hidden cell with a value %+v", v)
						}
						continue
					}
					if raw < MinCount || v.N%RoundTo != 0 || v.N-raw > RoundTo/2 || raw-v.N > RoundTo/2 {
						t.Fatalf("%s %s: raw %d published %d", g.code, id, raw, v.N)
					}
				}
			}
		}
		assertNoLoneHidden(t, tab, p)
	}
}

// assertNoLoneHidden checks that no relation (a total and its parts) has
// exactly one hidden member, which subtraction would give away, and that a
// quantity is hidden in every grid or in none.
func assertNoLoneHidden(t *testing.T, tab Table, p Published) {
	t.Helper()
	gs, rels, ties := layout(tab)
	hidden := map[string]bool{}
	for gi, g := range gs {
		for i, row := range g.ids {
			for j, id := range row {
				h := p.Grids[gi].Cells[i][j].Hidden
				if prev, ok := hidden[id]; ok && prev != h {
					t.Fatalf("%s hidden in one grid, published in another", id)
				}
				hidden[id] = h
			}
		}
	}
	for _, rel := range rels {
		n := 0
		for _, id := range append([]string{rel.total}, rel.parts...) {
			if hidden[id] {
				n++
			}
		}
		if n == 1 {
			t.Fatalf("relation %s = sum%v: one hidden member, which subtraction gives away", rel.total, rel.parts)
		}
	}
	for _, tie := range ties {
		if hidden[tie[0]] != hidden[tie[1]] {
			t.Fatalf("tie %v broken", tie)
		}
	}
}

func TestWriters(t *testing.T) {
	tab := table(map[Key]int64{conv("psy", "13"): 23, conv("medical", "13"): 7, conv("legal", "13"): 14})
	p, _ := Protect(tab)

	var b bytes.Buffer
	if err := WriteCSV(&b, p); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(lines[0], ",") != "du,au,tableau,ligne_code,ligne,colonne_code,colonne,valeur,note" {
		t.Fatalf("header %v", lines[0])
	}
	cells := 0
	for _, g := range p.Grids {
		cells += len(g.Rows) * len(g.Cols)
	}
	if len(lines) != cells+1 {
		t.Fatalf("%d lines, want %d cells and a header", len(lines), cells)
	}
	found := 0
	for _, l := range lines[1:] {
		if l[0] != "2026-11-23" || l[1] != "2026-11-29" {
			t.Fatalf("period %v", l[:2])
		}
		if l[2] == GridArrNeed && l[3] == "13" {
			switch l[5] {
			case "psy":
				found++
				if l[7] != "25" || l[8] != "" || l[4] != "13e" || l[6] != "Soutien psychologique" {
					t.Errorf("13 × psy: %v", l)
				}
			case "medical": // 7
				found++
				if l[7] != "" || !strings.Contains(l[8], "moins de 11") {
					t.Errorf("hidden cell %v", l)
				}
			case "legal": // 14: the row has other hidden cells (its zeros)
				found++
				if l[7] != "15" || l[8] != "" {
					t.Errorf("13 × legal: %v", l)
				}
			}
		}
		if (l[7] == "") == (l[8] == "") {
			t.Errorf("a line has both or neither value and note: %v", l)
		}
	}
	if found != 3 {
		t.Errorf("found %d of the 3 cells", found)
	}

	b.Reset()
	if err := WriteJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Du, Au, Rapport string
		Seuil, Arrondi  int
		Tableaux        []struct {
			Code     string
			Colonnes []struct{ Code string }
			Lignes   []struct{ Code string }
			Cases    [][]map[string]any
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Du != "2026-11-23" || doc.Seuil != 11 || doc.Arrondi != 5 || !strings.Contains(doc.Rapport, "masquées") || len(doc.Tableaux) != len(p.Grids) {
		t.Fatalf("document %+v", doc)
	}
	for _, g := range doc.Tableaux {
		if g.Code != GridArrNeed {
			continue
		}
		row := g.Cases[12] // arrondissement 13
		if row[0]["valeur"] != 25.0 {
			t.Errorf("13 × psy: %v", row[0])
		}
		if v, ok := row[1]["valeur"]; !ok || v != nil || row[1]["note"] == nil {
			t.Errorf("13 × medical: %v", row[1])
		}
	}
	if !strings.Contains(b.String(), "Soins médicaux") {
		t.Error("JSON not in plain UTF-8")
	}
}
