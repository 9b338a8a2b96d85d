package reply

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"factbot/bot/internal/testkb"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// mustBase returns bot/testdata/kb.
func mustBase(tb testing.TB) *knowledge.Base { return testkb.Base(tb) }

// factHit returns the fact with id as a hit in lang.
func factHit(tb testing.TB, id string, lang knowledge.Lang) knowledge.Hit {
	tb.Helper()
	f := mustBase(tb).Fact(id)
	if f == nil {
		tb.Fatalf("no fact %q in testdata/kb", id)
	}
	text, ok := f.Text.In(lang)
	hl := lang
	if !ok {
		hl = knowledge.EN
	}
	return knowledge.Hit{ID: id, Kind: knowledge.KindFact, Lang: hl, Text: text, Fallback: !ok, Fact: f}
}

func passageHit(tb testing.TB, id string) knowledge.Hit {
	tb.Helper()
	b := mustBase(tb)
	p := b.Passage(id)
	if p == nil {
		tb.Fatalf("no passage %q", id)
	}
	return knowledge.Hit{ID: id, Kind: knowledge.KindPassage, Lang: p.Lang, Text: p.Text, Passage: p, Document: b.Document(p.DocID)}
}

func sampleReply(tb testing.TB, lang knowledge.Lang) Reply {
	return Reply{
		Question: "trade 2023", Lang: lang, Answered: true,
		Best:    factHit(tb, "trade-2023", lang),
		Related: []knowledge.Hit{factHit(tb, "trade-2024", lang), passageHit(tb, "briefing-test-en#2")},
		More:    []knowledge.Hit{factHit(tb, "trade-2013", lang), factHit(tb, "rail-cargo-2024", lang)},
	}
}

// checkMessages asserts what Telegram requires of every message: HTML that
// parses, the same text as Plain, not empty, at most 4096 UTF-16 units.
func checkMessages(tb testing.TB, ms []Message) {
	tb.Helper()
	if len(ms) == 0 {
		tb.Fatal("no messages")
	}
	for i, m := range ms {
		plain, _, err := telegramtest.ParseHTML(m.HTML)
		if err != nil {
			tb.Fatalf("message %d: Telegram would reject the HTML: %v\n%s", i, err, m.HTML)
		}
		if plain != m.Plain {
			tb.Errorf("message %d: Plain differs from the parsed HTML:\nplain  %q\nparsed %q", i, m.Plain, plain)
		}
		if strings.TrimSpace(plain) == "" {
			tb.Errorf("message %d is empty", i)
		}
		if n := telegramtest.UTF16Len(plain); n > MaxMessageLen {
			tb.Errorf("message %d is %d UTF-16 units, over %d", i, n, MaxMessageLen)
		}
	}
}

func golden(t *testing.T, name string, ms []Message) {
	t.Helper()
	checkMessages(t, ms)
	var b strings.Builder
	for i, m := range ms {
		fmt.Fprintf(&b, "=== message %d of %d (%d UTF-16 units) ===\n%s\n", i+1, len(ms), telegramtest.UTF16Len(m.Plain), m.HTML)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/reply -run Golden -update)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("%s differs from %s (run with -update to accept):\n%s", name, path, diff(string(want), got))
	}
}

// diff shows the first differing line.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}

func TestGoldenAnswers(t *testing.T) {
	for _, l := range knowledge.Langs {
		t.Run(string(l), func(t *testing.T) {
			r := sampleReply(t, l)
			golden(t, "answer."+string(l), RenderAnswer(r))
			golden(t, "more."+string(l), RenderMore(r))
			golden(t, "noanswer."+string(l), RenderAnswer(Reply{Lang: l}))
		})
	}
	t.Run("sources", func(t *testing.T) { golden(t, "sources.en", RenderSources(sampleReply(t, knowledge.EN))) })
	t.Run("passage", func(t *testing.T) {
		golden(t, "passage.en", RenderAnswer(Reply{Lang: knowledge.EN, Answered: true, Best: passageHit(t, "briefing-test-en#1")}))
	})
	t.Run("fallback", func(t *testing.T) {
		h := factHit(t, "trade-2013", knowledge.EN)
		h.Fallback = true
		golden(t, "fallback.kk", RenderAnswer(Reply{Lang: knowledge.KK, Answered: true, Best: h, Fallback: true}))
	})
}

// hostileFact carries everything a careless renderer would pass through:
// markup, entities, quotes, control characters, invalid UTF-8, unsafe links.
func hostileFact() *knowledge.Fact {
	return &knowledge.Fact{
		ID:   "hostile",
		Date: "2024-01..2024-06",
		Text: knowledge.Text{knowledge.EN: "<script>alert(1)</script> & R&D </b><b> &amp; &lt;tag&gt; \"quotes\" 'single' \x00\x07 bad\xff utf8 😀 𝕏 <$5 & >3>"},
		Figures: []knowledge.Figure{
			{Value: "<$5 & >3", Unit: "USD", By: "<i>evil</i>", Note: knowledge.Text{knowledge.EN: "a&b"}},
			{Value: "</a>", Unit: "x"},
		},
		Disagreement: knowledge.Text{knowledge.EN: "<b>unclosed & \"why\""},
		Sources: []knowledge.Source{
			{Publisher: "Evil <Corp> & Co", Title: `"Q" <b>`, URL: `https://example.com/?a=1&b="2"<x>`, Date: "2024"},
			{Publisher: "Script", URL: "javascript:alert(1)"},
			{Publisher: "Amp", URL: "https://example.com/?a=1&b=2&c=%3C3%3E"},
		},
	}
}

func TestGoldenHostile(t *testing.T) {
	f := hostileFact()
	h := knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: knowledge.EN, Text: f.Text[knowledge.EN], Fact: f}
	r := Reply{Lang: knowledge.EN, Answered: true, Best: h, Related: []knowledge.Hit{h}, More: []knowledge.Hit{h}}
	golden(t, "hostile.en", RenderAnswer(r))
	for _, m := range RenderAnswer(r) {
		if strings.Contains(m.HTML, "<script") || strings.Contains(m.HTML, "javascript:") && strings.Contains(m.HTML, `href="javascript`) {
			t.Errorf("unsafe markup passed through:\n%s", m.HTML)
		}
	}
}

// longFact is a fact far over one message: long paragraphs, lines without
// spaces, emoji (two UTF-16 units each), sixty sources.
func longFact() *knowledge.Fact {
	var text strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&text, "Paragraph %d: %s\n", i, strings.Repeat("Kazakhstan–China trade 😀 & <more> ", 12))
	}
	text.WriteString(strings.Repeat("Ж", 5000)) // a "word" longer than a message
	f := &knowledge.Fact{ID: "long", Date: "2024", Text: knowledge.Text{knowledge.EN: text.String()},
		Figures: []knowledge.Figure{{Value: "$44 billion", Unit: "USD", Date: "2024", By: "GAC"}}}
	for i := 0; i < 60; i++ {
		f.Sources = append(f.Sources, knowledge.Source{
			Publisher: fmt.Sprintf("Publisher %d & Sons", i), Title: strings.Repeat("A very long title ", 4),
			URL: fmt.Sprintf("https://example.com/%d?x=1&y=2", i), Date: "2024-01-02"})
	}
	return f
}

func TestGoldenLong(t *testing.T) {
	f := longFact()
	h := knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: knowledge.EN, Text: f.Text[knowledge.EN], Fact: f}
	ms := RenderAnswer(Reply{Lang: knowledge.EN, Answered: true, Best: h, Related: []knowledge.Hit{h}})
	if len(ms) < 3 {
		t.Fatalf("a %d-unit answer came out in %d messages", telegramtest.UTF16Len(f.Text[knowledge.EN]), len(ms))
	}
	golden(t, "long.en", ms)
	// Nothing is lost in the split: the words of every message, in order,
	// are the words of the whole.
	whole := RenderAnswer(Reply{Lang: knowledge.EN, Answered: true, Best: h, Related: []knowledge.Hit{h}})
	var joined []string
	for _, m := range whole {
		joined = append(joined, m.Plain)
	}
	d := &doc{}
	writeHit(d, h, LabelsFor(knowledge.EN))
	all := renderParas(append(d.paras, d.cur))
	if got, want := squash(strings.Join(joined, "")), squash(all.Plain); !strings.HasPrefix(got, want) {
		t.Errorf("split lost text: joined parts do not start with the unsplit best hit")
	}
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestSplitPrefersParagraphs(t *testing.T) {
	d := &doc{}
	a := strings.Repeat("a", 3000)
	b := strings.Repeat("b", 3000)
	d.text(a).para().bold(b).para()
	ms := d.messages(MaxMessageLen)
	checkMessages(t, ms)
	if len(ms) != 2 || ms[0].Plain != a || ms[1].HTML != "<b>"+b+"</b>" {
		t.Errorf("split = %q", ms)
	}
}

func TestSplitReopensStyles(t *testing.T) {
	d := &doc{}
	d.link(strings.Repeat("word ", 30), "https://example.com/?a=1&b=2")
	ms := d.messages(50)
	checkMessages(t, ms)
	if len(ms) < 3 {
		t.Fatalf("got %d messages", len(ms))
	}
	for _, m := range ms {
		if !strings.HasPrefix(m.HTML, `<a href="https://example.com/?a=1&amp;b=2">`) || !strings.HasSuffix(m.HTML, "</a>") {
			t.Errorf("part not a whole link: %q", m.HTML)
		}
		if UTF16Len(m.Plain) > 50 {
			t.Errorf("part over the limit: %d", UTF16Len(m.Plain))
		}
	}
}

func TestSplitNeverHalvesASurrogatePair(t *testing.T) {
	d := &doc{}
	d.text(strings.Repeat("😀", 100))
	ms := d.messages(7) // odd: a pair cannot straddle the limit
	checkMessages(t, ms)
	total := 0
	for _, m := range ms {
		if n := UTF16Len(m.Plain); n > 7 || n%2 != 0 {
			t.Errorf("part of %d units: %q", n, m.Plain)
		}
		total += UTF16Len(m.Plain)
	}
	if total != 200 {
		t.Errorf("parts hold %d units, want 200", total)
	}
}

func TestEscapeEverything(t *testing.T) {
	ms := RenderText(`<b>&amp;"x"</b>`)
	if ms[0].HTML != "&lt;b&gt;&amp;amp;&quot;x&quot;&lt;/b&gt;" {
		t.Errorf("HTML = %q", ms[0].HTML)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("hello <b>world</b> & friends", "https://a.b/?c=1&d=2", 100)
	f.Add(strings.Repeat("😀 x\n", 50), "", 9)
	f.Add("\xff\x00<", "javascript:x", 1)
	f.Fuzz(func(t *testing.T, text, url string, limit int) {
		if limit < 2 || limit > 5000 {
			limit = 4096
		}
		d := &doc{}
		d.text(text).bold(text).line().link(text, url).para().italic(text)
		ms := d.messages(limit)
		want := squash(strings.Repeat(Clean(text), 4))
		var got strings.Builder
		for _, m := range ms {
			plain, _, err := telegramtest.ParseHTML(m.HTML)
			if err != nil {
				t.Fatalf("invalid HTML %q: %v", m.HTML, err)
			}
			if plain != m.Plain || UTF16Len(plain) > limit || strings.TrimSpace(plain) == "" {
				t.Fatalf("bad part %q (limit %d)", plain, limit)
			}
			got.WriteString(plain)
		}
		if squash(got.String()) != want {
			t.Fatalf("text changed: got %q want %q", squash(got.String()), want)
		}
	})
}

// Notes are shown in the reply's language; a source without a link whose
// English note says so shows the label for it instead.
func TestNotesInReplyLanguage(t *testing.T) {
	note := knowledge.Text{knowledge.EN: "+32%; also cited by President Tokayev", knowledge.RU: "+32%; эту цифру приводит и президент Токаев"}
	fg := knowledge.Figure{Value: "$41 billion", Unit: "USD", Date: "2023", By: "GACC", Note: note}
	for _, tc := range []struct {
		lang knowledge.Lang
		want string
	}{
		{knowledge.RU, "$41 billion (2023; GACC; +32%; эту цифру приводит и президент Токаев)"},
		{knowledge.EN, "$41 billion (2023; GACC; +32%; also cited by President Tokayev)"},
		{knowledge.KK, "$41 billion (2023; GACC; +32%; also cited by President Tokayev)"}, // no kk: English
	} {
		if got := FormatFigure(fg, tc.lang); got != tc.want {
			t.Errorf("FormatFigure(%s) = %q, want %q", tc.lang, got, tc.want)
		}
	}

	unrecorded := knowledge.Text{knowledge.EN: "original not seen; URL not recorded", knowledge.ZH: "未见原文；未记录链接"}
	for _, tc := range []struct {
		src  knowledge.Source
		lang knowledge.Lang
		want string
	}{
		{knowledge.Source{Publisher: "people.cn", Note: unrecorded}, knowledge.ZH, "people.cn, 未记录链接"},
		{knowledge.Source{Publisher: "people.cn", Note: unrecorded}, knowledge.FR, "people.cn, lien non enregistré"},
		{knowledge.Source{Publisher: "people.cn", URL: "https://people.cn/x", Note: unrecorded}, knowledge.ZH, "people.cn, 未见原文；未记录链接"},
		{knowledge.Source{Publisher: "lapost.us", Date: "2019", Note: note}, knowledge.RU, "lapost.us, 2019, +32%; эту цифру приводит и президент Токаев"},
		{knowledge.Source{Publisher: "lapost.us"}, knowledge.RU, "lapost.us"},
	} {
		if got, _ := FormatSource(tc.src, LabelsFor(tc.lang)); got != tc.want {
			t.Errorf("FormatSource(%+v, %s) = %q, want %q", tc.src, tc.lang, got, tc.want)
		}
	}
}

// A figure is bolded where it stands whole, never inside a longer number
// or word.
