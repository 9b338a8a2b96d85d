package main

import (
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestContainerMemory(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		content string
		want    int64
		ok      bool
	}{
		{"536870912\n", 536870912, true},
		{"max\n", 0, false},
		{"9223372036854771712\n", 0, false}, // cgroup v1's "no limit"
		{"garbage", 0, false},
		{"0", 0, false},
	} {
		f := writeFile(t, dir, "memory.max", tc.content)
		got, ok := containerMemory([]string{filepath.Join(dir, "missing"), f})
		if got != tc.want || ok != tc.ok {
			t.Errorf("containerMemory(%q) = %d, %v; want %d, %v", tc.content, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := containerMemory([]string{filepath.Join(dir, "missing")}); ok {
		t.Error("no file gave a limit")
	}
}

// tuneGC leaves alone what the operator set, and sets GOGC otherwise.
func TestTuneGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(old); debug.SetMemoryLimit(oldLimit) })

	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	if p, l := tuneGC(); p != 0 || l != 0 {
		t.Errorf("with GOGC and GOMEMLIMIT set, tuneGC set %d, %d", p, l)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC became %d though the operator set it", p)
	}
	t.Setenv("GOGC", "")
	if p, _ := tuneGC(); p != servingGCPercent {
		t.Errorf("tuneGC set GOGC %d, want %d", p, servingGCPercent)
	}
	if p := debug.SetGCPercent(100); p != servingGCPercent {
		t.Errorf("GOGC is %d, want %d", p, servingGCPercent)
	}
}
