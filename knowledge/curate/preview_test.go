package curate

import (
	"flag"
	"os"
	"strings"
	"testing"

	"factbot/knowledge"
	"factbot/knowledge/internal/memfs"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// edited is the small folder with trade-2023's figure, source and English
// text changed, a fact and an alias form added, and an eval case added.
func edited(t *testing.T) (old, new *knowledge.Base) {
	t.Helper()
	old, err := knowledge.Load(os.DirFS(small))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.ReadFile(small + "/facts/f.yaml")
	s := strings.Replace(string(f), `"$41 billion"`, `"$41.2 billion"`, 1)
	s = strings.Replace(s, `{publisher: Trend, url: "https://en.trend.az/b", date: "2024-03-28"}`,
		`{publisher: Trend, url: "https://en.trend.az/b", date: "2024-04-02"}`+"\n      - {publisher: Kazinform, url: \"https://inform.kz/t\", date: \"2024-04\"}", 1)
	s = strings.Replace(s, "reached $41 billion in 2023", "reached $41.2 billion in 2023", 1)
	a, _ := os.ReadFile(small + "/aliases/a.yaml")
	files := map[string]string{
		"facts/f.yaml":     s,
		"facts/wheat.yaml": newFact,
		"aliases/a.yaml":   strings.Replace(string(a), "Horgos,", "Horgos, Khorgas,", 1),
		"eval/new.yaml":    "cases:\n  - q: wheat exports to China\n    lang: en\n    want: [wheat-2024]\n",
	}
	fsys := memfs.FS{}
	names, _ := knowledge.Files(os.DirFS(small))
	for _, n := range names {
		fsys[n], _ = os.ReadFile(small + "/" + n)
	}
	for n, d := range files {
		fsys[n] = []byte(d)
	}
	new, err = knowledge.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return old, new
}

func TestCompare(t *testing.T) {
	old, new := edited(t)
	p := Compare(old, new)
	if strings.Join(p.Diff.AddedFacts, ",") != "wheat-2024" || len(p.Facts) != 1 || p.Facts[0].ID != "trade-2023" {
		t.Fatalf("Compare = %+v", p)
	}
	f := p.Facts[0]
	want := []Change{{"$41 billion USD (2023, by GACC)", "$41.2 billion USD (2023, by GACC)"}}
	if len(f.Figures) != 1 || f.Figures[0] != want[0] {
		t.Errorf("figures = %q, want %q", f.Figures, want)
	}
	wantSources := []Change{
		{"Trend, https://en.trend.az/b, 2024-03-28", "Trend, https://en.trend.az/b, 2024-04-02"},
		{"", "Kazinform, https://inform.kz/t, 2024-04"},
	}
	if len(f.Sources) != 2 || f.Sources[0] != wantSources[0] || f.Sources[1] != wantSources[1] {
		t.Errorf("sources = %q, want %q", f.Sources, wantSources)
	}
	if strings.Join(f.Fields, "; ") != "text (en)" {
		t.Errorf("fields = %q, want text (en)", f.Fields)
	}
	if len(p.Aliases) != 1 || p.Aliases[0].ID != "khorgos" || strings.Join(p.Aliases[0].Added, ",") != "Khorgas" {
		t.Errorf("aliases = %+v", p.Aliases)
	}
	if p.GateFails() {
		t.Error("a preview without eval numbers fails the gate")
	}
}

// The text of a preview, with eval numbers where the gate fails.
func TestPreviewString(t *testing.T) {
	old, new := edited(t)
	p := Compare(old, new)
	n := func(r3 float64, abst float64) EvalNumbers {
		return EvalNumbers{
			Cases:      map[knowledge.Lang]int{"en": 124, "ru": 116, "kk": 113, "zh": 114, "fr": 117},
			Recall1:    map[knowledge.Lang]float64{"en": 0.8, "ru": 0.9, "kk": 0.86, "zh": 0.85, "fr": 0.87},
			Recall3:    map[knowledge.Lang]float64{"en": r3, "ru": 0.957, "kk": 0.920, "zh": 0.921, "fr": 0.957},
			OutOfScope: 70, Abstention: abst,
		}
	}
	blind := n(0.96, 0.93)
	blindAfter := n(0.94, 0.93)
	p.Eval = &EvalChange{
		Before: n(0.919, 0.900), After: n(0.895, 0.886),
		BlindBefore: &blind, BlindAfter: &blindAfter,
		Floor: Floor{
			Recall1:    map[knowledge.Lang]float64{"en": 0.5, "ru": 0.5, "kk": 0.5, "zh": 0.5, "fr": 0.5},
			Recall3:    map[knowledge.Lang]float64{"en": 0.95, "ru": 0.9, "kk": 0.9, "zh": 0.9, "fr": 0.9},
			Abstention: 0.9,
		},
	}
	if !p.GateFails() {
		t.Error("GateFails() = false, want true")
	}
	golden(t, "testdata/preview.golden", p.String())

	p.Eval.After, p.Eval.BlindAfter = p.Eval.Before, p.Eval.BlindBefore
	if p.GateFails() || !strings.Contains(p.String(), "Quality gate: passes.") {
		t.Errorf("same numbers: gate fails = %v:\n%s", p.GateFails(), p)
	}

	// The blind set's candidates must hold the answer too (recall@20).
	missing := blind
	missing.Recall20 = map[knowledge.Lang]float64{"en": 1, "ru": 1, "kk": 0.98, "zh": 1, "fr": 1}
	p.Eval.BlindAfter = &missing
	p.Eval.Floor.Recall20 = map[knowledge.Lang]float64{"en": 0.99, "ru": 0.99, "kk": 0.99, "zh": 0.99, "fr": 0.99}
	if got := p.Eval.BelowFloor(); len(got) != 1 || !strings.Contains(got[0], "recall@20") || !strings.Contains(got[0], "kk") {
		t.Errorf("kk recall@20 0.98 under 0.99: BelowFloor() = %q", got)
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update):\n%s", file, got)
	}
}
