package knowledge

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Series is one counting body's figures of one numeric measure in one unit,
// a point per year: trade turnover in USD by Chinese customs. Two series are
// never merged, and nothing is computed across them.
//
// Figures whose by names no counting body (see Counter) form series of
// their own, by publisher — the by as written — and, more narrowly, within
// one fact and about one thing (the same note, or a note that only remarks
// on a change): the fact, checked against its sources, is what says that its
// figures count alike ("Chinese exports to Kazakhstan, $8.2 billion in 2021,
// $15.3 billion in 2024"). A newspaper's or an official's figures in two facts
// may count two different things (a plant's cost and another plant's
// investment), and "President Tokayev" is not "President Tokayev (Jan 2022)".
//
// What goes in:
//
//   - A figure gives the measures its note names; when the note names none,
//     its fact's first measure (a fact about trade in 2018 that also names
//     exports gives its total to trade alone, its "Kazakh exports" figure to
//     exports alone). Only numeric measures have series.
//   - A point is a year. A figure dated by a full year ("2023") is that year's
//     point; one dated by a month or a day ("2023-11") is a reading as of
//     then, the year's point when the series has no full-year figure for it.
//     Part-year spans — halves, quarters, months from–to — and multi-year
//     spans are left out: a half year is no point of a yearly series, and
//     those figures stay answers of their own.
//   - Only observations are points: a figure dated after the newest of its
//     fact's sources is a target or a projection (as for LatestPeriod).
//   - Only levels are points: not changes ("+32%"), ratios ("x1.7"), ranges
//     ("20–22%") or transitions ("13 -> 19"); and only figures someone gives
//     (a figure with no by and no counter is no one's series).
//
// One point per year: when a series has several figures for a year, a
// full-year figure beats a reading as of a month; a figure of a fact whose
// first measure is the series' beats one from a fact about something else
// ("~$24 billion" in a fact about China overtaking Russia); between readings
// as of a date, the latest; then the figure listed first in the base, which
// lists a fact's headline figure first ($41 billion by GACC before People's
// Daily's $41.02 billion).
type Series struct {
	Measure string
	// MeasureName is the measure's display name (Measure.Name).
	MeasureName Text
	Unit        string
	// Counter is the counting body; nil when the figures' by names none.
	Counter *Counter
	// By is the counter's id, or the by the figures share when there is no
	// counter.
	By     string
	Points []Point
	key    string
	// byName is By for people, per language (Base.ByText), when there is
	// no counter.
	byName Text
}

// Point is one year of a series: the figure exactly as given, read.
type Point struct {
	Year int
	// Period is the figure's date: "2023", or "2023-11" for a reading as of
	// a month.
	Period string
	Amount Amount
	Figure Figure
	Fact   *Fact
	// Sources are the fact's sources that the figure's by names, or all of
	// the fact's sources when it names none of them.
	Sources []Source
}

// Key identifies the series in its base: measure, unit and who counted it
// (and, for a series of no counting body, its fact and subject).
func (s Series) Key() string {
	if s.key == "" {
		return s.Measure + "|" + s.Unit + "|" + s.By
	}
	return s.key
}

// Name is who counted the series, for people: the counting body's name in
// l, or the by its figures share.
func (s Series) Name(l Lang) string {
	if s.Counter != nil {
		n, _ := s.Counter.Name.In(l)
		return n
	}
	if n, ok := s.byName[l]; ok {
		return n
	}
	return s.By
}

// Between returns the series with the points from year from to year to,
// inclusive; 0 leaves that end open.
func (s Series) Between(from, to int) Series {
	out := s
	out.Points = nil
	for _, p := range s.Points {
		if (from == 0 || p.Year >= from) && (to == 0 || p.Year <= to) {
			out.Points = append(out.Points, p)
		}
	}
	return out
}

// Years returns the series with the points of the given years only.
func (s Series) Years(years ...int) Series {
	out := s
	out.Points = nil
	for _, p := range s.Points {
		if slices.Contains(years, p.Year) {
			out.Points = append(out.Points, p)
		}
	}
	return out
}

// OneCounter reports whether every point of the series is its counting
// body's — its by names the body, or it says so itself — or, for a series
// of no counting body, has the series' by.
func (s Series) OneCounter() bool {
	for _, p := range s.Points {
		fg := p.Figure
		switch {
		case s.Counter == nil && fg.By != s.By:
			return false
		case s.Counter == nil:
		case fg.Counter != "":
			if fg.Counter != s.Counter.ID {
				return false
			}
		case !slices.ContainsFunc(s.Counter.By, func(b string) bool { return containsPhrase(fg.By, b) }):
			return false
		}
	}
	return true
}

// Change is the change between the first and the last point of one series,
// computed from their two figures. It is never computed across series.
type Change struct {
	From, To Point
	// Ratio is the last amount over the first, Percent the same as a
	// percentage change, Diff the last minus the first in the series' unit
	// (percentage points for a share), scales applied: "$368 million" to
	// "$41 billion" is ×111.
	Ratio, Percent, Diff float64
	// Approx is set when either figure is qualified ("~", ">" …): so is the
	// change.
	Approx bool
}

// Change returns the change from the series' first point to its last, and
// false when there are fewer than two points or the first is not positive.
func (s Series) Change() (Change, bool) {
	if len(s.Points) < 2 {
		return Change{}, false
	}
	from, to := s.Points[0], s.Points[len(s.Points)-1]
	a, b := from.Amount.Base(), to.Amount.Base()
	if a <= 0 {
		return Change{}, false
	}
	c := Change{From: from, To: to, Ratio: b / a, Diff: b - a,
		Approx: from.Amount.Qualifier != Exact || to.Amount.Qualifier != Exact}
	c.Percent = (c.Ratio - 1) * 100
	return c, true
}

// Series returns the series of a measure with their points from year from
// to year to (0 leaves an end open), counting bodies first in the order of
// the counter files, then the others in the order of the base; a series
// with no point in the range is left out. It returns nil for a measure that
// is not numeric.
func (b *Base) Series(measure string, from, to int) []Series {
	var out []Series
	for _, s := range b.allSeries()[measure] {
		if s := s.Between(from, to); len(s.Points) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// allSeries returns every series of the base by measure, built on first use.
func (b *Base) allSeries() map[string][]Series {
	if b.series == nil {
		return b.buildSeries() // a base not built by Load or Rebuild
	}
	b.series.once.Do(func() { b.series.m = b.buildSeries() })
	return b.series.m
}

type lazySeries struct {
	once sync.Once
	m    map[string][]Series
}

// candidate is one figure that may become a point.
type candidate struct {
	Point
	full    bool // dated by a full year
	primary bool // its fact's first measure is the series'
	order   int  // place in the base
}

func (b *Base) buildSeries() map[string][]Series {
	type key struct{ measure, unit, counter, by, fact, subject string }
	groups := map[key][]candidate{}
	var keys []key
	order := 0
	var hits []lexHit
	names := NewMatcher(b.Aliases)
	for _, f := range b.Facts {
		limit := sourcesEnd(f)
		for _, fg := range f.Figures {
			order++
			year, full, ok := pointYear(fg.Date)
			if !ok || (fg.By == "" && fg.Counter == "") || !observed(fg.Date, limit) {
				continue
			}
			a, err := fg.Amount()
			if err != nil || !a.Point() || aboutOtherCountry(names, fg) {
				continue
			}
			for _, m := range b.seriesMeasures(f, fg, &hits) {
				if !b.Numeric(m) {
					continue
				}
				k := key{measure: m, unit: fg.Unit, by: fg.By, fact: f.ID, subject: noteSubject(fg.Note[EN])}
				if c := b.FigureCounter(fg, m); c != nil {
					k = key{measure: m, unit: fg.Unit, counter: c.ID, by: c.ID}
				}
				if _, seen := groups[k]; !seen {
					keys = append(keys, k)
				}
				groups[k] = append(groups[k], candidate{
					Point: Point{Year: year, Period: fg.Date, Amount: a, Figure: fg, Fact: f, Sources: figureSources(f, fg)},
					full:  full, primary: f.Measures[0] == m, order: order,
				})
			}
		}
	}
	// Counting bodies first, in file order; then the rest as met.
	rank := func(k key) int {
		for i, c := range b.Counters {
			if c.ID == k.counter {
				return i
			}
		}
		return len(b.Counters)
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	out := map[string][]Series{}
	for _, k := range keys {
		s := Series{Measure: k.measure, MeasureName: b.Measure(k.measure).Name, Unit: k.unit, By: k.by, Counter: b.Counter(k.counter), Points: onePerYear(groups[k]),
			key: strings.Join([]string{k.measure, k.unit, k.by, k.fact, k.subject}, "|")}
		if s.Counter == nil {
			s.byName = Text{}
			for _, l := range Langs {
				s.byName[l] = b.ByText(Figure{By: k.by}, l)
			}
		}
		out[k.measure] = append(out[k.measure], s)
	}
	return out
}

// onePerYear keeps the best candidate of each year (see Series), in year
// order.
func onePerYear(cs []candidate) []Point {
	best := map[int]candidate{}
	for _, c := range cs {
		if cur, ok := best[c.Year]; !ok || better(c, cur) {
			best[c.Year] = c
		}
	}
	out := make([]Point, 0, len(best))
	for _, c := range best {
		out = append(out, c.Point)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// better reports whether candidate a beats b for the same year.
func better(a, b candidate) bool {
	switch {
	case a.full != b.full:
		return a.full
	case a.primary != b.primary:
		return a.primary
	case !a.full && a.Period != b.Period:
		return a.Period > b.Period // the latest reading
	}
	return a.order < b.order
}

// otherCountries are the alias ids of countries other than Kazakhstan and
// China that notes name: a figure whose note names one ("Russia's share of
// Kazakh imports", "China–Kyrgyzstan trade") is that country's, not a point
// of a series about Kazakhstan and China.
var otherCountries = []string{"russia", "kyrgyzstan", "uzbekistan", "tajikistan", "turkmenistan",
	"usa", "india", "turkey", "germany", "japan", "south-korea", "iran", "united-kingdom", "mongolia",
	"azerbaijan", "belarus", "ukraine", "pakistan", "afghanistan", "georgia-country", "france", "canada"}

// aboutOtherCountry reports whether a figure's note names another country.
func aboutOtherCountry(names *Matcher, fg Figure) bool {
	note := fg.Note[EN]
	if note == "" {
		return false
	}
	for _, m := range names.Find(note) {
		if slices.Contains(otherCountries, m.ID) {
			return true
		}
	}
	return false
}

// noteSubject is what a figure's English note says the figure counts: the note,
// unless it only remarks on a change ("+86% since 2021", "+10%; whose
// statistics not stated"), which says nothing about what is counted.
func noteSubject(note string) string {
	if strings.HasPrefix(note, "+") || strings.HasPrefix(note, "-") || strings.HasPrefix(note, "−") {
		return ""
	}
	return note
}

// pointYear reads a figure's date as a point: a full year ("2023"), or a
// reading as of a month or a day ("2023-11", "2023-11-05"). Halves,
// quarters and spans are no points.
func pointYear(date string) (year int, full, ok bool) {
	if !ValidPeriod(date) || strings.Contains(date, "..") || strings.ContainsAny(date, "QH") {
		return 0, false, false
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil {
		return 0, false, false
	}
	return y, len(date) == 4, true
}

// seriesMeasures are the measures a figure gives to series: those its note
// names, or its fact's first measure.
func (b *Base) seriesMeasures(f *Fact, fg Figure, hits *[]lexHit) []string {
	if named := b.noteMeasures(f, fg, hits); named != nil {
		return named
	}
	return f.Measures[:min(1, len(f.Measures))]
}

// figureSources are the sources of a fact that a figure's by names — by
// the publisher's name or any part of it in brackets ("silkroad2021.org
// (Emil Avdaliani)" for "GAC, per Emil Avdaliani") — or all of them when
// it names none.
func figureSources(f *Fact, fg Figure) []Source {
	var out []Source
	for _, s := range f.Sources {
		for _, name := range publisherNames(s.Publisher) {
			if containsPhrase(fg.By, name) {
				out = append(out, s)
				break
			}
		}
	}
	if len(out) == 0 {
		return f.Sources
	}
	return out
}

// publisherNames splits a publisher into the names it holds: "Trend
// (trend.az)" holds "Trend" and "trend.az"; names shorter than 3 letters
// are dropped.
func publisherNames(p string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return strings.ContainsRune("(),;", r) }) {
		part = strings.TrimSpace(part)
		if len([]rune(part)) >= 3 {
			out = append(out, part)
		}
	}
	return out
}

// SeriesAnswer returns the series that answer a question about a series —
// a trend or a comparison, or any question naming several years of a
// numeric measure — read as in and asked about period p (Intent.Period with
// "latest" made concrete): the series of its first numeric measure over the
// years asked. A range keeps the points within it, an open one ("since
// 2015") runs to the newest point, separate years ("2013 and 2023") keep
// just those, and no period keeps every point.
//
// A counting body's series is kept when it has a point in the years asked,
// a series of no counting body when it has two: a lone newspaper figure is
// no trend. Nil when no series has two points: a trend over a measure the
// base has one point for is answered as a value, by the search's hits.
// When the first numeric measure has no figure at all in those years, the
// second is tried ("containers in transit" names transit, then container
// transit); one with figures but no trend there is answered as a value
// ("agricultural trade" is not answered with trade).
func (b *Base) SeriesAnswer(in Intent, p Period) []Series {
	multi := p.Kind == PeriodRange || p.Kind == PeriodYears
	if in.Kind != AskTrend && in.Kind != AskCompare && !multi {
		return nil
	}
	tried := false
	for _, m := range in.Measures {
		if !b.Numeric(m) {
			continue
		}
		if ss := b.seriesAnswer(m, p, false); ss != nil {
			return ss
		}
		// A first measure with figures in those years but no trend is
		// answered as a value; one with none there may be a word for the
		// next ("containers in transit": transit, container transit).
		if tried || b.seriesAnswer(m, p, true) != nil {
			return nil
		}
		tried = true
	}
	return nil
}

// seriesAnswer is SeriesAnswer for one measure; all returns every series
// with a point in the years asked, trend or not.
func (b *Base) seriesAnswer(measure string, p Period, all bool) []Series {
	var ss []Series
	switch p.Kind {
	case PeriodRange, PeriodYear, PeriodPart:
		ss = b.Series(measure, p.From, p.To)
	case PeriodYears:
		for _, s := range b.Series(measure, p.From, p.To) {
			if s = s.Years(p.Years...); len(s.Points) > 0 {
				ss = append(ss, s)
			}
		}
	default:
		ss = b.Series(measure, 0, 0)
	}
	if all {
		return ss
	}
	var out []Series
	trend := false
	for _, s := range ss {
		if s.Counter == nil && len(s.Points) < 2 {
			continue
		}
		trend = trend || len(s.Points) >= 2
		out = append(out, s)
	}
	if !trend {
		return nil
	}
	return out
}
