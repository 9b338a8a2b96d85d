// Package curate is the domain side of curating the knowledge from a chat:
// it turns what an admin sends (a YAML file, a Markdown briefing, or a zip
// of a whole knowledge folder) into a candidate knowledge folder validated
// as a whole (Parse), says what the candidate changes against the folder
// being served (Compare, Preview), and writes a folder as a zip that Parse
// reads back unchanged (Zip). It imports knowledge, but neither Bleve nor
// Telegram: the eval numbers of a preview come from index.PreviewEval, and
// the chat (downloading, buttons, paging) is the bot's.
//
// # What an upload may be
//
//   - A .yaml or .yml file: its top-level key says which folder it goes to
//     (facts → facts/, aliases → aliases/, measures → measures/, cases →
//     eval/, announcements → announcements/). It replaces the file of the
//     same name there, or is added; a .yml file is stored as .yaml, the
//     extension the loader reads.
//   - A .md briefing: it goes to documents/, likewise.
//   - A .zip of a whole knowledge folder, as Zip and `factbot knowledge
//     export` lay it out (facts/…, documents/…, README.md at the top; one
//     enclosing folder, as a zip of the folder itself has, is stripped). It
//     replaces everything. Only knowledge files are used (knowledge.IsFile);
//     every other entry is listed in Candidate.Ignored.
//
// # Safety
//
// An upload is refused as a whole (*Refused) when it is larger than
// Limits.Download, when a zip has more than Limits.Entries entries or
// unpacks to more than Limits.Unpacked (counted while unpacking: the sizes a
// zip declares are not trusted), when a zip entry is an absolute path,
// holds "..", a backslash or a NUL, is a symlink, a device or another
// irregular file, is encrypted, is corrupt, or is named twice, and when the
// knowledge would be more than Limits.Knowledge bytes of files (a preview
// and serving each index all of it). Problems in
// the files themselves (invalid UTF-8, YAML aliases and other bombs, a file
// past knowledge.MaxFileSize, anything `factbot check` reports) come back as
// path:line problems in Candidate.Problems, and the candidate is not valid.
package curate

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"factbot/knowledge"
	"factbot/knowledge/internal/memfs"
)

// Limits bound an upload and the candidate made of it.
type Limits struct {
	// Download is the largest upload, in bytes: Telegram lets a bot
	// download at most 20 MB. The caller checks the size it is told
	// before downloading; Parse checks what it reads.
	Download int64
	// Unpacked bounds what a zip unpacks to, and the folder a single file
	// is added to, in bytes.
	Unpacked int64
	// Entries bounds a zip's entries, folders included, and the files of
	// the folder a single file is added to.
	Entries int
	// Knowledge bounds the bytes of the files the loader reads (YAML and
	// briefings) in the candidate, and Facts, Passages and EvalCases what
	// it holds: a preview builds an index of it and runs its eval cases
	// (blind ones included), and serving it builds another. Measured
	// (BenchmarkHostileUploads in index), a preview of valid facts takes
	// about 2 s and 20–45 MB of heap per MB: 46 MB took 104 s and 870 MB.
	Knowledge                  int64
	Facts, Passages, EvalCases int
}

// DefaultLimits are the limits of an upload from Telegram. The curated base
// has 2.2 MB of knowledge files, 241 facts, 485 passages and 5,114 eval
// cases (dev and blind); Knowledge leaves room for three times as much, and
// EvalCases for about four times the eval cases (a preview runs each on two
// indexes, about 0.2 ms each: 20,000 cases take some 8 s).
var DefaultLimits = Limits{
	Download:  20 << 20,
	Unpacked:  50 << 20,
	Entries:   5000,
	Knowledge: 6 << 20,
	Facts:     10_000,
	Passages:  20_000,
	EvalCases: 20_000,
}

// Kind is what an upload is.
type Kind int

const (
	KindYAML     Kind = iota + 1 // one YAML file
	KindBriefing                 // one Markdown briefing
	KindZip                      // a whole knowledge folder
)

func (k Kind) String() string {
	switch k {
	case KindYAML:
		return "YAML file"
	case KindBriefing:
		return "briefing"
	case KindZip:
		return "zip of a knowledge folder"
	}
	return "unknown"
}

// Refused is why an upload was refused as a whole, before its files were
// validated. Reason is a sentence for the admin.
type Refused struct {
	Name   string // the upload's file name
	Reason string
}

func (r *Refused) Error() string { return fmt.Sprintf("upload %s refused: %s", r.Name, r.Reason) }

func refuse(name, format string, args ...any) *Refused {
	return &Refused{Name: name, Reason: fmt.Sprintf(format, args...)}
}

// Ignored is a zip entry left out of the candidate, and why.
type Ignored struct {
	Path, Why string
}

// Candidate is the knowledge folder an upload makes.
type Candidate struct {
	Name string // the upload's file name
	Kind Kind
	// Path is where a single file lands ("facts/trade.yaml"); "" for a zip.
	Path string
	// Replaces is set when a single file replaces a file of the same path.
	Replaces bool
	// FS is the whole candidate folder, in memory.
	FS fs.FS
	// Ignored lists the zip entries left out, sorted by path.
	Ignored []Ignored
	// Notes says what else the admin should know: a .yml stored as .yaml,
	// an enclosing folder stripped.
	Notes []string
	// Base is the candidate, loaded; nil when there are Problems.
	Base *knowledge.Base
	// Problems are what `factbot check` would report, as path:line.
	Problems knowledge.Problems
}

// Valid reports whether the candidate has no problems.
func (c *Candidate) Valid() bool { return c.Base != nil && len(c.Problems) == 0 }

// yamlFolders maps a YAML file's top-level key to its folder.
var yamlFolders = map[string]string{
	"facts": "facts", "aliases": "aliases", "measures": "measures", "cases": "eval", "announcements": "announcements",
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Parse reads an upload of size bytes (as the chat reported it) named name
// from r and makes the candidate folder: current with the file added or
// replaced, or the zip's contents. It returns *Refused for an upload
// refused as a whole, the context's error when ctx ends, and otherwise a
// candidate, valid or with its Problems.
func Parse(ctx context.Context, name string, r io.Reader, size int64, current fs.FS, lim Limits) (*Candidate, error) {
	if size > lim.Download {
		return nil, refuse(name, "it is %s; an upload may be at most %s", mb(size), mb(lim.Download))
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.Download+1))
	if err != nil {
		return nil, fmt.Errorf("read upload %s: %w", name, err)
	}
	if int64(len(data)) > lim.Download {
		return nil, refuse(name, "it is larger than %s, the most an upload may be", mb(lim.Download))
	}
	base := baseName(name)
	c := &Candidate{Name: name}
	switch ext := strings.ToLower(path.Ext(base)); ext {
	case ".yaml", ".yml", ".md":
		if !safeName.MatchString(base) {
			return nil, refuse(name, "rename the file: its name may hold only Latin letters, digits, dots, dashes and underscores, and start with a letter or digit")
		}
		if err := c.single(base, ext, data, current, lim); err != nil {
			return nil, err
		}
		if c.FS == nil {
			return c, nil // the file's folder is unknown: nothing to load
		}
	case ".zip":
		c.Kind = KindZip
		files, err := c.unzip(data, lim)
		if err != nil {
			return nil, err
		}
		if err := keepBlind(files, current, lim); err != nil {
			return nil, err
		}
		c.FS = files
	default:
		return nil, refuse(name, "send a .yaml or .yml file, a .md briefing or a .zip of a knowledge folder")
	}
	if n := knowledgeBytes(c.FS.(memfs.FS)); n > lim.Knowledge {
		return nil, refuse(name, "the knowledge would be %s of files; at most %s can be served", mb(n), mb(lim.Knowledge))
	}
	b, err := knowledge.LoadContext(ctx, c.FS)
	var probs knowledge.Problems
	if err != nil && !errors.As(err, &probs) {
		return nil, err
	}
	probs = append(c.Problems, probs...)
	if b != nil {
		probs = append(probs, checkSize(name, b, lim)...)
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool {
			if probs[i].Pos.File != probs[j].Pos.File {
				return probs[i].Pos.File < probs[j].Pos.File
			}
			return probs[i].Pos.Line < probs[j].Pos.Line
		})
		c.Problems = probs
		return c, nil
	}
	c.Base = b
	return c, nil
}

// baseName is the last element of a name that may use either slash.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// single makes the candidate of one file: current with the file added.
func (c *Candidate) single(base, ext string, data []byte, current fs.FS, lim Limits) error {
	folder := "documents"
	c.Kind = KindBriefing
	if ext != ".md" {
		c.Kind = KindYAML
		key, line, ok := topKey(data)
		folder = yamlFolders[key]
		if !ok || folder == "" {
			what := "its first line should be one of facts:, aliases:, measures:, cases: or announcements:"
			if ok {
				what = fmt.Sprintf("its top-level key %q is not one of facts, aliases, measures, cases or announcements", key)
			}
			c.Problems = knowledge.Problems{{Pos: knowledge.Pos{File: base, Line: line}, Msg: "cannot tell which folder this file goes to: " + what}}
			return nil
		}
	}
	if n := normalExt(base); n != base {
		c.Notes = append(c.Notes, fmt.Sprintf("%s is stored as %s, the extension the knowledge folder uses", base, n))
		base = n
	}
	c.Path = folder + "/" + base
	files, err := memfs.Snapshot(current, memfs.Limits{Files: lim.Entries - 1, Bytes: lim.Unpacked - int64(len(data))})
	if err != nil {
		return fmt.Errorf("read the current knowledge: %w", err)
	}
	_, c.Replaces = files[c.Path]
	files[c.Path] = data
	c.FS = files
	return nil
}

// topKey finds a YAML file's top-level key without parsing it: the first
// line that starts with a letter, up to its colon. Comments, blank lines
// and a "---" document marker may come first.
func topKey(data []byte) (key string, line int, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte order mark, as Windows editors write
	for i, l := range strings.SplitN(string(data), "\n", 200) {
		l = strings.TrimRight(l, " \t\r")
		switch {
		case l == "", strings.HasPrefix(l, "#"), l == "---", strings.HasPrefix(l, "%"):
			continue
		}
		k, _, found := strings.Cut(l, ":")
		if !found || k == "" || !isLetter(k[0]) || strings.ContainsAny(k, " \t") {
			return "", i + 1, false
		}
		return k, i + 1, true
	}
	return "", 1, false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// unzip reads a zip upload into the candidate's files, checking every entry.
func (c *Candidate) unzip(data []byte, lim Limits) (memfs.FS, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// ErrInsecurePath comes with a usable reader: the checks below
		// say which entry.
		return nil, refuse(c.Name, "it is not a zip archive that can be read (%v)", err)
	}
	if len(zr.File) > lim.Entries {
		return nil, refuse(c.Name, "it has %d entries; a zip may have at most %d", len(zr.File), lim.Entries)
	}
	type entry struct {
		f    *zip.File
		name string // cleaned, without a folder's trailing slash
	}
	var (
		entries []entry
		names   []string
		isDir   = map[string]bool{} // every entry's name: whether it is a folder
	)
	for _, f := range zr.File {
		name, err := checkEntry(f)
		if err != nil {
			return nil, refuse(c.Name, "entry %q %v", printable(f.Name), err)
		}
		if _, dup := isDir[name]; dup {
			return nil, refuse(c.Name, "entry %q appears twice", name)
		}
		isDir[name] = f.FileInfo().IsDir()
		entries = append(entries, entry{f, name})
		names = append(names, name)
	}
	// A file cannot also be a folder ("facts" and "facts/a.yaml").
	for _, name := range names {
		for p := path.Dir(name); p != "."; p = path.Dir(p) {
			if dir, ok := isDir[p]; ok && !dir {
				return nil, refuse(c.Name, "entry %q is a file and a folder", p)
			}
		}
	}
	strip := enclosingFolder(names, isDir)
	if strip != "" {
		c.Notes = append(c.Notes, fmt.Sprintf("the zip's enclosing folder %s/ was left out of the paths", strip))
	}

	files := memfs.FS{}
	final := map[string]string{} // the files' paths in the candidate: their entries' names
	var total int64
	var big knowledge.Problems
	for _, e := range entries {
		if e.f.FileInfo().IsDir() {
			continue
		}
		name := strings.TrimPrefix(e.name, strip+"/")
		if strip == "" {
			name = e.name
		}
		if why := ignoreWhy(name); why != "" {
			c.Ignored = append(c.Ignored, Ignored{name, why})
			continue
		}
		if isBlind(name) {
			c.Ignored = append(c.Ignored, Ignored{name, keptBlind})
			continue
		}
		if n := normalExt(name); n != name {
			c.Notes = append(c.Notes, fmt.Sprintf("%s is read as %s", name, n))
			name = n
		}
		if first, both := final[name]; both {
			return nil, refuse(c.Name, "it holds both %s and %s", first, e.name)
		}
		final[name] = e.name
		rc, err := e.f.Open()
		if err != nil {
			return nil, refuse(c.Name, "entry %q cannot be read: %v", e.name, err)
		}
		room := lim.Unpacked - total
		data, err := io.ReadAll(io.LimitReader(rc, min(room, knowledge.MaxFileSize)+1))
		rc.Close()
		if err != nil {
			return nil, refuse(c.Name, "entry %q is corrupt: %v", e.name, err)
		}
		total += int64(len(data))
		switch {
		case int64(len(data)) > room:
			return nil, refuse(c.Name, "it unpacks to more than %s; a zip may unpack to at most %s", mb(lim.Unpacked), mb(lim.Unpacked))
		case len(data) > knowledge.MaxFileSize:
			big = append(big, knowledge.Problem{Pos: knowledge.Pos{File: name, Line: 1}, Msg: fmt.Sprintf("file is larger than %d bytes", knowledge.MaxFileSize)})
			continue
		}
		if !loaderReads(name) {
			// The loader checks the files it reads; the notes beside them
			// are kept in the version, so they must be text too.
			if line, msg := knowledge.CheckText(data); msg != "" {
				big = append(big, knowledge.Problem{Pos: knowledge.Pos{File: name, Line: line}, Msg: msg})
				continue
			}
		}
		files[name] = data
	}
	sort.Slice(c.Ignored, func(i, j int) bool { return c.Ignored[i].Path < c.Ignored[j].Path })
	if big != nil {
		c.Problems = big
	}
	return files, nil
}

// checkEntry returns the entry's clean name, or why it is refused.
func checkEntry(f *zip.File) (string, error) {
	name := f.Name
	isDir := strings.HasSuffix(name, "/")
	switch {
	case !utf8.ValidString(name):
		return "", errors.New("has a name that is not UTF-8")
	case strings.ContainsAny(name, "\\\x00"):
		return "", errors.New("has a backslash or a NUL in its name")
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return "", errors.New("is an absolute path")
	}
	clean := strings.TrimSuffix(name, "/")
	for _, el := range strings.Split(clean, "/") {
		switch el {
		case "..":
			return "", errors.New(`has ".." in its path`)
		case "", ".":
			return "", errors.New("is not a clean path")
		}
	}
	mode := f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return "", errors.New("is a symbolic link")
	case mode.IsDir() != isDir && mode.IsDir():
		return "", errors.New("is a folder without a trailing slash")
	case !mode.IsDir() && !mode.IsRegular():
		return "", fmt.Errorf("is not a regular file (%s)", mode.Type())
	case f.Flags&0x1 != 0:
		return "", errors.New("is encrypted")
	}
	return clean, nil
}

// enclosingFolder returns the one folder every entry is in, when there is
// one and it is not a knowledge folder: a zip of the folder itself rather
// than of its contents. Junk (hidden entries, __MACOSX) does not count.
func enclosingFolder(names []string, isDir map[string]bool) string {
	top := ""
	for _, n := range names {
		first, _, nested := strings.Cut(n, "/")
		switch {
		case junk(first):
			continue
		case !nested && !isDir[n]:
			return "" // a file at the top
		case top == "":
			top = first
		case top != first:
			return ""
		}
	}
	if _, known := knowledge.FolderOf(top); known {
		return ""
	}
	return top
}

func junk(el string) bool { return strings.HasPrefix(el, ".") || el == "__MACOSX" }

// ignoreWhy says why a zip's file is not used, or "" when it is.
func ignoreWhy(name string) string {
	for _, el := range strings.Split(name, "/") {
		if junk(el) {
			return "a hidden or system file"
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".md":
	default:
		return "not a .yaml, .yml or .md file"
	}
	if !knowledge.IsFile(normalExt(name)) {
		return "not where the knowledge is read from: " + where()
	}
	return ""
}

// normalExt returns name with the extension the loader reads: lower case,
// and .yaml for .yml.
func normalExt(name string) string {
	ext := path.Ext(name)
	lower := strings.ToLower(ext)
	if lower == ".yml" {
		lower = ".yaml"
	}
	return strings.TrimSuffix(name, ext) + lower
}

// loaderReads reports whether the loader reads the knowledge file name.
func loaderReads(name string) bool {
	f, ok := knowledge.FolderOf(path.Dir(name))
	return ok && path.Ext(name) == f.Ext
}

func where() string {
	var ps []string
	for _, f := range knowledge.Folders {
		ps = append(ps, f.Name+"/*"+f.Ext)
	}
	return strings.Join(ps, ", ") + ", or Markdown notes (*.md) at the top or beside them"
}

// knowledgeBytes counts the bytes of the files the loader reads.
func knowledgeBytes(files memfs.FS) int64 {
	var n int64
	for name, data := range files {
		if loaderReads(name) {
			n += int64(len(data))
		}
	}
	return n
}

// checkSize reports a candidate past the limits, at the first item too many.
func checkSize(upload string, b *knowledge.Base, lim Limits) knowledge.Problems {
	var ps knowledge.Problems
	if len(b.Facts) == 0 {
		ps = append(ps, knowledge.Problem{Pos: knowledge.Pos{File: baseName(upload), Line: 1}, Msg: "the knowledge folder would have no facts at all"})
	}
	if len(b.Facts) > lim.Facts {
		ps = append(ps, knowledge.Problem{Pos: b.Facts[lim.Facts].Pos, Msg: fmt.Sprintf("the knowledge folder has %d facts; at most %d can be uploaded", len(b.Facts), lim.Facts)})
	}
	if passages := b.Passages(); len(passages) > lim.Passages {
		p := passages[lim.Passages]
		ps = append(ps, knowledge.Problem{Pos: knowledge.Pos{File: b.Document(p.DocID).Pos.File, Line: p.Line},
			Msg: fmt.Sprintf("the briefings have %d passages; at most %d can be uploaded", len(passages), lim.Passages)})
	}
	if cases := append(append([]knowledge.EvalCase(nil), b.Eval...), b.Blind...); len(cases) > lim.EvalCases {
		ps = append(ps, knowledge.Problem{Pos: cases[lim.EvalCases].Pos, Msg: fmt.Sprintf("the knowledge folder has %d eval cases; at most %d can be uploaded", len(cases), lim.EvalCases)})
	}
	return ps
}

// printable quotes a name that may not be UTF-8 without breaking a message.
func printable(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func mb(n int64) string {
	if n%(1<<20) == 0 && n > 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
