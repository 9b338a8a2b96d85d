package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
	"factbot/knowledge/curate"
	"factbot/knowledge/versions"
)

// Curating the knowledge from a chat. A bot admin sends a file in their
// private chat with the bot — a .yaml/.yml file, a .md briefing or a .zip
// of a whole knowledge folder — and gets either the path:line problems
// (nothing applied) or a preview with Apply and Cancel buttons: what
// changes, and the eval numbers before and after. Apply records a new
// knowledge version and swaps the index, as /reload does; when the quality
// gate fails, Apply asks for a second confirmation. Cancel, or no answer
// within UploadTTL, discards the upload. One upload is handled at a time:
// a second one (another admin's, or the same admin's) waits its turn, and
// its preview comes when the first is applied, cancelled or expired.
// /versions, /export and /fact ID help the admin before and after.
//
// Everyone else who sends a file gets the admin refusal, and the file is
// never downloaded.

// Curator is the knowledge store as uploads see it; cmd/factbot wires the
// knowledge versions (knowledge/versions) and the index to it, so that bot
// never sees the index.
type Curator interface {
	// Served returns the knowledge folder being served and its version.
	Served() (fs.FS, versions.Version, error)
	// Evaluate computes the eval numbers of the base served and of a
	// candidate (index.PreviewEval).
	Evaluate(ctx context.Context, old, new *knowledge.Base) (*curate.EvalChange, error)
	// Apply records fsys as a new version applied by admin who, checked
	// against the version whose Tree is basedOn (versions.ErrStale when
	// another one is current now), and serves it.
	Apply(ctx context.Context, fsys fs.FS, who int64, basedOn string) (knowledge.ReloadReport, versions.Version, error)
	// Versions returns the newest n versions, newest first.
	Versions(n int) ([]versions.Version, error)
}

// UploadTTL is how long a previewed upload waits for Apply or Cancel.
const UploadTTL = 30 * time.Minute

// Bounds of the curation dialogue.
const (
	maxWaiting     = 10  // uploads waiting their turn
	maxProblemList = 200 // problems listed; the rest are counted
	previewTimeout = 5 * time.Minute
)

// curation is the upload being checked or previewed, and those waiting.
// It lives in memory: a restart discards a preview, never a version.
type curation struct {
	mu      sync.Mutex
	now     func() time.Time
	seq     int
	current *upload
	waiting []*upload
	timer   *time.Timer
}

// upload is one file an admin sent.
type upload struct {
	id    string // in the buttons' data
	admin int64  // who sent it; their private chat has the same id
	doc   tgbotapi.Document
	state uploadState

	// Set once previewed.
	cand      *curate.Candidate
	basedOn   string // the Tree of the version it was checked against
	gateFails bool
	confirmed bool // the first Apply of a failing gate was pressed
	expires   time.Time
}

type uploadState int

const (
	uploadChecking uploadState = iota
	uploadPreviewed
	uploadApplying
)

// adminCtxKey carries the admin who asked for a reload or rollback.
type adminCtxKey struct{}

// WithAdmin returns ctx carrying the admin id who asked for a reload or a
// rollback, for the Reloader to record as the version's author.
func WithAdmin(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, adminCtxKey{}, id)
}

// AdminFrom returns the admin id WithAdmin put in ctx.
func AdminFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(adminCtxKey{}).(int64)
	return id, ok
}

func newCuration(now func() time.Time) *curation {
	if now == nil {
		now = time.Now
	}
	return &curation{now: now}
}

// onDocument handles a file sent to the bot. Only a bot admin in their
// private chat may upload; anyone else is refused before the file is
// looked at.
func (b *Bot) onDocument(ctx context.Context, r request) {
	doc := r.m.Document
	if !b.botAdmin(r) {
		b.log.Warn("upload refused: not a bot admin in a private chat", zap.Int64("chat", r.chat), zap.Int64("user", r.user))
		b.reply(ctx, r, adminRefusal[b.uiLang(ctx, r.chat, r.m.From)])
		return
	}
	b.log.Info("upload", zap.Int64("user", r.user), zap.String("name", doc.FileName), zap.Int("size", doc.FileSize))
	if b.cfg.Curator == nil {
		b.sendAdmin(ctx, r.chat, "Uploads are not available: this bot was started without a knowledge store.")
		return
	}
	cu := b.cur
	b.expireUpload()
	cu.mu.Lock()
	cu.seq++
	up := &upload{id: strconv.Itoa(cu.seq), admin: r.user, doc: *doc}
	if cu.current != nil {
		if len(cu.waiting) >= maxWaiting {
			cu.mu.Unlock()
			b.sendAdmin(ctx, r.chat, fmt.Sprintf("⏳ %d uploads are already waiting. Send %s again once they are done.", maxWaiting, doc.FileName))
			return
		}
		cu.waiting = append(cu.waiting, up)
		n, busy := len(cu.waiting), cu.current
		cu.mu.Unlock()
		whose := "another admin's upload"
		if busy.admin == r.user {
			whose = "your previous upload (" + busy.doc.FileName + ")"
		}
		b.sendAdmin(ctx, r.chat, fmt.Sprintf("⏳ One upload at a time: %s is being checked or waits for Apply or Cancel. "+
			"%s is number %d in line; its preview comes as soon as the uploads before it are applied, cancelled or expired (at most %s each).",
			whose, doc.FileName, n, formatMinutes(UploadTTL)))
		return
	}
	cu.current = up
	cu.mu.Unlock()
	b.startCheck(up)
}

// startCheck downloads, validates and previews up in the background, so
// that the admin's chat stays responsive; shutdown cancels it.
func (b *Bot) startCheck(up *upload) {
	b.reloads.bg.Add(1)
	go func() {
		defer b.reloads.bg.Done()
		ctx, cancel := context.WithTimeout(b.work, previewTimeout)
		defer cancel()
		if verdict, ok := b.checkUpload(ctx, up); !ok {
			b.finishUpload(up) // first: the next upload may follow the verdict at once
			b.sendAdmin(ctx, up.admin, verdict)
		}
	}()
}

// checkUpload sends the preview of up and reports true, once up waits for
// Apply or Cancel; or it returns why up cannot be applied, for the admin.
func (b *Bot) checkUpload(ctx context.Context, up *upload) (verdict string, previewed bool) {
	chat, name := up.admin, up.doc.FileName
	lim := curate.DefaultLimits
	if int64(up.doc.FileSize) > lim.Download {
		return fmt.Sprintf("❌ %s is %s: a bot may download at most %s from Telegram. Nothing changed.",
			name, sizeText(int64(up.doc.FileSize)), sizeText(lim.Download)), false
	}
	b.sendAdmin(ctx, chat, fmt.Sprintf("📥 Checking %s (%s)…", name, sizeText(int64(up.doc.FileSize))))
	served, cur, err := b.cfg.Curator.Served()
	if err != nil {
		b.log.Error("upload: read the served knowledge", zap.Error(err))
		return "❌ The knowledge being served could not be read, so the upload cannot be checked. Nothing changed; see the log.", false
	}
	body, size, err := b.download(ctx, up.doc.FileID, lim.Download)
	var tooBig *curate.Refused
	switch {
	case errors.As(err, &tooBig):
		return fmt.Sprintf("❌ %s refused: %s. Nothing changed.", name, tooBig.Reason), false
	case err != nil:
		b.log.Warn("upload: download failed", zap.String("name", name), zap.Error(err))
		return fmt.Sprintf("❌ %s could not be downloaded from Telegram. Nothing changed; send it again.", name), false
	}
	cand, err := curate.Parse(ctx, name, body, size, served, lim)
	body.Close()
	var refused *curate.Refused
	switch {
	case errors.As(err, &refused):
		b.log.Info("upload refused", zap.String("name", name), zap.String("reason", refused.Reason))
		return fmt.Sprintf("❌ %s refused: %s. Nothing changed.", name, refused.Reason), false
	case err != nil:
		b.log.Warn("upload: check failed", zap.String("name", name), zap.Error(err))
		return fmt.Sprintf("❌ %s could not be checked (it took too long or the bot is stopping). Nothing changed.", name), false
	case !cand.Valid():
		return problemsText(cand), false
	}
	oldBase := b.knowledge()
	if oldBase == nil {
		if oldBase, err = knowledge.LoadContext(ctx, served); err != nil {
			b.log.Error("upload: load the served knowledge", zap.Error(err))
			return "❌ The knowledge being served could not be read, so the upload cannot be checked. Nothing changed; see the log.", false
		}
	}
	tree, err := versions.Tree(cand.FS)
	if err == nil && tree == cur.Tree {
		return fmt.Sprintf("✅ %s holds the knowledge being served (version %d, %s): nothing to apply.",
			name, cur.Seq, shortHash(cur.Hash)), false
	}
	p := curate.Compare(oldBase, cand.Base)
	eval, err := b.cfg.Curator.Evaluate(ctx, oldBase, cand.Base)
	if err != nil {
		b.log.Warn("upload: eval failed", zap.String("name", name), zap.Error(err))
		if ctx.Err() != nil {
			return fmt.Sprintf("❌ %s could not be checked (it took too long or the bot is stopping). Nothing changed.", name), false
		}
	}
	p.Eval = eval

	b.cur.mu.Lock()
	up.cand, up.basedOn, up.state = cand, cur.Tree, uploadPreviewed
	up.gateFails = eval == nil || p.GateFails()
	up.expires = b.cur.now().Add(UploadTTL)
	b.armExpiry()
	b.cur.mu.Unlock()

	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("✅ Apply", "u:a:"+up.id),
		tgbotapi.NewInlineKeyboardButtonData("✖️ Cancel", "u:c:"+up.id)))
	b.send(ctx, chat, reply.RenderText(previewText(up, cur, p, eval == nil)), 0, &kb)
	return "", true
}

// problemsText lists why a candidate cannot be applied: its path:line
// problems (the first maxProblemList), and the entries left out.
func problemsText(c *curate.Candidate) string {
	var s strings.Builder
	fmt.Fprintf(&s, "❌ %s has %d %s. Nothing was applied; the old knowledge keeps serving.\n\n",
		c.Name, len(c.Problems), plural(len(c.Problems), "problem", "problems"))
	for i, p := range c.Problems {
		if i == maxProblemList {
			fmt.Fprintf(&s, "… and %d more (run factbot check on the folder for all of them)\n", len(c.Problems)-i)
			break
		}
		s.WriteString(p.String() + "\n")
	}
	ignoredText(&s, c)
	return s.String()
}

func ignoredText(s *strings.Builder, c *curate.Candidate) {
	if len(c.Ignored) == 0 {
		return
	}
	fmt.Fprintf(s, "\nIgnored (%d):\n", len(c.Ignored))
	for i, ig := range c.Ignored {
		if i == maxProblemList {
			fmt.Fprintf(s, "… and %d more\n", len(c.Ignored)-i)
			break
		}
		fmt.Fprintf(s, "%s: %s\n", ig.Path, ig.Why)
	}
}

// previewText is the preview an admin reads before Apply.
func previewText(up *upload, cur versions.Version, p *curate.Preview, noEval bool) string {
	c := up.cand
	var s strings.Builder
	fmt.Fprintf(&s, "🔎 Preview of %s (%s", c.Name, c.Kind)
	switch {
	case c.Kind == curate.KindZip:
		s.WriteString(": it replaces the whole knowledge")
	case c.Replaces:
		s.WriteString(": it replaces " + c.Path)
	default:
		s.WriteString(": it adds " + c.Path)
	}
	fmt.Fprintf(&s, "), against version %d (%s).\n\n", cur.Seq, shortHash(cur.Hash))
	for _, n := range c.Notes {
		s.WriteString("Note: " + n + "\n")
	}
	s.WriteString(p.String())
	ignoredText(&s, c)
	s.WriteString("\n")
	switch {
	case noEval:
		s.WriteString("⚠️ The eval numbers could not be computed, so the quality gate cannot pass: Apply asks you to confirm.\n")
	case p.GateFails():
		s.WriteString("⚠️ The quality gate fails (see above): Apply asks you to confirm.\n")
	}
	fmt.Fprintf(&s, "Apply or Cancel within %s; after that the upload is discarded.", formatMinutes(UploadTTL))
	return s.String()
}

// download fetches a file the admin sent: getFile, then
// {api-url}/file/bot{token}/{path}. The body is at most limit bytes (read
// further and Parse refuses it); errors have the token redacted. A file
// Telegram says is too big comes back as *curate.Refused.
func (b *Bot) download(ctx context.Context, fileID string, limit int64) (io.ReadCloser, int64, error) {
	res, err := b.d.do(ctx, &call{method: "getFile", params: tgbotapi.Params{"file_id": fileID}, limit: limitNone})
	if err != nil {
		if _, api := errKind(err); api != nil && strings.Contains(strings.ToLower(api.Message), "file is too big") {
			return nil, 0, &curate.Refused{Reason: "Telegram lets a bot download at most " + sizeText(limit)}
		}
		return nil, 0, fmt.Errorf("getFile: %w", err)
	}
	var f tgbotapi.File
	if err := json.Unmarshal(res, &f); err != nil || f.FilePath == "" {
		return nil, 0, fmt.Errorf("getFile: unexpected answer %.100s", res)
	}
	if int64(f.FileSize) > limit {
		return nil, 0, &curate.Refused{Reason: "it is " + sizeText(int64(f.FileSize)) + "; an upload may be at most " + sizeText(limit)}
	}
	url := strings.TrimRight(b.cfg.APIURL, "/") + "/file/bot" + b.cfg.Token + "/" + f.FilePath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, b.d.redact.err(fmt.Errorf("download: %w", err))
	}
	resp, err := b.d.client.Do(req)
	if err != nil {
		return nil, 0, b.d.redact.err(fmt.Errorf("download: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, 0, fmt.Errorf("download %s: HTTP %d", f.FilePath, resp.StatusCode)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, limit+1), resp.Body}, int64(f.FileSize), nil
}

// onUploadButton handles Apply ("u:a:ID"), Apply anyway ("u:A:ID") and
// Cancel ("u:c:ID") under a preview.
func (b *Bot) onUploadButton(ctx context.Context, chat int64, msgID int, user int64, arg string, answer func(string)) {
	act, id, _ := strings.Cut(arg, ":")
	b.expireUpload()
	cu := b.cur
	cu.mu.Lock()
	up := cu.current
	if up == nil || up.id != id || up.admin != user || !b.admins[user] || up.state != uploadPreviewed {
		cu.mu.Unlock()
		answer("This preview is no longer open: it was applied, cancelled or expired. Send the file again.")
		b.dropKeyboard(ctx, chat, msgID)
		return
	}
	switch {
	case act == "c":
		cu.mu.Unlock()
		answer("Cancelled")
		b.dropKeyboard(ctx, chat, msgID)
		b.sendAdmin(ctx, chat, fmt.Sprintf("✖️ %s cancelled. Nothing changed.", up.doc.FileName))
		b.log.Info("upload cancelled", zap.Int64("user", user), zap.String("name", up.doc.FileName))
		b.finishUpload(up)
		return
	case act == "a" && up.gateFails && !up.confirmed:
		up.confirmed = true
		cu.mu.Unlock()
		answer("The quality gate fails: confirm")
		kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("⚠️ Apply anyway", "u:A:"+up.id),
			tgbotapi.NewInlineKeyboardButtonData("✖️ Cancel", "u:c:"+up.id)))
		b.dropKeyboard(ctx, chat, msgID)
		b.send(ctx, chat, reply.RenderText(fmt.Sprintf("⚠️ %s fails the quality gate (see the preview). Apply it anyway?", up.doc.FileName)), 0, &kb)
		return
	case act == "a" || act == "A" && up.confirmed:
	default:
		cu.mu.Unlock()
		answer("This button is no longer valid.")
		return
	}
	if ok, running, _ := b.reloads.begin("upload"); !ok {
		cu.mu.Unlock()
		answer("A " + running + " is running: press Apply again in a moment.")
		return
	}
	up.state = uploadApplying
	cu.mu.Unlock()
	answer("Applying…")
	b.dropKeyboard(ctx, chat, msgID)
	b.reloads.bg.Add(1)
	go func() {
		defer b.reloads.bg.Done()
		rctx, cancel := b.reloadContext(b.work)
		defer cancel()
		var v versions.Version
		text, err := b.runSwap(rctx, "upload", func(ctx context.Context) (knowledge.ReloadReport, error) {
			rep, ver, err := b.cfg.Curator.Apply(ctx, up.cand.FS, up.admin, up.basedOn)
			v = ver
			return rep, err
		})
		name := up.doc.FileName
		switch {
		case err == nil:
			b.log.Info("upload applied", zap.Int64("user", up.admin), zap.String("name", name), zap.Int("version", v.Seq), zap.String("hash", v.Hash))
			text += fmt.Sprintf("\nRecorded as version %d. /rollback steps back; /versions lists the versions.", v.Seq)
		case errors.Is(err, versions.ErrStale):
			text = fmt.Sprintf("❌ %s was not applied: the knowledge changed since its preview (another upload, a /reload or a /rollback). "+
				"Send it again for a fresh preview.", name)
		case errors.Is(err, versions.ErrUnchanged):
			text = fmt.Sprintf("✅ %s holds the knowledge being served: nothing to apply.", name)
		case errors.Is(err, context.DeadlineExceeded):
			text = fmt.Sprintf("❌ Applying %s took longer than %s and was stopped. The old knowledge keeps serving.", name, formatDuration(b.cfg.ReloadTimeout))
		default:
			var probs knowledge.Problems
			if !errors.As(err, &probs) {
				text = fmt.Sprintf("❌ %s could not be applied (see the log). The old knowledge keeps serving.", name)
			}
		}
		b.sendAdmin(b.work, chat, text)
		b.finishUpload(up)
	}()
}

// dropKeyboard removes the buttons of a message.
func (b *Bot) dropKeyboard(ctx context.Context, chat int64, msgID int) {
	if msgID == 0 {
		return
	}
	raw, _ := json.Marshal(tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "message_id": strconv.Itoa(msgID), "reply_markup": string(raw)}
	_, _ = b.d.do(ctx, &call{method: "editMessageReplyMarkup", chat: chat, params: p, limit: limitChat})
}

// finishUpload frees the slot up held and starts the next waiting upload.
func (b *Bot) finishUpload(up *upload) {
	cu := b.cur
	cu.mu.Lock()
	if cu.current != up {
		cu.mu.Unlock()
		return
	}
	cu.current = nil
	var next *upload
	if len(cu.waiting) > 0 {
		next, cu.waiting = cu.waiting[0], cu.waiting[1:]
		cu.current = next
	}
	cu.mu.Unlock()
	if next != nil {
		b.sendAdmin(b.work, next.admin, fmt.Sprintf("▶️ Your turn: checking %s now.", next.doc.FileName))
		b.startCheck(next)
	}
}

// expireUpload discards the previewed upload once UploadTTL has passed
// without an answer, tells its admin, and starts the next one.
func (b *Bot) expireUpload() {
	cu := b.cur
	cu.mu.Lock()
	up := cu.current
	if up == nil || up.state != uploadPreviewed || cu.now().Before(up.expires) {
		cu.mu.Unlock()
		return
	}
	cu.mu.Unlock()
	b.log.Info("upload expired", zap.Int64("user", up.admin), zap.String("name", up.doc.FileName))
	b.sendAdmin(b.work, up.admin, fmt.Sprintf("⌛ %s was discarded: no Apply or Cancel within %s. Nothing changed.",
		up.doc.FileName, formatMinutes(UploadTTL)))
	b.finishUpload(up)
}

// armExpiry makes a timer check for an expired preview when its time
// comes, with no message needed to notice; the caller holds cu.mu.
func (b *Bot) armExpiry() {
	cu := b.cur
	if cu.timer != nil {
		cu.timer.Stop()
	}
	cu.timer = time.AfterFunc(UploadTTL+time.Second, func() {
		if b.work.Err() == nil {
			b.expireUpload()
		}
	})
}

// onVersions is /versions: the last ten versions, newest first.
func (b *Bot) onVersions(ctx context.Context, chat int64) {
	if b.cfg.Curator == nil {
		b.sendAdmin(ctx, chat, "Versions are not available: this bot was started without a knowledge store.")
		return
	}
	vs, err := b.cfg.Curator.Versions(10)
	if err != nil {
		b.log.Error("list versions", zap.Error(err))
		b.sendAdmin(ctx, chat, "Sorry, the versions could not be read; see the log.")
		return
	}
	_, cur, _ := b.cfg.Curator.Served()
	var s strings.Builder
	s.WriteString("🗂 Knowledge versions, newest first (when, who, what changed, hash):\n\n")
	for _, v := range vs {
		mark := ""
		if v.Seq == cur.Seq {
			mark = " ← serving"
		}
		who := v.Who
		if _, err := strconv.ParseInt(who, 10, 64); err == nil {
			who = "admin " + who
		}
		if v.Err != nil {
			fmt.Fprintf(&s, "#%d damaged, never served\n", v.Seq)
			continue
		}
		what := v.What
		if v.Restores != 0 {
			what = fmt.Sprintf("rollback to #%d: %s", v.Restores, what)
		}
		fmt.Fprintf(&s, "#%d %s UTC, %s: %s (%s, %d facts, %d documents)%s\n", v.Seq, v.When.UTC().Format("2006-01-02 15:04"),
			who, reply.Truncate(what, 300), shortHash(v.Hash), v.Facts, v.Documents, mark)
	}
	if len(vs) == 0 {
		s.WriteString("none yet\n")
	}
	s.WriteString("\n/rollback steps back one version; /export sends the one being served.")
	b.sendAdmin(ctx, chat, s.String())
}

// onExport is /export: the version being served as a .zip, without the
// blind eval set.
func (b *Bot) onExport(ctx context.Context, chat int64) {
	if b.cfg.Curator == nil {
		b.sendAdmin(ctx, chat, "Export is not available: this bot was started without a knowledge store.")
		return
	}
	fsys, v, err := b.cfg.Curator.Served()
	var buf bytes.Buffer
	var n int
	if err == nil {
		n, err = curate.ZipShared(&buf, fsys)
	}
	if err != nil {
		b.log.Error("export", zap.Error(err))
		b.sendAdmin(ctx, chat, "Sorry, the knowledge could not be exported; see the log.")
		return
	}
	name := fmt.Sprintf("knowledge-v%d-%s.zip", v.Seq, shortHash(v.Hash))
	caption := fmt.Sprintf("Knowledge version %d (%s): %d files, %d facts, %d documents. The blind eval set is not included; "+
		"send this file back, edited, to change the knowledge.", v.Seq, shortHash(v.Hash), n, v.Facts, v.Documents)
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "caption": caption}
	c := &call{method: "sendDocument", chat: chat, params: p, limit: limitChat,
		files: []tgbotapi.RequestFile{{Name: "document", Data: tgbotapi.FileBytes{Name: name, Bytes: buf.Bytes()}}}}
	if _, err := b.d.do(ctx, c); err != nil {
		b.sendAdmin(ctx, chat, "Sorry, the export could not be sent; see the log.")
	}
}

// onFact is /fact ID: one fact in all five languages with its figures,
// sources and confidence, as the knowledge file has it.
func (b *Bot) onFact(ctx context.Context, chat int64, id string) {
	base := b.knowledge()
	id = strings.TrimSpace(id)
	if id == "" {
		b.sendAdmin(ctx, chat, "Usage: /fact ID, like /fact ciftis-2024-kz-chinese-enterprises (the ids /gaps and the previews show).")
		return
	}
	var f *knowledge.Fact
	if base != nil {
		f = base.Fact(id)
	}
	if f == nil {
		b.sendAdmin(ctx, chat, fmt.Sprintf("No fact has the id %q in the version being served.", reply.Truncate(id, 100)))
		return
	}
	b.sendAdmin(ctx, chat, factText(f))
}

func factText(f *knowledge.Fact) string {
	var s strings.Builder
	fmt.Fprintf(&s, "📄 %s (%s:%d)\ntopic: %s; as of: %s; confidence: %s\n", f.ID, f.Pos.File, f.Pos.Line, f.Topic, f.Date, orNone(f.Confidence))
	if len(f.Measures) > 0 {
		s.WriteString("measures: " + strings.Join(f.Measures, ", ") + "\n")
	}
	if len(f.Tags) > 0 {
		s.WriteString("tags: " + strings.Join(f.Tags, ", ") + "\n")
	}
	s.WriteString("\n")
	for _, l := range knowledge.Langs {
		fmt.Fprintf(&s, "[%s] %s\n", l, orNone(f.Text[l]))
	}
	s.WriteString("\nFigures:\n")
	for _, fg := range f.Figures {
		fmt.Fprintf(&s, "• %s %s, %s", fg.Value, fg.Unit, fg.Date)
		if fg.By != "" {
			s.WriteString(", by " + fg.By)
		}
		if n := fg.Note[knowledge.EN]; n != "" {
			s.WriteString(" (" + n + ")")
		}
		s.WriteString("\n")
	}
	if len(f.Figures) == 0 {
		s.WriteString("none\n")
	}
	if len(f.Disagreement) > 0 {
		fmt.Fprintf(&s, "Disagreement: %s\n", f.Disagreement[knowledge.EN])
	}
	s.WriteString("\nSources:\n")
	for _, src := range f.Sources {
		fmt.Fprintf(&s, "• %s, %s, %s", src.Title, src.Publisher, orNone(src.Date))
		if src.URL != "" {
			s.WriteString(", " + src.URL)
		}
		s.WriteString("\n")
	}
	return s.String()
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// gapHint names the fact closest to an unanswered question, if any: what
// an admin should open with /fact before writing a new one.
func (b *Bot) gapHint(ctx context.Context, question string, lang knowledge.Lang) string {
	r, err := b.answerer.Answer(ctx, question, lang, "")
	switch {
	case err != nil:
		return ""
	case r.Answered && r.Best.ID != "":
		return " → now answered by " + r.Best.ID
	case len(r.Closest) > 0:
		return " → closest: " + r.Closest[0].ID
	case len(r.Result.Hits) > 0:
		return " → closest: " + r.Result.Hits[0].ID
	}
	return ""
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func formatMinutes(d time.Duration) string {
	return strconv.Itoa(int(d.Minutes())) + " minutes"
}
