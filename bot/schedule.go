package bot

import (
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"factbot/bot/record"
	"factbot/knowledge"
)

// Scheduled announcements come from the knowledge folder's announcements/
// files. Each is stored once, keyed by its id ("file:ID"), when the
// knowledge is loaded or reloaded; it waits in the "scheduled" state until
// its publish time, then goes out like an admin's announcement, with the
// report sent to every admin. Editing it in the files before then changes
// it; removing it cancels it; once sent, reloading never sends it again.

const scheduledPrefix = "file:"

// sync stores the announcements of base and arms the timer for the next.
func (a *announcer) sync(base *knowledge.Base) {
	st := a.ledger
	if base == nil {
		return
	}
	keys := map[string]bool{}
	for _, ka := range base.Announcements {
		key := scheduledPrefix + ka.ID
		keys[key] = true
		want := record.Announcement{Key: key, Text: ka.Text, State: record.AnnScheduled, PublishAt: ka.PublishAt.UTC(), All: ka.All, Groups: ka.Groups}
		ann, created, err := st.CreateAnnouncement(want)
		if err != nil {
			a.log.Error("store a scheduled announcement", zap.String("id", ka.ID), zap.Error(err))
			continue
		}
		if created {
			a.log.Info("announcement scheduled", zap.String("id", ka.ID), zap.Time("publish_at", want.PublishAt))
			continue
		}
		if ann.State == record.AnnScheduled && (ann.Text != want.Text || !ann.PublishAt.Equal(want.PublishAt) || ann.All != want.All || !slices.Equal(ann.Groups, want.Groups)) {
			if _, err := st.UpdateAnnouncement(ann.ID, func(x *record.Announcement) error {
				x.Text, x.PublishAt, x.All, x.Groups = want.Text, want.PublishAt, want.All, want.Groups
				return nil
			}); err != nil {
				a.log.Error("update a scheduled announcement", zap.String("id", ka.ID), zap.Error(err))
			}
		}
	}
	all, err := st.Announcements()
	if err != nil {
		a.log.Error("read announcements", zap.Error(err))
		return
	}
	for _, ann := range all {
		if ann.State == record.AnnScheduled && strings.HasPrefix(ann.Key, scheduledPrefix) && !keys[ann.Key] {
			a.log.Info("scheduled announcement removed from the knowledge; canceled", zap.String("key", ann.Key))
			_, _ = st.UpdateAnnouncement(ann.ID, func(x *record.Announcement) error {
				if x.State == record.AnnScheduled {
					x.State, x.Finished = record.AnnCanceled, time.Now().UTC()
				}
				return nil
			})
		}
	}
	a.arm()
}

// arm sets the timer for the earliest scheduled announcement.
func (a *announcer) arm() {
	all, err := a.ledger.Announcements()
	if err != nil {
		a.log.Error("read announcements", zap.Error(err))
		return
	}
	var next time.Time
	for _, ann := range all {
		if ann.State == record.AnnScheduled && (next.IsZero() || ann.PublishAt.Before(next)) {
			next = ann.PublishAt
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	if next.IsZero() || a.stopped {
		return
	}
	a.timer = time.AfterFunc(max(time.Until(next), 0), func() {
		if a.work.Err() == nil {
			a.seq.submit(broadcastKey, a.due)
		}
	})
}

// due starts every scheduled announcement whose time has come, one after
// the other, then arms the timer for the next.
func (a *announcer) due() {
	st := a.ledger
	all, err := st.Announcements()
	if err != nil {
		a.log.Error("read announcements", zap.Error(err))
		return
	}
	now := time.Now()
	for _, ann := range all {
		if ann.State != record.AnnScheduled || ann.PublishAt.After(now) || a.work.Err() != nil {
			continue
		}
		targets := a.scheduledTargets(ann)
		if _, err := st.StartAnnouncement(ann.ID, targets); err != nil {
			a.log.Error("start a scheduled announcement", zap.String("key", ann.Key), zap.Error(err))
			continue
		}
		a.log.Info("scheduled announcement: sending", zap.String("key", ann.Key), zap.Int("targets", len(targets)))
		a.run(a.work, ann.ID)
	}
	a.arm()
}

// scheduledTargets are the groups a scheduled announcement goes to: all
// the announcement targets, or those of its list the registry does not
// know to be gone or opted out.
func (a *announcer) scheduledTargets(ann record.Announcement) []int64 {
	if ann.All {
		return a.registry.AnnouncementTargets()
	}
	var out []int64
	for _, g := range ann.Groups {
		if c, ok := a.registry.Chat(g); ok && (!c.Active || c.NoAnnouncements) {
			continue
		}
		out = append(out, g)
	}
	return out
}
