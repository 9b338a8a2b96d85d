package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factbot/bot/telegramtest"
)

// TestServeAnnounceAfterRestart: groups seen by one run of serve are in the
// registry of the next, which announces to them.
func TestServeAnnounceAfterRestart(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	in := serveAdmin(t, srv, kdir, data)
	srv.GroupText(group, alice, "hello")
	srv.GroupText(group-1, boris, "привет")
	say(t, srv, root, "/start") // handled after the groups' messages were seen
	in.stop()

	// The same fake, so the groups exist there, but no new message from
	// them: only the registry knows them.
	srv2 := srv
	serveAdmin(t, srv2, kdir, data)
	preview := func() telegramtest.Call {
		n := len(srv2.Sent(root.ID))
		srv2.PrivateText(root, "/announce The forum opens on Monday.")
		return srv2.WaitSent(t, root.ID, n+1)[n]
	}()
	if got := preview.PlainText(); !strings.Contains(got, "It will go to 2 groups") {
		t.Fatalf("preview after restart = %q", got)
	}
	srv2.Callback(root, preview.Message(), preview.Buttons()[0])
	for _, g := range []int64{group, group - 1} {
		srv2.Wait(t, "the announcement in the group", func() bool {
			for _, c := range srv2.Sent(g) {
				if c.PlainText() == "The forum opens on Monday." {
					return true
				}
			}
			return false
		})
	}
}

// TestServeScheduledAnnouncementFile: an announcement file added to the
// knowledge folder is validated and picked up by /reload, and sent once.
func TestServeScheduledAnnouncementFile(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	serveAdmin(t, srv, kdir, data)
	srv.GroupText(group, alice, "hello")
	say(t, srv, root, "/start")

	if err := os.MkdirAll(filepath.Join(kdir, "announcements"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(kdir, "announcements", "may.yaml")
	bad := "announcements:\n  - id: forum\n    text: The forum opens today.\n    target: all\n    publish_at: yesterday\n"
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := say(t, srv, root, "/reload"); !strings.Contains(got, `announcements/may.yaml:5: announcement "forum": publish_at "yesterday" is not a time`) {
		t.Errorf("/reload with a bad announcement = %q", got)
	}
	good := strings.Replace(bad, "yesterday", time.Now().Add(-time.Minute).UTC().Format(time.RFC3339), 1)
	if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	// The index is unchanged; the report names the new announcement.
	if got := say(t, srv, root, "/reload"); !strings.Contains(got, "Announcements added (1): forum") {
		t.Errorf("/reload with an announcement = %q", got)
	}
	sent := func() int {
		n := 0
		for _, c := range srv.Sent(group) {
			if c.PlainText() == "The forum opens today." {
				n++
			}
		}
		return n
	}
	srv.Wait(t, "the scheduled announcement", func() bool { return sent() == 1 })
	srv.Wait(t, "its report", func() bool {
		for _, c := range srv.Sent(root.ID) {
			if strings.Contains(c.PlainText(), "delivered to 1 of 1 groups") {
				return true
			}
		}
		return false
	})
	say(t, srv, root, "/reload")
	say(t, srv, root, "/status")
	if n := sent(); n != 1 {
		t.Errorf("the scheduled announcement was sent %d times", n)
	}
}
