package bot

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/chart"
	"factbot/bot/reply"
	"factbot/internal/lru"
	"factbot/knowledge"
)

// MaxCaptionLen is Telegram's limit on a photo's caption, in UTF-16 units
// after entity parsing.
const MaxCaptionLen = 1024

// chartCacheSize is how many charts (PNGs, and the file_ids Telegram gave
// them) the bot keeps.
const chartCacheSize = 256

// charts draws the series charts the bot sends and remembers what sending
// them taught: the PNGs, in a chart.Cache keyed by the series, their years,
// the language and the knowledge version, so that a chart asked for again
// costs no rendering; and the file_id Telegram returned for each chart
// sent, so that it goes again by id, without an upload. It is safe for
// concurrent use.
type charts struct {
	png *chart.Cache
	ids *lru.Cache[string, string] // chart.Key → file_id; "" once refused

	mu sync.Mutex
	// The hash of the last base asked about: Base.Hash reads every fact.
	base *knowledge.Base
	hash string
}

func newCharts() *charts {
	return &charts{png: chart.NewCache(chartCacheSize), ids: lru.New[string, string](chartCacheSize)}
}

// version is the knowledge version charts of base are keyed by; "" for no
// base.
func (c *charts) version(base *knowledge.Base) string {
	if base == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.base != base {
		c.base, c.hash = base, base.Hash()
	}
	return c.hash
}

// sendChart sends the chart of series to chat as a photo with a short
// caption in lang: by the file_id of the same chart sent before when there
// is one, else uploaded, drawn only when the cache does not hold it. A
// file_id Telegram refuses is forgotten and the chart uploaded instead. It
// reports whether the photo went out; failures are logged and counted by
// the dispatcher (429 waits and retries, 403 marks the chat gone, 5xx
// retries), and the text answer sent before stands either way.
func (b *Bot) sendChart(ctx context.Context, chat int64, series []knowledge.Series, lang knowledge.Lang, replyTo int) bool {
	if len(series) == 0 {
		return false
	}
	version := b.charts.version(b.knowledge())
	key := chart.Key(version, series, lang)
	params := func() tgbotapi.Params {
		p := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10)}
		if c := chartCaption(series, lang); c != "" {
			p["caption"] = c
		}
		if replyTo != 0 {
			p["reply_to_message_id"] = strconv.Itoa(replyTo)
			p["allow_sending_without_reply"] = "true"
		}
		return p
	}
	if id, _ := b.charts.ids.Get(key); id != "" {
		p := params()
		p["photo"] = id
		_, err := b.d.do(ctx, &call{method: "sendPhoto", chat: chat, params: p, limit: limitChat})
		var se *sendError
		if err == nil || !errors.As(err, &se) || se.reason != "rejected" {
			return err == nil
		}
		b.charts.ids.Put(key, "") // Telegram no longer takes it
	}
	png, err := b.charts.png.Chart(version, series, lang)
	if err != nil {
		lvl := b.log.Error
		if errors.Is(err, chart.ErrNoSeries) { // nothing drawable: the text says it all
			lvl = b.log.Info
		}
		lvl("draw chart", zap.Int64("chat", chat), zap.String("series", series[0].Key()), zap.Error(err))
		return false
	}
	files := []tgbotapi.RequestFile{{Name: "photo", Data: tgbotapi.FileBytes{Name: "chart.png", Bytes: png}}}
	res, err := b.d.do(ctx, &call{method: "sendPhoto", chat: chat, params: params(), files: files, limit: limitChat})
	if err != nil {
		return false
	}
	var m tgbotapi.Message
	if json.Unmarshal(res, &m) == nil && len(m.Photo) > 0 {
		// The largest size is the picture as sent; any of its ids sends it again.
		b.charts.ids.Put(key, m.Photo[len(m.Photo)-1].FileID)
	}
	return true
}

// chartCaption is the photo's caption: the chart's heading and each
// series' computed change (chart.Caption), cut at a line to Telegram's
// limit. It goes without parse mode: nothing in it needs escaping.
func chartCaption(series []knowledge.Series, lang knowledge.Lang) string {
	c := chart.Caption(series, lang)
	for reply.UTF16Len(c) > MaxCaptionLen {
		i := strings.LastIndexByte(c, '\n')
		if i <= 0 {
			return string([]rune(c)[:MaxCaptionLen/2-1]) + "…"
		}
		c = c[:i]
	}
	return c
}

// chartSeries are the series a chart of measure shows: every year of each
// counting body's series (SeriesAnswer with no period); nil when the
// measure has no trend in base.
func chartSeries(base *knowledge.Base, measure string) []knowledge.Series {
	if base == nil || !base.Numeric(measure) {
		return nil
	}
	return base.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{measure}}, knowledge.Period{})
}

// chartMeasure is the measure a value answer is about whose series can be
// charted, for its "📈 Chart" button: of the measures the best fact names,
// first those the question named; "" for an answer that is already a
// series answer, that is no fact, or whose measures have no trend.
func chartMeasure(base *knowledge.Base, r reply.Reply) string {
	if base == nil || !r.Answered || r.Best.Fact == nil || len(r.Result.Series) > 0 {
		return ""
	}
	f := r.Best.Fact
	var cands []string
	for _, m := range r.Result.Intent.Measures {
		if slices.Contains(f.Measures, m) {
			cands = append(cands, m)
		}
	}
	for _, m := range append(cands, f.Measures...) {
		if len(chartSeries(base, m)) > 0 && len(chartData(r.Lang, m)) <= 64 {
			return m
		}
	}
	return ""
}

// chartData is the callback data of a "📈 Chart" button: the language and
// the measure, so that the button still works after the answers cache
// forgot the answer, and after a reload (with the new knowledge's series).
func chartData(lang knowledge.Lang, measure string) string {
	return "c:" + string(lang) + ":" + measure
}

// onChartButton sends the chart a "📈 Chart" button asks for, or says
// politely that there is none any more (the knowledge was reloaded without
// the measure's series).
func (b *Bot) onChartButton(ctx context.Context, chat int64, replyTo int, lang knowledge.Lang, arg string, answer func(string)) {
	code, measure, _ := strings.Cut(arg, ":")
	if l := knowledge.ParseLang(code); l != "" {
		lang = l
	}
	series := chartSeries(b.knowledge(), measure)
	if len(series) == 0 {
		answer(reply.TextsFor(lang).ChartGone)
		return
	}
	answer("")
	b.sendChart(ctx, chat, series, lang, replyTo)
}
