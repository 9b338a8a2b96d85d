package bot

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factbot/bot/record"
	"factbot/knowledge"
)

func TestScheduledAnnouncementsSentOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	now := time.Now()
	base := &knowledge.Base{Announcements: []knowledge.Announcement{
		{ID: "past", Text: "Scheduled: the forum opened.", All: true, PublishAt: now.Add(-time.Hour)},
		{ID: "soon", Text: "Scheduled: for group zero only.", Groups: []int64{groupID(0)}, PublishAt: now.Add(1500 * time.Millisecond)},
		{ID: "later", Text: "Scheduled: next year.", All: true, PublishAt: now.Add(24 * time.Hour)},
	}}
	rl := &fakeReloader{rep: knowledge.ReloadReport{Hash: "h1", Base: base}}
	h := start(t, withStore(st), withAdmin(rl))
	srv := h.srv
	srv.PrivateText(admin, "/start")
	srv.WaitSent(t, admin.ID, 1)
	addGroups(t, srv, st, 3)

	h.ask(admin, "/reload")
	for i := range 3 {
		srv.Wait(t, "the due announcement", func() bool { return deliveries(srv, "Scheduled: the forum opened.")[groupID(i)] == 1 })
	}
	srv.Wait(t, "the announcement due soon", func() bool { return deliveries(srv, "Scheduled: for group zero only.")[groupID(0)] == 1 })
	reports := func() int {
		n := 0
		for _, c := range srv.Sent(admin.ID) {
			if strings.Contains(c.PlainText(), "delivered to") {
				n++
			}
		}
		return n
	}
	srv.Wait(t, "two reports", func() bool { return reports() == 2 })
	if status := h.ask(admin, "/announce status").PlainText(); !strings.Contains(status, "scheduled for") || !strings.Contains(status, "(later)") {
		t.Errorf("/announce status = %q", status)
	}

	// Reloading the same files sends nothing again; removing one cancels it.
	rl.mu.Lock()
	rl.rep.Base = &knowledge.Base{Announcements: base.Announcements[:2]}
	rl.mu.Unlock()
	h.ask(admin, "/reload")
	all, _ := st.Announcements()
	states := map[string]record.AnnState{}
	for _, a := range all {
		states[a.Key] = a.State
	}
	if states["file:past"] != record.AnnDone || states["file:soon"] != record.AnnDone || states["file:later"] != record.AnnCanceled || len(all) != 3 {
		t.Errorf("announcements after the second reload: %v", states)
	}
	if n := reports(); n != 2 {
		t.Errorf("the admin got %d reports, want 2", n)
	}
	h.stop()
	st.Close()

	// After a restart, nothing is sent again.
	st = mustOpenStore(t, path)
	t.Cleanup(func() { st.Close() })
	rl.mu.Lock()
	rl.rep.Base = base
	rl.mu.Unlock()
	h2 := startOn(t, srv, withStore(st), withAdmin(rl))
	h2.ask(admin, "/reload")
	h2.ask(admin, "/status")
	if got := deliveries(srv, "Scheduled: the forum opened."); len(got) != 3 || got[groupID(0)] != 1 || got[groupID(1)] != 1 || got[groupID(2)] != 1 {
		t.Errorf("deliveries of the due announcement after a restart: %v", got)
	}
	if got := deliveries(srv, "Scheduled: for group zero only."); len(got) != 1 || got[groupID(0)] != 1 {
		t.Errorf("deliveries of the group-zero announcement after a restart: %v", got)
	}
}
