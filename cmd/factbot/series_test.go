package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factbot/knowledge"
)

// The question in five languages: both counting bodies' series
// with a computed, labelled change, in text, JSON and a chart.
func TestAskSeries(t *testing.T) {
	for _, tc := range []struct {
		q, lang  string
		computed string // words of the change's label
	}{
		{"how did China–Kazakhstan trade change since 2015?", "en", "computed from the 2018 and 2024 figures below"},
		{"как изменился товарооборот Китая и Казахстана с 2015 года?", "ru", "рассчитано по цифрам за 2018 и 2024 годы ниже"},
		{"2015 жылдан бері Қытай мен Қазақстан саудасы қалай өзгерді?", "kk", "төмендегі 2018 және 2024 жылғы сандар бойынша есептелді"},
		{"2015年以来中哈贸易有何变化？", "zh", "根据下表2018年和2024年的数字计算"},
		{"comment ont évolué les échanges entre la Chine et le Kazakhstan depuis 2015 ?", "fr", "calculé à partir des chiffres de 2018 et 2024 ci-dessous"},
	} {
		file := filepath.Join(t.TempDir(), "chart.png")
		code, out, errs := run(t, "", "ask", "--chart", file, tc.q)
		if code != 0 {
			t.Fatalf("ask --chart %q: exit %d: %s", tc.q, code, errs)
		}
		// The figures as the reader's press writes them.
		fig := func(v string) string {
			s, err := knowledge.FormatValue(knowledge.Figure{Value: v, Unit: "USD"}, knowledge.Lang(tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		for _, want := range []string{"×2", tc.computed, fig("$43.82 billion"), fig("$31.5 billion"), "https://"} {
			if !strings.Contains(out, want) {
				t.Errorf("ask %q: answer lacks %q:\n%s", tc.q, want, out)
			}
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("ask --chart %q: %v (stderr %s)", tc.q, err, errs)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil || !strings.Contains(errs, "chart of 2 series written") {
			t.Errorf("ask --chart %q: %v; stderr %q", tc.q, err, errs)
		}

		_, out, _ = run(t, "", "ask", "--json", tc.q)
		var a jsonAnswer
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("ask --json %q: %v", tc.q, err)
		}
		if a.Language != tc.lang || len(a.Series) != 2 || a.Series[0].By != "chinese-customs" || a.Series[1].By != "kazakh-statistics" {
			t.Fatalf("ask --json %q: language %s, series %+v", tc.q, a.Language, a.Series)
		}
		s := a.Series[0]
		if s.Measure != "trade-turnover" || s.Unit != "USD" || len(s.Points) != 5 || s.Points[0].Period != "2018" ||
			s.Points[4] != (jsonPoint{Period: "2024", Value: 43820000000, Figure: "$43.82 billion"}) || s.Change == nil || s.Change.Ratio != 2.2042 {
			t.Errorf("ask --json %q: customs series %+v", tc.q, s)
		}
		var fields map[string]json.RawMessage
		json.Unmarshal([]byte(out), &fields)
		for _, f := range []string{"question", "language", "answered", "hits", "confidence", "tier", "series"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("ask --json %q: no %q field", tc.q, f)
			}
		}
	}
}

// A question about one value has no series: no "series" field, and no
// chart, which stderr says.
func TestAskNoSeries(t *testing.T) {
	file := filepath.Join(t.TempDir(), "chart.png")
	code, out, errs := run(t, "", "ask", "--chart", file, "how much trade in 2023?")
	if code != 0 || !strings.Contains(errs, "has no series to chart") || strings.Contains(out, "computed from") {
		t.Errorf("ask --chart (a value): exit %d, stderr %q, out %q", code, errs, out)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("ask --chart (a value) wrote %s", file)
	}
	_, out, _ = run(t, "", "ask", "--json", "how much trade in 2023?")
	if strings.Contains(out, `"series"`) {
		t.Errorf("ask --json (a value) has a series: %s", out)
	}
	if code, _, _ := run(t, "how did trade change since 2015?\n", "ask", "--chart", file); code != 2 {
		t.Errorf("ask --chart without a question: exit %d, want 2", code)
	}
}
