package curate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factbot/knowledge"
	"factbot/knowledge/versions"
)

// small is the test knowledge folder shared by knowledge's subpackages.
const small = "../testdata/small"

// newFact is one new, valid fact in five languages.
var newFact = func() string {
	data, err := os.ReadFile("../testdata/wheat-2024.yaml")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

func parse(t *testing.T, name, data string) (*Candidate, error) {
	t.Helper()
	return Parse(context.Background(), name, strings.NewReader(data), int64(len(data)), os.DirFS(small), DefaultLimits)
}

// mustValid(t)(Parse(…)) fails the test unless the candidate is valid.
func mustValid(t *testing.T) func(*Candidate, error) *Candidate {
	return func(c *Candidate, err error) *Candidate {
		t.Helper()
		if err != nil {
			t.Fatalf("Parse = %v", err)
		}
		if !c.Valid() {
			t.Fatalf("Parse: problems:\n%v", c.Problems)
		}
		return c
	}
}

func TestParseSingleFiles(t *testing.T) {
	c := mustValid(t)(parse(t, "wheat.yaml", newFact))
	if c.Kind != KindYAML || c.Path != "facts/wheat.yaml" || c.Replaces || c.Base.Fact("wheat-2024") == nil || c.Base.Fact("trade-2023") == nil {
		t.Errorf("new fact file: %+v", c)
	}

	f, _ := os.ReadFile(small + "/facts/f.yaml")
	c = mustValid(t)(parse(t, "f.yaml", strings.Replace(string(f), `"$41 billion"`, `"$41.2 billion"`, 1)))
	if c.Path != "facts/f.yaml" || !c.Replaces || c.Base.Fact("trade-2023").Figures[0].Value != "$41.2 billion" {
		t.Errorf("replaced fact file: %+v", c)
	}

	c = mustValid(t)(parse(t, `C:\Users\me\Wheat.yml`, "# a comment\n---\n"+newFact))
	if c.Path != "facts/Wheat.yaml" || len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "Wheat.yml is stored as Wheat.yaml") {
		t.Errorf(".yml file: path %q, notes %q", c.Path, c.Notes)
	}

	c = mustValid(t)(parse(t, "WHEAT.YAML", "\uFEFF"+newFact))
	if c.Path != "facts/WHEAT.yaml" || len(c.Notes) != 1 {
		t.Errorf(".YAML file with a byte order mark: path %q, notes %q", c.Path, c.Notes)
	}

	c = mustValid(t)(parse(t, "more.yaml", "cases:\n  - q: wheat exports 2024\n    lang: en\n    want: [trade-2023]\n"))
	if c.Path != "eval/more.yaml" || len(c.Base.Eval) != 15 {
		t.Errorf("eval file: path %q, %d cases", c.Path, len(c.Base.Eval))
	}

	c = mustValid(t)(parse(t, "wheat.en.md", "---\nid: briefing-wheat-en\ntitle: Wheat\nlang: en\nsources:\n  - {publisher: Kazinform}\n---\nKazakh wheat goes to China by rail.\n"))
	if c.Kind != KindBriefing || c.Path != "documents/wheat.en.md" || c.Base.Document("briefing-wheat-en") == nil {
		t.Errorf("briefing: %+v", c)
	}
}

// Problems in an uploaded file come back as path:line, at the path the
// file would have.
func TestParseSingleProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file, data, want string
	}{
		{"bad fact", "wheat.yaml", strings.Replace(newFact, "    topic: trade\n", "", 1), `facts/wheat.yaml:2: fact "wheat-2024" has no topic`},
		{"unknown key", "wheat.yaml", "factz:\n  - id: x\n", `wheat.yaml:1: cannot tell which folder this file goes to: its top-level key "factz" is not one of facts, aliases, measures, cases or announcements`},
		{"no key", "wheat.yaml", "- id: x\n", `wheat.yaml:1: cannot tell which folder this file goes to: its first line should be one of facts:, aliases:, measures:, cases: or announcements:`},
		{"invalid UTF-8", "wheat.yaml", strings.Replace(newFact, "Kazinform", "Kazin\xffform", 1), `facts/wheat.yaml:15: invalid UTF-8 (byte 0xff); knowledge files must be UTF-8 text`},
		{"billion laughs", "bomb.yaml", "facts: &a [&b {id: x}, *b, *b, *b, *b, *b, *b, *b, *b]\nmore: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
			`facts/bomb.yaml:1: YAML alias *b: aliases are not allowed in knowledge files, write the value out (and 16 more in this file)`},
		{"duplicate id", "dup.yaml", strings.Replace(newFact, "wheat-2024", "trade-2023", 1), `facts/f.yaml:16: duplicate id "trade-2023" (first at facts/dup.yaml:2)`},
		{"bad briefing", "x.md", "# no front matter\n", `documents/x.md:1: document has no front matter (a first line "---")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse(t, tc.file, tc.data)
			if err != nil {
				t.Fatalf("Parse = %v, want problems", err)
			}
			if c.Valid() {
				t.Fatal("Parse: valid, want problems")
			}
			for _, p := range c.Problems {
				if p.String() == tc.want {
					return
				}
			}
			t.Errorf("problems:\n%v\nwant one to be:\n%s", c.Problems, tc.want)
		})
	}
}

func wantRefused(t *testing.T, err error, want string) {
	t.Helper()
	var r *Refused
	if !errors.As(err, &r) {
		t.Fatalf("Parse = %v, want *Refused", err)
	}
	if !strings.Contains(r.Reason, want) {
		t.Errorf("refused because %q, want %q", r.Reason, want)
	}
}

func TestParseRefusesFiles(t *testing.T) {
	_, err := parse(t, "trade 2025.yaml", newFact)
	wantRefused(t, err, "rename the file")
	_, err = parse(t, "photo.jpg", "\xff\xd8")
	wantRefused(t, err, "send a .yaml or .yml file, a .md briefing or a .zip")
	_, err = parse(t, ".hidden.yaml", newFact)
	wantRefused(t, err, "rename the file")

	lim := DefaultLimits
	lim.Download = 100
	_, err = Parse(context.Background(), "a.yaml", strings.NewReader(newFact), 101, os.DirFS(small), lim)
	wantRefused(t, err, "it is 0.0 MB; an upload may be at most 0.0 MB")
	// The size the chat reported is not trusted.
	_, err = Parse(context.Background(), "a.yaml", strings.NewReader(newFact), 10, os.DirFS(small), lim)
	wantRefused(t, err, "it is larger than")

	// Knowledge too large to preview and serve.
	lim = DefaultLimits
	lim.Knowledge = 10_000
	_, err = Parse(context.Background(), "a.yaml", strings.NewReader(newFact), int64(len(newFact)), os.DirFS(small), lim)
	wantRefused(t, err, "the knowledge would be 0.0 MB of files; at most 0.0 MB can be served")
}

// An upload whose dev and blind eval cases together pass Limits.EvalCases
// is a problem at the first case over; the curated base itself is within
// the default limits.
func TestEvalCaseLimit(t *testing.T) {
	var z bytes.Buffer
	if _, err := Zip(&z, knowledge.Curated()); err != nil {
		t.Fatal(err)
	}
	c := mustValid(t)(Parse(context.Background(), "kb.zip", bytes.NewReader(z.Bytes()), int64(z.Len()), knowledge.Curated(), DefaultLimits))
	if n := len(c.Base.Eval) + len(c.Base.Blind); n > DefaultLimits.EvalCases/2 {
		t.Errorf("the curated base has %d eval cases: less than twice as many would fit the default limit %d", n, DefaultLimits.EvalCases)
	}
	lim := DefaultLimits
	lim.EvalCases = 100
	c, err := Parse(context.Background(), "kb.zip", bytes.NewReader(z.Bytes()), int64(z.Len()), knowledge.Curated(), lim)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range c.Problems {
		found = found || strings.Contains(p.Msg, "eval cases; at most 100 can be uploaded")
	}
	if c.Valid() || !found {
		t.Errorf("an upload of the curated base with a limit of 100 eval cases: problems %v", c.Problems)
	}
}

// entry is one zip entry to write: a name, contents, and what to do to its
// header.
type entry struct {
	name   string
	data   string
	header func(*zip.FileHeader)
	raw    bool // write data as is, with the header's sizes and CRC
}

func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		fh.SetMode(0o644)
		if strings.HasSuffix(e.name, "/") {
			fh.SetMode(fs.ModeDir | 0o755)
		}
		if e.header != nil {
			e.header(fh)
		}
		var err error
		if e.raw {
			w, err2 := zw.CreateRaw(fh)
			if err2 == nil {
				_, err2 = w.Write([]byte(e.data))
			}
			err = err2
		} else {
			w, err2 := zw.CreateHeader(fh)
			if err2 == nil {
				_, err2 = w.Write([]byte(e.data))
			}
			err = err2
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// smallEntries is the small folder as zip entries, under prefix.
func smallEntries(t testing.TB, prefix string) []entry {
	t.Helper()
	var out []entry
	names, err := knowledge.Files(os.DirFS(small))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data, _ := os.ReadFile(small + "/" + n)
		out = append(out, entry{name: prefix + n, data: string(data)})
	}
	return out
}

func parseZip(t testing.TB, data []byte) (*Candidate, error) {
	return Parse(context.Background(), "kb.zip", bytes.NewReader(data), int64(len(data)), os.DirFS(small), DefaultLimits)
}

func TestParseZip(t *testing.T) {
	entries := append(smallEntries(t, ""),
		entry{name: "facts/wheat.yml", data: newFact},
		entry{name: "facts/photo.jpg", data: "\xff\xd8"},
		entry{name: "notes.txt", data: "x"},
		entry{name: "top.yaml", data: "facts: []\n"},
		entry{name: "facts/sub/deep.yaml", data: "facts: []\n"},
		entry{name: "__MACOSX/facts/._f.yaml", data: "\x00\x05"},
		entry{name: "facts/.DS_Store", data: "\x00"},
		entry{name: "facts/", data: ""},
	)
	c := mustValid(t)(parseZip(t, makeZip(t, entries...)))
	if c.Kind != KindZip || c.Path != "" || c.Base.Fact("wheat-2024") == nil || c.Base.Fact("trade-2023") == nil {
		t.Errorf("zip: %+v", c)
	}
	var ignored []string
	for _, i := range c.Ignored {
		ignored = append(ignored, i.Path+": "+i.Why)
	}
	want := []string{
		"__MACOSX/facts/._f.yaml: a hidden or system file",
		"facts/.DS_Store: a hidden or system file",
		"facts/photo.jpg: not a .yaml, .yml or .md file",
		"facts/sub/deep.yaml: not where the knowledge is read from: " + where(),
		"notes.txt: not a .yaml, .yml or .md file",
		"top.yaml: not where the knowledge is read from: " + where(),
	}
	if strings.Join(ignored, "\n") != strings.Join(want, "\n") {
		t.Errorf("ignored:\n%s\nwant:\n%s", strings.Join(ignored, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Notes) != 1 || c.Notes[0] != "facts/wheat.yml is read as facts/wheat.yaml" {
		t.Errorf("notes = %q", c.Notes)
	}

	// A zip of the folder itself: its enclosing folder is stripped.
	c = mustValid(t)(parseZip(t, makeZip(t, append([]entry{{name: "kb/"}}, smallEntries(t, "kb/")...)...)))
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "enclosing folder kb/") || c.Base.Fact("trade-2023") == nil {
		t.Errorf("zip of a folder: notes %q", c.Notes)
	}

	// A zip without the facts would remove them all.
	c, err := parseZip(t, makeZip(t, entry{name: "README.md", data: "nothing\n"}))
	if err != nil || c.Valid() || !strings.Contains(c.Problems.Error(), "kb.zip:1: the knowledge folder would have no facts at all") {
		t.Errorf("empty zip: %v, %v", c.Problems, err)
	}
}

func TestParseZipRefused(t *testing.T) {
	good := smallEntries(t, "")
	for _, tc := range []struct {
		name    string
		entries []entry
		data    []byte // instead of entries
		want    string
	}{
		{"not a zip", nil, []byte("PK\x03\x04 but nothing more"), "it is not a zip archive that can be read"},
		{"dot-dot", []entry{{name: "facts/../../etc/passwd.yaml", data: "x"}}, nil, `entry "facts/../../etc/passwd.yaml" has ".." in its path`},
		{"dot-dot at the top", []entry{{name: "../x.md", data: "x"}}, nil, `has ".." in its path`},
		{"absolute", []entry{{name: "/etc/facts.yaml", data: "x"}}, nil, "is an absolute path"},
		{"drive letter", []entry{{name: "C:/facts/a.yaml", data: "x"}}, nil, "is an absolute path"},
		{"backslash", []entry{{name: `facts\..\..\a.yaml`, data: "x"}}, nil, "has a backslash or a NUL in its name"},
		{"unclean", []entry{{name: "facts//a.yaml", data: "x"}}, nil, "is not a clean path"},
		{"not UTF-8", []entry{{name: "facts/\xff.yaml", data: "x"}}, nil, "has a name that is not UTF-8"},
		{"symlink", []entry{{name: "facts/a.yaml", data: "/etc/passwd", header: func(fh *zip.FileHeader) { fh.SetMode(fs.ModeSymlink | 0o777) }}}, nil, "is a symbolic link"},
		{"device", []entry{{name: "facts/a.yaml", header: func(fh *zip.FileHeader) { fh.SetMode(fs.ModeDevice | fs.ModeCharDevice | 0o666) }}}, nil, "is not a regular file"},
		{"named pipe", []entry{{name: "facts/a.yaml", header: func(fh *zip.FileHeader) { fh.SetMode(fs.ModeNamedPipe | 0o666) }}}, nil, "is not a regular file"},
		{"duplicate", append(append([]entry(nil), good...), entry{name: "facts/f.yaml", data: "facts: []\n"}), nil, `entry "facts/f.yaml" appears twice`},
		{"file and folder", []entry{{name: "facts", data: "x"}, {name: "facts/a.yaml", data: "x"}}, nil, `entry "facts" is a file and a folder`},
		{"yml and yaml", append(append([]entry(nil), good...), entry{name: "facts/f.yml", data: "facts: []\n"}), nil, "it holds both facts/f.yaml and facts/f.yml"},
		{"YAML and yaml", append(append([]entry(nil), good...), entry{name: "facts/f.YAML", data: "facts: []\n"}), nil, "it holds both facts/f.yaml and facts/f.YAML"},
		{"encrypted", []entry{{name: "facts/a.yaml", data: "x", header: func(fh *zip.FileHeader) { fh.Flags |= 1 }}}, nil, "is encrypted"},
		{"corrupt", []entry{{name: "facts/a.yaml", data: "facts: []\n", raw: true, header: func(fh *zip.FileHeader) {
			fh.Method, fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = zip.Store, 12345, 10, 10
		}}}, nil, `entry "facts/a.yaml" is corrupt`},
		{"sizes that lie", []entry{{name: "facts/a.yaml", data: "facts: []\n", raw: true, header: func(fh *zip.FileHeader) {
			fh.Method, fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = zip.Store, crc32.ChecksumIEEE([]byte("facts: []\n")), 10, 3
		}}}, nil, `entry "facts/a.yaml" is corrupt`},
		// With the test's limits (testLimits): 5 MB unpacked, 100 entries.
		{"deflate bomb", bombEntries(t, 2, 8<<20), nil, "it unpacks to more than 5 MB; a zip may unpack to at most 5 MB"},
		{"too many entries", manyEntries(101), nil, "it has 101 entries; a zip may have at most 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if data == nil {
				data = makeZip(t, tc.entries...)
			}
			c, err := Parse(context.Background(), "kb.zip", bytes.NewReader(data), int64(len(data)), os.DirFS(small), testLimits)
			if err == nil {
				t.Fatalf("Parse = %+v, want refused", c)
			}
			wantRefused(t, err, tc.want)
		})
	}
}

// bombEntries are n notes of size zeros each, deflated (about 1 KB a MB),
// with sizes that say so.
func bombEntries(t testing.TB, n int, size int64) []entry {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	crc := crc32.NewIEEE()
	for i := int64(0); i < size; i += int64(len(zeros)) {
		fw.Write(zeros)
		crc.Write(zeros)
	}
	fw.Close()
	out := make([]entry, n)
	for i := range out {
		out[i] = entry{name: fmt.Sprintf("facts/bomb-%02d.md", i), data: buf.String(), raw: true, header: func(fh *zip.FileHeader) {
			fh.Method, fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = zip.Deflate, crc.Sum32(), uint64(buf.Len()), uint64(size)
		}}
	}
	return out
}

// testLimits are DefaultLimits made small enough to pass quickly.
var testLimits = func() Limits {
	l := DefaultLimits
	l.Unpacked, l.Entries = 5<<20, 100
	return l
}()

func manyEntries(n int) []entry {
	out := make([]entry, n)
	for i := range out {
		out[i] = entry{name: fmt.Sprintf("facts/%05d.md", i)}
	}
	return out
}

// Problems inside a zip's files are path:line problems, not refusals.
func TestParseZipProblems(t *testing.T) {
	big := strings.Repeat("# a note\n", knowledge.MaxFileSize/9+1)
	c, err := parseZip(t, makeZip(t, append(smallEntries(t, ""),
		entry{name: "GLOSSARY.md", data: "caf\xe9\n"},
		entry{name: "facts/big.md", data: big},
		entry{name: "facts/bad.yaml", data: "facts:\n  - id: Bad\n"},
	)...))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GLOSSARY.md:1: invalid UTF-8 (byte 0xe9); knowledge files must be UTF-8 text",
		"facts/bad.yaml:2: fact id \"Bad\" must be lower-case letters, digits and dashes",
		fmt.Sprintf("facts/big.md:1: file is larger than %d bytes", knowledge.MaxFileSize),
	}
	for _, w := range want {
		if !strings.Contains(c.Problems.Error(), w) {
			t.Errorf("problems:\n%v\nwant among them:\n%s", c.Problems, w)
		}
	}
}

// The export round trip: the curated base zipped, then uploaded, is the
// same knowledge with the same files; zipping is deterministic.
func TestZipRoundTrip(t *testing.T) {
	var a, b bytes.Buffer
	n, err := Zip(&a, knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Zip(&b, knowledge.Curated()); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("two zips of the same folder differ (%v)", err)
	}
	// Against the folder it came from: its blind entries are ignored and
	// the served ones kept, the same files.
	c := mustValid(t)(Parse(context.Background(), "kb.zip", bytes.NewReader(a.Bytes()), int64(a.Len()), knowledge.Curated(), DefaultLimits))
	cur, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	if d := knowledge.Compare(cur, c.Base); !d.Empty() {
		t.Errorf("re-uploading the export changes %d ids", countDiff(d)) // the ids may be blind questions: not printed
	}
	if c.Base.Hash() != cur.Hash() || len(c.Notes) != 0 {
		t.Errorf("round trip: hash %s → %s, notes %v", cur.Hash(), c.Base.Hash(), c.Notes)
	}
	for _, ig := range c.Ignored {
		if !strings.HasPrefix(ig.Path, "blind/") || ig.Why != keptBlind {
			t.Errorf("ignored %v, want only the blind entries", ig)
		}
	}
	before, _ := versions.Tree(knowledge.Curated())
	after, _ := versions.Tree(c.FS)
	if before != after {
		t.Errorf("round trip changed the files: tree %s → %s", before, after)
	}
	if names, _ := knowledge.Files(knowledge.Curated()); n != len(names) {
		t.Errorf("Zip wrote %d files, the folder has %d", n, len(names))
	}
	// Exporting the upload again gives the same bytes.
	var again bytes.Buffer
	Zip(&again, c.FS)
	if !bytes.Equal(a.Bytes(), again.Bytes()) {
		t.Error("zip → upload → zip gives other bytes")
	}
}

func countDiff(d knowledge.Diff) int {
	return len(d.AddedFacts) + len(d.ChangedFacts) + len(d.RemovedFacts) + len(d.AddedDocs) + len(d.ChangedDocs) + len(d.RemovedDocs) +
		len(d.AddedAliases) + len(d.ChangedAliases) + len(d.RemovedAliases) + len(d.AddedMeasures) + len(d.ChangedMeasures) + len(d.RemovedMeasures) +
		len(d.AddedEval) + len(d.ChangedEval) + len(d.RemovedEval) + len(d.AddedAnnouncements) + len(d.ChangedAnnouncements) + len(d.RemovedAnnouncements)
}

// An upload never replaces the blind eval set being served, and ZipShared
// leaves it out: a zip with another blind set is read with the served one,
// its blind entries listed as ignored; the shared zip round-trips.
func TestUploadKeepsBlind(t *testing.T) {
	// A folder of its own with a blind set of its own (not the curated
	// one, which nobody may read).
	dir := t.TempDir()
	if _, err := knowledge.Export(os.DirFS(small), dir, true); err != nil {
		t.Fatal(err)
	}
	blind := "cases:\n  - q: \"How many Chinese companies work in Kazakhstan?\"\n    lang: en\n    want: [companies]\n"
	os.MkdirAll(filepath.Join(dir, "blind"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "blind", "en.yaml"), []byte(blind), 0o644); err != nil {
		t.Fatal(err)
	}
	cur := os.DirFS(dir)
	if _, err := knowledge.Load(cur); err != nil {
		t.Fatalf("the test folder does not load: %v", err)
	}
	var shared bytes.Buffer
	if _, err := ZipShared(&shared, cur); err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(shared.Bytes()), int64(shared.Len()))
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "blind") {
			t.Errorf("ZipShared wrote %s", f.Name)
		}
	}
	c := mustValid(t)(Parse(context.Background(), "kb.zip", bytes.NewReader(shared.Bytes()), int64(shared.Len()), cur, DefaultLimits))
	before, _ := versions.Tree(cur)
	if after, _ := versions.Tree(c.FS); before != after {
		t.Errorf("the shared zip re-uploaded changes the files")
	}

	// A zip that brings its own blind set: ignored, the served one kept.
	entries := append(smallEntries(t, ""), entry{name: "blind/en.yaml", data: "cases:\n  - q: other\n    lang: en\n    want: [companies]\n"},
		entry{name: "blind/fr.yaml", data: "cases: []\n"})
	data := makeZip(t, entries...)
	c = mustValid(t)(Parse(context.Background(), "kb.zip", bytes.NewReader(data), int64(len(data)), cur, DefaultLimits))
	got, err := fs.ReadFile(c.FS, "blind/en.yaml")
	if err != nil || string(got) != blind {
		t.Errorf("blind/en.yaml after the upload = %q, %v; want the served one", got, err)
	}
	if _, err := fs.Stat(c.FS, "blind/fr.yaml"); err == nil {
		t.Error("the upload added blind/fr.yaml")
	}
	var ignored []string
	for _, ig := range c.Ignored {
		if ig.Why == keptBlind {
			ignored = append(ignored, ig.Path)
		}
	}
	if strings.Join(ignored, " ") != "blind/en.yaml blind/fr.yaml" {
		t.Errorf("ignored blind entries = %v", ignored)
	}
}
