// Package durable writes files that survive a crash: the data is on disk
// before the write returns, and a folder's entries are once SyncDir
// returns. The knowledge versions and the index store build on it.
// It imports only the standard library.
package durable

import "os"

// WriteFile creates name (flag adds to O_WRONLY|O_CREATE: O_EXCL or
// O_TRUNC), writes data and fsyncs it before closing.
func WriteFile(name string, data []byte, flag int) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|flag, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// SyncDir fsyncs a folder, so that the entries created, renamed or
// removed in it last.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
