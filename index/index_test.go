package index

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"factbot/knowledge"
)

func mustBase(tb testing.TB) *knowledge.Base {
	tb.Helper()
	b, err := knowledge.Load(os.DirFS("testdata/base"))
	if err != nil {
		tb.Fatalf("load testdata/base: %v", err)
	}
	return b
}

// curated loads the embedded base.
func curated(tb testing.TB) *knowledge.Base {
	tb.Helper()
	b, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		tb.Fatalf("load curated base: %v", err)
	}
	return b
}

func mustBuild(tb testing.TB, b *knowledge.Base, dir string) *Index {
	tb.Helper()
	ix, err := Build(context.Background(), b, dir, Options{})
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func terms(tb testing.TB, ix *Index, l knowledge.Lang, text string) []string {
	tb.Helper()
	ts, err := ix.analyze(analyzerName(l, ix.opts.Kazakh, false), text, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return ts
}

// The analyzers meet inflected names, every way of writing a number and
// Chinese bigrams.
func TestAnalyzers(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	for _, tc := range []struct {
		lang knowledge.Lang
		in   string
		want []string
	}{
		{knowledge.RU, "Казахстан Казахстана Казахстане Казахстаном", []string{"казахстан"}},
		{knowledge.RU, "Китай Китая Китае", []string{"кита"}},
		{knowledge.RU, "Астана Астаны Астане", []string{"астан"}},
		{knowledge.RU, "зелёный зеленый", []string{"зелен"}}, // ё folded to е before stemming
		{knowledge.RU, "4 700", []string{"4700"}},
		{knowledge.RU, "4 700 000", []string{"4700000"}},
		{knowledge.EN, "4,700 4.700 4700", []string{"4700"}},
		{knowledge.EN, "31,5 31.5", []string{"31.5"}},
		{knowledge.EN, "companies company's", []string{"compani"}},
		{knowledge.FR, "l'énergie énergies energie", []string{"energ"}},
		// Kazakh letters are written as a Russian keyboard types them,
		// so "кытай" typed in a chat meets "қытай".
		{knowledge.KK, "Қазақстанның Қазақстанда Қазақстан Қазақстандағы казакстан", []string{"казакстан"}},
		{knowledge.KK, "қытай кытай Қытайдың", []string{"кытай"}},
		{knowledge.KK, "компаниялардың компаниялар", []string{"компания"}},
		{knowledge.KK, "мәлімдемелері мәлімдемелерін мәлімдеме малимдеме", []string{"малимдеме"}}, // plural and possessive
		{knowledge.KK, "басшылары басшыларын басшылар", []string{"басшы"}},
		{knowledge.ZH, "霍尔果斯", []string{"霍尔", "尔果", "果斯"}},
		{knowledge.ZH, "约4700家", []string{"约", "4700", "家"}},
	} {
		if got := terms(t, ix, tc.lang, tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("analyze %s %q = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// Offsets stay true after number joining and folding, so highlights land on
// the right characters.
func TestAnalyzerOffsets(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	text := "Énergie: около 4 700 компаний"
	ts, err := ix.mapping.AnalyzeText(analyzerName(knowledge.RU, KazakhLight, false), []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range ts {
		got = append(got, text[tok.Start:tok.End])
	}
	want := []string{"Énergie", "около", "4 700", "компаний"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("token spans = %q, want %q", got, want)
	}
}

func mustSearch(tb testing.TB, s Searcher, q string) knowledge.Result {
	tb.Helper()
	res, err := s.Search(context.Background(), knowledge.Query{Text: q})
	if err != nil {
		tb.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

func TestSearch(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	for _, tc := range []struct {
		q    string
		lang knowledge.Lang
		want string // best hit; "" means no answer
	}{
		{"How many Chinese companies operate in Kazakhstan?", knowledge.EN, "companies"},
		{"Сколько китайских компаний работает в Казахстане?", knowledge.RU, "companies"},
		{"Қазақстанда қанша қытай компаниясы бар?", knowledge.KK, "companies"},
		{"哈萨克斯坦有多少中资企业？", knowledge.ZH, "companies"},
		{"Combien d'entreprises chinoises au Kazakhstan ?", knowledge.FR, "companies"},
		{"4 700 companies", knowledge.EN, "companies"},
		{"4.700 entreprises", knowledge.FR, "companies"},
		{"$41 billion trade", knowledge.EN, "trade-2023"},
		{"41 млрд долларов товарооборот", knowledge.RU, "trade-2023"},
		{"410亿美元", knowledge.ZH, "trade-2023"},
		{"Qazaqstan China trade 2023", knowledge.EN, "trade-2023"},
		{"霍尔果斯", knowledge.ZH, "khorgos-port"},
		{"2023 trade", knowledge.EN, "trade-2023"},
		{"Хоргос", knowledge.RU, "khorgos-port"},
		{"visa free 30 days", knowledge.EN, "visa-free"},
		{"visa-fre regime", knowledge.EN, "visa-free"}, // a typo
		{"What is the weather in Paris?", knowledge.EN, ""},
		{"Какая погода в Париже?", knowledge.RU, ""},
		{"population of Kazakhstan", knowledge.EN, ""},
	} {
		res := mustSearch(t, ix, tc.q)
		// The ranking is judged here; the tiers on the curated base
		// (TestTiers), since this small base's confidences are not
		// what the model was calibrated on. No answer is the none tier.
		got := ""
		if tc.want == "" && res.Tier != knowledge.TierNone || tc.want != "" && len(res.Hits) > 0 {
			got = res.Hits[0].ID
		}
		if got != tc.want || res.Lang != tc.lang {
			t.Errorf("Search(%q) = %q in %s (%s), want %q in %s", tc.q, got, res.Lang, res.Why, tc.want, tc.lang)
		}
	}
	// A broad question shows the English briefing's first paragraph and the
	// fact it summarises, first and second: which comes first is the learnt
	// ranking's call (on this small base they are close, 0.54 and 0.46).
	res := mustSearch(t, ix, "tell me about Khorgos")
	var first2 []string
	for _, h := range res.Hits[:min(2, len(res.Hits))] {
		first2 = append(first2, h.ID)
	}
	if slices.Sort(first2); res.Lang != knowledge.EN || !slices.Equal(first2, []string{"briefing-khorgos-en#1", "khorgos-port"}) {
		t.Errorf(`Search("tell me about Khorgos") = %v in %s, want the briefing's first paragraph and khorgos-port in en`, idsOf(res.Hits), res.Lang)
	}
}

// The answer comes in the question's language, with marks on the words
// that matched.
func TestSearchLanguageAndHighlight(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	res := mustSearch(t, ix, "сухой порт Хоргос")
	if !res.Answered {
		t.Fatalf("no answer: %s", res.Why)
	}
	h := res.Hits[0]
	if h.Lang != knowledge.RU || h.Fallback || !strings.HasPrefix(h.Text, "Сухой порт Хоргос") {
		t.Errorf("hit = %s %q (fallback %v), want the Russian text", h.Lang, h.Text, h.Fallback)
	}
	var marked []string
	for _, m := range h.Marks {
		marked = append(marked, h.Text[m.Start:m.End])
	}
	if want := []string{"Сухой", "порт", "Хоргос"}; !reflect.DeepEqual(marked, want) {
		t.Errorf("marks = %q, want %q", marked, want)
	}
	// A forced language wins over detection.
	res, err := ix.Search(context.Background(), knowledge.Query{Text: "Khorgos dry port", Lang: knowledge.ZH})
	if err != nil || !res.Answered || res.Hits[0].Lang != knowledge.ZH || !strings.Contains(res.Hits[0].Text, "霍尔果斯") {
		t.Errorf("forced zh: %+v, %v", res, err)
	}
}

// No user text is query syntax: hostile questions get an ordinary search,
// never an error, a wildcard or a regexp.
func TestSearchHostile(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	for _, q := range []string{
		"", "   ", "?", "/", "/.*/", "*", "*a*", "Kazakhstan: trade?", `"unbalanced`, ">2020", "a AND b",
		"+trade -china", "text_en:khorgos", "khorgos~2", "trade^100", "\x00\x01\x02", "\xff\xfe invalid utf8",
		strings.Repeat("Kazakhstan China trade ", 500), strings.Repeat("霍", 10000), "<script>alert(1)</script>",
		"🇰🇿🇨🇳", "DROP TABLE facts;",
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: q})
		if err != nil {
			t.Errorf("Search(%.40q) error: %v", q, err)
			continue
		}
		if len([]rune(res.Question)) > MaxQuestionRunes {
			t.Errorf("Search(%.40q) kept %d runes, want at most %d", q, len([]rune(res.Question)), MaxQuestionRunes)
		}
	}
	if res := mustSearch(t, ix, "/.*/"); res.Answered {
		t.Errorf(`Search("/.*/") answered %s, want no answer`, res.Hits[0].ID)
	}
}

func TestBuildOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index-x")
	ix := mustBuild(t, mustBase(t), dir)
	if res := mustSearch(t, ix, "Khorgos"); res.Tier == knowledge.TierNone {
		t.Errorf("on-disk index: no answer for Khorgos: %s", res.Why)
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		t.Errorf("on-disk index: %v", err)
	}
	if _, err := Build(context.Background(), mustBase(t), dir, Options{}); err == nil {
		t.Error("Build into an existing index folder succeeded, want an error")
	}
}

// Swapping indexes under a storm of searches fails none of them, and the old
// index can be closed as soon as Swap returns.
func TestLiveSwapUnderLoad(t *testing.T) {
	b := mustBase(t)
	first, err := Build(context.Background(), b, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(first)
	defer live.Close()
	goroutines := runtime.NumGoroutine()

	stop := hammer(live, "Khorgos dry port", "khorgos-port")
	for range 10 {
		next, err := Build(context.Background(), b, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := live.Swap(next).Close(); err != nil {
			t.Fatalf("close old index: %v", err)
		}
	}
	if bad, all := stop(); bad > 0 {
		t.Errorf("%d of %d searches failed during swaps", bad, all)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= goroutines+2 }, "goroutines: %d after swaps, %d before", runtime.NumGoroutine(), goroutines)
}

func TestLiveEmpty(t *testing.T) {
	live := NewLive(nil)
	if _, err := live.Search(context.Background(), knowledge.Query{Text: "x"}); err != ErrNoIndex {
		t.Errorf("Search on empty Live = %v, want ErrNoIndex", err)
	}
	if live.Base() != nil {
		t.Error("Base on empty Live is not nil")
	}
}

// Live answers a repeated question from its cache, and a swap empties the
// cache so that no answer of an old version survives it.
func TestLiveCache(t *testing.T) {
	b := mustBase(t)
	live := NewLive(mustBuildNoCleanup(t, b))
	defer live.Close()
	q := knowledge.Query{Text: "Khorgos dry port"}
	first, _ := live.Search(context.Background(), q)
	again, _ := live.Search(context.Background(), q)
	if !first.Answered || !reflect.DeepEqual(first, again) {
		t.Fatalf("repeated search differs: %+v vs %+v", first, again)
	}
	if live.cache.Len() != 1 {
		t.Errorf("cache holds %d entries, want 1", live.cache.Len())
	}
	// A new version without the fact: the cached answer must not survive.
	b2 := *b
	b2.Facts = nil
	for _, f := range b.Facts {
		if f.ID != "khorgos-port" {
			b2.Facts = append(b2.Facts, f)
		}
	}
	b2.Documents = nil
	next, err := knowledge.Rebuild(&b2)
	if err != nil {
		t.Fatal(err)
	}
	live.Swap(mustBuildNoCleanup(t, next)).Close()
	res, _ := live.Search(context.Background(), q)
	if res.Answered && res.Hits[0].ID == "khorgos-port" {
		t.Error("after a swap, an answer from the old version was served")
	}
}

func TestResultCacheBounded(t *testing.T) {
	c := newResultCache(3)
	for i := range 5 {
		c.Put(knowledge.Query{Text: string(rune('a' + i))}, knowledge.Result{Question: string(rune('a' + i))})
	}
	if c.Len() != 3 {
		t.Errorf("cache size %d, want 3", c.Len())
	}
	if _, ok := c.Get(knowledge.Query{Text: "a"}); ok {
		t.Error("the oldest entry was not evicted")
	}
	if r, ok := c.Get(knowledge.Query{Text: "e"}); !ok || r.Question != "e" {
		t.Error("the newest entry is missing")
	}
}

func mustBuildNoCleanup(t *testing.T, b *knowledge.Base) *Index {
	t.Helper()
	ix, err := Build(context.Background(), b, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestWithinOneEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"visa", "visa", true}, {"visa", "vis", true}, {"visa", "viza", true}, {"visa", "visas", true},
		{"visa", "vi", false}, {"visa", "vsia", true}, {"visa", "vias", true}, {"pipeline", "pipleine", true},
		{"visa", "ivas", false}, {"visa", "avis", false}, {"абвгд", "бавдг", false},
		{"казахстан", "казахтан", true}, {"abcdef", "abcxyz", false},
	} {
		if got := withinOneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// hammer runs the query from 8 goroutines until the returned stop is
// called; stop reports how many searches failed, came back empty or with
// another best hit than want, and how many ran.
func hammer(live *Live, q, want string) (stop func() (bad, all int64)) {
	var (
		wg      sync.WaitGroup
		nbad, n atomic.Int64
		done    = make(chan struct{})
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				res, err := live.Search(context.Background(), knowledge.Query{Text: q})
				n.Add(1)
				if err != nil || !res.Answered || res.Hits[0].ID != want {
					nbad.Add(1)
				}
			}
		}()
	}
	return func() (int64, int64) {
		close(done)
		wg.Wait()
		return nbad.Load(), n.Load()
	}
}

// The tokens kept for a fact's marks are what analysing its text at
// search time gives, in every language.
func TestFactTokensAsAnalysed(t *testing.T) {
	ix := mustBuild(t, mustBase(t), "")
	n := 0
	for _, d := range ix.table.docs {
		if d.fact == nil {
			continue
		}
		for _, l := range knowledge.Langs {
			li := langIndex(l)
			ts, err := ix.mapping.AnalyzeText(analyzerName(l, ix.opts.Kazakh, false), []byte(d.fact.Text[l]))
			if err != nil {
				t.Fatal(err)
			}
			var want []tok
			for _, x := range ts {
				if id, _, ok := ix.table.dicts[li].lookup(string(x.Term)); ok {
					want = append(want, tok{id: id, start: uint32(x.Start), end: uint32(x.End)})
				}
			}
			if toks := ix.table.toks[d]; toks == nil || !slices.Equal(toks[li], want) {
				t.Errorf("%s %s: kept tokens %v, analysed %v", d.id, l, toks, want)
			}
			n += len(want)
		}
	}
	if n == 0 {
		t.Fatal("no fact tokens")
	}
}
