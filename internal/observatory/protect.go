package observatory

import (
	"fmt"
	"strings"
	"time"
)

// The publication rules, after the public bodies' (see the review of
// 2026-11-25, §4): a figure is published only when it counts at least
// MinCount; published figures are rounded to the nearest RoundTo; and when a
// total is known, one hidden figure among its parts is never left alone, or
// it could be worked out by subtraction.
const (
	MinCount = 11
	RoundTo  = 5
)

// Why a figure is hidden, as the exports say it.
const (
	ReasonSmall      = "moins de 11 personnes"
	ReasonComplement = "complément"
)

// Value is one published figure: N rounded to the nearest RoundTo, or
// Hidden with the Reason (and N zero): the raw count is never in it.
type Value struct {
	N      int64
	Hidden bool
	Reason string
}

// Label names a row or a column: a stable code and its French name.
type Label struct {
	Code, Name string
}

// Total is the code of a totals row or column.
const Total = "total"

// Grid is one published table. When it has totals, the last row (column
// totals) or the last column (row totals) has the code Total.
type Grid struct {
	Code, Title string
	Rows, Cols  []Label
	Cells       [][]Value // [row][col]
}

// Published is what Protect lets out of a Table: its grids, in a fixed
// order, each with every row and column it can have (whether or not
// anything was counted), so the shape of the tables says nothing either.
type Published struct {
	From, To time.Time
	Grids    []Grid
	// Report says, in French, what was hidden and why.
	Report Report
}

// Grid returns the published grid of the code.
func (p Published) Grid(code string) (Grid, bool) {
	for _, g := range p.Grids {
		if g.Code == code {
			return g, true
		}
	}
	return Grid{}, false
}

// Report counts the cells of the grids, hidden or not, and says it in
// French in Text.
type Report struct {
	Cells, Small, Complement int
	Text                     string
}

// The grids' codes.
const (
	GridWeekNeed    = "semaine_besoin"
	GridArrNeed     = "arrondissement_besoin"
	GridNeedKind    = "besoin_etape"
	GridLangKind    = "langue_etape"
	GridTimes       = "delais"
	GridWeekPersons = "personnes_semaine"
)

// grid is a grid before publication: the id of the quantity in each cell.
// Cells of different grids with the same id are the same quantity (the
// conversations for "psy" are a row total of one grid and a cell of
// another), and are hidden together.
type grid struct {
	code, title string
	rows, cols  []Label
	ids         [][]string
}

// relation says total = sum(parts).
type relation struct {
	total string
	parts []string
}

func cid(k Key) string {
	return "c|" + k.Week + "|" + k.Lang + "|" + k.Need + "|" + k.Arrondissement + "|" + k.Kind
}

func labels(codes []string, name func(string) string) []Label {
	out := make([]Label, len(codes))
	for i, c := range codes {
		out[i] = Label{Code: c, Name: name(c)}
	}
	return out
}

// cross builds a grid of rows × cols with cell ids from id, the totals the
// flags ask for, and their relations.
func cross(code, title string, rows, cols []Label, id func(r, c string) string, rowTotals, colTotals bool, rels *[]relation) grid {
	g := grid{code: code, title: title, rows: append([]Label(nil), rows...), cols: append([]Label(nil), cols...)}
	if colTotals {
		g.rows = append(g.rows, Label{Code: Total, Name: "Total"})
	}
	if rowTotals {
		g.cols = append(g.cols, Label{Code: Total, Name: "Total"})
	}
	g.ids = make([][]string, len(g.rows))
	for i, r := range g.rows {
		g.ids[i] = make([]string, len(g.cols))
		for j, c := range g.cols {
			rc, cc := r.Code, c.Code
			if rc == Total {
				rc = "*"
			}
			if cc == Total {
				cc = "*"
			}
			g.ids[i][j] = id(rc, cc)
		}
	}
	nr, nc := len(rows), len(cols)
	if rowTotals {
		for i := 0; i < len(g.rows); i++ { // the totals row too, when there is one
			rel := relation{total: g.ids[i][nc]}
			for j := 0; j < nc; j++ {
				rel.parts = append(rel.parts, g.ids[i][j])
			}
			*rels = append(*rels, rel)
		}
	}
	if colTotals {
		for j := 0; j < len(g.cols); j++ {
			rel := relation{total: g.ids[nr][j]}
			for i := 0; i < nr; i++ {
				rel.parts = append(rel.parts, g.ids[i][j])
			}
			*rels = append(*rels, rel)
		}
	}
	return g
}

// layout returns the grids of a table, the relations between their
// quantities, and the ties (quantities that are not the same but about as
// large, so that one would give the other away).
func layout(t Table) ([]grid, []relation, [][2]string) {
	var rels []relation
	needs := labels(Needs, func(c string) string { return needLabels[c] })
	weeks := labels(t.Weeks, weekLabel)
	kinds := labels(Kinds, func(c string) string { return kindLabels[c] })
	gs := []grid{
		cross(GridWeekNeed, "Conversations commencées, par semaine et par besoin", weeks, needs,
			func(w, n string) string { return cid(Key{w, "*", n, "*", "conversation"}) }, true, true, &rels),
		cross(GridArrNeed, "Conversations commencées, par arrondissement et par besoin",
			labels(Arrondissements, arrLabel), needs,
			func(a, n string) string { return cid(Key{"*", "*", n, a, "conversation"}) }, true, true, &rels),
		cross(GridNeedKind, "Étapes du parcours, par besoin", needs, kinds,
			func(n, k string) string { return cid(Key{"*", "*", n, "*", k}) }, false, true, &rels),
		cross(GridLangKind, "Étapes du parcours, par langue", labels(Langs, func(c string) string { return langLabels[c] }), kinds,
			func(l, k string) string { return cid(Key{"*", l, "*", "*", k}) }, false, true, &rels),
		cross(GridTimes, "Délais (nombre d'échanges par durée)",
			labels(Timers, func(c string) string { return timerLabels[c] }),
			labels(bucketCodes, func(c string) string { return bucketLabels[indexOf(bucketCodes, c)] }),
			func(n, b string) string { return "h|" + n + "|" + b }, true, false, &rels),
		cross(GridWeekPersons, "Personnes différentes par semaine (estimation)", weeks,
			[]Label{{Code: "personnes", Name: "Personnes (estimation)"}},
			func(w, _ string) string { return "u|" + w }, false, false, &rels),
	}
	ties := [][2]string{
		{"h|wait|*", cid(Key{"*", "*", "*", "*", "ticket_taken"})},
		{"h|handling|*", cid(Key{"*", "*", "*", "*", "ticket_closed"})},
	}
	return gs, rels, ties
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// weekLabel names an ISO week by its Monday: "Semaine du 23/11/2026".
func weekLabel(w string) string {
	var y, n int
	if _, err := fmt.Sscanf(w, "%d-W%d", &y, &n); err != nil {
		return w
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, paris)
	mon := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(n-1)*7)
	return "Semaine du " + mon.Format("02/01/2006")
}

// value is the raw count of a quantity id.
func (t Table) value(id string) int64 {
	parts := strings.Split(id, "|")
	switch parts[0] {
	case "c":
		return t.sum(Key{parts[1], parts[2], parts[3], parts[4], parts[5]})
	case "h":
		var n int64
		for b, v := range t.Times[parts[1]] {
			if parts[2] == "*" || bucketCodes[b] == parts[2] {
				n += v
			}
		}
		return n
	case "u":
		return t.People[parts[1]]
	}
	return 0
}

// Protect makes a table publishable. Primary suppression hides every figure
// under MinCount (zero included: that nothing was counted is not published
// either). Complementary suppression then follows every published total:
// when exactly one of the figures it sums (or the total itself) is hidden,
// the smallest other part is hidden too, and again until nothing changes;
// quantities shown in several grids, or tied to one another, are hidden
// everywhere at once. Published figures are rounded to the nearest RoundTo.
//
// This is the usual heuristic, not an audit by linear programming: it makes
// sure no single total gives a hidden figure away by subtraction.
func Protect(t Table) (Published, Report) {
	gs, rels, ties := layout(t)
	val := map[string]int64{}
	hidden := map[string]string{}
	for _, g := range gs {
		for _, row := range g.ids {
			for _, id := range row {
				if _, ok := val[id]; ok {
					continue
				}
				val[id] = t.value(id)
				if val[id] < MinCount {
					hidden[id] = ReasonSmall
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, tie := range ties {
			a, b := hidden[tie[0]] != "", hidden[tie[1]] != ""
			if a && !b {
				hidden[tie[1]], changed = ReasonComplement, true
			} else if b && !a {
				hidden[tie[0]], changed = ReasonComplement, true
			}
		}
		for _, rel := range rels {
			n := 0
			if hidden[rel.total] != "" {
				n++
			}
			for _, p := range rel.parts {
				if hidden[p] != "" {
					n++
				}
			}
			if n != 1 {
				continue
			}
			pick := ""
			for _, p := range rel.parts {
				if hidden[p] == "" && (pick == "" || val[p] < val[pick]) {
					pick = p
				}
			}
			if pick == "" { // the only part is hidden: hide the total
				pick = rel.total
			}
			hidden[pick], changed = ReasonComplement, true
		}
	}

	p := Published{From: t.From, To: t.To}
	var r Report
	for _, g := range gs {
		out := Grid{Code: g.code, Title: g.title, Rows: g.rows, Cols: g.cols, Cells: make([][]Value, len(g.ids))}
		for i, row := range g.ids {
			out.Cells[i] = make([]Value, len(row))
			for j, id := range row {
				r.Cells++
				switch hidden[id] {
				case ReasonSmall:
					r.Small++
					out.Cells[i][j] = Value{Hidden: true, Reason: ReasonSmall}
				case ReasonComplement:
					r.Complement++
					out.Cells[i][j] = Value{Hidden: true, Reason: ReasonComplement}
				default:
					out.Cells[i][j] = Value{N: round(val[id])}
				}
			}
		}
		p.Grids = append(p.Grids, out)
	}
	r.Text = reportText(t, r)
	p.Report = r
	return p, r
}

// round rounds n to the nearest RoundTo, halves up.
func round(n int64) int64 {
	return (n + RoundTo/2) / RoundTo * RoundTo
}

func reportText(t Table, r Report) string {
	var b strings.Builder
	if !t.From.IsZero() {
		fmt.Fprintf(&b, "Période du %s au %s. ", t.From.Format("02/01/2006"), t.To.Format("02/01/2006"))
	}
	hidden := r.Small + r.Complement
	fmt.Fprintf(&b, "%s sur %d masquée%s", cases(hidden), r.Cells, plural(hidden))
	if hidden > 0 {
		b.WriteString(" : ")
		var why []string
		if r.Small > 0 {
			why = append(why, fmt.Sprintf("%d parce qu'elle%s compte%s moins de %d personnes", r.Small, plural(r.Small), pluralNt(r.Small), MinCount))
		}
		if r.Complement > 0 {
			why = append(why, fmt.Sprintf("%d en complément, pour qu'on ne puisse pas retrouver une case masquée en la soustrayant d'un total", r.Complement))
		}
		b.WriteString(strings.Join(why, " ; "))
	}
	fmt.Fprintf(&b, ". Les nombres publiés sont arrondis à %d près : un total peut différer de la somme de ses cases. "+
		"Le nombre de personnes par semaine est une estimation, sur la semaine entière.", RoundTo)
	return b.String()
}

func cases(n int) string {
	if n <= 1 {
		return fmt.Sprintf("%d case", n)
	}
	return fmt.Sprintf("%d cases", n)
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

func pluralNt(n int) string {
	if n > 1 {
		return "nt"
	}
	return ""
}
