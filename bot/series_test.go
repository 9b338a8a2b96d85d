package bot

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"factbot/bot/chart"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

var (
	curatedOnce sync.Once
	curated     *knowledge.Base
	curatedErr  error
)

// mustCurated loads the curated base once: the series tests need its
// counting bodies and years of trade figures.
func mustCurated(tb testing.TB) *knowledge.Base {
	tb.Helper()
	curatedOnce.Do(func() { curated, curatedErr = knowledge.Load(knowledge.Curated()) })
	if curatedErr != nil {
		tb.Fatalf("load the curated base: %v", curatedErr)
	}
	return curated
}

// since2015 are the trade series of "how did trade change since 2015?",
// as the index finds them (SeriesAnswer over 2015 onwards).
func since2015(b *knowledge.Base) []knowledge.Series {
	return b.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{"trade-turnover"}},
		knowledge.Period{Kind: knowledge.PeriodRange, From: 2015, To: 2026, Open: true})
}

// seriesSearcher answers from a base it can swap (a reload): a question
// naming 2015 with the trade series since 2015, any other with the trade
// fact of 2023 as a value answer.
type seriesSearcher struct {
	base     atomic.Pointer[knowledge.Base]
	searches atomic.Int32
}

func (s *seriesSearcher) Base() *knowledge.Base { return s.base.Load() }

func (s *seriesSearcher) Search(_ context.Context, q knowledge.Query) (knowledge.Result, error) {
	s.searches.Add(1)
	b := s.base.Load()
	lang := q.Lang
	if lang == "" {
		lang = knowledge.DetectLang(q.Text, q.Hint)
	}
	hit := func(f *knowledge.Fact) knowledge.Hit {
		text, ok := f.Text.In(lang)
		return knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: lang, Text: text, Fallback: !ok, Fact: f}
	}
	res := knowledge.Result{Question: q.Text, Lang: lang, Answered: true, Tier: knowledge.TierAnswer,
		Intent: knowledge.Intent{Measures: []string{"trade-turnover"}}}
	if strings.Contains(q.Text, "2015") {
		res.Series = since2015(b)
		for _, p := range res.Series[0].Points {
			res.Hits = append(res.Hits, hit(p.Fact))
		}
		return res, nil
	}
	if f := b.Fact("trade-2023"); f != nil {
		res.Hits = []knowledge.Hit{hit(f)}
	} else {
		res.Answered, res.Tier = false, knowledge.TierNone
	}
	return res, nil
}

func startSeries(t *testing.T, srv *telegramtest.Server) (*harness, *seriesSearcher) {
	t.Helper()
	s := &seriesSearcher{}
	s.base.Store(mustCurated(t))
	return startOn(t, srv, func(c *Config) { c.Searcher = s }), s
}

// decodeChart decodes a photo the fake server received and checks it is a
// chart: PNG, chart.Width×chart.Height, not one colour.
func decodeChart(t *testing.T, srv *telegramtest.Server, c telegramtest.Call) {
	t.Helper()
	img, err := srv.PhotoImage(c)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := srv.PhotoData(c); !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("the photo is no PNG")
	}
	if b := img.Bounds(); b.Dx() != chart.Width || b.Dy() != chart.Height {
		t.Errorf("the chart is %v, want %d×%d", b, chart.Width, chart.Height)
	}
	if n := colours(img); n < 3 {
		t.Errorf("the chart has %d colours: blank", n)
	}
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// A series answer is its table as text, then the chart as a photo with a
// caption in the question's language; the same chart asked again costs no
// rendering and goes by Telegram's file_id, without an upload.
func TestSeriesAnswerTextAndChart(t *testing.T) {
	srv := telegramtest.New(t)
	h, _ := startSeries(t, srv)
	srv.PrivateText(alice, "how did China–Kazakhstan trade change since 2015?")
	photo := srv.WaitPhotos(t, alice.ID, 1)[0]
	texts := srv.Sent(alice.ID)
	if len(texts) == 0 || texts[len(texts)-1].Seq > photo.Seq {
		t.Fatalf("the text did not come before the photo: %d messages", len(texts))
	}
	all := ""
	for _, c := range texts {
		all += c.PlainText() + "\n"
	}
	for _, want := range []string{"computed from the 2018 and 2024 figures below", "by Chinese customs", "by Kazakh statistics",
		"$43.82 billion", "$31.5 billion", "Why the figures differ", "Sources:"} {
		if !strings.Contains(all, want) {
			t.Errorf("the series answer lacks %q:\n%s", want, all)
		}
	}
	if _, ok := photo.Upload("photo"); !ok {
		t.Errorf("the first chart was not uploaded")
	}
	caption := photo.Message().Caption
	if caption == "" || telegramtest.UTF16Len(caption) > MaxCaptionLen || !strings.Contains(caption, "computed") {
		t.Errorf("caption = %q", caption)
	}
	decodeChart(t, srv, photo)
	if n := h.bot.charts.png.Renders(); n != 1 {
		t.Errorf("%d charts drawn, want 1", n)
	}

	// The same question from someone else: no new drawing, no upload.
	srv.PrivateText(telegramtest.User(504, "Dana", "en"), "how did China–Kazakhstan trade change since 2015?")
	again := srv.WaitPhotos(t, 504, 1)[0]
	if n := h.bot.charts.png.Renders(); n != 1 {
		t.Errorf("the cached chart was drawn again: %d renders", n)
	}
	if len(again.Uploads) != 0 || again.Param("photo") != photo.Message().Photo[0].FileID {
		t.Errorf("the repeat went by upload %d / photo %q, want the file_id %q", len(again.Uploads), again.Param("photo"), photo.Message().Photo[0].FileID)
	}
	// Another language is another chart.
	srv.PrivateText(boris, "как изменился товарооборот Китая и Казахстана с 2015 года?")
	ru := srv.WaitPhotos(t, boris.ID, 1)[0]
	if n := h.bot.charts.png.Renders(); n != 2 || !strings.Contains(ru.Message().Caption, "рассчитано") {
		t.Errorf("Russian chart: %d renders, caption %q", n, ru.Message().Caption)
	}
}

// In a group, the text and the photo both reply to the question.
func TestSeriesAnswerInGroup(t *testing.T) {
	srv := telegramtest.New(t)
	startSeries(t, srv)
	q := srv.GroupText(group, alice, "@"+telegramtest.BotUser.UserName+" how did China–Kazakhstan trade change since 2015?")
	photo := srv.WaitPhotos(t, group, 1)[0]
	if photo.Param("reply_to_message_id") != itoa(q.Message.MessageID) {
		t.Errorf("the chart replies to %q, want %d", photo.Param("reply_to_message_id"), q.Message.MessageID)
	}
	if sent := srv.Sent(group); len(sent) == 0 || sent[0].Param("reply_to_message_id") != itoa(q.Message.MessageID) {
		t.Errorf("the text does not reply to the question")
	}
}

// A value answer about trade gets a 📈 button; pressing it sends the chart
// and answers the callback query. After a reload that drops the measure's
// series, the old button answers politely and sends nothing.
func TestChartButton(t *testing.T) {
	srv := telegramtest.New(t)
	h, s := startSeries(t, srv)
	for _, u := range []struct {
		user    int64
		lang, q string
		label   string
	}{{alice.ID, "en", "trade 2023", "📈 Chart"}, {boris.ID, "ru", "товарооборот 2023", "📈 График"},
		{chen.ID, "zh", "2023年贸易额", "📈 图表"}, {504, "kk", "2023 жылғы сауда", "📈 График"}, {505, "fr", "commerce 2023", "📈 Graphique"}} {
		from := telegramtest.User(u.user, "u", u.lang)
		answer := h.ask(from, u.q)
		data := "c:" + u.lang + ":trade-turnover"
		if !slices.Contains(answer.Buttons(), data) || !strings.Contains(answer.Param("reply_markup"), u.label) {
			t.Fatalf("buttons of a value answer in %s: %v, want %q labelled %q", u.lang, answer.Buttons(), data, u.label)
		}
		srv.Callback(from, answer.Message(), data)
		photo := srv.WaitPhotos(t, u.user, 1)[0]
		decodeChart(t, srv, photo)
		if photo.Message().Caption == "" {
			t.Errorf("the button's chart has no caption")
		}
	}
	srv.Wait(t, "every callback answered", func() bool { return len(srv.UnansweredCallbacks()) == 0 })

	// A reload to a base with no trade figures: the button is stale.
	smaller := mustBase(t) // testdata/kb: no counting bodies, no trend of trade
	if len(chartSeries(smaller, "trade-turnover")) != 0 {
		t.Fatalf("testdata/kb has a trade trend; the test needs a base without one")
	}
	answer := srv.Sent(alice.ID)[0]
	s.base.Store(smaller)
	before := len(srv.Calls("answerCallbackQuery"))
	srv.Callback(alice, answer.Message(), "c:en:trade-turnover")
	srv.Callback(alice, answer.Message(), "c:en:no-such-measure-at-all")
	calls := srv.WaitCalls(t, "answerCallbackQuery", before+2)
	for _, c := range calls[before:] {
		if c.Param("text") != textsFor(knowledge.EN).ChartGone {
			t.Errorf("a stale chart button was answered %q, want %q", c.Param("text"), textsFor(knowledge.EN).ChartGone)
		}
	}
	if n := len(srv.Photos(alice.ID)); n != 1 {
		t.Errorf("%d photos after stale buttons, want the 1 from before", n)
	}
	// A series answer itself has no 📈 button: its chart comes with it.
	s.base.Store(mustCurated(t))
	srv.PrivateText(alice, "how did China–Kazakhstan trade change since 2015?")
	srv.WaitPhotos(t, alice.ID, 2)
	for _, c := range srv.Sent(alice.ID)[1:] {
		for _, b := range c.Buttons() {
			if strings.HasPrefix(b, "c:") {
				t.Errorf("a series answer has a chart button %q", b)
			}
		}
	}
}

// Sending the chart meets Telegram's failures as every send does: a 429
// waits and retries, a 5xx retries, a file_id Telegram refuses is uploaded
// again, and a 403 marks the chat gone — the text answer stands throughout.
func TestChartSendFailures(t *testing.T) {
	srv := telegramtest.New(t)
	h, _ := startSeries(t, srv)
	q := "how did China–Kazakhstan trade change since 2015?"

	srv.Inject(telegramtest.TooManyRequests(1).For("sendPhoto"))
	srv.Inject(telegramtest.ServerError(502).For("sendPhoto"))
	srv.PrivateText(alice, q)
	srv.WaitPhotos(t, alice.ID, 1)
	if n := srv.Count("sendPhoto"); n != 3 {
		t.Errorf("%d sendPhoto calls, want 3 (429, 502, then sent)", n)
	}

	// Telegram forgets a file_id: the chart is uploaded again.
	srv.Inject(telegramtest.Fault{Method: "sendPhoto", Status: 400, Description: "Bad Request: wrong file identifier/HTTP URL specified"})
	u2 := telegramtest.User(505, "Erlan", "en")
	srv.PrivateText(u2, q)
	p := srv.WaitPhotos(t, u2.ID, 1)[0]
	if _, ok := p.Upload("photo"); !ok {
		t.Errorf("after a refused file_id the chart was not uploaded")
	}
	if n := h.bot.charts.png.Renders(); n != 1 {
		t.Errorf("%d renders, want 1: the re-upload takes the cached PNG", n)
	}

	// Blocked between the text and the photo.
	u3 := telegramtest.User(506, "Farida", "en")
	srv.Inject(telegramtest.Fault{Method: "sendPhoto", Chat: u3.ID, Status: 403, Description: "Forbidden: bot was blocked by the user"})
	srv.PrivateText(u3, q)
	srv.Wait(t, "the refused photo", func() bool {
		_, gone := h.chats.Inactive(u3.ID)
		return gone
	})
	if len(srv.Sent(u3.ID)) == 0 {
		t.Errorf("no text answer to the blocked user before the photo")
	}
	if len(srv.Photos(u3.ID)) != 0 {
		t.Errorf("a photo went to a chat that blocked the bot")
	}
}

// checkNoCrossSource asserts that every change ("×2.2") the text shows is
// the change of one series, and none is a ratio across two.
func checkNoCrossSource(t *testing.T, text string, series []knowledge.Series) {
	t.Helper()
	var within, across []float64
	for i, a := range series {
		if c, ok := a.Change(); ok {
			within = append(within, c.Ratio)
		}
		for j, b := range series {
			if i == j || len(a.Points) == 0 || len(b.Points) == 0 || a.Points[0].Amount.Base() <= 0 {
				continue
			}
			across = append(across, b.Points[len(b.Points)-1].Amount.Base()/a.Points[0].Amount.Base())
		}
	}
	near := func(x float64, ys []float64) bool {
		for _, y := range ys {
			if math.Abs(x-y) <= 0.01*y+0.005 {
				return true
			}
		}
		return false
	}
	ratios := regexp.MustCompile(`×([0-9]+(?:[.,][0-9]+)?)`).FindAllStringSubmatch(text, -1)
	if len(within) > 0 && len(ratios) == 0 {
		t.Errorf("no change shown in:\n%s", text)
	}
	for _, m := range ratios {
		x, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
		if err != nil {
			t.Fatalf("ratio %q: %v", m[0], err)
		}
		if !near(x, within) {
			t.Errorf("%s is no series' own change (within %v, across %v)", m[0], within, across)
		}
		if near(x, across) && !near(x, within) {
			t.Errorf("%s is computed across two series", m[0])
		}
	}
}

// No number is computed across two sources: for every numeric measure of
// the curated base with more than one series, in every language, each
// change shown is one series' own.
func TestSeriesNoCrossSourceChange(t *testing.T) {
	b := mustCurated(t)
	checked := 0
	for _, m := range b.Measures() {
		series := chartSeries(b, m.ID)
		if len(series) < 2 {
			continue
		}
		checked++
		for _, l := range knowledge.Langs {
			r := Reply{Lang: l, Result: knowledge.Result{Series: series}}
			for _, text := range []string{joinPlain(RenderSeries(r)), chart.Caption(series, l)} {
				checkNoCrossSource(t, text, series)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no measure of the curated base has two series")
	}
}

func joinPlain(ms []Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Plain + "\n\n")
	}
	return b.String()
}

// The series answer in five languages, as HTML and as plain text; every
// message parses, fits and says the same in both.
func TestGoldenSeries(t *testing.T) {
	series := since2015(mustCurated(t))
	if len(series) != 2 {
		t.Fatalf("%d series of trade since 2015, want 2", len(series))
	}
	for _, l := range knowledge.Langs {
		t.Run(string(l), func(t *testing.T) {
			ms := RenderSeries(Reply{Lang: l, Result: knowledge.Result{Series: series}})
			checkMessages(t, ms)
			golden(t, "series."+string(l), ms)
			goldenPlain(t, "series."+string(l)+".plain", ms)
			checkNoCrossSource(t, joinPlain(ms), series)
			plain := joinPlain(ms)
			for _, s := range series {
				for _, p := range s.Points {
					if !strings.Contains(plain, p.Figure.Value) {
						t.Errorf("%s: the point %s (%s) is missing", l, p.Period, p.Figure.Value)
					}
					for _, src := range p.Sources {
						if !strings.Contains(plain, src.Publisher) {
							t.Errorf("%s: the source %q of %s is missing", l, src.Publisher, p.Period)
						}
					}
				}
			}
		})
	}
}

// A series answer longer than one message is split cleanly: every part
// parses and fits, a source's line is never cut, and none is lost. The
// trade series, every year, list 27 sources; with 30 more per point (long
// titles and links) the answer needs several messages.
func TestSeriesSplit(t *testing.T) {
	b := mustCurated(t)
	var series []knowledge.Series
	for _, s := range chartSeries(b, "trade-turnover") {
		s.Points = append([]knowledge.Point(nil), s.Points...)
		for i := range s.Points {
			p := &s.Points[i]
			p.Sources = append([]knowledge.Source(nil), p.Sources...)
			for j := 0; j < 30; j++ {
				p.Sources = append(p.Sources, knowledge.Source{Publisher: "Publisher " + strconv.Itoa(j) + " of " + p.Period,
					Title: strings.Repeat("A long title <with> & markup ", 3), Date: "2024-01-0" + strconv.Itoa(j%9+1),
					URL: "https://example.org/" + s.By + "/" + p.Period + "/" + strconv.Itoa(j) + "?q=a&b=c"})
			}
		}
		series = append(series, s)
	}
	for _, l := range knowledge.Langs {
		ms := RenderSeries(Reply{Lang: l, Result: knowledge.Result{Series: series}})
		checkMessages(t, ms)
		if len(ms) < 2 {
			t.Fatalf("%s: %d message(s); the test wants a split", l, len(ms))
		}
		a, _ := chart.Parts(series, l)
		for i, src := range a.Sources {
			line := strconv.Itoa(i+1) + ". " + src.Text
			n := 0
			for _, m := range ms {
				for _, got := range strings.Split(m.Plain, "\n") {
					if got == line {
						n++
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: source line %q appears whole in %d messages, want 1", l, line, n)
			}
		}
		checkNoCrossSource(t, joinPlain(ms), series)
	}
}

// goldenPlain is golden for the plain text of messages, the text sent
// when Telegram cannot parse the HTML.
func goldenPlain(t *testing.T, name string, ms []Message) {
	t.Helper()
	var b strings.Builder
	for i, m := range ms {
		fmt.Fprintf(&b, "=== message %d of %d (%d UTF-16 units) ===\n%s\n", i+1, len(ms), telegramtest.UTF16Len(m.Plain), m.Plain)
	}
	compareGolden(t, name, b.String())
}

// When Telegram cannot parse the series answer's HTML, the same text goes
// as plain text, and the chart still follows.
func TestSeriesAnswerPlainFallback(t *testing.T) {
	srv := telegramtest.New(t)
	startSeries(t, srv)
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Status: 400, Description: "Bad Request: can't parse entities: Unsupported start tag \"pre\" at byte offset 40"})
	srv.PrivateText(alice, "how did China–Kazakhstan trade change since 2015?")
	srv.WaitPhotos(t, alice.ID, 1)
	sent := srv.Sent(alice.ID)
	if len(sent) == 0 || sent[0].ParseMode != "" || !strings.Contains(sent[0].Text, "computed from the 2018 and 2024 figures below") ||
		strings.Contains(sent[0].Text, "<pre>") {
		t.Fatalf("the fallback is not the plain series answer: %v", sent)
	}
	want := RenderSeries(Reply{Lang: knowledge.EN, Result: knowledge.Result{Series: since2015(mustCurated(t))}})[0].Plain
	if sent[0].Text != want {
		t.Errorf("the fallback text differs from the rendered plain text")
	}
}
