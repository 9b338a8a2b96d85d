package knowledge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong in a knowledge folder, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.Pos.File, p.Pos.Line, p.Msg) }

// Problems is every problem found in one load, sorted by file and line. It is
// the error Load returns when the folder is not valid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Pos.File != ps[j].Pos.File {
			return ps[i].Pos.File < ps[j].Pos.File
		}
		return ps[i].Pos.Line < ps[j].Pos.Line
	})
}

// MaxFileSize bounds one knowledge file; a larger file is reported, not read.
const MaxFileSize = 4 << 20

// Bounds on what one load parses, so that a hostile folder (an upload, say)
// costs seconds and tens of megabytes, not minutes and gigabytes. yaml.v3
// builds a node for every value, at a few microseconds and a couple of
// hundred bytes each, and 4 MB of "- 1" lines is a million of them; a
// problem reported for each would be several million more lines. The
// parser's own limits (nesting depth 10,000; aliases are kept as nodes, not
// expanded, when decoding into a yaml.Node) do not bound either.
const (
	// MaxYAMLItems bounds one file's YAML, counted without parsing it as its
	// line breaks and the characters that open a value (, : - [ { ?): an
	// upper bound on the nodes the parser builds, give or take a factor of
	// two. The largest curated file has about 5,800.
	MaxYAMLItems = 100_000
	// MaxYAMLItemsTotal bounds the YAML of a whole folder, counted the same
	// way; the curated base has about 60,000. Files past it are not read.
	MaxYAMLItemsTotal = 1_000_000
	// MaxProblems bounds the problems one load lists; the files after the
	// one that reached it are not read.
	MaxProblems = 1000
	// MaxPassages bounds the passages of all briefings: 4 MB of one-letter
	// paragraphs would be a million passages and a few hundred megabytes.
	// The curated base has about 500.
	MaxPassages = 100_000
)

// LoadContext is Load that gives up when ctx ends: a reload must not hang
// on a file system that does not answer. The abandoned read stops at the
// next file.
func LoadContext(ctx context.Context, fsys fs.FS) (*Base, error) {
	type result struct {
		b   *Base
		err error
	}
	done := make(chan result, 1)
	go func() {
		l := newLoader(ctx)
		b, err := l.load(fsys)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("load knowledge: %w", ctx.Err())
	}
}

// Load reads and validates the knowledge folder at the root of fsys. It reports
// every problem it finds, as Problems, in one pass; on any problem it returns a
// nil Base, so a bad folder is never half-loaded.
func Load(fsys fs.FS) (*Base, error) {
	return newLoader(context.Background()).load(fsys)
}

func newLoader(ctx context.Context) *loader {
	return &loader{ctx: ctx, b: &Base{}, ids: map[string]Pos{}}
}

func (l *loader) load(fsys fs.FS) (*Base, error) {
	read := map[string]func(name string, data []byte){
		"facts": l.factFile, "documents": l.documentFile, "aliases": l.aliasFile, "measures": l.measureFile,
		"counters": l.counterFile, "eval": l.evalFile, "blind": l.blindFile, "announcements": l.announcementFile,
	}
	for _, f := range Folders {
		l.dir(fsys, f.Name, f.Ext, read[f.Name])
	}
	if err := l.ctx.Err(); err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	if !l.full() {
		// After a stop, references to what was not read are no news.
		l.checkRefs()
		l.checkMeasureRefs()
		l.checkCounters()
		l.checkBy()
	}
	if len(l.problems) > 0 {
		l.problems.sort()
		if l.dropped != nil {
			l.problems = append(l.problems, Problem{*l.dropped,
				fmt.Sprintf("too many problems: only the first %d are listed, and the files after this one were not read", MaxProblems)})
		}
		return nil, l.problems
	}
	l.b.link()
	return l.b, nil
}

type loader struct {
	ctx      context.Context // a canceled load stops at the next file
	b        *Base
	problems Problems
	ids      map[string]Pos // fact, document and passage ids
	aliasIDs map[string]Pos
	// measureIDs are the measures' ids, a namespace of their own;
	// measureRefs the facts' references to them, checked once all are read.
	measureIDs  map[string]Pos
	measureRefs []measureRef
	// counterIDs are the counting bodies' ids, a namespace of their own;
	// counterRefs their references to measures.
	counterIDs  map[string]Pos
	counterRefs []measureRef
	// announceIDs are scheduled announcements' ids, a namespace of their own.
	announceIDs map[string]Pos
	// yamlItems counts the YAML read so far (see MaxYAMLItemsTotal),
	// passages the briefings' passages (MaxPassages).
	yamlItems, passages int
	// dropped is where the first problem past MaxProblems was found.
	dropped *Pos
}

func (l *loader) addf(pos Pos, format string, args ...any) {
	if len(l.problems) >= MaxProblems {
		if l.dropped == nil {
			l.dropped = &pos
		}
		return
	}
	l.problems = append(l.problems, Problem{pos, fmt.Sprintf(format, args...)})
}

// full reports whether the load read as much as it may: past MaxProblems
// or MaxYAMLItemsTotal, further files are not read.
func (l *loader) full() bool {
	return l.dropped != nil || l.yamlItems > MaxYAMLItemsTotal || l.passages > MaxPassages
}

// dir loads every file with the given extension in dir, in name order.
//
// A knowledge folder may be a Kubernetes ConfigMap volume, whose files are
// symlinks, so links are followed, but only to regular files: a FIFO would
// block the read forever and a device (/dev/zero) never ends, so anything
// else is reported without being opened. The target's size is checked
// before reading, and the read itself is capped, so a file that grows in
// between cannot exhaust memory either.
func (l *loader) dir(fsys fs.FS, dir, ext string, load func(name string, data []byte)) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return // an absent folder is an empty one
	}
	for _, e := range entries {
		if l.ctx.Err() != nil || l.full() {
			return
		}
		runtime.Gosched() // a reload's load lets the searches running meanwhile go first
		if e.IsDir() || !strings.HasSuffix(e.Name(), ext) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := readRegular(fsys, name)
		if err != nil {
			l.addf(Pos{name, 1}, "%v", err)
			continue
		}
		if pos, msg := badEncoding(data); msg != "" {
			l.addf(Pos{name, pos}, "%s", msg)
			continue
		}
		load(name, data)
	}
}

// readRegular reads the regular file name (following symlinks), refusing
// other kinds of file and files over MaxFileSize.
func readRegular(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name) // follows a symlink to its target
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s); only plain files are read", fileKind(info.Mode()))
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileSize)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPath(err))
	}
	defer f.Close()
	// The file may have been swapped since the Stat: check what was opened.
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file; only plain files are read")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPath(err))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileSize)
	}
	return data, nil
}

// unwrapPath drops the *PathError wrapper, whose path repeats the file name
// the problem is already reported under.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "mode " + m.String()
}

// badEncoding reports the line of the first byte that is not valid UTF-8,
// or of the first NUL, with what is wrong; msg is empty for a sound file.
// A knowledge file is text: a bad byte would be served as U+FFFD.
func badEncoding(data []byte) (line int, msg string) {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return 0, ""
	}
	line = 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, fmt.Sprintf("invalid UTF-8 (byte 0x%02x); knowledge files must be UTF-8 text", data[i])
		case r == 0:
			return line, "NUL byte; knowledge files must be text"
		case r == '\n':
			line++
		}
		i += size
	}
	return line, "" // not reached: the checks above found something
}

// CheckText reports whether data is knowledge text, UTF-8 without NUL
// bytes, as the loader requires of every file it reads: it returns the line
// of the first bad byte and what is wrong with it, or 0 and "".
func CheckText(data []byte) (line int, msg string) { return badEncoding(data) }

// parseYAML parses data and returns its top-level mapping, or nil after
// reporting why it could not.
func (l *loader) parseYAML(name string, data []byte, lineOffset int) *yaml.Node {
	items := yamlItems(data)
	if items > MaxYAMLItems {
		l.addf(Pos{name, 1 + lineOffset}, "file is too large to read: %d line breaks and YAML punctuation marks (, : - [ { ?), at most %d in one file; split it",
			items, MaxYAMLItems)
		return nil
	}
	if l.yamlItems += items; l.yamlItems > MaxYAMLItemsTotal {
		l.addf(Pos{name, 1 + lineOffset}, "the knowledge folder is too large to read: more than %d line breaks and YAML punctuation marks (, : - [ { ?) in all; this file and the ones after it were not read",
			MaxYAMLItemsTotal)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.addf(Pos{name, yamlErrLine(err) + lineOffset}, "%s", yamlErrMsg(err))
		return nil
	}
	if a, more := firstAlias(&doc); a != nil {
		extra := ""
		if more > 0 {
			extra = fmt.Sprintf(" (and %d more in this file)", more)
		}
		l.addf(Pos{name, a.Line + lineOffset}, "YAML alias *%s: aliases are not allowed in knowledge files, write the value out%s", a.Value, extra)
		return nil
	}
	if len(doc.Content) == 0 {
		l.addf(Pos{name, 1 + lineOffset}, "file is empty")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.addf(Pos{name, root.Line + lineOffset}, "expected a mapping at the top of the file")
		return nil
	}
	return root
}

// yamlItems counts data's line breaks and the bytes that open a YAML value
// or separate values: every node the parser builds starts at one of them,
// or at most a couple per one of them (a key and its value).
func yamlItems(data []byte) int {
	n := 0
	for _, c := range data {
		switch c {
		case '\n', ',', ':', '-', '[', '{', '?':
			n++
		}
	}
	return n
}

// firstAlias returns the first alias node of the document in reading order
// and how many more there are. yaml.v3 keeps an alias as a node when
// decoding into a yaml.Node, so nothing is expanded; but the loader reads
// nodes as they are written, and a value written as *name would otherwise
// be reported as "must be a mapping" or "must be text", which says nothing
// of the cause. The walk uses its own stack: nesting may be 10,000 deep.
func firstAlias(doc *yaml.Node) (first *yaml.Node, more int) {
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			if first == nil || n.Line < first.Line || n.Line == first.Line && n.Column < first.Column {
				if first != nil {
					more++
				}
				first = n
			} else {
				more++
			}
			continue
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return first, more
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

func yamlErrLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil || m[1] == "" {
		if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
			var n int
			fmt.Sscanf(te.Errors[0], "line %d:", &n)
			if n > 0 {
				return n
			}
		}
		return 1
	}
	var n int
	fmt.Sscanf(m[1], "%d", &n)
	return n
}

func yamlErrMsg(err error) string {
	return "invalid YAML: " + yamlLineRE.ReplaceAllString(err.Error(), "")
}

// node wraps a YAML node with the file it came from, for positions.
type node struct {
	l    *loader
	file string
	off  int // lines before the YAML starts (front matter)
	n    *yaml.Node
}

func (n node) pos() Pos { return Pos{n.file, n.n.Line + n.off} }

func (n node) child(c *yaml.Node) node { return node{n.l, n.file, n.off, c} }

// fields returns the mapping's values by key, reporting unknown and repeated
// keys and a node that is not a mapping.
func (n node) fields(what string, known ...string) map[string]node {
	out := map[string]node{}
	if n.n.Kind != yaml.MappingNode {
		n.l.addf(n.pos(), "%s must be a mapping", what)
		return out
	}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		k, v := n.n.Content[i], n.n.Content[i+1]
		key := k.Value
		if !contains(known, key) {
			n.l.addf(Pos{n.file, k.Line + n.off}, "unknown field %q in %s", key, what)
			continue
		}
		if _, dup := out[key]; dup {
			n.l.addf(Pos{n.file, k.Line + n.off}, "field %q repeated in %s", key, what)
			continue
		}
		out[key] = n.child(v)
	}
	return out
}

// str returns a scalar's text; a missing node is "".
func (n node) str(what string) string {
	if n.n == nil {
		return ""
	}
	if n.n.Kind != yaml.ScalarNode {
		n.l.addf(n.pos(), "%s must be text", what)
		return ""
	}
	if n.n.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.n.Value)
}

// list returns a sequence's items; a missing node is empty.
func (n node) list(what string) []node {
	if n.n == nil {
		return nil
	}
	if n.n.Kind != yaml.SequenceNode {
		n.l.addf(n.pos(), "%s must be a list", what)
		return nil
	}
	out := make([]node, len(n.n.Content))
	for i, c := range n.n.Content {
		out[i] = n.child(c)
	}
	return out
}

func (n node) strs(what string) []string {
	var out []string
	for _, c := range n.list(what) {
		if s := c.str(what); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)

// claimID records a new id, reporting a malformed or duplicate one.
func (l *loader) claimID(id string, pos Pos, what string) bool {
	if id == "" {
		l.addf(pos, "%s has no id", what)
		return false
	}
	if !idRE.MatchString(id) {
		l.addf(pos, "%s id %q must be lower-case letters, digits and dashes", what, id)
		return false
	}
	if first, dup := l.ids[id]; dup {
		l.addf(pos, "duplicate id %q (first at %s:%d)", id, first.File, first.Line)
		return false
	}
	l.ids[id] = pos
	return true
}

func (l *loader) factFile(name string, data []byte) {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	top := node{l, name, 0, root}.fields("fact file", "facts")
	for _, fn := range top["facts"].list("facts") {
		if f := l.fact(fn); f != nil {
			l.b.Facts = append(l.b.Facts, f)
		}
	}
}

func (l *loader) fact(n node) *Fact {
	fs := n.fields("fact", "id", "topic", "measures", "tags", "date", "text", "figures", "disagreement", "sources", "confidence")
	f := &Fact{Pos: n.pos()}
	f.ID = fs["id"].str("id")
	if !l.claimID(f.ID, n.pos(), "fact") {
		f.ID = ""
	}
	label := fmt.Sprintf("fact %q", f.ID)
	f.Topic = fs["topic"].str("topic")
	if f.Topic == "" {
		l.addf(n.pos(), "%s has no topic", label)
	} else if _, ok := TopicByID(f.Topic); !ok {
		l.addf(fs["topic"].pos(), "%s has unknown topic %q", label, f.Topic)
	}
	mn, ok := fs["measures"]
	l.factMeasures(f, mn, ok, label)
	f.Tags = fs["tags"].strs("tags")
	f.Date = fs["date"].str("date")
	if f.Date != "" && !ValidPeriod(f.Date) {
		l.addf(fs["date"].pos(), "%s has malformed date %q", label, f.Date)
	}
	if tn, ok := fs["text"]; ok {
		f.Text = l.text(tn, label, true)
	} else {
		l.addf(n.pos(), "%s has no text", label)
	}
	for _, fg := range fs["figures"].list("figures") {
		f.Figures = append(f.Figures, l.figure(fg, label))
	}
	if dn, ok := fs["disagreement"]; ok {
		f.Disagreement = l.text(dn, label+" disagreement", true)
	}
	f.Sources = l.sources(fs["sources"], label)
	if len(f.Sources) == 0 {
		l.addf(n.pos(), "%s has no source", label)
	}
	f.Confidence = fs["confidence"].str("confidence")
	return f
}

// text reads a per-language mapping; all five languages are required when
// complete is set.
func (l *loader) text(n node, label string, complete bool) Text {
	return l.textAs(n, "text", label, complete)
}

// textAs is text for a field named what ("text", "note").
func (l *loader) textAs(n node, what, label string, complete bool) Text {
	keys := make([]string, len(Langs))
	for i, lang := range Langs {
		keys[i] = string(lang)
	}
	fs := n.fields(what, keys...)
	t := Text{}
	for _, lang := range Langs {
		if s := fs[string(lang)].str(what); s != "" {
			t[lang] = s
		} else if complete {
			l.addf(n.pos(), "%s has no text in %s", label, lang)
		}
	}
	return t
}

func (l *loader) figure(n node, label string) Figure {
	fs := n.fields("figure", "value", "unit", "date", "by", "by_note", "note", "counter", "amount", "words")
	fg := Figure{
		Value:      fs["value"].str("value"),
		Unit:       fs["unit"].str("unit"),
		Date:       fs["date"].str("date"),
		By:         fs["by"].str("by"),
		Counter:    fs["counter"].str("counter"),
		AmountText: fs["amount"].str("amount"),
		Pos:        n.pos(),
	}
	fg.Note = l.note(fs["note"], fmt.Sprintf("%s: figure %q", label, fg.Value))
	fg.ByNote = l.note(fs["by_note"], fmt.Sprintf("%s: figure %q: by_note", label, fg.Value))
	fg.Words = l.note(fs["words"], fmt.Sprintf("%s: figure %q: words", label, fg.Value))
	if fg.Words != nil && fg.Words[EN] != fg.Value {
		l.addf(fs["words"].pos(), "%s: figure %q: words in en must be the value as written", label, fg.Value)
	}
	if fg.ByNote != nil && fg.By == "" {
		l.addf(fs["by_note"].pos(), "%s: figure %q has a by_note but no by", label, fg.Value)
	}
	if fg.Value == "" {
		l.addf(n.pos(), "%s has a figure without a value", label)
	} else if fg.Unit == "" {
		l.addf(n.pos(), "%s: figure %q has no unit", label, fg.Value)
	}
	if fg.Date != "" && !ValidPeriod(fg.Date) {
		l.addf(fs["date"].pos(), "%s has malformed date %q", label, fg.Date)
	}
	return fg
}

// note reads a figure's or a source's note: like a fact's text, a mapping
// with the note in all five languages, since it is shown in the reader's
// language. An absent or empty note is no note (nil); a note in one
// language only is a problem.
func (l *loader) note(n node, label string) Text {
	switch {
	case n.n == nil || n.n.Kind == yaml.ScalarNode && n.n.Tag == "!!null":
		return nil
	case n.n.Kind != yaml.MappingNode:
		l.addf(n.pos(), "%s: note must be a mapping with its text in %s", label, langList())
		return nil
	}
	t := l.textAs(n, "note", label+": note", true)
	if len(t) == 0 {
		return nil
	}
	return t
}

// langList is "en, ru, kk, zh and fr".
func langList() string {
	names := make([]string, len(Langs))
	for i, l := range Langs {
		names[i] = string(l)
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (l *loader) sources(n node, label string) []Source {
	var out []Source
	for _, sn := range n.list("sources") {
		fs := sn.fields("source", "title", "publisher", "url", "date", "note")
		s := Source{
			Title:     fs["title"].str("title"),
			Publisher: fs["publisher"].str("publisher"),
			URL:       fs["url"].str("url"),
			Date:      fs["date"].str("date"),
		}
		s.Note = l.note(fs["note"], fmt.Sprintf("%s: source %q", label, s.Publisher))
		if s.Publisher == "" {
			l.addf(sn.pos(), "%s has a source without a publisher", label)
		}
		if s.URL != "" && !validURL(s.URL) {
			l.addf(fs["url"].pos(), "%s has malformed URL %q", label, s.URL)
		}
		if s.Date != "" && !validSourceDate(s.Date) {
			l.addf(fs["date"].pos(), "%s has malformed date %q", label, s.Date)
		}
		out = append(out, s)
	}
	return out
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		!strings.ContainsAny(s, " \t\n<>\"")
}

var (
	dateRE   = `\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?`
	periodRE = regexp.MustCompile(`^(?:` + dateRE + `|\d{4}-[QH][1-4])(?:\.\.(?:` + dateRE + `))?$`)
	srcDate  = regexp.MustCompile(`^~?` + dateRE + `$`)
)

// ValidPeriod reports whether s is an as-of period: YYYY, YYYY-MM, YYYY-MM-DD,
// a quarter YYYY-Qn, a half YYYY-Hn, or a range FROM..TO of dates.
func ValidPeriod(s string) bool {
	if !periodRE.MatchString(s) {
		return false
	}
	if i := strings.Index(s, "-Q"); i > 0 && s[i+2] > '4' {
		return false
	}
	if i := strings.Index(s, "-H"); i > 0 && s[i+2] > '2' {
		return false
	}
	return true
}

func validSourceDate(s string) bool { return srcDate.MatchString(s) }

func (l *loader) aliasFile(name string, data []byte) {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	if l.aliasIDs == nil {
		l.aliasIDs = map[string]Pos{}
	}
	top := node{l, name, 0, root}.fields("alias file", "aliases")
	for _, an := range top["aliases"].list("aliases") {
		fs := an.fields("alias", "id", "kind", "forms")
		a := Alias{ID: fs["id"].str("id"), Kind: fs["kind"].str("kind"), Forms: fs["forms"].strs("forms"), Pos: an.pos()}
		if a.Kind != "" && a.Kind != AliasPartner {
			l.addf(fs["kind"].pos(), "alias kind %q: want %q or none", a.Kind, AliasPartner)
		}
		switch {
		case a.ID == "":
			l.addf(an.pos(), "alias has no id")
			continue
		case !idRE.MatchString(a.ID):
			l.addf(an.pos(), "alias id %q must be lower-case letters, digits and dashes", a.ID)
			continue
		}
		if first, dup := l.aliasIDs[a.ID]; dup {
			l.addf(an.pos(), "duplicate alias id %q (first at %s:%d)", a.ID, first.File, first.Line)
			continue
		}
		l.aliasIDs[a.ID] = an.pos()
		if len(a.Forms) == 0 {
			l.addf(an.pos(), "alias %q has no forms", a.ID)
		}
		for _, f := range a.Forms {
			if strings.TrimSuffix(f, "*") == "" || strings.Count(f, "*") > 1 || strings.Contains(strings.TrimSuffix(f, "*"), "*") {
				l.addf(an.pos(), "alias %q has malformed form %q", a.ID, f)
			}
		}
		l.b.Aliases = append(l.b.Aliases, a)
	}
}

func (l *loader) evalFile(name string, data []byte) {
	l.b.Eval = append(l.b.Eval, l.evalCases(name, data)...)
}

func (l *loader) blindFile(name string, data []byte) {
	l.b.Blind = append(l.b.Blind, l.evalCases(name, data)...)
}

// EvalKinds are the kinds an eval case may name.
var EvalKinds = []string{"trend"}

func (l *loader) evalCases(name string, data []byte) []EvalCase {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return nil
	}
	var out []EvalCase
	top := node{l, name, 0, root}.fields("eval file", "cases")
	for _, cn := range top["cases"].list("cases") {
		fs := cn.fields("eval case", "q", "lang", "want", "out_of_scope", "asked", "kind", "series")
		c := EvalCase{
			Question: fs["q"].str("q"),
			Lang:     Lang(fs["lang"].str("lang")),
			Want:     fs["want"].strs("want"),
			Kind:     fs["kind"].str("kind"),
			Pos:      cn.pos(),
		}
		if o, ok := fs["out_of_scope"]; ok {
			c.OutOfScope = o.str("out_of_scope") == "true"
		}
		if a, ok := fs["asked"]; ok {
			t, err := time.Parse(time.DateOnly, a.str("asked"))
			if err != nil {
				l.addf(a.pos(), "eval case: asked %q is not a date (YYYY-MM-DD)", a.str("asked"))
			}
			c.Asked = t
		}
		if c.Kind != "" && !contains(EvalKinds, c.Kind) {
			l.addf(fs["kind"].pos(), "eval case has unknown kind %q (known: %s)", c.Kind, strings.Join(EvalKinds, ", "))
		}
		if sn, ok := fs["series"]; ok {
			c.Series = l.seriesWant(sn)
		}
		if c.Question == "" {
			l.addf(cn.pos(), "eval case has no question")
		}
		if !c.Lang.Valid() {
			l.addf(cn.pos(), "eval case has unknown lang %q", c.Lang)
		}
		if c.OutOfScope == (len(c.Want) > 0) {
			l.addf(cn.pos(), "eval case needs either want ids or out_of_scope: true")
		}
		out = append(out, c)
	}
	return out
}

// seriesWant reads an eval case's series: {measure, from, to}.
func (l *loader) seriesWant(n node) *SeriesWant {
	fs := n.fields("series", "measure", "from", "to")
	sw := &SeriesWant{Measure: fs["measure"].str("measure")}
	if sw.Measure == "" {
		l.addf(n.pos(), "eval case: series has no measure")
	}
	for _, f := range []struct {
		key string
		to  *int
	}{{"from", &sw.From}, {"to", &sw.To}} {
		y, err := strconv.Atoi(fs[f.key].str(f.key))
		if err != nil || y < 1900 || y > 2100 {
			l.addf(n.pos(), "eval case: series %s %q is not a year", f.key, fs[f.key].str(f.key))
		}
		*f.to = y
	}
	if sw.From > sw.To {
		l.addf(n.pos(), "eval case: series runs from %d to %d, backwards", sw.From, sw.To)
	}
	return sw
}

func (l *loader) checkRefs() {
	for _, c := range slices.Concat(l.b.Eval, l.b.Blind) {
		for _, id := range c.Want {
			if _, ok := l.ids[id]; !ok {
				l.addf(c.Pos, "eval case points at unknown id %q", id)
			}
		}
	}
	for _, d := range l.b.Documents {
		for _, id := range d.Facts {
			if _, ok := l.ids[id]; !ok {
				l.addf(d.Pos, "document %q draws on unknown fact %q", d.ID, id)
			}
		}
	}
}
