package observatory

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// weeksChart: conversations started per week, by need, grouped bars.
func weeksChart(periods []Published, last Published) (PNG, error) {
	const title = "Conversations par semaine et par besoin"
	var names []string
	var values [][]Value
	seen := map[string]int{}
	var cols []Label
	for _, pub := range periods {
		g, ok := pub.Grid(GridWeekNeed)
		if !ok {
			return PNG{}, fmt.Errorf("observatory: charts: no grid %s", GridWeekNeed)
		}
		rows, cs, cells := body(g)
		cols = cs
		for i, r := range rows {
			if j, ok := seen[r.Code]; ok { // a week in two periods: the later one
				values[j] = cells[i]
				continue
			}
			seen[r.Code] = len(names)
			names = append(names, shortWeek(r.Name))
			values = append(values, cells[i])
		}
	}
	colors := make([]color.Color, len(cols))
	for k, c := range cols {
		colors[k] = needColors[c.Code]
	}
	p := newPlot(title + "\n" + period(periods[0], last))
	p.Add(bars{values: values, colors: colors, labels: len(values)*len(cols) <= 16})
	p.NominalX(names...)
	p.X.Label.Text = "Semaine (date du lundi)"
	p.Y.Label.Text = "Conversations (arrondi à 5)"
	p.Y.Min = 0
	p.Y.Tick.Marker = intTicks{}
	return render("conversations-par-semaine.png", title, len(cols), p, func(c draw.Canvas) {
		var es []legendEntry
		for k, col := range cols {
			es = append(es, legendEntry{swatch: colors[k], text: needLabels[col.Code]})
		}
		es = append(es, legendEntry{mark: true, text: "Masqué"})
		drawLegend(c, 2, es)
		notes(c, c.Min.Y+vg.Points(8), "Masqué : moins de 11 personnes, ou masqué en complément.")
	})
}

// shortWeek turns "Semaine du 23/11/2026" into "23/11".
func shortWeek(name string) string {
	if len(name) >= len("Semaine du 02/01/2006") {
		return name[len("Semaine du ") : len("Semaine du ")+5]
	}
	return name
}
