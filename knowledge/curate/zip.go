package curate

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"time"

	"factbot/knowledge/internal/memfs"
)

// zipTime is every entry's time stamp, so that a folder always zips to the
// same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip writes the knowledge files of the folder fsys (knowledge.Files) to w
// as a zip archive: paths relative to the folder (facts/…, README.md), as
// `factbot knowledge export` lays a folder out, sorted, deflated, mode 0644,
// each with the same fixed time stamp, so that the same files always give
// the same bytes and Parse reads them back unchanged. The folder is bounded
// like an upload's unpacked contents (DefaultLimits).
func Zip(w io.Writer, fsys fs.FS) (files int, err error) {
	m, err := memfs.Snapshot(fsys, memfs.Limits{Files: DefaultLimits.Entries, Bytes: DefaultLimits.Unpacked})
	if err != nil {
		return 0, fmt.Errorf("zip knowledge: %w", err)
	}
	return zipFiles(w, m)
}

// zipFiles writes m as Zip lays it out.
func zipFiles(w io.Writer, m memfs.FS) (files int, err error) {
	zw := zip.NewWriter(w)
	for _, p := range m.Paths() {
		fh := &zip.FileHeader{Name: p, Method: zip.Deflate, Modified: zipTime}
		fh.SetMode(0o644)
		f, err := zw.CreateHeader(fh)
		if err != nil {
			return files, fmt.Errorf("zip knowledge: %w", err)
		}
		if _, err := f.Write(m[p]); err != nil {
			return files, fmt.Errorf("zip knowledge: %w", err)
		}
		files++
	}
	if err := zw.Close(); err != nil {
		return files, fmt.Errorf("zip knowledge: %w", err)
	}
	return files, nil
}
