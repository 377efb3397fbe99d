package observatory

import (
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// arrChart: the needs by arrondissement, as a grid with a figure in each
// cell, darker for more; the totals in the last row and column.
func arrChart(_ []Published, last Published) (PNG, error) {
	const title = "Besoins par arrondissement"
	g, ok := last.Grid(GridArrNeed)
	if !ok {
		return PNG{}, fmt.Errorf("observatory: charts: no grid %s", GridArrNeed)
	}
	p := newPlot(title + "\n" + period(last, last))
	p.Add(cells{g: g})
	var xs []string
	for _, c := range g.Cols {
		if c.Code == Total {
			xs = append(xs, "Total")
		} else {
			xs = append(xs, needShort[c.Code])
		}
	}
	var ys []string
	for i := len(g.Rows) - 1; i >= 0; i-- {
		ys = append(ys, g.Rows[i].Name)
	}
	p.X.Tick.Label.Font.Size = 10
	p.Y.Tick.Label.Font.Size = 10.5
	p.NominalX(xs...)
	p.NominalY(ys...)
	p.X.Label.Text = ""
	p.Y.Label.Text = ""
	_, cols, _ := body(g)
	return render("besoins-par-arrondissement.png", title, len(cols), p, func(c draw.Canvas) {
		drawLegend(c, 1, []legendEntry{
			{swatch: cellColor(0.15), text: "Peu"},
			{swatch: cellColor(1), text: "Beaucoup (conversations commencées, arrondi à 5)"},
			{mark: true, text: "Masqué : moins de 11 personnes, ou en complément"},
		})
	})
}

// cells plots a grid: one square per cell, row 0 at the top.
type cells struct{ g Grid }

func (g cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(g.g.Cols)) - 0.5, -0.5, float64(len(g.g.Rows)) - 0.5
}

func cellColor(f float64) color.Color {
	// From a pale to a deep blue.
	lerp := func(a, b float64) uint8 { return uint8(a + (b-a)*f) }
	return color.RGBA{R: lerp(0xDE, 0x08), G: lerp(0xEB, 0x45), B: lerp(0xF7, 0x94), A: 0xFF}
}

func (g cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var max int64
	for i, row := range g.g.Cells {
		for j, v := range row {
			if g.g.Rows[i].Code != Total && g.g.Cols[j].Code != Total && !v.Hidden && v.N > max {
				max = v.N
			}
		}
	}
	n := len(g.g.Rows)
	for i, row := range g.g.Cells {
		y := float64(n - 1 - i)
		for j, v := range row {
			x := float64(j)
			l, r, b, t := trX(x-0.48), trX(x+0.48), trY(y-0.46), trY(y+0.46)
			total := g.g.Rows[i].Code == Total || g.g.Cols[j].Code == Total
			at := vg.Point{X: (l + r) / 2, Y: (b + t) / 2}
			switch {
			case v.Hidden:
				c.FillPolygon(hiddenFill, rect(l, b, r, t))
				drawCross(c, at, (t-b)*0.22)
			case total:
				c.FillPolygon(rgb(0xF6, 0xF1, 0xE4), rect(l, b, r, t))
				c.FillText(style(11, ink), at, strconv.FormatInt(v.N, 10))
			default:
				f := 0.15
				if max > 0 {
					f = 0.15 + 0.85*float64(v.N)/float64(max)
				}
				c.FillPolygon(cellColor(f), rect(l, b, r, t))
				txt := ink
				if f > 0.55 {
					txt = color.White
				}
				c.FillText(style(11, txt), at, strconv.FormatInt(v.N, 10))
			}
		}
	}
}
