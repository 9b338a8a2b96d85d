package memfs

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"factbot/knowledge"
)

func TestFS(t *testing.T) {
	m := FS{
		"README.md":         []byte("# notes\n"),
		"facts/a.yaml":      []byte("facts: []\n"),
		"facts/b.yaml":      []byte("facts: []\n"),
		"documents/d.en.md": []byte("---\n"),
		"blind/x/deep.yaml": []byte(""),
	}
	if err := fstest.TestFS(m, "README.md", "facts/a.yaml", "facts/b.yaml", "documents/d.en.md", "blind/x/deep.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(m, "nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat(nope) = %v, want ErrNotExist", err)
	}
}

func TestSnapshot(t *testing.T) {
	src := fstest.MapFS{
		"README.md":    {Data: []byte("notes")},
		"facts/a.yaml": {Data: []byte("facts: []\n")},
		"notes.txt":    {Data: []byte("left out")},
	}
	m, err := Snapshot(src, Limits{Files: 10, Bytes: 1 << 20})
	if err != nil || strings.Join(m.Paths(), " ") != "README.md facts/a.yaml" {
		t.Fatalf("Snapshot = %v, %v", m.Paths(), err)
	}
	if _, err := Snapshot(src, Limits{Files: 1, Bytes: 1 << 20}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Snapshot over the file count = %v, want ErrTooLarge", err)
	}
	if _, err := Snapshot(src, Limits{Files: 10, Bytes: 10}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 10 bytes in all") {
		t.Errorf("Snapshot over the bytes = %v, want ErrTooLarge", err)
	}
	big := fstest.MapFS{"facts/big.yaml": {Data: make([]byte, knowledge.MaxFileSize+1)}}
	if _, err := Snapshot(big, Limits{Files: 10, Bytes: 50 << 20}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "facts/big.yaml is larger") {
		t.Errorf("Snapshot of a big file = %v, want ErrTooLarge naming it", err)
	}
}
