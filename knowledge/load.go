package knowledge

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

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

// Load reads and validates the knowledge folder at the root of fsys. It reports
// every problem it finds, as Problems, in one pass; on any problem it returns a
// nil Base, so a bad folder is never half-loaded.
func Load(fsys fs.FS) (*Base, error) {
	l := &loader{b: &Base{}, ids: map[string]Pos{}}
	l.dir(fsys, "facts", ".yaml", l.factFile)
	l.dir(fsys, "documents", ".md", l.documentFile)
	l.dir(fsys, "aliases", ".yaml", l.aliasFile)
	l.dir(fsys, "measures", ".yaml", l.measureFile)
	l.dir(fsys, "eval", ".yaml", l.evalFile)
	l.dir(fsys, "announcements", ".yaml", l.announcementFile)
	l.checkRefs()
	l.checkMeasureRefs()
	if len(l.problems) > 0 {
		l.problems.sort()
		return nil, l.problems
	}
	l.b.link()
	return l.b, nil
}

type loader struct {
	b        *Base
	problems Problems
	ids      map[string]Pos // fact, document and passage ids
	aliasIDs map[string]Pos
	// measureIDs are the measures' ids, a namespace of their own;
	// measureRefs the facts' references to them, checked once all are read.
	measureIDs  map[string]Pos
	measureRefs []measureRef
	// announceIDs are scheduled announcements' ids, a namespace of their own.
	announceIDs map[string]Pos
}

func (l *loader) addf(pos Pos, format string, args ...any) {
	l.problems = append(l.problems, Problem{pos, fmt.Sprintf(format, args...)})
}

// dir loads every file with the given extension in dir, in name order.
func (l *loader) dir(fsys fs.FS, dir, ext string, load func(name string, data []byte)) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return // an absent folder is an empty one
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ext) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name := path.Join(dir, e.Name())
		if info, err := e.Info(); err == nil && info.Size() > MaxFileSize {
			l.addf(Pos{name, 1}, "file is larger than %d bytes", MaxFileSize)
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			l.addf(Pos{name, 1}, "cannot read: %v", err)
			continue
		}
		load(name, data)
	}
}

// parseYAML parses data and returns its top-level mapping, or nil after
// reporting why it could not.
func (l *loader) parseYAML(name string, data []byte, lineOffset int) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.addf(Pos{name, yamlErrLine(err) + lineOffset}, "%s", yamlErrMsg(err))
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
	keys := make([]string, len(Langs))
	for i, lang := range Langs {
		keys[i] = string(lang)
	}
	fs := n.fields("text", keys...)
	t := Text{}
	for _, lang := range Langs {
		if s := fs[string(lang)].str("text"); s != "" {
			t[lang] = s
		} else if complete {
			l.addf(n.pos(), "%s has no text in %s", label, lang)
		}
	}
	return t
}

func (l *loader) figure(n node, label string) Figure {
	fs := n.fields("figure", "value", "unit", "date", "by", "note")
	fg := Figure{
		Value: fs["value"].str("value"),
		Unit:  fs["unit"].str("unit"),
		Date:  fs["date"].str("date"),
		By:    fs["by"].str("by"),
		Note:  fs["note"].str("note"),
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

func (l *loader) sources(n node, label string) []Source {
	var out []Source
	for _, sn := range n.list("sources") {
		fs := sn.fields("source", "title", "publisher", "url", "date", "note")
		s := Source{
			Title:     fs["title"].str("title"),
			Publisher: fs["publisher"].str("publisher"),
			URL:       fs["url"].str("url"),
			Date:      fs["date"].str("date"),
			Note:      fs["note"].str("note"),
		}
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
		fs := an.fields("alias", "id", "forms")
		a := Alias{ID: fs["id"].str("id"), Forms: fs["forms"].strs("forms"), Pos: an.pos()}
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
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	top := node{l, name, 0, root}.fields("eval file", "cases")
	for _, cn := range top["cases"].list("cases") {
		fs := cn.fields("eval case", "q", "lang", "want", "out_of_scope")
		c := EvalCase{
			Question: fs["q"].str("q"),
			Lang:     Lang(fs["lang"].str("lang")),
			Want:     fs["want"].strs("want"),
			Pos:      cn.pos(),
		}
		if o, ok := fs["out_of_scope"]; ok {
			c.OutOfScope = o.str("out_of_scope") == "true"
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
		l.b.Eval = append(l.b.Eval, c)
	}
}

// checkRefs reports references to ids that do not exist, once all files are read.
func (l *loader) checkRefs() {
	for _, c := range l.b.Eval {
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
