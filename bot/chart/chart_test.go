package chart

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"

	"factbot/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var curated = sync.OnceValues(func() (*knowledge.Base, error) { return knowledge.Load(knowledge.Curated()) })

func mustCurated(tb testing.TB) *knowledge.Base {
	tb.Helper()
	b, err := curated()
	if err != nil {
		tb.Fatalf("load curated base: %v", err)
	}
	return b
}

// asked is the day the tests ask on.
var asked = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// since2015 is the question in each language.
var since2015 = map[knowledge.Lang]string{
	knowledge.EN: "how did China–Kazakhstan trade change since 2015?",
	knowledge.RU: "как изменился товарооборот Китая и Казахстана с 2015 года?",
	knowledge.KK: "2015 жылдан бері Қытай мен Қазақстан саудасы қалай өзгерді?",
	knowledge.ZH: "2015年以来中哈贸易有何变化？",
	knowledge.FR: "comment ont évolué les échanges entre la Chine et le Kazakhstan depuis 2015 ?",
}

// answer returns the series that answer q, as the search attaches them.
func answer(tb testing.TB, q string) []knowledge.Series {
	tb.Helper()
	b := mustCurated(tb)
	in := b.Understand(q, asked)
	ss := b.SeriesAnswer(in, b.ResolvePeriod(in))
	if len(ss) == 0 {
		tb.Fatalf("SeriesAnswer(%q) = none", q)
	}
	return ss
}

// TestRender decodes the picture: its size, that it is not blank, and that
// it holds one line per series drawn (each series has a colour of its own).
func TestRender(t *testing.T) {
	for _, tc := range []struct {
		q      string
		lang   knowledge.Lang
		series int
	}{
		{since2015[knowledge.EN], knowledge.EN, 2},
		{since2015[knowledge.RU], knowledge.RU, 2},
		{since2015[knowledge.KK], knowledge.KK, 2},
		{since2015[knowledge.ZH], knowledge.ZH, 2},
		{since2015[knowledge.FR], knowledge.FR, 2},
		{"kazakh imports from china 2021 to 2024", knowledge.EN, 3},     // customs, Kazakh statistics' one point, Kazinform
		{"china trade with central asia 2013 vs 2024", knowledge.EN, 1}, // the series in yuan; the dollars' one point is left to the text
	} {
		ss := answer(t, tc.q)
		data, err := Render(ss, tc.lang)
		if err != nil {
			t.Fatalf("Render(%q): %v", tc.q, err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Render(%q): not a PNG: %v", tc.q, err)
		}
		if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
			t.Errorf("Render(%q) is %dx%d, want %dx%d", tc.q, b.Dx(), b.Dy(), Width, Height)
		}
		if ink := inked(img); ink < 0.02 || ink > 0.5 {
			t.Errorf("Render(%q): %.1f%% of the pixels are not white, want a chart (2–50%%)", tc.q, 100*ink)
		}
		if got := seriesDrawn(img); got != tc.series {
			t.Errorf("Render(%q) draws %d series, want %d (of %d given)", tc.q, got, tc.series, len(ss))
		}
	}
}

// inked is the share of pixels that are not white.
func inked(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

// seriesDrawn counts the palette's colours the picture holds in at least
// 200 pixels: a drawn line is hundreds of pixels of its series' colour.
func seriesDrawn(img image.Image) int {
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0xFF}
			if slices.Contains(palette, c) {
				count[c]++
			}
		}
	}
	n := 0
	for _, k := range count {
		if k >= 200 {
			n++
		}
	}
	return n
}

func TestRenderNoSeries(t *testing.T) {
	if _, err := Render(nil, knowledge.EN); !errors.Is(err, ErrNoSeries) {
		t.Errorf("Render(nil) error = %v, want ErrNoSeries", err)
	}
}

// recorder is a canvas that records every text drawn, with its face.
type recorder struct {
	*vgimg.Canvas
	texts []drawnText
}

type drawnText struct {
	face font.Face
	s    string
}

func (r *recorder) FillString(f font.Face, pt vg.Point, s string) {
	r.texts = append(r.texts, drawnText{f, s})
	r.Canvas.FillString(f, pt, s)
}

// TestRunesCovered draws charts in every language and checks every
// character of every text drawn against the face it was drawn with: no
// missing-glyph boxes, for Cyrillic with the Kazakh letters nor for Chinese.
func TestRunesCovered(t *testing.T) {
	questions := map[knowledge.Lang][]string{}
	for l, q := range since2015 {
		questions[l] = append(questions[l], q)
	}
	questions[knowledge.KK] = append(questions[knowledge.KK], "қытай туристері 2022 мен 2023 салыстыр", "қытайдан импорт 2021-2024 қалай өсті")
	questions[knowledge.ZH] = append(questions[knowledge.ZH], "中国中亚贸易2013 2024", "哈从中国进口2021-2024变化")
	kazakh := false
	for l, qs := range questions {
		for _, q := range qs {
			r := &recorder{Canvas: newCanvas()}
			if err := plotSeries(answer(t, q), l, r); err != nil {
				t.Fatalf("draw %q: %v", q, err)
			}
			if len(r.texts) < 10 {
				t.Fatalf("draw %q: %d texts drawn, want a title, a legend, labels and ticks", q, len(r.texts))
			}
			var buf sfnt.Buffer
			for _, d := range r.texts {
				kazakh = kazakh || strings.ContainsAny(d.s, "әғқңөұүһіҚҰ")
				for _, c := range d.s {
					if c == ' ' {
						continue
					}
					if i, err := d.face.Face.GlyphIndex(&buf, c); err != nil || i == 0 {
						t.Errorf("%s chart of %q draws %q in %s, which has no glyph for %q", l, q, d.s, d.face.Name(), c)
					}
				}
			}
		}
	}
	if !kazakh {
		t.Error("no Kazakh letter was drawn: the test does not test them")
	}
}

// TestDrawable: text the font cannot draw falls back to English, and
// failing that loses the characters it cannot draw.
func TestDrawable(t *testing.T) {
	for _, tc := range []struct{ s, fallback, want string }{
		{"ҚР Ұлттық статистика бюросы", "Kazakh statistics", "ҚР Ұлттық статистика бюросы"},
		{"中国海关总署", "Chinese customs (GACC)", "Chinese customs (GACC)"},
		{"410亿美元", "", "410"},
		{"$41 billion", "", "$41 billion"},
	} {
		if got := drawable(tc.s, tc.fallback); got != tc.want {
			t.Errorf("drawable(%q, %q) = %q, want %q", tc.s, tc.fallback, got, tc.want)
		}
	}
}

// TestCache: a chart asked for again costs no rendering; another language,
// other years or another knowledge version do.
func TestCache(t *testing.T) {
	c := NewCache(2)
	ss := answer(t, since2015[knowledge.EN])
	first, err := c.Chart("v1", ss, knowledge.EN)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.Chart("v1", ss, knowledge.EN)
	if c.Renders() != 1 || !bytes.Equal(first, again) {
		t.Errorf("the same chart again: %d renders, want 1", c.Renders())
	}
	c.Chart("v1", ss, knowledge.RU)
	c.Chart("v2", ss, knowledge.EN)
	shorter := []knowledge.Series{ss[0].Between(2021, 0)}
	c.Chart("v2", shorter, knowledge.EN)
	if c.Renders() != 4 {
		t.Errorf("after another language, version and range: %d renders, want 4", c.Renders())
	}
	c.Chart("v1", ss, knowledge.EN) // evicted: the cache holds 2
	if c.Renders() != 5 {
		t.Errorf("after eviction: %d renders, want 5", c.Renders())
	}
	if Key("v1", ss, knowledge.EN) == Key("v1", shorter, knowledge.EN) {
		t.Error("two ranges of one series have one key")
	}
}

// TestText compares the plain text of the answer in five languages
// with testdata/since-2015.<lang>.txt; go test -update rewrites them.
func TestText(t *testing.T) {
	for l, q := range since2015 {
		got := Text(answer(t, q), l)
		golden(t, filepath.Join("testdata", "since-2015."+string(l)+".txt"), got)
		// The figures as the reader's press writes them.
		fig := func(v string) string {
			s, err := knowledge.FormatValue(knowledge.Figure{Value: v, Unit: "USD"}, l)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		for _, want := range []string{"×2", "2018", "2024", fig("$43.82 billion"), fig("$31.5 billion")} {
			if !strings.Contains(got, want) {
				t.Errorf("Text(%s) has no %q", l, want)
			}
		}
	}
	// A share changes in percentage points; one figure, no change.
	got := Text(answer(t, "доля Китая 2020 и 2024"), knowledge.RU)
	golden(t, filepath.Join("testdata", "share.ru.txt"), got)
	got = Text(answer(t, "compare trade in 2013 and 2023"), knowledge.FR)
	golden(t, filepath.Join("testdata", "2013-2023.fr.txt"), got)
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

func TestChangeLine(t *testing.T) {
	ss := answer(t, since2015[knowledge.EN])
	for l, want := range map[knowledge.Lang]string{
		knowledge.EN: "×2.2 from 2018 to 2024 by Chinese customs (GACC) (+120%; computed from the 2018 and 2024 figures below)",
		knowledge.RU: "Таможня КНР (ГТУ): ×2,2 с 2018 по 2024 год (+120%; рассчитано по цифрам за 2018 и 2024 годы ниже)",
		knowledge.FR: "Douanes chinoises (GACC) : ×2,2 de 2018 à 2024 (+120 % ; calculé à partir des chiffres de 2018 et 2024 ci-dessous)",
	} {
		if got := changeLine(ss[0], l); got != want {
			t.Errorf("changeLine(%s) =\n  %s\nwant\n  %s", l, got, want)
		}
	}
	one := ss[1].Years(2023)
	if got := changeLine(one, knowledge.EN); got != "Kazakh statistics: one figure in these years, no change computed" {
		t.Errorf("changeLine(one point) = %q", got)
	}
}

// BenchmarkRender draws the chart and reports the median and the
// 99th percentile of one rendering.
func BenchmarkRender(b *testing.B) {
	for _, l := range []knowledge.Lang{knowledge.EN, knowledge.KK, knowledge.ZH} {
		ss := answer(b, since2015[l])
		b.Run(string(l), func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if _, err := Render(ss, l); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[(len(times)*99)/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkCachedChart: a cached chart costs a map lookup.
func BenchmarkCachedChart(b *testing.B) {
	c := NewCache(16)
	ss := answer(b, since2015[knowledge.EN])
	if _, err := c.Chart("v", ss, knowledge.EN); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c.Chart("v", ss, knowledge.EN)
	}
	if c.Renders() != 1 {
		b.Fatalf("%d renders, want 1", c.Renders())
	}
}
