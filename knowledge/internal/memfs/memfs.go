// Package memfs holds a knowledge folder in memory: the files of a version
// read once (so that what is validated is what is written, whatever happens
// to the folder meanwhile) or the contents of an upload. It imports neither
// Bleve nor Telegram.
package memfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"factbot/knowledge"
)

// FS is a read-only file system of files by slash-separated path; folders
// are implied by the paths. It implements fs.ReadDirFS, fs.ReadFileFS and
// fs.StatFS. The contents must not be changed once the FS is in use.
type FS map[string][]byte

// Paths returns the files' paths, sorted.
func (m FS) Paths() []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Size returns the bytes of all files.
func (m FS) Size() int64 {
	var n int64
	for _, d := range m {
		n += int64(len(d))
	}
	return n
}

// Open implements fs.FS.
func (m FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m[name]; ok {
		return &file{info: info{name: path.Base(name), size: int64(len(data))}, r: strings.NewReader(string(data))}, nil
	}
	entries, ok := m.dir(name)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &dir{info: info{name: path.Base(name), dir: true}, entries: entries}, nil
}

// ReadFile implements fs.ReadFileFS.
func (m FS) ReadFile(name string) ([]byte, error) {
	data, ok := m[name]
	if !ok {
		if _, isDir := m.dir(name); isDir {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return append([]byte(nil), data...), nil
}

// Stat implements fs.StatFS.
func (m FS) Stat(name string) (fs.FileInfo, error) {
	f, err := m.Open(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: errors.Unwrap(err)}
	}
	return f.Stat()
}

// ReadDir implements fs.ReadDirFS.
func (m FS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	entries, ok := m.dir(name)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return entries, nil
}

// dir lists the folder name, if there is one: the root always is.
func (m FS) dir(name string) ([]fs.DirEntry, bool) {
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	seen := map[string]fs.DirEntry{}
	for p, data := range m {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := p[len(prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			seen[rest[:i]] = info{name: rest[:i], dir: true}
		} else if _, ok := seen[rest]; !ok {
			seen[rest] = info{name: rest, size: int64(len(data))}
		}
	}
	if len(seen) == 0 && name != "." {
		return nil, false
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, true
}

// info is both the fs.FileInfo and the fs.DirEntry of a file or folder.
type info struct {
	name string
	size int64
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i info) Type() fs.FileMode          { return i.Mode().Type() }
func (i info) ModTime() time.Time         { return time.Time{} }
func (i info) IsDir() bool                { return i.dir }
func (i info) Sys() any                   { return nil }
func (i info) Info() (fs.FileInfo, error) { return i, nil }

type file struct {
	info info
	r    *strings.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *file) Close() error               { return nil }

type dir struct {
	info    info
	entries []fs.DirEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}
func (d *dir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}

// Limits bound a folder read into memory.
type Limits struct {
	Files int   // at most this many files
	Bytes int64 // and this many bytes in all
}

// ErrTooLarge is returned by Snapshot for a folder past its Limits.
var ErrTooLarge = errors.New("knowledge folder too large")

// Snapshot reads the knowledge files of the folder at the root of fsys
// (knowledge.Files) into memory, each at most knowledge.MaxFileSize, within
// lim. Reads are capped, whatever sizes the folder claims.
func Snapshot(fsys fs.FS, lim Limits) (FS, error) {
	names, err := knowledge.Files(fsys)
	if err != nil {
		return nil, err
	}
	if len(names) > lim.Files {
		return nil, fmt.Errorf("%w: %d files, at most %d", ErrTooLarge, len(names), lim.Files)
	}
	out := make(FS, len(names))
	var total int64
	for _, name := range names {
		data, err := readCapped(fsys, name, min(knowledge.MaxFileSize, lim.Bytes-total))
		if err != nil {
			if errors.Is(err, errOver) && lim.Bytes-total < knowledge.MaxFileSize {
				return nil, fmt.Errorf("%w: more than %d bytes in all", ErrTooLarge, lim.Bytes)
			}
			if errors.Is(err, errOver) {
				return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, name, knowledge.MaxFileSize)
			}
			return nil, err
		}
		total += int64(len(data))
		out[name] = data
	}
	return out, nil
}

func readCapped(fsys fs.FS, name string, max int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, errOver
	}
	return data, nil
}

var errOver = errors.New("over the limit")
