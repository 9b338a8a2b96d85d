// Package testkb loads the small knowledge base the tests of bot and
// bot/reply share (bot/testdata/kb). Only tests import it.
package testkb

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"factbot/knowledge"
)

var (
	once sync.Once
	base *knowledge.Base
	err  error
)

// Base loads bot/testdata/kb once and returns it; callers must not modify
// it.
func Base(tb testing.TB) *knowledge.Base {
	tb.Helper()
	once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "kb")
		base, err = knowledge.Load(os.DirFS(dir))
	})
	if err != nil {
		tb.Fatalf("load bot/testdata/kb: %v", err)
	}
	return base
}
