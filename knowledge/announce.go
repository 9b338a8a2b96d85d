package knowledge

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"gopkg.in/yaml.v3"
)

// Announcement is a scheduled message to groups, from a file in
// announcements/. The bot picks it up when the knowledge is loaded or
// reloaded and sends it once, when PublishAt has come.
//
//	announcements:
//	  - id: forum-2025-05              # stable, lower-case, [a-z0-9-]
//	    text: |
//	      The Kazakhstan–China business forum opens on 12 May in Astana.
//	    target: all                    # or a list of group ids: [-1001234567890]
//	    publish_at: "2025-05-01T09:00:00+05:00"   # RFC 3339, with its offset
type Announcement struct {
	ID        string
	Text      string
	All       bool    // every group the bot is in
	Groups    []int64 // else these groups
	PublishAt time.Time
	Pos       Pos
}

// MaxAnnouncementLen is the longest announcement text, in UTF-16 units: one
// Telegram message.
const MaxAnnouncementLen = 4096

func (l *loader) announcementFile(name string, data []byte) {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	if l.announceIDs == nil {
		l.announceIDs = map[string]Pos{}
	}
	top := node{l, name, 0, root}.fields("announcement file", "announcements")
	for _, an := range top["announcements"].list("announcements") {
		if a, ok := l.announcement(an); ok {
			l.b.Announcements = append(l.b.Announcements, a)
		}
	}
}

func (l *loader) announcement(n node) (Announcement, bool) {
	fs := n.fields("announcement", "id", "text", "target", "publish_at")
	a := Announcement{ID: fs["id"].str("id"), Text: fs["text"].str("text"), Pos: n.pos()}
	ok := true
	bad := func(pos Pos, format string, args ...any) {
		l.addf(pos, format, args...)
		ok = false
	}
	switch {
	case a.ID == "":
		bad(n.pos(), "announcement has no id")
	case !idRE.MatchString(a.ID):
		bad(n.pos(), "announcement id %q must be lower-case letters, digits and dashes", a.ID)
	default:
		if first, dup := l.announceIDs[a.ID]; dup {
			bad(n.pos(), "duplicate announcement id %q (first at %s:%d)", a.ID, first.File, first.Line)
		} else {
			l.announceIDs[a.ID] = n.pos()
		}
	}
	label := "announcement " + strconv.Quote(a.ID)
	if a.Text == "" {
		bad(n.pos(), "%s has no text", label)
	} else if units := len(utf16.Encode([]rune(a.Text))); units > MaxAnnouncementLen {
		bad(fs["text"].pos(), "%s is %d characters long; at most %d fit in one message", label, units, MaxAnnouncementLen)
	}
	switch t, present := fs["target"]; {
	case !present:
		bad(n.pos(), "%s has no target (all, or a list of group ids)", label)
	case t.n.Kind == yaml.SequenceNode:
		for _, g := range t.list("target") {
			s := g.str("group id")
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id >= 0 {
				bad(g.pos(), "%s: target %q is not a group id (groups have negative ids, like -1001234567890)", label, s)
				continue
			}
			a.Groups = append(a.Groups, id)
		}
		if len(a.Groups) == 0 && ok {
			bad(t.pos(), "%s has an empty target list", label)
		}
	default:
		if s := t.str("target"); strings.ToLower(s) == "all" {
			a.All = true
		} else {
			bad(t.pos(), "%s: target %q must be all or a list of group ids", label, s)
		}
	}
	switch p, present := fs["publish_at"]; {
	case !present:
		bad(n.pos(), "%s has no publish_at time", label)
	default:
		s := p.str("publish_at")
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			bad(p.pos(), "%s: publish_at %q is not a time like 2025-05-01T09:00:00+05:00 (RFC 3339, with its offset)", label, s)
		}
		a.PublishAt = t
	}
	return a, ok
}
