package knowledge

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// billionLaughs is the classic bomb: nine levels of anchors, each a list of
// nine aliases of the one before, 9^9 "lol"s if expanded.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 9; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.Repeat(p+", ", 8)+p)
	}
	return b.String()
}

// Hostile YAML gets one clear problem, quickly: no expansion, no hang, no
// flood of problems.
func TestLoadHostileYAML(t *testing.T) {
	for _, tc := range []struct {
		name, file, data, want string
	}{
		{"billion laughs", "facts/bomb.yaml", "x: &a0 [lol, lol]\nfacts:\n  - id: bomb\n    tags: *a0\n",
			`facts/bomb.yaml:4: YAML alias *a0: aliases are not allowed in knowledge files, write the value out`},
		{"billion laughs, nine levels", "eval/bomb.yaml", "cases: *a8\n" + billionLaughs(),
			`eval/bomb.yaml:1: invalid YAML: unknown anchor 'a8' referenced`},
		{"billion laughs, anchors first", "eval/bomb.yaml", billionLaughs() + "cases: *a8\n",
			`eval/bomb.yaml:2: YAML alias *a0: aliases are not allowed in knowledge files, write the value out (and 72 more in this file)`},
		{"alias of a fact", "facts/a.yaml", strings.Replace(goodFact, "facts:\n  - id", "facts:\n  - &f\n    id", 1) + "  - *f\n",
			`facts/a.yaml:23: YAML alias *f: aliases are not allowed in knowledge files, write the value out`},
		{"alias in front matter", "documents/d.md", strings.Replace(goodDoc, "facts: [trade-2023]", "facts: &x [trade-2023]\nsources: *x", 1),
			`documents/d.md:8: YAML alias *x: aliases are not allowed in knowledge files, write the value out`},
		{"deep flow nesting", "facts/deep.yaml", "facts: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n",
			`facts/deep.yaml:1: invalid YAML: exceeded max depth of 10000`},
		{"deep compact nesting", "facts/deep.yaml", "facts:\n" + strings.Repeat("- ", 20000) + "x\n",
			`facts/deep.yaml:2: invalid YAML: exceeded max depth of 10000`},
		{"dense file", "facts/dense.yaml", "facts:\n" + strings.Repeat("- 1\n", MaxYAMLItems/2+1),
			fmt.Sprintf(`facts/dense.yaml:1: file is too large to read: %d line breaks and YAML punctuation marks (, : - [ { ?), at most %d in one file; split it`, MaxYAMLItems+4, MaxYAMLItems)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Load(mapFS(map[string]string{tc.file: tc.data}))
			took := time.Since(start)
			wantProblem(t, err, tc.want)
			var probs Problems
			if errors.As(err, &probs) && len(probs) > 3 {
				t.Errorf("%d problems for one hostile file, want one clear one:\n%v", len(probs), err)
			}
			t.Logf("%s: %v", tc.name, took)
		})
	}
}

// A folder whose YAML is too large in all is refused at the file that
// passes the bound, and the files after it are not read.
func TestLoadTotalBound(t *testing.T) {
	files := map[string]string{}
	// Each file just under the per-file bound (in comments, so that it
	// parses quickly and has no problem); eleven of them pass the total.
	chunk := "facts: []\n" + strings.Repeat("#"+strings.Repeat("-", 999)+"\n", MaxYAMLItems/1000-1)
	for i := range 11 {
		files[fmt.Sprintf("facts/%02d.yaml", i)] = chunk
	}
	_, err := Load(mapFS(files))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load = %v, want problems", err)
	}
	want := fmt.Sprintf("facts/10.yaml:1: the knowledge folder is too large to read: more than %d line breaks and YAML punctuation marks (, : - [ { ?) in all; this file and the ones after it were not read", MaxYAMLItemsTotal)
	wantProblem(t, err, want)
}

// Problems stop at MaxProblems, with a last line saying so.
func TestLoadProblemCap(t *testing.T) {
	_, err := Load(mapFS(map[string]string{
		"facts/a.yaml": "facts:\n" + strings.Repeat("- 1\n", 5000),
		"facts/b.yaml": "facts:\n  - id: Bad\n",
	}))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load = %v, want problems", err)
	}
	if len(probs) != MaxProblems+1 {
		t.Fatalf("%d problems, want %d and a last line", len(probs), MaxProblems+1)
	}
	last := probs[len(probs)-1]
	if !strings.HasPrefix(last.String(), "facts/a.yaml:") || !strings.Contains(last.Msg, "too many problems: only the first 1000 are listed") {
		t.Errorf("last problem = %q", last)
	}
	for _, p := range probs {
		if strings.HasPrefix(p.Pos.File, "facts/b.yaml") {
			t.Errorf("a file after the cap was read: %v", p)
		}
	}
}

func TestFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md":             {Data: []byte("x")},
		"notes.txt":             {Data: []byte("x")},
		"top.yaml":              {Data: []byte("x")},
		".hidden.md":            {Data: []byte("x")},
		"facts/a.yaml":          {Data: []byte("x")},
		"facts/a.yml":           {Data: []byte("x")},
		"facts/README.md":       {Data: []byte("x")},
		"facts/sub/b.yaml":      {Data: []byte("x")},
		"facts/.c.yaml":         {Data: []byte("x")},
		"documents/d.en.md":     {Data: []byte("x")},
		"documents/d.yaml":      {Data: []byte("x")},
		"blind/README.md":       {Data: []byte("x")},
		"blind/en.yaml":         {Data: []byte("x")},
		"announcements/a.yaml":  {Data: []byte("x")},
		"other/x.yaml":          {Data: []byte("x")},
		"__MACOSX/facts/a.yaml": {Data: []byte("x")},
	}
	got, err := Files(fsys)
	want := []string{"README.md", "announcements/a.yaml", "blind/README.md", "blind/en.yaml", "documents/d.en.md", "facts/README.md", "facts/a.yaml"}
	if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Files = %q, %v; want %q", got, err, want)
	}
	// The curated base: every file is a knowledge file.
	all, err := Files(Curated())
	if err != nil || len(all) < 70 {
		t.Fatalf("Files(Curated()) = %d files, %v", len(all), err)
	}
}

// Briefings of a million one-letter paragraphs stop at MaxPassages.
func TestLoadPassageBound(t *testing.T) {
	doc := strings.Replace(goodDoc, "# First heading", strings.Repeat("a\n\n", MaxPassages+1), 1)
	_, err := Load(mapFS(map[string]string{"facts/a.yaml": goodFact, "documents/d.md": doc, "documents/e.md": goodDoc}))
	wantProblem(t, err, fmt.Sprintf("documents/d.md:1: the briefings have more than %d passages in all; this file and the ones after it were not read", MaxPassages))
	var probs Problems
	if errors.As(err, &probs) && len(probs) != 1 {
		t.Errorf("problems: %v", err)
	}
}
