package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
	"factbot/knowledge/curate"
)

// These tests curate the knowledge from Telegram through the wired
// program: an admin uploads, reads the preview, applies; users get the new
// figure at once; rollback, restart and export work on the versions in the
// data folder.

var deputy = tgbotapi.User{ID: 4343, FirstName: "Deputy", UserName: "deputy", LanguageCode: "en"}

// serveCurated runs serve on the embedded base with root and deputy as
// admins and data as its data folder.
func serveCurated(t *testing.T, srv *telegramtest.Server, data string) *instance {
	t.Helper()
	t.Setenv("FACTBOT_ADMINS", fmt.Sprintf("%d,%d", root.ID, deputy.ID))
	t.Setenv("FACTBOT_KNOWLEDGE_DIR", "")
	t.Setenv("FACTBOT_DATA_DIR", data)
	t.Setenv("FACTBOT_LIMITS", "off")
	return serve(t, srv)
}

// waitMessage waits for a message to chat, after the first skip ones, whose
// text matches, and returns it.
func waitMessage(t *testing.T, srv *telegramtest.Server, chat int64, skip int, what string, match func(string) bool) telegramtest.Call {
	t.Helper()
	return srv.WaitSentAfter(t, chat, skip, what, match)
}

func contains(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}
}

// upload sends a file from user and waits for the bot's verdict: a message
// matching one of the usual endings (a preview's last part, a refusal, a
// problem list, nothing to apply).
func upload(t *testing.T, srv *telegramtest.Server, from tgbotapi.User, name string, data []byte) telegramtest.Call {
	t.Helper()
	n := len(srv.Sent(from.ID))
	srv.Document(from, name, data)
	return waitMessage(t, srv, from.ID, n, "the verdict on "+name, func(s string) bool {
		return strings.Contains(s, "Apply or Cancel within") || strings.HasPrefix(s, "❌") || strings.Contains(s, "nothing to apply") ||
			strings.Contains(s, "only for the bot's administrators") || strings.Contains(s, "One upload at a time")
	})
}

// press presses a button of msg and waits for the bot's next message
// matching match.
func press(t *testing.T, srv *telegramtest.Server, from tgbotapi.User, msg telegramtest.Call, data, what string, match func(string) bool) telegramtest.Call {
	t.Helper()
	n := len(srv.Sent(from.ID))
	srv.Callback(from, msg.Message(), data)
	return waitMessage(t, srv, from.ID, n, what, match)
}

func buttonWith(t *testing.T, c telegramtest.Call, prefix string) string {
	t.Helper()
	for _, b := range c.Buttons() {
		if strings.HasPrefix(b, prefix) {
			return b
		}
	}
	t.Fatalf("no %s button under %q (buttons %v)", prefix, c.PlainText(), c.Buttons())
	return ""
}

// ciftis is the curated fact file the tests edit, and the change: one
// figure of the companies fact.
const (
	ciftisFile = "facts/01-ciftis-2024.yaml"
	oldFigure  = `value: "~4,700"`
	newFigure  = `value: "~4,800"`
)

func curatedFile(t *testing.T, name string) string {
	t.Helper()
	data, err := fs.ReadFile(knowledge.Curated(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestServeCurateFromTelegram(t *testing.T) {
	data := t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 120 * time.Second // previews build two indexes and run the eval sets
	in := serveCurated(t, srv, data)

	if got := say(t, srv, alice, companies); !strings.Contains(got, "~4,700 companies") {
		t.Fatalf("answer before any upload = %q", got)
	}

	// A user's upload is refused and never downloaded.
	if got := upload(t, srv, alice, "01-ciftis-2024.yaml", []byte("facts: []\n")).PlainText(); !strings.Contains(got, "only for the bot's administrators") {
		t.Errorf("a user's upload: %q", got)
	}
	if n := srv.Count("getFile") + srv.Count(telegramtest.DownloadMethod); n != 0 {
		t.Errorf("a user's upload was fetched (%d getFile or downloads)", n)
	}

	// A broken file: path:line problems, nothing applied.
	src := curatedFile(t, ciftisFile)
	broken := strings.Replace(src, "topic: investment", "topic: investmnet", 1)
	got := upload(t, srv, root, "01-ciftis-2024.yaml", []byte(broken)).PlainText()
	if !regexp.MustCompile(`facts/01-ciftis-2024\.yaml:\d+: fact "[a-z0-9-]+" has unknown topic "investmnet"`).MatchString(got) ||
		!strings.Contains(got, "Nothing was applied") {
		t.Errorf("a broken upload: %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "~4,700 companies") {
		t.Errorf("answer after a broken upload = %q", got)
	}

	// Hostile zips are refused as a whole.
	traversal := zipOf(t, map[string][]byte{"../facts/evil.yaml": []byte("facts: []\n")})
	if got := upload(t, srv, root, "evil.zip", traversal).PlainText(); !strings.Contains(got, "refused") || !strings.Contains(got, "..") {
		t.Errorf("a zip with ../: %q", got)
	}
	bomb := zipBomb(t)
	if got := upload(t, srv, root, "bomb.zip", bomb).PlainText(); !strings.Contains(got, "refused") || !strings.Contains(got, "unpack") {
		t.Errorf("a zip bomb: %q", got)
	}
	yamlBomb := "facts:\n  - &a [x, x, x, x, x, x, x, x, x]\n  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  - [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	if got := upload(t, srv, root, "bomb.yaml", []byte(yamlBomb)).PlainText(); !regexp.MustCompile(`facts/bomb\.yaml:\d+: `).MatchString(got) {
		t.Errorf("a YAML bomb: %q", got)
	}

	// A good file: the preview names the fact and its figure old → new,
	// the eval numbers, and the buttons.
	good := strings.Replace(src, oldFigure, newFigure, 1)
	preview := upload(t, srv, root, "01-ciftis-2024.yaml", []byte(good))
	all := previewOf(srv, root.ID)
	for _, want := range []string{"Preview of 01-ciftis-2024.yaml", "it replaces facts/01-ciftis-2024.yaml", "ciftis-2024-kz-chinese-enterprises",
		"~4,700", "→", "~4,800", "recall@3", "bstention"} {
		if !strings.Contains(all, want) {
			t.Errorf("the preview has no %q:\n%s", want, all)
		}
	}
	// A second admin's upload waits its turn.
	if got := upload(t, srv, deputy, "01-ciftis-2024.yaml", []byte(good)).PlainText(); !strings.Contains(got, "One upload at a time") {
		t.Errorf("a second admin's upload: %q", got)
	}
	apply := buttonWith(t, preview, "u:a:")
	if strings.Contains(all, "Quality gate: FAILS") {
		t.Fatalf("changing one figure fails the quality gate:\n%s", all)
	}
	got = press(t, srv, root, preview, apply, "the apply report", contains("Upload applied")).PlainText()
	if !strings.Contains(got, "Facts changed (1): ciftis-2024-kz-chinese-enterprises") || !strings.Contains(got, "Recorded as version 2") {
		t.Errorf("apply report = %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "~4,800 companies") {
		t.Errorf("answer after the upload = %q", got)
	}
	// The deputy's upload comes next, and now changes nothing.
	if got := waitMessage(t, srv, deputy.ID, 0, "the deputy's turn", contains("nothing to apply")).PlainText(); !strings.Contains(got, "01-ciftis-2024.yaml") {
		t.Errorf("the deputy's upload after the apply: %q", got)
	}

	// /versions lists who did what.
	got = say(t, srv, root, "/versions")
	if !strings.Contains(got, fmt.Sprintf("#2 ")) || !strings.Contains(got, fmt.Sprintf("admin %d", root.ID)) ||
		!strings.Contains(got, "ciftis-2024-kz-chinese-enterprises") || !strings.Contains(got, "#1 ") || !strings.Contains(got, "← serving") {
		t.Errorf("/versions = %q", got)
	}
	// /fact shows the fact in five languages with its new figure.
	got = say(t, srv, root, "/fact ciftis-2024-kz-chinese-enterprises")
	for _, want := range []string{"[en] About 4,700", "[ru] ", "[kk] ", "[zh] ", "[fr] ", "~4,800 companies", "The Astana Times", "confidence:"} {
		if !strings.Contains(got, want) {
			t.Errorf("/fact has no %q: %q", want, got)
		}
	}

	// /export round-trips: the zip uploaded back changes nothing.
	n := len(srv.SentDocuments(root.ID))
	srv.PrivateText(root, "/export")
	docs := srv.WaitCalls(t, "sendDocument", n+1)
	doc := docs[len(docs)-1].Message().Document
	exported, ok := srv.FileData(doc.FileID)
	if !ok || !strings.HasSuffix(doc.FileName, ".zip") {
		t.Fatalf("/export sent %+v", doc)
	}
	zr, err := zip.NewReader(bytes.NewReader(exported), int64(len(exported)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "blind") {
			t.Errorf("/export holds %s", f.Name)
		}
	}
	if got := upload(t, srv, root, doc.FileName, exported).PlainText(); !strings.Contains(got, "nothing to apply") {
		t.Errorf("re-uploading the export: %q", got)
	}

	// A restart serves the newest version.
	in.stop()
	srv2 := telegramtest.New(t)
	srv2.Timeout = 120 * time.Second
	in = serveCurated(t, srv2, data)
	if got := say(t, srv2, alice, companies); !strings.Contains(got, "~4,800 companies") {
		t.Errorf("answer after a restart = %q", got)
	}
	// /rollback brings the old figure back.
	if got := say(t, srv2, root, "/rollback"); !strings.Contains(got, "Rolled back") {
		t.Errorf("/rollback = %q", got)
	}
	if got := say(t, srv2, alice, companies); !strings.Contains(got, "~4,700 companies") {
		t.Errorf("answer after the rollback = %q", got)
	}
	in.stop()
	if strings.Contains(in.stderr.String(), "shadow") {
		t.Errorf("the restart says the versions shadow the embedded base, which they started from:\n%s", grepLines(in.stderr.String(), "shadow"))
	}
}

// previewOf joins the messages of the last preview sent to chat.
func previewOf(srv *telegramtest.Server, chat int64) string {
	sent := srv.Sent(chat)
	start := 0
	for i, c := range sent {
		if strings.Contains(c.PlainText(), "Preview of") {
			start = i
		}
	}
	var b strings.Builder
	for _, c := range sent[start:] {
		b.WriteString(c.PlainText() + "\n")
	}
	return b.String()
}

// zipBomb is a zip of 56 MB of zeros in files of knowledge.MaxFileSize
// bytes (about 60 KB deflated): more than an upload may unpack to.
func zipBomb(t testing.TB) []byte {
	zeros := make([]byte, knowledge.MaxFileSize)
	files := map[string][]byte{}
	for i := 0; i < 14; i++ {
		files[fmt.Sprintf("facts/zeros-%02d.yaml", i)] = zeros
	}
	return zipOf(t, files)
}

// The README's example upload is a valid one.
func TestReadmeUploadExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "`wheat-2024.yaml` with one new fact:")
	_, rest, ok2 := strings.Cut(rest, "```yaml\n")
	block, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no example upload")
	}
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "   "))
	}
	data := strings.Join(lines, "\n")
	c, err := curate.Parse(context.Background(), "wheat-2024.yaml", strings.NewReader(data), int64(len(data)), knowledge.Curated(), curate.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Valid() || c.Base.Fact("wheat-exports-2024") == nil {
		t.Errorf("the README's example upload has problems:\n%v", c.Problems)
	}
}

// applyUpload uploads a file from root and applies its preview.
func applyUpload(t *testing.T, srv *telegramtest.Server, name string, data []byte) string {
	t.Helper()
	p := upload(t, srv, root, name, data)
	return press(t, srv, root, p, buttonWith(t, p, "u:a:"), "the apply report", contains("Upload applied")).PlainText()
}

// Uploads write only under the data folder, unless
// FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR makes the knowledge folder follow.
func TestServeUploadsAndTheKnowledgeFolder(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	file := filepath.Join(kdir, filepath.FromSlash(ciftisFile))
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// By default (skipped under -race, where each preview of the curated
	// base takes a minute or more: the other half covers the path).
	if !raceBuild {
		srv := telegramtest.New(t)
		srv.Timeout = 120 * time.Second
		in := serveAdmin(t, srv, kdir, data)
		applyUpload(t, srv, "01-ciftis-2024.yaml", []byte(strings.Replace(string(before), oldFigure, `value: "~4,600"`, 1)))
		if got := say(t, srv, alice, companies); !strings.Contains(got, "~4,600 companies") {
			t.Errorf("answer after the upload = %q", got)
		}
		if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
			t.Errorf("the upload wrote the knowledge folder")
		}
		in.stop()
	}

	t.Setenv("FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR", "true")
	srv2 := telegramtest.New(t)
	srv2.Timeout = 120 * time.Second
	in := serveAdmin(t, srv2, kdir, data)
	applyUpload(t, srv2, "01-ciftis-2024.yaml", []byte(strings.Replace(string(before), oldFigure, newFigure, 1)))
	if after, _ := os.ReadFile(file); !strings.Contains(string(after), newFigure) {
		t.Errorf("with FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR the folder did not follow the upload")
	}
	if got := say(t, srv2, root, "/rollback"); !strings.Contains(got, "Rolled back") {
		t.Errorf("/rollback = %q", got)
	}
	// Back to the version before: the default half's upload, or the
	// folder as it was.
	want := `value: "~4,600"`
	if raceBuild {
		want = oldFigure
	}
	if after, _ := os.ReadFile(file); !strings.Contains(string(after), want) || strings.Contains(string(after), newFigure) {
		t.Errorf("with FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR the folder did not follow the rollback (want %s)", want)
	}
	in.stop()
}
