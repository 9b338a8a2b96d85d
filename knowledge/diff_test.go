package knowledge

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

func TestCompare(t *testing.T) {
	old := mustLoad(t, files{"facts/a.yaml": goodFact, "documents/b.en.md": goodDoc})
	changed := strings.Replace(goodFact, "Trade reached $41 billion in 2023.", "Trade reached $41 billion in 2023, a record.", 1)
	other := strings.Replace(goodFact, "trade-2023", "trade-2024", 1)
	// The same fact moved to another file and line is not a change.
	moved := "# a comment\n\n" + changed
	new := mustLoad(t, files{"facts/z.yaml": moved + strings.TrimPrefix(other, "facts:\n")})
	d := Compare(old, new)
	want := Diff{AddedFacts: []string{"trade-2024"}, ChangedFacts: []string{"trade-2023"}, RemovedDocs: []string{"briefing-en"}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Compare = %+v, want %+v", d, want)
	}
	if !Compare(old, old).Empty() {
		t.Error("Compare(old, old) is not empty")
	}
	if d := Compare(nil, old); len(d.AddedFacts) != 1 || len(d.AddedDocs) != 1 {
		t.Errorf("Compare(nil, old) = %+v", d)
	}
}

// Aliases, eval cases and announcements are part of what a reload reports.
func TestCompareAliasesEvalAnnouncements(t *testing.T) {
	base := files{
		"facts/a.yaml":         goodFact,
		"aliases/a.yaml":       "aliases:\n  - id: khorgos\n    forms: [Khorgos, Qorgas]\n  - id: astana\n    forms: [Astana]\n",
		"eval/e.yaml":          "cases:\n  - q: trade 2023?\n    lang: en\n    want: [trade-2023]\n  - q: weather\n    lang: en\n    out_of_scope: true\n",
		"announcements/a.yaml": "announcements:\n  - id: forum\n    text: Soon.\n    target: all\n    publish_at: \"2099-01-01T09:00:00Z\"\n",
	}
	old := mustLoad(t, base)
	next := files{}
	for k, v := range base {
		next[k] = v
	}
	next["aliases/a.yaml"] = "aliases:\n  - id: khorgos\n    forms: [Khorgos]\n  - id: almaty\n    forms: [Almaty]\n"
	next["eval/e.yaml"] = "cases:\n  - q: trade 2023?\n    lang: en\n    out_of_scope: true\n  - q: rain\n    lang: en\n    out_of_scope: true\n"
	next["announcements/a.yaml"] = strings.Replace(base["announcements/a.yaml"], "Soon.", "Very soon.", 1)
	d := Compare(old, mustLoad(t, next))
	want := Diff{
		AddedAliases: []string{"almaty"}, ChangedAliases: []string{"khorgos"}, RemovedAliases: []string{"astana"},
		AddedEval: []string{"en: rain"}, ChangedEval: []string{"en: trade 2023?"}, RemovedEval: []string{"en: weather"},
		ChangedAnnouncements: []string{"forum"},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Compare = %+v, want %+v", d, want)
	}
	if d.Empty() || !d.Searchable() {
		t.Errorf("Empty() = %v, Searchable() = %v; want false, true", d.Empty(), d.Searchable())
	}
	if d := (Diff{ChangedEval: []string{"x"}}); d.Empty() || d.Searchable() {
		t.Errorf("an eval-only diff: Empty() = %v, Searchable() = %v; want false, false", d.Empty(), d.Searchable())
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	n, err := Export(Curated(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("exported base does not load: %v", err)
	}
	orig, _ := Load(Curated())
	if b.Hash() != orig.Hash() || n < 30 {
		t.Errorf("exported %d files, hash %s, want the embedded base's %s", n, b.Hash(), orig.Hash())
	}
	if _, err := Export(Curated(), dir, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Export into a non-empty folder = %v, want a refusal", err)
	}
	os.WriteFile(filepath.Join(dir, "facts", "01-ciftis-2024.yaml"), []byte("changed"), 0o644)
	if _, err := Export(Curated(), dir, true); err != nil {
		t.Errorf("Export with overwrite: %v", err)
	}
	if b, err := Load(os.DirFS(dir)); err != nil || b.Hash() != orig.Hash() {
		t.Errorf("overwrite did not restore the base: %v", err)
	}
}

// The content hash names the index built from a base: it follows content,
// not the files it sits in or where.
func TestHashFollowsContent(t *testing.T) {
	a := mustLoad(t, files{"facts/a.yaml": goodFact})
	moved := mustLoad(t, files{"facts/z.yaml": "# moved\n\n" + goodFact})
	if a.Hash() != moved.Hash() {
		t.Errorf("moving a fact changed the hash: %s vs %s", a.Hash(), moved.Hash())
	}
	changed := mustLoad(t, files{"facts/a.yaml": strings.Replace(goodFact, "$41 billion\"", "$41.02 billion\"", 1)})
	if a.Hash() == changed.Hash() {
		t.Error("changing a figure kept the hash")
	}
}

// A redacted diff names blind eval cases by a hash, never by question.
func TestDiffRedacted(t *testing.T) {
	d := Diff{AddedEval: []string{"en: a dev question", "blind ru: тайный вопрос"}, RemovedEval: []string{"blind en: secret"}}
	r := d.Redacted()
	got := strings.Join(append(r.AddedEval, r.RemovedEval...), " | ")
	if strings.Contains(got, "тайный") || strings.Contains(got, "secret") || !strings.Contains(got, "en: a dev question | blind ru #") {
		t.Errorf("Redacted = %q", got)
	}
	if d.AddedEval[1] != "blind ru: тайный вопрос" {
		t.Error("Redacted changed the diff it was called on")
	}
}

// CopyFiles copies what the loader reads, and only that: the copy loads
// to the same base; a FIFO among the knowledge files is an error, never a
// hang; other files stay behind.
func TestCopyFiles(t *testing.T) {
	src := t.TempDir()
	if _, err := Export(Curated(), src, false); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(src, ".git"), 0o755)
	os.WriteFile(filepath.Join(src, ".git", "HEAD"), []byte("ref"), 0o644)
	os.WriteFile(filepath.Join(src, "notes.txt"), []byte("x"), 0o644)
	dst := filepath.Join(t.TempDir(), "copy")
	if err := CopyFiles(os.DirFS(src), dst); err != nil {
		t.Fatal(err)
	}
	orig, _ := Load(Curated())
	if b, err := Load(os.DirFS(dst)); err != nil || b.Hash() != orig.Hash() {
		t.Fatalf("the copy does not load to the same base: %v", err)
	}
	for _, stray := range []string{".git", "notes.txt"} {
		if _, err := os.Stat(filepath.Join(dst, stray)); err == nil {
			t.Errorf("%s was copied", stray)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(src, "facts", "zz.yaml"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	err := CopyFiles(os.DirFS(src), filepath.Join(t.TempDir(), "copy"))
	if err == nil || !strings.Contains(err.Error(), "facts/zz.yaml is not a regular file") {
		t.Errorf("CopyFiles with a FIFO = %v, want it named as not a regular file", err)
	}
}
