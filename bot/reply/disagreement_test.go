package reply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factbot/knowledge"
)

// TestGoldenDisagreement renders, in five languages, a fact whose sources
// disagree and that has three figures (trade-2023: Chinese customs, People's
// Daily Online, Kazakh statistics) as Telegram HTML
// (testdata/disagreement.<lang>.golden) and as plain text
// (testdata/disagreement.<lang>.plain.golden).
func TestGoldenDisagreement(t *testing.T) {
	for _, l := range knowledge.Langs {
		t.Run(string(l), func(t *testing.T) {
			h := factHit(t, "trade-2023", l)
			if n := len(h.Fact.Figures); n != 3 || h.Fact.Disagreement[l] == "" {
				t.Fatalf("trade-2023 has %d figures and disagreement %q; the golden wants 3 and one", n, h.Fact.Disagreement[l])
			}
			r := Reply{Question: "trade 2023", Lang: l, Tier: knowledge.TierAnswer, Answered: true, Best: h}
			golden(t, "disagreement."+string(l), RenderAnswer(r))
			plain := PlainText(r)
			lb := LabelsFor(l)
			for _, want := range []string{lb.Differ, lb.Figures, lb.AsOf} {
				if !strings.Contains(plain, want) {
					t.Errorf("plain text in %s has no %q", l, want)
				}
			}
			for _, fg := range h.Fact.Figures {
				if want := FormatFigure(fg, l); !strings.Contains(plain, want) {
					t.Errorf("plain text in %s has no figure %q", l, want)
				}
			}
			goldenText(t, "disagreement."+string(l)+".plain", plain)
		})
	}
}

// goldenText compares text with testdata/<name>.golden; -update rewrites it.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/reply -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (run with -update to accept):\n%s", name, path, diff(string(want), got))
	}
}
