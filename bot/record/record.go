// Package record defines what factbot's bot remembers between runs — the
// chat registry, announcements with their delivery ledgers, feedback and
// the questions that got no answer — as plain values and the rules that
// change them, with no storage in it. bot declares the interfaces that keep
// them (in memory by default); bot/boltstore keeps them in a file.
//
// record imports only knowledge and the standard library.
package record

import (
	"errors"
	"sort"
	"strings"
	"time"
	"unicode"

	"factbot/knowledge"
)

// Chat is what the registry knows about one chat.
type Chat struct {
	ID     int64  `json:"id"`
	Type   string `json:"type,omitempty"` // private, group, supergroup
	Title  string `json:"title,omitempty"`
	Active bool   `json:"active"`
	// Reason says why a chat is inactive: blocked, kicked, left, migrated.
	Reason string         `json:"reason,omitempty"`
	Lang   knowledge.Lang `json:"lang,omitempty"`
	// NoAnnouncements is set when the group opted out of announcements.
	NoAnnouncements bool      `json:"no_announcements,omitempty"`
	MovedTo         int64     `json:"moved_to,omitempty"`
	Added           time.Time `json:"added"`
	Updated         time.Time `json:"updated"`
}

// Group reports whether the chat is a group or supergroup.
func (c Chat) Group() bool { return c.ID < 0 }

// NewChat is the record of a chat heard of for the first time: active, a
// private chat or a group by the sign of its id.
func NewChat(id int64, now time.Time) Chat {
	c := Chat{ID: id, Active: true, Added: now, Type: "group"}
	if id > 0 {
		c.Type = "private"
	}
	return c
}

// Seen marks the chat active, of type typ and titled title (either left
// as it is when empty); it reports whether anything changed.
func (c *Chat) Seen(typ, title string) bool {
	changed := !c.Active || (typ != "" && c.Type != typ) || (title != "" && c.Title != title)
	c.Active, c.Reason = true, ""
	if typ != "" {
		c.Type = typ
	}
	if title != "" {
		c.Title = title
	}
	return changed
}

// SetActive marks the chat active or inactive with why; it reports whether
// anything changed.
func (c *Chat) SetActive(active bool, reason string) bool {
	if active {
		reason = ""
	}
	changed := c.Active != active || c.Reason != reason
	c.Active, c.Reason = active, reason
	return changed
}

// SetLang sets the chat's reply language; it reports whether it changed.
func (c *Chat) SetLang(l knowledge.Lang) bool {
	changed := c.Lang != l
	c.Lang = l
	return changed
}

// SetAnnouncements turns announcements on or off; it reports whether that
// changed.
func (c *Chat) SetAnnouncements(on bool) bool {
	changed := c.NoAnnouncements == on
	c.NoAnnouncements = !on
	return changed
}

// TakeOver makes c the supergroup that group old became: active, with
// old's title, language and opt-out where c has none.
func (c *Chat) TakeOver(old Chat) {
	c.Type, c.Active, c.Reason = "supergroup", true, ""
	if c.Title == "" {
		c.Title = old.Title
	}
	if c.Lang == "" {
		c.Lang = old.Lang
	}
	c.NoAnnouncements = c.NoAnnouncements || old.NoAnnouncements
}

// MovedOut marks the group as having become supergroup to; it reports
// whether anything changed.
func (c *Chat) MovedOut(to int64) bool {
	changed := c.Active || c.MovedTo != to
	c.Active, c.Reason, c.MovedTo = false, "migrated", to
	return changed
}

// Groups returns copies of the groups among chats, by id.
func Groups(chats map[int64]*Chat) []Chat {
	var out []Chat
	for _, c := range chats {
		if c.Group() {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Targets returns the ids of the groups an announcement to every group
// goes to: active and not opted out.
func Targets(groups []Chat) []int64 {
	var out []int64
	for _, c := range groups {
		if c.Group() && c.Active && !c.NoAnnouncements {
			out = append(out, c.ID)
		}
	}
	return out
}

// Feedback is one 👍 or 👎 on an answer.
type Feedback struct {
	At       time.Time
	Chat     int64
	User     int64
	Question string
	Lang     knowledge.Lang
	HitID    string // the best hit's id; "" when the bot did not know
	Useful   bool
}

// MaxGaps bounds the distinct unanswered questions kept.
const MaxGaps = 20_000

// Gap is a question the bot could not answer, and how often it was asked.
type Gap struct {
	Question string         `json:"q"`
	Lang     knowledge.Lang `json:"lang"`
	Count    int            `json:"n"`
	Last     time.Time      `json:"last"`
}

// GapKey folds case, punctuation and spacing, so that the same question
// asked twice counts twice; "" means there is nothing to count.
func GapKey(q string) string {
	f := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return strings.Join(f, " ")
}

// AnnState is where an announcement is in its life.
type AnnState string

// Announcement states.
const (
	AnnDraft     AnnState = "draft"     // previewed, not sent
	AnnScheduled AnnState = "scheduled" // from a knowledge file, waiting for its time
	AnnSending   AnnState = "sending"   // the ledger is written; deliveries go out
	AnnDone      AnnState = "done"      // every delivery finished
	AnnCanceled  AnnState = "canceled"  // stopped by an admin; what was sent stays sent
)

// DeliveryState is where one delivery of an announcement is.
//
// An entry is written "pending" for every target before the first message
// goes out, turned "sending" (durably) right before its request goes out,
// once the rate limits let it, then "sent", "failed" or "removed". After a
// crash the "pending" and "sending" ones are sent again: no group is
// skipped, and only a "sending" one — a send in flight at the crash — can
// get a second copy. A crash adds at most one copy to a group, and only if
// its send was in flight; the uncertain ones are resumed last, so that a
// crash soon after the restart does not find them in flight again.
type DeliveryState string

// Delivery states.
const (
	DelPending  DeliveryState = "pending"
	DelSending  DeliveryState = "sending"
	DelSent     DeliveryState = "sent"
	DelFailed   DeliveryState = "failed"
	DelRemoved  DeliveryState = "removed"  // 403: the bot was removed or blocked
	DelCanceled DeliveryState = "canceled" // not sent: the announcement was canceled
)

// Announcement is a message to every group, with its delivery ledger.
type Announcement struct {
	ID      uint64   `json:"id"`
	Text    string   `json:"text"`
	By      int64    `json:"by,omitempty"`  // the admin; 0 for a scheduled one
	Key     string   `json:"key,omitempty"` // a scheduled announcement's id in the knowledge folder
	State   AnnState `json:"state"`
	Targets int      `json:"targets"`
	// Chat and MsgID are the progress message, edited as deliveries go.
	Chat     int64     `json:"chat,omitempty"`
	MsgID    int       `json:"msg_id,omitempty"`
	Created  time.Time `json:"created"`
	Started  time.Time `json:"started,omitempty"`
	Finished time.Time `json:"finished,omitempty"`
	// A scheduled announcement goes out at PublishAt to every group (All)
	// or to Groups.
	PublishAt time.Time `json:"publish_at,omitempty"`
	All       bool      `json:"all,omitempty"`
	Groups    []int64   `json:"groups,omitempty"`
}

// Start turns a draft or scheduled announcement into one being sent to
// targets, at now. Starting twice is ErrNotDraft.
func (a *Announcement) Start(targets int, now time.Time) error {
	if a.State != AnnDraft && a.State != AnnScheduled {
		return ErrNotDraft
	}
	a.State, a.Targets, a.Started = AnnSending, targets, now
	return nil
}

// Delivery is one (announcement, chat) entry of the ledger.
type Delivery struct {
	Chat     int64         `json:"chat"`
	State    DeliveryState `json:"state"`
	Reason   string        `json:"reason,omitempty"`
	To       int64         `json:"to,omitempty"` // the supergroup it went to, after a migration
	Attempts int           `json:"attempts,omitempty"`
	At       time.Time     `json:"at"`
}

// Errors of the ledger.
var (
	ErrNoAnnouncement = errors.New("no such announcement")
	ErrNotDraft       = errors.New("announcement was already sent or canceled") // Send pressed twice
)
