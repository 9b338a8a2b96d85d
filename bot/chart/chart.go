package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"git.sr.ht/~sbinet/gg"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"factbot/knowledge"
)

// The picture's size: 960×540 pixels, 16:9, which Telegram shows whole.
const (
	Width  = 960
	Height = 540
	dpi    = 120
)

// MaxSeries is how many series one chart draws (one colour of palette
// each); more are left out.
const MaxSeries = 5

// palette colours the series, one each, in order: saturated, told apart
// by the colour-blind too (Okabe–Ito), and never drawn by anything else,
// so that a test can count the series in the picture.
var palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermilion
	{0x00, 0x9E, 0x73, 0xFF}, // green
	{0xCC, 0x79, 0xA7, 0xFF}, // purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
}

// typeface is the one font every text of the chart is drawn in: Liberation
// Sans, which covers Latin and Cyrillic, Kazakh letters included (ә ғ қ ң ө
// ұ ү һ і). It has no Chinese: a Chinese chart draws Latin names and the
// caption (Caption) says the rest in Chinese.
var typeface = font.Font{Typeface: "Liberation", Variant: "Sans"}

// ErrNoSeries is returned by Render when there is nothing to draw.
var ErrNoSeries = errors.New("no series to draw")

// Render draws series as a PNG picture, Width×Height: years on the x axis,
// the unit on the y axis, one line per series with each point labelled by
// the source's figure as written, and who counted each series in the
// legend, the chart's words in l. It draws the series of one unit (see
// drawn), at most MaxSeries of them; ErrNoSeries when there is none. Every
// text drawn is one the typeface covers: Chinese words are replaced by
// English ones (see drawable), which the caption says in Chinese.
func Render(series []knowledge.Series, l knowledge.Lang) ([]byte, error) {
	c := newCanvas()
	img := c.Image().(*image.RGBA)
	defer pictures.Put(img)
	if err := plotSeries(series, l, c); err != nil {
		return nil, err
	}
	data, err := encodePNG(img)
	if err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return data, nil
}

// pictures recycles the pictures charts are drawn on: a 2 MB allocation
// per chart is most of what a chart costs the garbage collector.
var pictures = sync.Pool{New: func() any { return image.NewRGBA(image.Rect(0, 0, Width, Height)) }}

// newCanvas returns a white canvas on a recycled picture; put the picture
// back when done with it.
func newCanvas() *vgimg.Canvas {
	img := pictures.Get().(*image.RGBA)
	ctx := gg.NewContextForRGBA(img) // draws on img itself, no copy
	ctx.SetLineCapButt()
	ctx.InvertY()
	return vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
}

// plotSeries draws the chart on c.
func plotSeries(series []knowledge.Series, l knowledge.Lang, c vg.CanvasSizer) error {
	series = drawn(series)
	if len(series) == 0 {
		return ErrNoSeries
	}
	scale, scaleWord := axisScale(series, l)
	p := plot.New()
	style := func(size vg.Length) font.Font { f := typeface; f.Size = size; return f }
	p.Title.Text = drawable(heading(series, l), heading(series, knowledge.EN))
	p.Title.TextStyle.Font = style(12)
	p.Title.Padding = 6
	unit := drawable(unitName(series[0].Unit, l), series[0].Unit)
	if scaleWord != "" {
		unit += ", " + scaleWord
	}
	p.Y.Label.Text = unit
	p.Y.Label.TextStyle.Font = style(10)
	p.Y.Tick.Label.Font = style(9)
	p.X.Tick.Label.Font = style(9)
	p.Legend.TextStyle.Font = style(9)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = 6, -4
	p.Add(plotter.NewGrid())

	lo, hi, top := math.MaxInt, 0, 0.0
	var years []int
	for i, s := range series {
		xys := make(plotter.XYs, len(s.Points))
		labels := make([]string, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: float64(pt.Year), Y: pt.Amount.Base() / scale}
			// The label in l where the font has its letters, else as given.
			label, _ := knowledge.FormatValue(pt.Figure, l)
			labels[j] = drawable(label, pt.Figure.Value)
			lo, hi, top = min(lo, pt.Year), max(hi, pt.Year), math.Max(top, xys[j].Y)
			if !slices.Contains(years, pt.Year) {
				years = append(years, pt.Year)
			}
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("draw series %s: %w", s.By, err)
		}
		col := palette[i]
		line.Color, line.Width = col, vg.Points(2)
		points.Color, points.Shape, points.Radius = col, glyphs[i], vg.Points(3.5)
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return fmt.Errorf("label series %s: %w", s.By, err)
		}
		for k := range lbl.TextStyle {
			lbl.TextStyle[k].Font = style(8)
			lbl.TextStyle[k].Color = darker(col)
			lbl.TextStyle[k].XAlign = draw.XCenter
		}
		// The first series' labels go above its points, the next below,
		// so that two series at one year keep their labels apart.
		if i%2 == 0 {
			lbl.Offset = vg.Point{Y: vg.Points(6)}
		} else {
			lbl.Offset = vg.Point{Y: -vg.Points(14)}
		}
		p.Add(line, points, lbl)
		p.Legend.Add(drawable(s.Name(l), s.Name(knowledge.EN)), line, points)
	}
	// Room on both sides for the labels of the first and last points.
	pad := math.Max(0.6, 0.1*float64(hi-lo))
	p.X.Min, p.X.Max = float64(lo)-pad, float64(hi)+pad
	p.Y.Min, p.Y.Max = 0, top*1.25
	p.X.Tick.Marker = yearTicks(years)
	p.Y.Tick.Marker = valueTicks(l)
	p.Draw(draw.New(c))
	return nil
}

// drawn are the series a chart draws: those in one unit (one y axis, one
// unit: a series in yuan beside dollars is left to the text) — the unit of
// the first series with two points, a trend — at most MaxSeries.
func drawn(series []knowledge.Series) []knowledge.Series {
	if len(series) == 0 {
		return nil
	}
	unit := series[0].Unit
	for _, s := range series {
		if len(s.Points) >= 2 {
			unit = s.Unit
			break
		}
	}
	var out []knowledge.Series
	for _, s := range series {
		if s.Unit == unit && len(s.Points) > 0 && len(out) < MaxSeries {
			out = append(out, s)
		}
	}
	return out
}

// glyphs mark the points of each series with a shape of its own.
var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}}

// darker is a label's colour: its series' colour, darkened, so that it is
// not counted as a line in the picture and reads well on white.
func darker(c color.RGBA) color.RGBA {
	return color.RGBA{c.R / 4 * 3, c.G / 4 * 3, c.B / 4 * 3, 0xFF}
}

// yearTicks marks the years that have points; with many, every other one
// is unlabelled.
func yearTicks(years []int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		sorted := slices.Sorted(slices.Values(years))
		step := 1
		if len(sorted) > 12 {
			step = 2
		}
		var ts []plot.Tick
		for i, y := range sorted {
			t := plot.Tick{Value: float64(y)}
			if i%step == 0 || i == len(sorted)-1 {
				t.Label = strconv.Itoa(y)
			}
			ts = append(ts, t)
		}
		return ts
	})
}

// valueTicks marks the y axis every round step — 1, 2 or 5 times a power
// of ten, four to eight of them — labelled with no needless decimals, in
// l's decimal separator.
func valueTicks(l knowledge.Lang) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		if hi <= lo {
			return nil
		}
		raw := (hi - lo) / 5
		mag := math.Pow(10, math.Floor(math.Log10(raw)))
		step := mag
		for _, m := range []float64{1, 2, 5, 10} {
			if step = m * mag; step >= raw {
				break
			}
		}
		var ts []plot.Tick
		for v := math.Ceil(lo/step) * step; v <= hi+step/1e6; v += step {
			ts = append(ts, plot.Tick{Value: v, Label: number(v, l)})
		}
		return ts
	})
}

// axisScale picks the y axis' scale so that its numbers stay short: the
// largest of thousand, million, billion below the largest point.
func axisScale(series []knowledge.Series, l knowledge.Lang) (float64, string) {
	top := 0.0
	for _, s := range series {
		for _, p := range s.Points {
			top = math.Max(top, p.Amount.Base())
		}
	}
	w := wordsFor(l)
	switch {
	case top >= 1e9:
		return 1e9, w.Billion
	case top >= 1e6:
		return 1e6, w.Million
	case top >= 1e4:
		return 1e3, w.Thousand
	}
	return 1, ""
}

// sansFont is Liberation Sans Regular, parsed once: what drawable checks
// text against.
var sansFont = sync.OnceValue(func() *sfnt.Font {
	f, err := sfnt.Parse(liberationsansregular.TTF)
	if err != nil {
		panic(fmt.Sprintf("parse Liberation Sans: %v", err)) // fixed at build time
	}
	return f
})

// Covered reports whether the chart's typeface has a glyph for every
// character of s (spaces and line breaks need none).
func Covered(s string) bool {
	f := sansFont()
	var buf sfnt.Buffer
	for _, r := range s {
		if r == ' ' || r == '\n' {
			continue
		}
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

// drawable returns s when the typeface can draw it, else fallback (the
// English words), else s with every character it cannot draw left out: a
// missing glyph is never drawn as a box.
func drawable(s, fallback string) string {
	if Covered(s) {
		return s
	}
	if fallback != "" && Covered(fallback) {
		return fallback
	}
	var out []rune
	for _, r := range s {
		if Covered(string(r)) {
			out = append(out, r)
		}
	}
	return string(out)
}
