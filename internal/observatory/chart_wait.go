package observatory

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg/draw"
)

// waitChart: how long people waited for a volunteer, by bucket.
func waitChart(_ []Published, last Published) (PNG, error) {
	const title = "Temps d'attente avant un·e bénévole"
	g, ok := last.Grid(GridTimes)
	if !ok {
		return PNG{}, fmt.Errorf("observatory: charts: no grid %s", GridTimes)
	}
	i := indexOfCode(g.Rows, "wait")
	if i < 0 {
		return PNG{}, fmt.Errorf("observatory: charts: no waiting times")
	}
	_, cols, cs := body(g)
	var values [][]Value
	var names []string
	for j, c := range cols {
		values = append(values, []Value{cs[i][j]})
		names = append(names, c.Name)
	}
	p := newPlot(title + "\n" + period(last, last))
	p.Add(bars{values: values, colors: []color.Color{waitColor}, labels: true})
	p.NominalX(names...)
	p.X.Tick.Label.Font.Size = 10
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YTop
	p.X.Label.Text = "Attente"
	p.Y.Label.Text = "Personnes (arrondi à 5)"
	p.Y.Min = 0
	p.Y.Tick.Marker = intTicks{}
	total := "Total : masqué"
	if j := indexOfCode(g.Cols, Total); j >= 0 && !g.Cells[i][j].Hidden {
		total = fmt.Sprintf("Total : %d personnes ont attendu un·e bénévole", g.Cells[i][j].N)
	}
	return render("temps-d-attente.png", title, 1, p, func(c draw.Canvas) {
		drawLegend(c, 1, []legendEntry{
			{swatch: waitColor, text: "Personnes, selon leur attente (arrondi à 5)"},
			{mark: true, text: "Masqué : moins de 11 personnes, ou en complément"},
			{text: total},
		})
	})
}

func indexOfCode(ls []Label, code string) int {
	for i, l := range ls {
		if l.Code == code {
			return i
		}
	}
	return -1
}
