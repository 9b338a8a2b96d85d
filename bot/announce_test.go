package bot

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factbot/bot/boltstore"
	"factbot/bot/record"
	"factbot/bot/telegramtest"
)

// groupID is the i-th group of a broadcast test.
func groupID(i int) int64 { return -1_000_000 - int64(i) }

// addGroups makes n groups where the bot was spoken in, and waits until
// the registry has them all.
func addGroups(t testing.TB, srv *telegramtest.Server, st Registry, n int) {
	t.Helper()
	for i := range n {
		srv.GroupText(groupID(i), alice, fmt.Sprint("hello from group ", i))
	}
	srv.Wait(t, fmt.Sprint(n, " groups in the registry"), func() bool { return len(st.AnnouncementTargets()) >= n })
}

// announce previews text as the admin and returns the preview message.
func announce(t testing.TB, srv *telegramtest.Server, text string) telegramtest.Call {
	t.Helper()
	n := len(srv.Sent(admin.ID))
	srv.PrivateText(admin, "/announce "+text)
	return srv.WaitSent(t, admin.ID, n+1)[n]
}

// deliveries counts, per group, the messages carrying text.
func deliveries(srv *telegramtest.Server, text string) map[int64]int {
	out := map[int64]int{}
	for _, c := range srv.Sent(0) {
		if c.ChatID < 0 && c.PlainText() == text {
			out[c.ChatID]++
		}
	}
	return out
}

// waitReport waits for the admin's final report of an announcement.
func waitReport(t testing.TB, srv *telegramtest.Server) string {
	t.Helper()
	var got string
	srv.Wait(t, "the announcement report", func() bool {
		for _, c := range srv.Sent(admin.ID) {
			if strings.Contains(c.PlainText(), "delivered to") {
				got = c.PlainText()
				return true
			}
		}
		return false
	})
	return got
}

func withLimits(l Limits) func(*Config) { return func(c *Config) { c.Limits = l } }

// TestAnnounceTo300Groups broadcasts under Telegram's limits, enforced by
// the fake, through storms of 429s and groups that removed the bot.
func TestAnnounceTo300Groups(t *testing.T) {
	if testing.Short() {
		t.Skip("a broadcast at Telegram's pace takes about 12 s")
	}
	const groups = 300
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	h := startOn(t, srv, withStore(st), withAdmin(nil), withLimits(DefaultLimits))
	addGroups(t, srv, st, groups)
	srv.EnforceLimits(telegramtest.TelegramLimits)

	// One group opted out; ten removed the bot without the bot knowing.
	if err := st.SetAnnouncements(groupID(0), false); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		srv.BlockChat(groupID(i * 7))
	}
	const text = "Forum on Kazakhstan–China trade on 12 May in Astana <registration open> & free."
	preview := announce(t, srv, text)
	if got := preview.PlainText(); !strings.Contains(got, "It will go to 299 groups (1 opted out") || !strings.Contains(got, text) {
		t.Errorf("preview = %q", got)
	}
	if b := preview.Buttons(); len(b) != 2 || !strings.HasPrefix(b[0], "a:s:") || !strings.HasPrefix(b[1], "a:c:") {
		t.Fatalf("preview buttons = %v", b)
	}
	// Only a bot admin's press counts.
	srv.Callback(alice, preview.Message(), preview.Buttons()[0])
	srv.Wait(t, "the refused press answered", func() bool { return len(srv.Calls("answerCallbackQuery")) >= 1 })
	if n := len(deliveries(srv, text)); n != 0 {
		t.Fatalf("a non-admin's press sent the announcement to %d groups", n)
	}

	// 429 storms: bursts of flood answers with retry_after while it sends.
	srv.Inject(telegramtest.TooManyRequests(1).For("sendMessage").N(25))
	start := time.Now()
	srv.Callback(admin, preview.Message(), preview.Buttons()[0])
	srv.Wait(t, "the broadcast under way", func() bool { return len(deliveries(srv, text)) >= 100 })
	srv.Inject(telegramtest.TooManyRequests(2).For("sendMessage").N(25))
	report := waitReport(t, srv)
	took := time.Since(start)

	got := deliveries(srv, text)
	for i := range groups {
		g := groupID(i)
		blocked := i%7 == 0 && i > 0 && i <= 70
		switch {
		case i == 0 && got[g] != 0:
			t.Errorf("the opted-out group got the announcement")
		case blocked && got[g] != 0:
			t.Errorf("removed group %d got it", g)
		case i > 0 && !blocked && got[g] != 1:
			t.Errorf("group %d got the announcement %d times, want once", g, got[g])
		}
		if c, _ := st.Chat(g); blocked && (c.Active || c.Reason != "kicked") {
			t.Errorf("removed group %d is %+v in the registry, want inactive", g, c)
		}
	}
	if b := srv.Breaches(); len(b) > 0 {
		t.Errorf("%d limit breaches, first %v", len(b), b[0])
	}
	for _, want := range []string{"done: delivered to 289 of 299 groups", "Removed — the bot was removed or blocked", fmt.Sprint(groupID(70))} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	// The preview became the progress message, and ended finished.
	last := preview
	for _, c := range srv.Calls("editMessageText") {
		if c.OK() && c.ChatID == admin.ID && c.Param("message_id") == fmt.Sprint(preview.Message().MessageID) {
			last = c
		}
	}
	if !strings.Contains(last.PlainText(), "finished") || !strings.Contains(last.PlainText(), "289 delivered, 0 failed, 10 removed") {
		t.Errorf("the progress message ends %q", last.PlainText())
	}
	rate := float64(289+10) / took.Seconds()
	t.Logf("299 deliveries in %v: %.1f messages/s (Telegram allows 30/s)", took.Round(time.Millisecond), rate)

	// Status and a second Send press.
	if s := h.ask(admin, "/announce status").PlainText(); !strings.Contains(s, "#1 done, 299 targets: 289 delivered, 0 pending, 0 failed, 10 removed") {
		t.Errorf("/announce status = %q", s)
	}
	n := len(srv.Sent(0))
	srv.Callback(admin, preview.Message(), "a:s:1")
	srv.Wait(t, "the second press answered", func() bool {
		for _, c := range srv.Calls("answerCallbackQuery") {
			if strings.Contains(c.Param("text"), "already sent") {
				return true
			}
		}
		return false
	})
	if m := len(srv.Sent(0)); m != n {
		t.Errorf("a second press sent %d more messages", m-n)
	}
}

// TestAnnounceResumesAfterCrash stops the bot and closes the store in the
// middle of a broadcast, with sends in flight, then starts again: no group
// is skipped, and only a group whose send was in flight gets it twice.
func TestAnnounceResumesAfterCrash(t *testing.T) {
	const groups = 300
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	fast := Limits{Private: 1000, PrivateBurst: 10, Group: 1000, GroupBurst: 10, Global: 60, GlobalBurst: 1}
	crashy := func(c *Config) { c.DrainTimeout = time.Millisecond }
	h := startOn(t, srv, withStore(st), withAdmin(nil), withLimits(fast), crashy)
	addGroups(t, srv, st, groups)

	const text = "Resumable announcement"
	preview := announce(t, srv, text)
	// Every send is slow, so that many are in flight at the crash; the
	// fake delivers them even when the bot gave up waiting.
	srv.Inject(telegramtest.Slow(300 * time.Millisecond).For("sendMessage").N(-1))
	srv.Callback(admin, preview.Message(), preview.Buttons()[0])
	srv.Wait(t, "a third of the broadcast", func() bool { return len(deliveries(srv, text)) >= groups/3 })

	h.stop() // the crash: a 1 ms drain, then everything in flight is cut
	atCrash := map[int64]record.DeliveryState{}
	dels, err := st.Deliveries(1)
	if err != nil {
		t.Fatal(err)
	}
	inFlight := 0
	for _, d := range dels {
		atCrash[d.Chat] = d.State
		if d.State == record.DelSending {
			inFlight++
		}
	}
	if len(atCrash) != groups {
		t.Fatalf("the ledger has %d entries, want %d", len(atCrash), groups)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	srv.ClearFaults()
	srv.Wait(t, "the cut sends to land", func() bool { return srv.Count("sendMessage") == len(srv.Calls("sendMessage")) })
	before := deliveries(srv, text)
	t.Logf("at the crash: %d of %d groups had it, %d ledger entries in flight", len(before), groups, inFlight)
	if len(before) >= groups {
		t.Fatalf("the broadcast finished before the crash; the test proves nothing")
	}

	st = mustOpenStore(t, path)
	t.Cleanup(func() { st.Close() })
	startOn(t, srv, withStore(st), withAdmin(nil), withLimits(fast))
	report := waitReport(t, srv)
	if !strings.Contains(report, fmt.Sprintf("delivered to %d of %d groups", groups, groups)) {
		t.Errorf("report after resuming = %q", report)
	}
	got := deliveries(srv, text)
	dups := 0
	for i := range groups {
		g := groupID(i)
		switch n := got[g]; {
		case n == 0:
			t.Errorf("group %d was skipped", g)
		case n == 2 && atCrash[g] == record.DelSending:
			dups++ // in flight at the crash: the one duplicate allowed
		case n > 1:
			t.Errorf("group %d got it %d times (ledger at the crash: %s)", g, n, atCrash[g])
		}
	}
	t.Logf("after resuming: every group has it; %d duplicates, all among the %d sends in flight at the crash", dups, inFlight)
}

// TestAnnounceCancelAndMigration cancels a broadcast half-way and follows a
// group that became a supergroup; a preview can be canceled too.
func TestAnnounceCancelAndMigration(t *testing.T) {
	const groups = 60
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	srv := telegramtest.New(t)
	srv.Timeout = 30 * time.Second
	slow := Limits{Private: 1000, PrivateBurst: 10, Group: 1000, GroupBurst: 10, Global: 20, GlobalBurst: 1}
	h := startOn(t, srv, withStore(st), withAdmin(nil), withLimits(slow))
	addGroups(t, srv, st, groups)
	super := int64(-1_009_999_000)
	srv.MigrateChat(groupID(groups-1), super)

	// A preview canceled sends nothing.
	p := announce(t, srv, "Never sent")
	srv.Callback(admin, p.Message(), p.Buttons()[1])
	srv.Wait(t, "the preview canceled", func() bool {
		for _, c := range srv.Calls("editMessageText") {
			if strings.Contains(c.PlainText(), "canceled; nothing was sent") {
				return true
			}
		}
		return false
	})
	srv.Callback(admin, p.Message(), p.Buttons()[0]) // Send after Cancel
	srv.Wait(t, "Send refused", func() bool {
		for _, c := range srv.Calls("answerCallbackQuery") {
			if strings.Contains(c.Param("text"), "already sent or canceled") {
				return true
			}
		}
		return false
	})

	const text = "Half of this goes out"
	p = announce(t, srv, text)
	srv.Callback(admin, p.Message(), p.Buttons()[0])
	srv.Wait(t, "a part of the broadcast", func() bool { return len(deliveries(srv, text)) >= 10 })
	if got := h.ask(admin, "/announce cancel").PlainText(); !strings.Contains(got, "canceled; deliveries stop now") {
		t.Errorf("/announce cancel = %q", got)
	}
	report := waitReport(t, srv)
	n := len(deliveries(srv, text))
	if n >= groups || !strings.Contains(report, "canceled: delivered to") || !strings.Contains(report, "Not sent, canceled:") {
		t.Errorf("after cancel: %d of %d groups got it; report:\n%s", n, groups, report)
	}
	if got := deliveries(srv, text); got[super] != 1 || got[groupID(groups-1)] != 0 {
		t.Errorf("the migrated group: old id got %d, supergroup %d; want 0 and 1", got[groupID(groups-1)], got[super])
	}
	if !strings.Contains(report, fmt.Sprintf("%d → %d", groupID(groups-1), super)) {
		t.Errorf("report does not show the migration:\n%s", report)
	}
	if c, _ := st.Chat(super); !c.Active {
		t.Errorf("the supergroup is not in the registry: %+v", c)
	}
	time.Sleep(200 * time.Millisecond) // nothing more goes out after the report
	if m := len(deliveries(srv, text)); m != n {
		t.Errorf("%d more deliveries after the report", m-n)
	}
}

// ledgerStates counts the entries of announcement id's ledger by state.
func ledgerStates(t testing.TB, st *boltstore.Store, id uint64) map[record.DeliveryState]int {
	t.Helper()
	dels, err := st.Deliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[record.DeliveryState]int{}
	for _, d := range dels {
		out[d.State]++
	}
	return out
}

// A delivery is marked "sending" when its request goes out, not while it
// waits for the rate limits: a crash can only repeat the sends really in
// flight, not every one queued behind the limiter.
func TestAnnounceMarksSendingOnlyWhileSending(t *testing.T) {
	const groups = 10
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	srv := telegramtest.New(t)
	slow := Limits{Private: 1000, PrivateBurst: 10, Group: 1000, GroupBurst: 10, Global: 5, GlobalBurst: 1}
	startOn(t, srv, withStore(st), withAdmin(nil), withLimits(slow))
	addGroups(t, srv, st, groups)
	const text = "Paced announcement"
	preview := announce(t, srv, text)
	srv.Callback(admin, preview.Message(), preview.Buttons()[0])
	most := 0
	for n := 1; n <= 5; n++ {
		srv.Wait(t, fmt.Sprint(n, " deliveries"), func() bool { return len(deliveries(srv, text)) >= n })
		most = max(most, ledgerStates(t, st, 1)[record.DelSending])
	}
	// At 5 messages a second, one request is out at a time; its entry may
	// not be marked "sent" yet when the next one goes.
	if most > 2 {
		t.Errorf("%d ledger entries marked sending at once with one request out at a time, want at most 2", most)
	}
	waitReport(t, srv)
}

// After a crash the sends left uncertain go last, behind every pending
// one, so that a crash soon after the restart finds them done or not
// started rather than in flight again.
func TestAnnounceResumesUncertainLast(t *testing.T) {
	const pending, uncertain = 60, 10
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	t.Cleanup(func() { st.Close() })
	srv := telegramtest.New(t)
	h := startOn(t, srv, withStore(st), withAdmin(nil))
	addGroups(t, srv, st, pending+uncertain)
	h.ask(admin, "/start") // the report goes to the admin's chat
	h.stop()

	// The ledger a crash leaves: the groups with the lowest ids, which go
	// first, were being sent.
	const text = "Resumed announcement"
	ann, _, err := st.CreateAnnouncement(record.Announcement{Text: text, State: record.AnnDraft})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartAnnouncement(ann.ID, st.AnnouncementTargets()); err != nil {
		t.Fatal(err)
	}
	dels, err := st.Deliveries(ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	wasSending := map[int64]bool{}
	for _, d := range dels[:uncertain] {
		d.State, d.Attempts = record.DelSending, 1
		if err := st.SetDelivery(ann.ID, d); err != nil {
			t.Fatal(err)
		}
		wasSending[d.Chat] = true
	}

	startOn(t, srv, withStore(st), withAdmin(nil))
	waitReport(t, srv)
	var order []int64
	for _, c := range srv.Sent(0) {
		if c.ChatID < 0 && c.PlainText() == text {
			order = append(order, c.ChatID)
		}
	}
	if len(order) != pending+uncertain {
		t.Fatalf("%d deliveries, want %d", len(order), pending+uncertain)
	}
	// Workers take the uncertain ones only after the pending ones were
	// all taken: fewer than broadcastWorkers pending ones go out after one
	// of them.
	for i, g := range order {
		if !wasSending[g] {
			continue
		}
		after := 0
		for _, h := range order[i+1:] {
			if !wasSending[h] {
				after++
			}
		}
		if after >= broadcastWorkers {
			t.Errorf("uncertain group %d went out as delivery %d of %d, with %d pending ones after it", g, i+1, len(order), after)
		}
	}
}

// Without a state file the announcements run in memory, the same way.
func TestAnnounceWithoutAFile(t *testing.T) {
	const groups = 5
	h := start(t, withAdmin(nil))
	srv := h.srv
	addGroups(t, srv, h.bot.registry, groups)
	const text = "A forum in memory & nowhere else."
	preview := announce(t, srv, text)
	if got := preview.PlainText(); !strings.Contains(got, fmt.Sprintf("It will go to %d groups", groups)) {
		t.Fatalf("preview = %q", got)
	}
	srv.Callback(admin, preview.Message(), preview.Buttons()[0])
	report := waitReport(t, srv)
	if !strings.Contains(report, fmt.Sprintf("delivered to %d of %d groups", groups, groups)) {
		t.Errorf("report = %q", report)
	}
	for i := range groups {
		if n := deliveries(srv, text)[groupID(i)]; n != 1 {
			t.Errorf("group %d got the announcement %d times, want once", groupID(i), n)
		}
	}
}
