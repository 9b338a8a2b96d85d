package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckListsUnformattableFigures: a valid folder with a figure that
// cannot be written in the other languages passes check, which lists the
// figure as a notice with its path and line; the curated base has none.
func TestCheckListsUnformattableFigures(t *testing.T) {
	if code, out, errs := run(t, "", "check"); code != 0 || strings.Contains(out, "notice:") || strings.Contains(errs, "cannot be formatted") {
		t.Errorf("check embedded: exit %d, notices:\n%s%s", code, out, errs)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "facts"), 0o755)
	fact := `facts:
  - id: buses-2024
    topic: green
    measures: [buses]
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - value: "1,200 buses and e-buses"
        unit: buses
      - value: "1,200"
        unit: buses
    sources:
      - publisher: Trend
`
	os.WriteFile(filepath.Join(dir, "facts", "f.yaml"), []byte(fact), 0o644)
	os.MkdirAll(filepath.Join(dir, "measures"), 0o755)
	os.WriteFile(filepath.Join(dir, "measures", "m.yaml"), []byte(`measures:
  - id: buses
    name: {en: buses, ru: автобусы, kk: автобустар, zh: 客车, fr: bus}
    words: {en: [buses], ru: [автобус*], kk: [автобус*], zh: [客车], fr: [bus]}
`), 0o644)
	code, out, errs := run(t, "", "check", dir)
	if code != 0 {
		t.Fatalf("check: exit %d, want 0 (a notice is no problem):\n%s%s", code, out, errs)
	}
	want := filepath.Join(dir, "facts/f.yaml") + `:7: notice: fact "buses-2024": figure "1,200 buses and e-buses" is shown in English in ru, kk, zh, fr (words after the number: "buses and e-buses")`
	if !strings.Contains(out, want) {
		t.Errorf("check output lacks\n%s\ngot:\n%s", want, out)
	}
	if strings.Count(out, "notice:") != 1 || !strings.Contains(errs, "1 figures cannot be formatted") {
		t.Errorf("want one notice and its count; got:\n%s%s", out, errs)
	}
}
