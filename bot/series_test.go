package bot

import (
	"bytes"
	"context"
	"image"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"factbot/bot/chart"
	"factbot/bot/internal/testkb"
	"factbot/bot/reply"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

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
		res.Series = testkb.TradeSince2015(b)
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
	s.base.Store(testkb.Curated(t))
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
		if c.Param("text") != reply.TextsFor(knowledge.EN).ChartGone {
			t.Errorf("a stale chart button was answered %q, want %q", c.Param("text"), reply.TextsFor(knowledge.EN).ChartGone)
		}
	}
	if n := len(srv.Photos(alice.ID)); n != 1 {
		t.Errorf("%d photos after stale buttons, want the 1 from before", n)
	}
	// A series answer itself has no 📈 button: its chart comes with it.
	s.base.Store(testkb.Curated(t))
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
	want := reply.RenderSeries(reply.Reply{Lang: knowledge.EN, Result: knowledge.Result{Series: testkb.TradeSince2015(testkb.Curated(t))}})[0].Plain
	if sent[0].Text != want {
		t.Errorf("the fallback text differs from the rendered plain text")
	}
}
