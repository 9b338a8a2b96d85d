package curate

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"factbot/knowledge/internal/memfs"
)

// The blind eval set (blind/) measures the knowledge on questions nobody
// tuned it on, so no upload may replace it and no export hands it out: a zip
// upload's blind/ entries are ignored (listed in Candidate.Ignored) and the
// candidate keeps the blind files of the folder being served; ZipShared
// leaves them out. A single file cannot reach blind/: an eval file goes to
// eval/.

// keptBlind is why a zip's blind entry is ignored.
const keptBlind = "the blind eval set is never replaced by an upload: the one being served is kept"

func isBlind(name string) bool { return strings.HasPrefix(name, "blind/") }

// keepBlind copies the blind files of current into files, within lim.
func keepBlind(files memfs.FS, current fs.FS, lim Limits) error {
	if current == nil {
		return nil
	}
	cur, err := memfs.Snapshot(current, memfs.Limits{Files: lim.Entries, Bytes: lim.Unpacked})
	if err != nil {
		return fmt.Errorf("read the current knowledge: %w", err)
	}
	for name, data := range cur {
		if isBlind(name) {
			files[name] = data
		}
	}
	return nil
}

// ZipShared writes the knowledge files of fsys as Zip does, without the
// blind eval set: what an admin may take out of the bot (/export). Parse
// reads it back unchanged against the same folder, since a zip upload
// keeps the blind set being served.
func ZipShared(w io.Writer, fsys fs.FS) (files int, err error) {
	m, err := memfs.Snapshot(fsys, memfs.Limits{Files: DefaultLimits.Entries, Bytes: DefaultLimits.Unpacked})
	if err != nil {
		return 0, fmt.Errorf("zip knowledge: %w", err)
	}
	for name := range m {
		if isBlind(name) {
			delete(m, name)
		}
	}
	return zipFiles(w, m)
}
