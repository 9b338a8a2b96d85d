package bot

import (
	"factbot/bot/reply"

	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
)

// Announcements: /announce TEXT previews a message to every group (active,
// not opted out) with Send and Cancel buttons. Send writes the delivery
// ledger to the Store, then a broadcast sends through the dispatcher, which
// paces it within Telegram's limits and handles 429, 403 and migrations.
// The preview becomes a progress message, edited as deliveries go, and a
// final report follows. A broadcast cut short by a shutdown or a crash
// resumes when the bot starts again (see ledger.go for why no group is
// skipped and a crash adds at most one copy, and only where a send was in
// flight).

// broadcastWorkers is how many deliveries are in flight at once; the
// dispatcher's limits, not this, set the pace.
const broadcastWorkers = 32

// progressEvery is how often the progress message is edited.
var progressEvery = 3 * time.Second

// announcer runs broadcasts, one at a time, in the bot's work queue so that
// shutdown waits for them.
type announcer struct {
	b *Bot

	mu       sync.Mutex
	running  map[uint64]*broadcast
	canceled map[uint64]bool
	timer    *time.Timer // the next scheduled announcement
}

func newAnnouncer(b *Bot) *announcer {
	return &announcer{b: b, running: map[uint64]*broadcast{}, canceled: map[uint64]bool{}}
}

// broadcastKey is the sequencer key broadcasts run under: no chat has it,
// and all broadcasts share it, so they run one after the other.
const broadcastKey = math.MinInt64

// start queues the broadcast of announcement id.
func (a *announcer) start(id uint64) {
	a.b.seq.submit(broadcastKey, func() { a.run(a.b.work, id) })
}

// resume queues every announcement that was sending when the bot stopped,
// and schedules the knowledge's announcements.
func (a *announcer) resume() {
	defer a.sync(a.b.knowledge())
	if a.b.store == nil {
		return
	}
	all, err := a.b.store.Announcements()
	if err != nil {
		a.b.log.Error("read announcements; none resumed", zap.Error(err))
		return
	}
	for _, ann := range all {
		if ann.State == annSending {
			a.b.log.Info("resuming an announcement", zap.Uint64("announcement", ann.ID))
			a.start(ann.ID)
		}
	}
}

func (a *announcer) cancel(id uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.canceled[id] = true
}

func (a *announcer) isCanceled(id uint64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.canceled[id]
}

// broadcast is one announcement being delivered.
type broadcast struct {
	ann                          Announcement
	sent, failed, removed, total atomic.Int64
	canceled                     atomic.Int64
	start                        time.Time
}

// run delivers announcement id to every chat of its ledger not yet done.
func (a *announcer) run(ctx context.Context, id uint64) {
	b, st := a.b, a.b.store
	ann, err := st.Announcement(id)
	if err != nil || ann.State != annSending {
		return
	}
	dels, err := st.Deliveries(id)
	if err != nil {
		b.log.Error("read delivery ledger", zap.Uint64("announcement", id), zap.Error(err))
		return
	}
	bc := &broadcast{ann: ann, start: time.Now()}
	bc.total.Store(int64(len(dels)))
	var todo, uncertain []Delivery
	for _, d := range dels {
		switch d.State {
		case delPending:
			todo = append(todo, d)
		case delSending:
			uncertain = append(uncertain, d)
		case delSent:
			bc.sent.Add(1)
		case delRemoved:
			bc.removed.Add(1)
		case delFailed:
			bc.failed.Add(1)
		case delCanceled:
			bc.canceled.Add(1)
		}
	}
	// The sends a crash left uncertain go last: sent first, they would be
	// in flight again in the first moments after the restart, where a
	// crash loop strikes again, and each crash that finds one in flight
	// may add a copy.
	todo = append(todo, uncertain...)
	a.mu.Lock()
	a.running[id] = bc
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.running, id)
		a.mu.Unlock()
	}()
	b.log.Info("announcement: delivering", zap.Uint64("announcement", id), zap.Int("targets", len(dels)), zap.Int("to_send", len(todo)))

	msg := reply.RenderText(ann.Text)[0]
	jobs := make(chan Delivery)
	var wg sync.WaitGroup
	for range min(broadcastWorkers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				a.deliver(ctx, bc, d, msg)
			}
		}()
	}
	progress := time.NewTicker(progressEvery)
	defer progress.Stop()
	lastShown := ""
	show := func(final bool) {
		text := a.progressText(bc, final)
		if text != lastShown && ann.Chat != 0 && ann.MsgID != 0 {
			lastShown = text
			b.edit(ctx, ann.Chat, ann.MsgID, reply.RenderText(text)[0], nil)
		}
	}
feed:
	for _, d := range todo {
		for {
			select {
			case jobs <- d:
				continue feed
			case <-progress.C:
				show(false)
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		b.log.Info("announcement interrupted; it resumes at the next start", zap.Uint64("announcement", id),
			zap.Int64("sent", bc.sent.Load()), zap.Int64("total", bc.total.Load()))
		return
	}
	state := annDone
	if a.isCanceled(id) {
		state = annCanceled
	}
	ann, err = st.UpdateAnnouncement(id, func(x *Announcement) error {
		if x.State == annSending {
			x.State = state
		}
		x.Finished = time.Now().UTC()
		return nil
	})
	if err != nil {
		b.log.Error("finish announcement", zap.Uint64("announcement", id), zap.Error(err))
	}
	show(true)
	report, err := a.report(ann)
	if err != nil {
		b.log.Error("announcement report", zap.Uint64("announcement", id), zap.Error(err))
		return
	}
	if ann.Chat != 0 {
		b.sendAdmin(ctx, ann.Chat, report)
	} else { // a scheduled one: every admin hears of it
		for admin := range b.admins {
			b.sendAdmin(ctx, admin, report)
		}
	}
	b.log.Info("announcement finished", zap.Uint64("announcement", id), zap.String("state", ann.State),
		zap.Int64("sent", bc.sent.Load()), zap.Int64("failed", bc.failed.Load()), zap.Int64("removed", bc.removed.Load()),
		zap.Duration("took", time.Since(bc.start)))
}

// deliver sends one ledger entry: marked sending, durably, right before its
// request goes out (not while it waits for the rate limits, so that a
// crash finds as few entries uncertain as there are requests in flight),
// then sent, then marked with the outcome.
func (a *announcer) deliver(ctx context.Context, bc *broadcast, d Delivery, msg reply.Message) {
	b, st, id := a.b, a.b.store, bc.ann.ID
	if a.isCanceled(id) {
		d.State = delCanceled
		if err := st.SetDelivery(id, d); err == nil {
			bc.canceled.Add(1)
			b.metrics.Delivery("skipped")
		}
		return
	}
	if ctx.Err() != nil {
		return
	}
	marked := false
	c := &call{method: "sendMessage", chat: d.Chat, plain: msg.Plain, limit: limitChat, params: tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(d.Chat, 10),
		"text":                     msg.HTML,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}, before: func() error {
		if marked {
			return nil
		}
		d.State, d.Attempts = delSending, d.Attempts+1
		if err := st.SetDelivery(id, d); err != nil {
			return fmt.Errorf("write delivery ledger; not sending: %w", err)
		}
		marked = true
		return nil
	}}
	_, err := b.d.do(ctx, c)
	if err != nil && ctx.Err() != nil {
		return // cut short by shutdown: left "pending", or "sending" when its request was out: sent again on resume
	}
	var se *sendError
	switch {
	case errors.As(err, &se) && se.reason == "store":
		return // not sent: its ledger entry could not be written (logged)
	case err == nil:
		d.State, d.Reason = delSent, ""
		b.metrics.Delivery("delivered")
		if c.chat != d.Chat {
			d.To = c.chat
		}
		bc.sent.Add(1)
	case errors.As(err, &se) && se.reason == "forbidden":
		d.State, d.Reason = delRemoved, "the bot was removed or blocked"
		b.metrics.Delivery("removed")
		bc.removed.Add(1)
	default:
		d.State, d.Reason = delFailed, b.d.redact.String(failReason(err))
		b.metrics.Delivery("failed")
		bc.failed.Add(1)
	}
	if err := st.SetDelivery(id, d); err != nil {
		b.log.Error("write delivery ledger", zap.Uint64("announcement", id), zap.Int64("chat", d.Chat), zap.Error(err))
	}
}

// failReason is the short why of a failed delivery, for the report.
func failReason(err error) string {
	kind, api := errKind(err)
	if api != nil && api.Message != "" {
		return reply.Truncate(api.Message, 120)
	}
	var se *sendError
	if errors.As(err, &se) {
		return se.reason + ": " + kind
	}
	return kind
}

func (a *announcer) progressText(bc *broadcast, final bool) string {
	done := bc.sent.Load() + bc.failed.Load() + bc.removed.Load() + bc.canceled.Load()
	head := fmt.Sprintf("📣 Announcement #%d: sending…", bc.ann.ID)
	if final {
		head = fmt.Sprintf("📣 Announcement #%d: finished.", bc.ann.ID)
	}
	return fmt.Sprintf("%s\n%d of %d groups done: %d delivered, %d failed, %d removed, %d canceled. %s elapsed.\n\n%s",
		head, done, bc.total.Load(), bc.sent.Load(), bc.failed.Load(), bc.removed.Load(), bc.canceled.Load(),
		time.Since(bc.start).Round(time.Second), reply.Truncate(bc.ann.Text, 300))
}

// report is the final word on an announcement: delivered, failed with
// reasons, removed chats.
func (a *announcer) report(ann Announcement) (string, error) {
	dels, err := a.b.store.Deliveries(ann.ID)
	if err != nil {
		return "", err
	}
	by := map[string][]Delivery{}
	for _, d := range dels {
		by[d.State] = append(by[d.State], d)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "📣 Announcement #%d %s: delivered to %d of %d groups", ann.ID, ann.State, len(by[delSent]), len(dels))
	if !ann.Started.IsZero() && !ann.Finished.IsZero() {
		fmt.Fprintf(&s, " in %s", ann.Finished.Sub(ann.Started).Round(time.Second))
	}
	s.WriteString(".\n")
	if n := len(by[delFailed]); n > 0 {
		fmt.Fprintf(&s, "\nFailed (%d):\n", n)
		for _, d := range by[delFailed] {
			fmt.Fprintf(&s, "%s: %s\n", a.chatName(d.Chat), d.Reason)
		}
	}
	if n := len(by[delRemoved]); n > 0 {
		fmt.Fprintf(&s, "\nRemoved — the bot was removed or blocked, the group is marked inactive (%d):\n", n)
		for _, d := range by[delRemoved] {
			fmt.Fprintf(&s, "%s\n", a.chatName(d.Chat))
		}
	}
	if n := len(by[delCanceled]); n > 0 {
		fmt.Fprintf(&s, "\nNot sent, canceled: %d groups.\n", n)
	}
	var moved []string
	for _, d := range by[delSent] {
		if d.To != 0 {
			moved = append(moved, fmt.Sprintf("%d → %d", d.Chat, d.To))
		}
	}
	if len(moved) > 0 {
		fmt.Fprintf(&s, "\nDelivered after the group became a supergroup: %s\n", strings.Join(moved, ", "))
	}
	return s.String(), nil
}

func (a *announcer) chatName(id int64) string {
	if c, ok := a.b.store.Chat(id); ok && c.Title != "" {
		return fmt.Sprintf("%s (%d)", c.Title, id)
	}
	return strconv.FormatInt(id, 10)
}

// maxAnnouncement bounds an announcement so that it fits one message.
const maxAnnouncement = reply.MaxMessageLen

// onAnnounce handles /announce TEXT, /announce status and /announce cancel.
func (b *Bot) onAnnounce(ctx context.Context, r request, args string) {
	if b.store == nil {
		b.sendAdmin(ctx, r.chat, "Announcements need the bot's data folder (FACTBOT_DATA_DIR).")
		return
	}
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "":
		b.sendAdmin(ctx, r.chat, "Usage:\n/announce TEXT — preview an announcement to every group, then send it\n/announce status — announcements in progress\n/announce cancel — stop the one being sent")
		return
	case "status":
		b.sendAdmin(ctx, r.chat, b.announceStatus())
		return
	case "cancel":
		b.sendAdmin(ctx, r.chat, b.announceCancel(0))
		return
	}
	text := strings.TrimSpace(args)
	if n := reply.UTF16Len(text); n > maxAnnouncement {
		b.sendAdmin(ctx, r.chat, fmt.Sprintf("The announcement is too long: %d characters; at most %d fit in one message.", n, maxAnnouncement))
		return
	}
	ann, _, err := b.store.CreateAnnouncement(Announcement{Text: text, By: r.user, State: annDraft, Chat: r.chat})
	if err != nil {
		b.log.Error("create announcement", zap.Error(err))
		b.sendAdmin(ctx, r.chat, "Sorry, the announcement could not be saved: "+err.Error())
		return
	}
	n := len(b.store.AnnouncementTargets())
	optedOut, inactive := 0, 0
	for _, g := range b.store.Groups() {
		switch {
		case !g.Active:
			inactive++
		case g.NoAnnouncements:
			optedOut++
		}
	}
	preview := fmt.Sprintf("📣 Preview of announcement #%d. It will go to %d %s (%d opted out, %d inactive not counted):\n\n%s",
		ann.ID, n, plural(n, "group", "groups"), optedOut, inactive, text)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(fmt.Sprintf("Send to %d %s", n, plural(n, "group", "groups")), "a:s:"+strconv.FormatUint(ann.ID, 10)),
		tgbotapi.NewInlineKeyboardButtonData("Cancel", "a:c:"+strconv.FormatUint(ann.ID, 10))))
	ms := reply.RenderText(preview)
	b.send(ctx, r.chat, ms, 0, &kb)
}

// onAnnounceButton handles Send and Cancel under a preview.
func (b *Bot) onAnnounceButton(ctx context.Context, q *tgbotapi.CallbackQuery, chat int64, msgID int, user int64, arg string, answer func(string)) {
	if !b.admins[user] || chat != user || b.store == nil {
		answer(adminRefusal[b.uiLang(ctx, chat, q.From)])
		return
	}
	op, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		answer("?")
		return
	}
	switch op {
	case "s":
		targets := b.store.AnnouncementTargets()
		ann, err := b.store.StartAnnouncement(id, targets)
		if err != nil {
			answer("Not sent: " + err.Error())
			return
		}
		ann, err = b.store.UpdateAnnouncement(id, func(a *Announcement) error { a.Chat, a.MsgID = chat, msgID; return nil })
		if err != nil {
			b.log.Error("announcement progress message", zap.Error(err))
		}
		answer(fmt.Sprintf("Sending to %d groups", len(targets)))
		b.log.Info("announcement: sending", zap.Uint64("announcement", id), zap.Int("targets", len(targets)), zap.Int64("by", user))
		b.edit(ctx, chat, msgID, reply.RenderText(fmt.Sprintf("📣 Announcement #%d: sending to %d groups…\n\n%s", id, ann.Targets, reply.Truncate(ann.Text, 300)))[0], nil)
		b.ann.start(id)
	case "c":
		answer("Canceled")
		b.edit(ctx, chat, msgID, reply.RenderText(b.announceCancel(id))[0], nil)
	default:
		answer("?")
	}
}

// announceCancel cancels announcement id, or when 0 the one being sent (else
// the latest draft), and says what it did.
func (b *Bot) announceCancel(id uint64) string {
	all, err := b.store.Announcements()
	if err != nil {
		return "Sorry, the announcements could not be read: " + err.Error()
	}
	var target *Announcement
	for i := len(all) - 1; i >= 0; i-- {
		a := &all[i]
		if (id == 0 && (a.State == annSending || (a.State == annDraft && target == nil))) || a.ID == id {
			if target == nil || a.State == annSending {
				target = a
			}
		}
	}
	if target == nil || (target.State != annSending && target.State != annDraft) {
		return "No announcement to cancel."
	}
	was := target.State
	b.ann.cancel(target.ID)
	if _, err := b.store.UpdateAnnouncement(target.ID, func(a *Announcement) error {
		if a.State == annDraft || a.State == annSending {
			a.State = annCanceled
			a.Finished = time.Now().UTC()
		}
		return nil
	}); err != nil {
		return "Sorry, the announcement could not be canceled: " + err.Error()
	}
	if was == annDraft {
		return fmt.Sprintf("📣 Announcement #%d canceled; nothing was sent.", target.ID)
	}
	return fmt.Sprintf("📣 Announcement #%d canceled; deliveries stop now (what was sent stays sent). A report follows.", target.ID)
}

// announceStatus lists the announcements not finished, and the last one.
func (b *Bot) announceStatus() string {
	all, err := b.store.Announcements()
	if err != nil {
		return "Sorry, the announcements could not be read: " + err.Error()
	}
	var s strings.Builder
	shown := 0
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	for i, a := range all {
		if a.State != annSending && a.State != annDraft && a.State != annScheduled && i > 0 {
			continue
		}
		if a.State == annScheduled {
			fmt.Fprintf(&s, "#%d scheduled for %s UTC (%s) — %s\n", a.ID, a.PublishAt.UTC().Format("2006-01-02 15:04"),
				strings.TrimPrefix(a.Key, scheduledPrefix), reply.Truncate(a.Text, 60))
			shown++
			continue
		}
		dels, _ := b.store.Deliveries(a.ID)
		count := map[string]int{}
		for _, d := range dels {
			count[d.State]++
		}
		fmt.Fprintf(&s, "#%d %s, %d targets: %d delivered, %d pending, %d failed, %d removed — %s\n",
			a.ID, a.State, a.Targets, count[delSent], count[delPending]+count[delSending], count[delFailed], count[delRemoved], reply.Truncate(a.Text, 60))
		shown++
	}
	if shown == 0 {
		return "No announcements yet."
	}
	return "📣 Announcements:\n" + s.String()
}

// pendingAnnouncements counts announcements being sent, for /status.
func (b *Bot) pendingAnnouncements() (sending, pendingDeliveries int) {
	if b.store == nil {
		return 0, 0
	}
	all, err := b.store.Announcements()
	if err != nil {
		return 0, 0
	}
	for _, a := range all {
		if a.State != annSending {
			continue
		}
		sending++
		dels, _ := b.store.Deliveries(a.ID)
		for _, d := range dels {
			if d.State == delPending || d.State == delSending {
				pendingDeliveries++
			}
		}
	}
	return sending, pendingDeliveries
}
