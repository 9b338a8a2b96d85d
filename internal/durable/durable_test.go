package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := WriteFile(name, []byte("one"), os.O_EXCL); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("two"), os.O_EXCL); !errors.Is(err, fs.ErrExist) {
		t.Errorf("O_EXCL over an existing file: %v, want ErrExist", err)
	}
	if err := WriteFile(name, []byte("2"), os.O_TRUNC); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); string(got) != "2" {
		t.Errorf("after O_TRUNC the file holds %q", got)
	}
	if err := SyncDir(dir); err != nil {
		t.Error(err)
	}
	if err := SyncDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("SyncDir of a missing folder succeeded")
	}
}
