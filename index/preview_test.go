package index

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"factbot/knowledge"
)

// The eval numbers of a preview: the same base gives the same numbers and
// passes; a fact rewritten off its questions fails the gate on recall@3.
func TestPreviewEval(t *testing.T) {
	const dir = "../knowledge/testdata/small"
	old, err := knowledge.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	same, err := PreviewEval(ctx, old, old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if same.GateFails() || same.Before.Recall3[knowledge.EN] != same.After.Recall3[knowledge.EN] || same.Before.Cases[knowledge.RU] != 3 || same.Before.OutOfScope != 2 {
		t.Errorf("PreviewEval(old, old) = %+v", same)
	}

	files := fstest.MapFS{}
	names, _ := knowledge.Files(os.DirFS(dir))
	for _, n := range names {
		data, _ := os.ReadFile(dir + "/" + n)
		files[n] = &fstest.MapFile{Data: data}
	}
	f := string(files["facts/f.yaml"].Data)
	i := strings.Index(f, "  - id: trade-2023")
	j := strings.Index(f, "    sources:\n      - {publisher: Trend")
	f = f[:i] + `  - id: trade-2023
    topic: green
    measures: [dry-ports]
    date: "1999"
    text:
      en: Apples grow in Almaty.
      ru: Яблоки растут в Алматы.
      kk: Алматыда алма өседі.
      zh: 阿拉木图种苹果。
      fr: Des pommes poussent à Almaty.
` + f[j:]
	files["facts/f.yaml"] = &fstest.MapFile{Data: []byte(f)}
	broken, err := knowledge.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	e, err := PreviewEval(ctx, old, broken, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !e.GateFails() || len(e.Drops()) == 0 || !strings.Contains(strings.Join(e.Drops(), "; "), "recall@3 in en falls from 1.000") {
		t.Errorf("PreviewEval(old, broken): drops %q, before %v, after %v", e.Drops(), e.Before.Recall3, e.After.Recall3)
	}
	if e.BlindBefore != nil || e.BlindAfter != nil {
		t.Error("blind numbers for a base without a blind set")
	}
}
