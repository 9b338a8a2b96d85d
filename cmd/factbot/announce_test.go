package main

import (
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
