package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

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
