package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// Admin commands. Admins are the numeric user ids in Config.Admins, and an
// admin command works only in a private chat with the bot: a group's own
// admins, an anonymous admin posting as the group, or anyone who took an
// admin's username get the same polite refusal. Usernames are never
// trusted: only From.ID is compared.

// Reloader swaps in a new version of the knowledge base; cmd/factbot wires
// index.Store to it, so that bot never sees the index.
type Reloader interface {
	// Reload validates the knowledge folder and, if it is sound, serves
	// it. Bad files come back as knowledge.Problems, and nothing changes.
	Reload(ctx context.Context) (knowledge.ReloadReport, error)
	// Rollback returns to the version served before the last reload.
	Rollback(ctx context.Context) (knowledge.ReloadReport, error)
}

// reloadState is the reload running, if any, and the last one, for /status.
// Reloads run one at a time, each within Config.ReloadTimeout, outside the
// admin's chat queue: a reload that hangs on a file system can neither
// stall that chat nor hold back the confirmation of later updates, and
// shutdown cancels it.
type reloadState struct {
	mu      sync.Mutex
	running string    // what the running reload is, "" when none
	since   time.Time // when it started
	last    knowledge.ReloadReport
	err     error
	what    string // "reload", "rollback", "SIGHUP reload"
	when    time.Time
	bg      sync.WaitGroup // reloads started by /reload and /rollback
}

// ErrReloadRunning is returned by Bot.Reload while another reload runs.
var ErrReloadRunning = errors.New("a reload is already running")

// DefaultReloadTimeout bounds a reload unless Config says otherwise.
const DefaultReloadTimeout = 2 * time.Minute

// begin marks a reload as running; it reports false, with what is running
// and since when, if one already is.
func (rs *reloadState) begin(what string) (ok bool, running string, since time.Time) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.running != "" {
		return false, rs.running, rs.since
	}
	rs.running, rs.since = what, time.Now()
	return true, "", time.Time{}
}

// end records a finished reload's outcome.
func (rs *reloadState) end(what string, rep knowledge.ReloadReport, err error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.running = ""
	rs.what, rs.when, rs.err = what, time.Now(), err
	if err == nil {
		rs.last = rep
	}
}

// adminRefusal is the refusal anyone but a bot admin in a private chat gets.
var adminRefusal = map[knowledge.Lang]string{
	knowledge.EN: "Sorry, this command is only for the bot's administrators, in a private chat with the bot.",
	knowledge.RU: "Извините, эта команда доступна только администраторам бота в личном чате с ботом.",
	knowledge.KK: "Кешіріңіз, бұл команда тек бот әкімшілеріне, ботпен жеке чатта қолжетімді.",
	knowledge.ZH: "抱歉，此命令仅限机器人管理员在与机器人的私聊中使用。",
	knowledge.FR: "Désolé, cette commande est réservée aux administrateurs du bot, dans une conversation privée avec le bot.",
}

// adminCommands are the commands only bot admins may run.
var adminCommands = map[string]bool{"reload": true, "rollback": true, "announce": true, "status": true, "gaps": true,
	"versions": true, "export": true, "fact": true} // the last three: curation.go

// botAdmin reports whether the request comes from a configured admin in
// their private chat with the bot. r.admin is not enough: it is also set
// for a group's anonymous admin.
func (b *Bot) botAdmin(r request) bool {
	m := r.m
	return r.private && m.Chat != nil && m.Chat.Type == "private" && m.From != nil && !m.From.IsBot &&
		m.SenderChat == nil && m.Chat.ID == m.From.ID && b.admins[m.From.ID]
}

// onAdminCommand runs an admin command, or refuses it politely. It reports
// false for a command that is not an admin command.
func (b *Bot) onAdminCommand(ctx context.Context, r request, cmd, args string) bool {
	if cmd == "announcements" { // a group setting, for the group's own admins
		b.onAnnouncements(ctx, r, args)
		return true
	}
	if !adminCommands[cmd] {
		return false
	}
	if !b.botAdmin(r) {
		var user int64
		if r.m.From != nil {
			user = r.m.From.ID
		}
		b.log.Warn("admin command refused", zap.String("command", cmd), zap.Int64("chat", r.chat), zap.Int64("user", user))
		lang := b.uiLang(ctx, r.chat, r.m.From)
		b.reply(ctx, r, adminRefusal[lang])
		return true
	}
	b.log.Info("admin command", zap.String("command", cmd), zap.Int64("user", r.user))
	switch cmd {
	case "reload", "rollback":
		b.startReload(r.chat, cmd)
	case "announce":
		b.onAnnounce(ctx, r, args)
	case "status":
		b.sendAdmin(ctx, r.chat, b.statusText(ctx))
	case "gaps":
		b.sendAdmin(ctx, r.chat, b.gapsText(ctx))
	case "versions":
		b.onVersions(ctx, r.chat)
	case "export":
		b.onExport(ctx, r.chat)
	case "fact":
		b.onFact(ctx, r.chat, args)
	}
	return true
}

// sendAdmin sends plain text (escaped, split to fit) to an admin's chat.
func (b *Bot) sendAdmin(ctx context.Context, chat int64, text string) {
	b.send(ctx, chat, reply.RenderText(text), 0, nil)
}

// Reload reloads the knowledge base as SIGHUP asks and sends the report to
// every admin's private chat. It returns the reload's error, or
// ErrReloadRunning without reloading while another reload runs. It gives up
// after Config.ReloadTimeout, or when ctx ends or the bot shuts down.
func (b *Bot) Reload(ctx context.Context) error {
	const what = "SIGHUP reload"
	if ok, running, since := b.reloads.begin(what); !ok {
		b.log.Warn("SIGHUP ignored: a reload is already running", zap.String("running", running),
			zap.Duration("for", time.Since(since)))
		return ErrReloadRunning
	}
	ctx, cancel := b.reloadContext(ctx)
	defer cancel()
	text, err := b.runReload(ctx, what)
	for id := range b.admins {
		b.sendAdmin(b.work, id, text)
	}
	return err
}

// startReload runs an admin's /reload or /rollback in the background, so
// that the admin's chat stays responsive, and sends the report to chat when
// it ends. While one runs, the admin is told so instead.
func (b *Bot) startReload(chat int64, what string) {
	if ok, running, since := b.reloads.begin(what); !ok {
		b.sendAdmin(b.work, chat, fmt.Sprintf("⏳ A %s is already running (started %s ago); its report will be sent when it ends. "+
			"Try again after that.", running, formatDuration(time.Since(since).Round(time.Second))))
		return
	}
	b.reloads.bg.Add(1)
	go func() {
		defer b.reloads.bg.Done()
		ctx, cancel := b.reloadContext(WithAdmin(b.work, chat)) // an admin's private chat has their id
		defer cancel()
		text, _ := b.runReload(ctx, what)
		b.sendAdmin(b.work, chat, text)
	}()
}

// reloadContext bounds a reload by Config.ReloadTimeout and by the bot's
// lifetime, whichever ends first.
func (b *Bot) reloadContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.ReloadTimeout)
	stop := context.AfterFunc(b.work, cancel)
	return ctx, func() { stop(); cancel() }
}

// runReload runs a reload or rollback, already marked as running, and
// returns the report for an admin and the reload's error.
func (b *Bot) runReload(ctx context.Context, what string) (string, error) {
	if b.cfg.Reloader == nil {
		b.reloads.end(what, knowledge.ReloadReport{}, errNoReloader)
		return "Reloading is not available: this bot was started without a knowledge store.", errNoReloader
	}
	return b.runSwap(ctx, what, func(ctx context.Context) (knowledge.ReloadReport, error) {
		if what == "rollback" {
			return b.cfg.Reloader.Rollback(ctx)
		}
		return b.cfg.Reloader.Reload(ctx)
	})
}

// runSwap runs swap, a reload, rollback or upload already marked as
// running, and returns the report for an admin and swap's error.
func (b *Bot) runSwap(ctx context.Context, what string, swap func(context.Context) (knowledge.ReloadReport, error)) (string, error) {
	// The Reloader runs in its own goroutine so that one stuck in a read
	// that ignores ctx (a file system that stopped answering) still lets
	// this reload end, and shutdown go on; it is abandoned.
	type result struct {
		rep knowledge.ReloadReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.rep, r.err = swap(ctx)
		done <- r
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		r.err = ctx.Err()
	}
	rep, err := r.rep, r.err
	b.reloads.end(what, rep, err)
	if err != nil {
		b.metrics.ReloadFailures.Add(1)
		b.log.Warn(what+" failed; the old knowledge keeps serving", zap.Error(err))
		return reloadFailedText(what, err, b.cfg.ReloadTimeout, b.knowledge()), err
	}
	if !rep.Diff.Empty() {
		b.metrics.Reloads.Add(1)
	}
	if rep.Base != nil {
		b.ann.sync(rep.Base) // scheduled announcements added, changed or removed
	}
	b.log.Info(what+" done", zap.String("hash", rep.Hash), zap.Int("facts", rep.Facts), zap.Int("documents", rep.Docs),
		zap.Duration("took", rep.Took))
	if rep.CloseErr != nil {
		b.log.Warn("the previous knowledge's index did not close; its files stay open until exit", zap.Error(rep.CloseErr))
	}
	return reloadText(what, rep), nil
}

var errNoReloader = errors.New("no knowledge store to reload")

// lastReload returns the last reload's report and error.
func (b *Bot) lastReload() (knowledge.ReloadReport, error) {
	b.reloads.mu.Lock()
	defer b.reloads.mu.Unlock()
	return b.reloads.last, b.reloads.err
}

// reloadFailedText tells the admin what is wrong: every path:line problem
// of the knowledge folder, that the reload took too long, or a fixed
// sentence; the error's chain is in the log (Reload logs it).
func reloadFailedText(what string, err error, timeout time.Duration, cur *knowledge.Base) string {
	var s strings.Builder
	serving := ""
	if cur != nil {
		serving = " (version " + shortHash(cur.Hash()) + ")"
	}
	var probs knowledge.Problems
	if errors.As(err, &probs) {
		fmt.Fprintf(&s, "❌ %s refused: the knowledge folder has %d %s. Nothing changed; the old knowledge keeps serving%s.\n\n",
			capitalize(what), len(probs), plural(len(probs), "problem", "problems"), serving)
		for _, p := range probs {
			s.WriteString(p.String() + "\n")
		}
		return s.String()
	}
	fmt.Fprintf(&s, "❌ %s failed: %s.\n\nNothing changed; the old knowledge keeps serving%s.", capitalize(what), failureWhy(err, timeout), serving)
	return s.String()
}

// failureWhy says in a fixed sentence why a reload failed, never with the
// error's own text, which may hold paths and internals: the admin reads
// the chain in the log.
func failureWhy(err error, timeout time.Duration) string {
	var probs knowledge.Problems
	switch {
	case errors.As(err, &probs):
		return fmt.Sprintf("the knowledge folder has %d %s, first %s", len(probs), plural(len(probs), "problem", "problems"), probs[0])
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("it took longer than %s and was stopped", formatDuration(timeout))
	case errors.Is(err, errNoReloader):
		return "reloading is not available"
	}
	return "an error; the details are in the bot's log"
}

// adminFailure logs err's chain under sentence and returns the fixed
// sentence an admin reads.
func (b *Bot) adminFailure(sentence string, err error) string {
	b.log.Error(sentence, zap.Error(err))
	return sentence + " The details are in the bot's log."
}

// reloadText describes a successful reload: the new version, what changed
// by id, and how long it took.
func reloadText(what string, rep knowledge.ReloadReport) string {
	var s strings.Builder
	verb := "Knowledge reloaded"
	switch what {
	case "rollback":
		verb = "Rolled back"
	case "upload":
		verb = "Upload applied"
	}
	fmt.Fprintf(&s, "✅ %s in %s. Now serving version %s: %d facts, %d documents.\n\n",
		verb, formatDuration(rep.Took), shortHash(rep.Hash), rep.Facts, rep.Docs)
	if rep.Diff.Empty() {
		s.WriteString("Nothing changed.")
		return s.String()
	}
	for _, part := range []struct {
		name string
		ids  []string
	}{
		{"Facts added", rep.Diff.AddedFacts}, {"Facts changed", rep.Diff.ChangedFacts}, {"Facts removed", rep.Diff.RemovedFacts},
		{"Documents added", rep.Diff.AddedDocs}, {"Documents changed", rep.Diff.ChangedDocs}, {"Documents removed", rep.Diff.RemovedDocs},
		{"Aliases added", rep.Diff.AddedAliases}, {"Aliases changed", rep.Diff.ChangedAliases}, {"Aliases removed", rep.Diff.RemovedAliases},
		{"Announcements added", rep.Diff.AddedAnnouncements}, {"Announcements changed", rep.Diff.ChangedAnnouncements},
		{"Announcements removed", rep.Diff.RemovedAnnouncements},
	} {
		if len(part.ids) > 0 {
			fmt.Fprintf(&s, "%s (%d): %s\n", part.name, len(part.ids), strings.Join(part.ids, ", "))
		}
	}
	// Eval cases are named by their questions: too long to list.
	if d := rep.Diff; len(d.AddedEval)+len(d.ChangedEval)+len(d.RemovedEval) > 0 {
		fmt.Fprintf(&s, "Eval cases: %d added, %d changed, %d removed\n", len(d.AddedEval), len(d.ChangedEval), len(d.RemovedEval))
	}
	return s.String()
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
	default:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
