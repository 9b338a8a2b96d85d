package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeFolder writes a knowledge folder on disk and returns its path.
func writeFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["measures/default.yaml"]; !ok {
		files["measures/default.yaml"] = goodMeasures
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadDir loads dir with os.DirFS, as factbot check and serve do, and fails
// the test if Load does not return: a hang is the defect under test, so it
// is reported rather than left to the test binary's global timeout.
func loadDir(t *testing.T, dir string) (*Base, error) {
	t.Helper()
	type result struct {
		b   *Base
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := Load(os.DirFS(dir))
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-time.After(30 * time.Second):
		t.Fatalf("Load(%s) did not return: it blocks on a file", dir)
		return nil, nil
	}
}

// wantProblem checks that err holds a problem with exactly want.
func wantProblem(t *testing.T, err error, want string) {
	t.Helper()
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load() error = %v, want Problems", err)
	}
	for _, p := range probs {
		if p.String() == want {
			return
		}
	}
	t.Errorf("Load() problems:\n%v\nwant one to be:\n%s", err, want)
}

// The loader on a real folder: FuzzLoad's in-memory file system cannot hold
// links, devices or pipes. Links are followed (Kubernetes mounts ConfigMaps
// as links) but only to regular files within the size limit.
func TestLoadRealFolder(t *testing.T) {
	t.Run("symlink to a regular file is read", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"data/a.yaml": goodFact})
		if err := os.MkdirAll(filepath.Join(dir, "facts"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "data/a.yaml"), filepath.Join(dir, "facts/a.yaml")); err != nil {
			t.Fatal(err)
		}
		b, err := loadDir(t, dir)
		if err != nil || b.Fact("trade-2023") == nil {
			t.Fatalf("Load() = %v, %v; want the linked fact", b, err)
		}
	})
	t.Run("symlink to /dev/zero", func(t *testing.T) {
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip("no /dev/zero here")
		}
		dir := writeFolder(t, map[string]string{"facts/a.yaml": goodFact})
		if err := os.Symlink("/dev/zero", filepath.Join(dir, "facts/z.yaml")); err != nil {
			t.Fatal(err)
		}
		_, err := loadDir(t, dir)
		wantProblem(t, err, "facts/z.yaml:1: not a regular file (a character device); only plain files are read")
	})
	t.Run("named pipe", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"facts/a.yaml": goodFact})
		if err := syscall.Mkfifo(filepath.Join(dir, "facts/f.yaml"), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		_, err := loadDir(t, dir)
		wantProblem(t, err, "facts/f.yaml:1: not a regular file (a named pipe); only plain files are read")
	})
	t.Run("symlink to an oversized file", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"facts/a.yaml": goodFact})
		big := filepath.Join(t.TempDir(), "big.yaml")
		if err := os.WriteFile(big, []byte("facts:\n"+strings.Repeat("#", MaxFileSize)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(big, filepath.Join(dir, "facts/big.yaml")); err != nil {
			t.Fatal(err)
		}
		_, err := loadDir(t, dir)
		wantProblem(t, err, "facts/big.yaml:1: file is larger than 4194304 bytes")
	})
	t.Run("symlink to a folder", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"facts/a.yaml": goodFact})
		if err := os.Symlink(t.TempDir(), filepath.Join(dir, "facts/d.yaml")); err != nil {
			t.Fatal(err)
		}
		_, err := loadDir(t, dir)
		wantProblem(t, err, "facts/d.yaml:1: not a regular file (a folder); only plain files are read")
	})
	t.Run("dangling symlink", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"facts/a.yaml": goodFact})
		if err := os.Symlink(filepath.Join(dir, "nowhere.yaml"), filepath.Join(dir, "facts/n.yaml")); err != nil {
			t.Fatal(err)
		}
		_, err := loadDir(t, dir)
		wantProblem(t, err, "facts/n.yaml:1: cannot read: no such file or directory")
	})
}

// A knowledge file is UTF-8 text: a bad byte or a NUL is reported at its
// line instead of being served as U+FFFD.
func TestLoadEncoding(t *testing.T) {
	badDoc := strings.Replace(goodDoc, "Second paragraph.", "Second \xff\xfe paragraph.", 1)
	nulDoc := strings.Replace(goodDoc, "still first.", "still\x00first.", 1)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"invalid UTF-8 in Markdown", map[string]string{"facts/a.yaml": goodFact, "documents/b.en.md": badDoc},
			"documents/b.en.md:16: invalid UTF-8 (byte 0xff); knowledge files must be UTF-8 text"},
		{"NUL in Markdown", map[string]string{"facts/a.yaml": goodFact, "documents/b.en.md": nulDoc},
			"documents/b.en.md:14: NUL byte; knowledge files must be text"},
		{"invalid UTF-8 in YAML", map[string]string{"facts/a.yaml": strings.Replace(goodFact, "Trade reached", "Trade \xc3 reached", 1)},
			"facts/a.yaml:8: invalid UTF-8 (byte 0xc3); knowledge files must be UTF-8 text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(tc.files))
			wantProblem(t, err, tc.want)
		})
	}
}
