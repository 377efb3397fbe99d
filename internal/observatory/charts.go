package observatory

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PNG is a chart: a file name, its French title, the number of data series
// it draws (bars of one colour, or columns of the grid), its size in pixels
// and its bytes.
type PNG struct {
	Name, Title   string
	Series        int
	Width, Height int
	Data          []byte
}

// The charts are drawn for a phone: 1080 × 1350 px (4:5, what a phone shows
// whole), from a canvas of 5.4 × 6.75 inches at 200 dpi, so that a 12-point
// label is 33 px high.
const (
	chartDPI = 200
	chartW   = 5.4 * vg.Inch
	chartH   = 6.75 * vg.Inch
)

// legendH is the band under a chart where its legend and notes are written.
const legendH = 1.45 * vg.Inch

// needColors tell the needs apart, colour-blind safe (Okabe–Ito), "other"
// in grey.
var needColors = map[string]color.Color{
	"psy":     rgb(0x00, 0x72, 0xB2),
	"medical": rgb(0xE6, 0x9F, 0x00),
	"legal":   rgb(0x00, 0x9E, 0x73),
	"deuil":   rgb(0xCC, 0x79, 0xA7),
	"menace":  rgb(0xD5, 0x5E, 0x00),
	"proche":  rgb(0x56, 0xB4, 0xE9),
	"other":   rgb(0x99, 0x99, 0x99),
}

var (
	ink        = rgb(0x22, 0x22, 0x22)
	hiddenInk  = rgb(0x70, 0x70, 0x70)
	hiddenFill = rgb(0xEE, 0xEE, 0xEE)
	waitColor  = rgb(0x00, 0x72, 0xB2)
)

func rgb(r, g, b uint8) color.Color { return color.RGBA{R: r, G: g, B: b, A: 0xFF} }

// WeeklyCharts draws the weekly report's charts from one or more published
// periods, in order: the conversations of every week of every period, by
// need; then the needs by arrondissement and the waiting time for a
// volunteer over the last period. A hidden figure is drawn as "×", never as
// a zero.
func WeeklyCharts(periods ...Published) ([]PNG, error) {
	if len(periods) == 0 {
		return nil, fmt.Errorf("observatory: charts: no period")
	}
	last := periods[len(periods)-1]
	var out []PNG
	for _, draw := range []func([]Published, Published) (PNG, error){weeksChart, arrChart, waitChart} {
		png, err := draw(periods, last)
		if err != nil {
			return nil, err
		}
		out = append(out, png)
	}
	return out, nil
}

// period says "du 23/11 au 29/11/2026".
func period(from, to Published) string {
	if from.From.IsZero() || to.To.IsZero() {
		return ""
	}
	f, t := from.From.In(paris), to.To.In(paris)
	if f.Year() == t.Year() {
		return "du " + f.Format("02/01") + " au " + t.Format("02/01/2006")
	}
	return "du " + f.Format("02/01/2006") + " au " + t.Format("02/01/2006")
}

// sans is the charts' typeface: a sans-serif reads better small, on a phone.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func style(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
}

// intTicks marks a count axis with about five whole numbers, 1, 2 or 5
// times a power of ten apart.
type intTicks struct{}

func (intTicks) Ticks(min, max float64) []plot.Tick {
	step := 1.0
	for _, mult := range []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000} {
		step = mult
		if (max-min)/mult <= 6 {
			break
		}
	}
	var out []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
}

// newPlot returns a plot with the report's large fonts.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 16)
	p.Title.Padding = 0.12 * vg.Inch
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 12)
		a.Tick.Label.Font = font.From(sans, 11)
		a.Color = ink
		a.Label.TextStyle.Color = ink
		a.Tick.Label.Color = ink
	}
	return p
}

// render draws p over the canvas but for the legend band, then the legend.
func render(name, title string, series int, p *plot.Plot, legend func(draw.Canvas)) (PNG, error) {
	img := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	p.Draw(draw.Crop(dc, 0.1*vg.Inch, -0.15*vg.Inch, legendH, -0.1*vg.Inch))
	legend(draw.Crop(dc, 0.25*vg.Inch, -0.2*vg.Inch, 0.1*vg.Inch, -(chartH - legendH)))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return PNG{}, fmt.Errorf("observatory: chart %s: %w", name, err)
	}
	bounds := img.Image().Bounds()
	return PNG{Name: name, Title: title, Series: series, Width: bounds.Dx(), Height: bounds.Dy(), Data: b.Bytes()}, nil
}

// legendEntry is a line of a legend: a swatch of colour (nil: none) and text.
type legendEntry struct {
	swatch color.Color
	mark   bool // the "×" of a hidden figure instead of a swatch
	text   string
}

// drawLegend writes entries in cols columns, top to bottom.
func drawLegend(c draw.Canvas, cols int, entries []legendEntry) {
	sty := style(11, ink)
	sty.XAlign = draw.XLeft
	line := sty.Font.Size * 1.55
	colW := (c.Max.X - c.Min.X) / vg.Length(cols)
	rows := (len(entries) + cols - 1) / cols
	for i, e := range entries {
		col, row := i/rows, i%rows
		x := c.Min.X + colW*vg.Length(col)
		y := c.Max.Y - line*vg.Length(row) - line/2
		tx := x
		sw := sty.Font.Size * 0.9
		switch {
		case e.swatch != nil:
			c.FillPolygon(e.swatch, rect(x, y-sw/2, x+sw, y+sw/2))
			tx = x + sw*1.5
		case e.mark:
			drawCross(c, vg.Point{X: x + sw/2, Y: y}, sw/2)
			tx = x + sw*1.5
		}
		c.FillText(sty, vg.Point{X: tx, Y: y}, e.text)
	}
}

// notes writes lines of smaller text, full width.
func notes(c draw.Canvas, top vg.Length, lines ...string) {
	sty := style(10, hiddenInk)
	sty.XAlign = draw.XLeft
	for i, l := range lines {
		c.FillText(sty, vg.Point{X: c.Min.X, Y: top - sty.Font.Size*1.5*vg.Length(i)}, l)
	}
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

func drawCross(c draw.Canvas, at vg.Point, r vg.Length) {
	ls := draw.LineStyle{Color: hiddenInk, Width: vg.Points(1.8)}
	c.StrokeLines(ls, []vg.Point{{X: at.X - r, Y: at.Y - r}, {X: at.X + r, Y: at.Y + r}})
	c.StrokeLines(ls, []vg.Point{{X: at.X - r, Y: at.Y + r}, {X: at.X + r, Y: at.Y - r}})
}

// bars is a plotter of grouped bars: values[category][series], a hidden
// figure drawn as a "×" on the axis.
type bars struct {
	values [][]Value
	colors []color.Color
	labels bool // write each published value above its bar
}

func (b bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymax = 0
	for _, row := range b.values {
		for _, v := range row {
			ymax = math.Max(ymax, float64(v.N))
		}
	}
	if ymax < 20 {
		ymax = 20
	}
	return -0.5, float64(len(b.values)) - 0.5, 0, ymax * 1.12
}

func (b bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, row := range b.values {
		n := len(row)
		w := 0.84 / float64(n)
		for k, v := range row {
			x0 := float64(i) - 0.42 + w*float64(k)
			l, r := trX(x0+w*0.06), trX(x0+w*0.94)
			if v.Hidden {
				half := (r - l) / 2
				if half > vg.Points(7) {
					half = vg.Points(7)
				}
				drawCross(c, vg.Point{X: (l + r) / 2, Y: trY(0) + half + vg.Points(2)}, half)
				continue
			}
			c.FillPolygon(b.colors[k], rect(l, trY(0), r, trY(float64(v.N))))
			if b.labels {
				sty := style(11, ink)
				sty.YAlign = draw.YBottom
				c.FillText(sty, vg.Point{X: (l + r) / 2, Y: trY(float64(v.N)) + vg.Points(2)}, strconv.FormatInt(v.N, 10))
			}
		}
	}
}

// body returns a grid's cells without its totals row and column.
func body(g Grid) (rows, cols []Label, cells [][]Value) {
	rows, cols = g.Rows, g.Cols
	if len(rows) > 0 && rows[len(rows)-1].Code == Total {
		rows = rows[:len(rows)-1]
	}
	if len(cols) > 0 && cols[len(cols)-1].Code == Total {
		cols = cols[:len(cols)-1]
	}
	for i := range rows {
		cells = append(cells, g.Cells[i][:len(cols)])
	}
	return rows, cols, cells
}
