package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"factbot/index"
	"factbot/knowledge"
)

// build-index writes an index folder of a knowledge folder; it refuses
// knowledge whose hash is not the one asked for, and an existing folder.
func TestBuildIndexCommand(t *testing.T) {
	kdir := filepath.Join(t.TempDir(), "k")
	if _, err := knowledge.Export(knowledge.Curated(), kdir, false); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "", "build-index", "--knowledge", kdir); code != 2 || !strings.Contains(stderr, "--out") {
		t.Errorf("build-index without --out: exit %d, %q; want a usage error", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "ix")
	code, _, stderr := run(t, "", "build-index", "--knowledge", kdir, "--out", out, "--hash", "0123")
	if code != 1 || !strings.Contains(stderr, "not 0123") {
		t.Errorf("build-index with the wrong hash: exit %d, %q; want the hashes named", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused build left a folder")
	}
	if code, _, stderr := run(t, "", "build-index", "--knowledge", kdir, "--out", t.TempDir()); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("build-index into an existing folder: exit %d, %q", code, stderr)
	}
}

// A reload under serve's store builds its index in a child process (this
// test binary acting as factbot build-index), and serves it.
func TestReloadBuildsInAChild(t *testing.T) {
	kdir := filepath.Join(t.TempDir(), "k")
	if _, err := knowledge.Export(os.DirFS("../../index/testdata/base"), kdir, false); err != nil { // a small base
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.InfoLevel)
	ks, err := openStore(context.Background(), zap.New(core), t.TempDir(), kdir, index.Options{}, versionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	if n := logs.FilterMessage("index built in a child process").Len(); n != 0 {
		t.Errorf("the first index was built in %d child processes, want here (nothing serves yet)", n)
	}
	edit(t, kdir, "facts/f.yaml", "handles container trains.", "handles container trains and trucks.")
	rep, err := ks.Reload(context.Background())
	if err != nil || !rep.Built || len(rep.Diff.ChangedFacts) != 1 {
		t.Fatalf("Reload = %+v, %v", rep.Diff, err)
	}
	if n := logs.FilterMessage("index built in a child process").Len(); n != 1 {
		t.Errorf("the reload's index was built in %d child processes, want 1", n)
	}
	if got := ks.Live().Base().Hash(); got != rep.Hash {
		t.Errorf("serving %s, want the reloaded %s", got, rep.Hash)
	}
	res, err := ks.Live().Search(context.Background(), knowledge.Query{Text: "Khorgos dry port trucks"})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != "khorgos-port" || !strings.Contains(res.Hits[0].Text, "trucks") {
		t.Errorf("search after a reload built in a child: %+v, %v; want the changed khorgos-port first", res.Hits, err)
	}
}

// runNiced starts its child at the lowest priority and leaves this
// process as it was.
func TestRunNiced(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("priorities are lowered on Linux only")
	}
	own := func() int {
		data, err := os.ReadFile("/proc/self/stat")
		if err != nil {
			t.Fatal(err)
		}
		return niceOf(t, string(data))
	}
	before := own()
	var out strings.Builder
	cmd := exec.Command("cat", "/proc/self/stat")
	cmd.Stdout = &out
	if err := runNiced(cmd); err != nil {
		t.Fatal(err)
	}
	if got := niceOf(t, out.String()); got != 19 {
		t.Errorf("the child's nice value is %d, want 19", got)
	}
	if after := own(); after != before {
		t.Errorf("this process's nice value went from %d to %d", before, after)
	}
}

// niceOf reads the nice value from a /proc/PID/stat line (field 19).
func niceOf(t *testing.T, stat string) int {
	t.Helper()
	i := strings.LastIndexByte(stat, ')')
	fields := strings.Fields(stat[i+1:]) // from field 3 on
	if len(fields) < 17 {
		t.Fatalf("bad stat line %q", stat)
	}
	n, err := strconv.Atoi(fields[16])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
