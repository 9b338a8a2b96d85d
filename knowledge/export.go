package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Folder is a folder of a knowledge folder and the extension of the files
// the loader reads in it (its direct children; nested folders are not read).
type Folder struct{ Name, Ext string }

// Folders are the folders the loader reads, in the order it reads them.
var Folders = []Folder{
	{"facts", ".yaml"}, {"documents", ".md"}, {"aliases", ".yaml"}, {"measures", ".yaml"},
	{"counters", ".yaml"}, {"eval", ".yaml"}, {"blind", ".yaml"}, {"announcements", ".yaml"},
}

// FolderOf returns the folder called name, if the loader reads one.
func FolderOf(name string) (Folder, bool) {
	for _, f := range Folders {
		if f.Name == name {
			return f, true
		}
	}
	return Folder{}, false
}

// IsFile reports whether name, a slash-separated path in a knowledge folder,
// is a knowledge file: one the loader reads (facts/*.yaml, documents/*.md …,
// see Folders), or a Markdown note beside them (README.md, GLOSSARY.md,
// blind/README.md). Hidden files are not.
func IsFile(name string) bool {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if base == "" || strings.HasPrefix(base, ".") {
		return false
	}
	if dir == "" {
		return path.Ext(base) == ".md"
	}
	f, ok := FolderOf(dir)
	return ok && (path.Ext(base) == f.Ext || path.Ext(base) == ".md")
}

// Files lists the knowledge files of the folder at the root of fsys (see
// IsFile), sorted: what a version holds and an export carries. Links are
// followed, as the loader follows them; a knowledge file that is not a
// regular file is an error. Everything else (hidden files, other
// extensions, nested folders) is left out.
func Files(fsys fs.FS) ([]string, error) {
	var out []string
	for _, dir := range append([]string{"."}, folderNames()...) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			if dir == "." {
				return nil, fmt.Errorf("list knowledge files: %w", err)
			}
			continue // an absent folder is an empty one
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if e.IsDir() || !IsFile(name) {
				continue
			}
			info, err := fs.Stat(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("list knowledge files: %w", err)
			}
			if !info.Mode().IsRegular() {
				return nil, fmt.Errorf("list knowledge files: %s is not a regular file (%s)", name, fileKind(info.Mode()))
			}
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

func folderNames() []string {
	names := make([]string, len(Folders))
	for i, f := range Folders {
		names[i] = f.Name
	}
	return names
}

// ErrNotEmpty is returned by Export when the target folder holds files.
var ErrNotEmpty = errors.New("folder is not empty")

// Export writes the files of the knowledge folder fsys to dir, the same files
// byte for byte, so that an operator can start curating from them. It
// refuses a dir that holds anything unless overwrite is set.
func Export(fsys fs.FS, dir string, overwrite bool) (files int, err error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !overwrite {
		return 0, fmt.Errorf("export to %s: %w (pass --force to overwrite)", dir, ErrNotEmpty)
	}
	err = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
		files++
		return nil
	})
	if err != nil {
		return files, fmt.Errorf("export to %s: %w", dir, err)
	}
	return files, nil
}

// CopyFiles writes the knowledge files of fsys (see Files) to dir, creating
// it, each read as the loader reads it (a regular file, at most
// MaxFileSize): a copy that another process can load, while the folder it
// came from may change.
func CopyFiles(fsys fs.FS, dir string) error {
	names, err := Files(fsys)
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := readRegular(fsys, name)
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
	}
	return nil
}
