package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factbot/knowledge"
	"factbot/knowledge/versions"
)

// small is a knowledge folder of four facts with an eval set, quick to
// preview.
const small = "../../knowledge/testdata/small"

// wheatFact is one new, valid fact in five languages.
var wheatFact = func() string {
	data, err := os.ReadFile("../../knowledge/testdata/wheat-2024.yaml")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The embedded base zipped and previewed as an upload changes nothing.
func TestKnowledgeZipPreviewRoundTrip(t *testing.T) {
	files := 0
	if err := fs.WalkDir(knowledge.Curated(), ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "kb.zip")
	code, stdout, errs := run(t, "", "knowledge", "zip", out)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("wrote %d files of knowledge/base (embedded) to %s", files, out)) {
		t.Fatalf("knowledge zip: exit %d, %q %q", code, stdout, errs)
	}
	if code, _, errs := run(t, "", "knowledge", "zip", out); code != 1 || !strings.Contains(errs, "exists (pass --force to overwrite)") {
		t.Errorf("knowledge zip over a file: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "", "knowledge", "zip", "--force", out); code != 0 {
		t.Errorf("knowledge zip --force: exit %d, %q", code, errs)
	}
	code, stdout, errs = run(t, "", "knowledge", "preview", "--no-eval", out)
	if code != 0 || !strings.Contains(stdout, "Nothing changes in facts, documents, aliases, measures, eval cases or announcements.") {
		t.Errorf("preview of the export: exit %d, %q %q", code, stdout, errs)
	}
	// A folder zipped as a folder.
	dirZip := filepath.Join(t.TempDir(), "small.zip")
	if code, stdout, errs := run(t, "", "knowledge", "zip", small, dirZip); code != 0 || !strings.Contains(stdout, "wrote 6 files") {
		t.Errorf("knowledge zip DIR: exit %d, %q %q", code, stdout, errs)
	}
	if code, _, _ := run(t, "", "knowledge", "zip"); code != 2 {
		t.Errorf("knowledge zip without OUT: exit %d, want 2", code)
	}
}

// A new fact previewed against a knowledge folder, with the eval numbers.
func TestKnowledgePreview(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "wheat.yaml", wheatFact)
	code, stdout, errs := run(t, "", "knowledge", "preview", "--knowledge", small, good)
	for _, want := range []string{
		"wheat.yaml: a YAML file, checked against " + small,
		"it adds facts/wheat.yaml",
		"Facts: 1 added, 0 changed, 0 removed\n  + wheat-2024",
		"Eval on each version's own dev set, before → after:\n  recall@3: en 1.000 → 1.000",
		"Quality gate: passes.",
	} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("preview: exit %d, %q; want %q (stderr %q)", code, stdout, want, errs)
		}
	}

	bad := writeFile(t, dir, "bad.yaml", strings.Replace(wheatFact, "    topic: trade\n", "", 1))
	code, stdout, errs = run(t, "", "knowledge", "preview", "--knowledge", small, bad)
	if code != 1 || !strings.Contains(stdout, `facts/bad.yaml:2: fact "wheat-2024" has no topic`) || !strings.Contains(errs, "1 problems; nothing would change") {
		t.Errorf("preview of a bad file: exit %d, %q %q", code, stdout, errs)
	}

	hostile := filepath.Join(dir, "evil.zip")
	f, _ := os.Create(hostile)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("facts/../../../etc/cron.d/x.yaml")
	w.Write([]byte("facts: []\n"))
	zw.Close()
	f.Close()
	code, _, errs = run(t, "", "knowledge", "preview", hostile)
	if code != 1 || !strings.Contains(errs, `upload evil.zip refused: entry "facts/../../../etc/cron.d/x.yaml" has ".." in its path`) {
		t.Errorf("preview of a hostile zip: exit %d, %q", code, errs)
	}
}

// versions lists what the data folder keeps, and preview checks against
// its current version.
func TestKnowledgeVersions(t *testing.T) {
	data := t.TempDir()
	code, stdout, _ := run(t, "", "knowledge", "versions", "--data-dir", data)
	if code != 0 || !strings.Contains(stdout, "no knowledge versions in "+filepath.Join(data, "knowledge")) {
		t.Errorf("versions of an empty data folder: exit %d, %q", code, stdout)
	}
	if code, _, _ := run(t, "", "knowledge", "versions"); code != 2 && os.Getenv("FACTBOT_DATA_DIR") == "" {
		t.Errorf("versions without a data folder: exit %d, want 2", code)
	}

	st, err := versions.Open(data, versions.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.Seed(ctx, os.DirFS(small)); err != nil {
		t.Fatal(err)
	}
	kb := filepath.Join(t.TempDir(), "kb")
	if _, err := knowledge.Export(os.DirFS(small), kb, false); err != nil {
		t.Fatal(err)
	}
	writeFile(t, kb, "facts/wheat.yaml", wheatFact)
	if _, err := st.Apply(ctx, os.DirFS(kb), versions.Change{Who: versions.Admin(42), Diff: knowledge.Diff{AddedFacts: []string{"wheat-2024"}}}); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := run(t, "", "knowledge", "versions", "--data-dir", data)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[1], "*       2") || !strings.Contains(lines[1], " 42 ") ||
		!strings.HasSuffix(lines[1], "facts: wheat-2024 added") || !strings.Contains(lines[2], " start ") {
		t.Errorf("versions: exit %d, %q %q", code, stdout, errs)
	}

	// The current version holds wheat-2024: uploading it again changes it.
	again := writeFile(t, t.TempDir(), "wheat.yaml", strings.Replace(wheatFact, `"1 million"`, `"1.1 million"`, 1))
	code, stdout, errs = run(t, "", "knowledge", "preview", "--no-eval", "--data-dir", data, again)
	if code != 0 || !strings.Contains(stdout, "checked against version 2") || !strings.Contains(stdout, "it replaces facts/wheat.yaml") ||
		!strings.Contains(stdout, "figure: 1 million t (2024, by Kazakh statistics) → 1.1 million t (2024, by Kazakh statistics)") {
		t.Errorf("preview against the current version: exit %d, %q %q", code, stdout, errs)
	}

	out := filepath.Join(t.TempDir(), "current.zip")
	if code, stdout, errs := run(t, "", "knowledge", "zip", "--data-dir", data, out); code != 0 || !strings.Contains(stdout, "wrote 7 files of version 2") {
		t.Errorf("zip of the current version: exit %d, %q %q", code, stdout, errs)
	}
}
