package telegramtest_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
)

// download fetches a file the way a bot does: getFile, then
// {URL}/file/bot<token>/<file_path>.
func download(t *testing.T, s *telegramtest.Server, api *tgbotapi.BotAPI, token, fileID string) (int, []byte) {
	t.Helper()
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		t.Fatalf("getFile: %v", err)
	}
	resp, err := http.Get(s.URL + "/file/bot" + token + "/" + f.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func TestGetFileAndDownload(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	u := s.Document(alice, "new-fact.yaml", []byte("facts: []\n"))
	doc := u.Message.Document
	if doc == nil || doc.FileName != "new-fact.yaml" || doc.FileSize != 10 || doc.FileID == "" {
		t.Fatalf("document = %+v", doc)
	}
	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 1 || got[0].Message.Document == nil || got[0].Message.Document.FileID != doc.FileID {
		t.Fatalf("getUpdates = %+v, %v", got, err)
	}
	status, data := download(t, s, api, s.Token, doc.FileID)
	if status != 200 || string(data) != "facts: []\n" {
		t.Errorf("download = %d %q", status, data)
	}
	if n := s.CountOK(telegramtest.DownloadMethod); n != 1 {
		t.Errorf("%d downloads recorded, want 1", n)
	}

	// Another token, or a path the server never gave, is refused.
	f, _ := api.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	for _, url := range []string{s.URL + "/file/bot1:wrong/" + f.FilePath, s.URL + "/file/bot" + s.Token + "/documents/nope.yaml"} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("GET %s = 200, want a refusal", strings.Replace(url, s.Token, "<token>", 1))
		}
	}

	// An unknown or empty file_id.
	for _, id := range []string{"nope", ""} {
		_, err := api.GetFile(tgbotapi.FileConfig{FileID: id})
		if e := apiError(t, err); e.Code != 400 {
			t.Errorf("getFile(%q): code %d, want 400", id, e.Code)
		}
	}
}

// A bot may not download a file over 20 MB: getFile refuses it, whatever
// the bot was told.
func TestGetFileTooBig(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	doc := s.AddFileSized("big.zip", []byte("PK"), telegramtest.MaxDownload+1)
	_, err := api.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	if e := apiError(t, err); e.Code != 400 || !strings.Contains(e.Message, "file is too big") {
		t.Errorf("getFile of a 20 MB + 1 file: %d %q", e.Code, e.Message)
	}
	if n := s.Count(telegramtest.DownloadMethod); n != 0 {
		t.Errorf("%d downloads", n)
	}
}

func TestSendDocument(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "/export") // the chat exists
	data := []byte("PK\x03\x04 a zip")
	m, err := api.Send(tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "knowledge.zip", Bytes: data}))
	if err != nil {
		t.Fatal(err)
	}
	if m.Document == nil || m.Document.FileName != "knowledge.zip" || m.Document.FileSize != len(data) {
		t.Fatalf("sent document = %+v", m.Document)
	}
	if got, ok := s.FileData(m.Document.FileID); !ok || !bytes.Equal(got, data) {
		t.Errorf("the server holds %q, want %q", got, data)
	}
	calls := s.SentDocuments(alice.ID)
	if len(calls) != 1 || calls[0].Message().Document.FileID != m.Document.FileID {
		t.Errorf("SentDocuments = %v", calls)
	}

	// Resent by file_id.
	doc := tgbotapi.NewDocument(alice.ID, tgbotapi.FileID(m.Document.FileID))
	doc.Caption = "again"
	if m2, err := api.Send(doc); err != nil || m2.Document.FileID != m.Document.FileID || m2.Caption != "again" {
		t.Errorf("resend by file_id = %+v, %v", m2.Document, err)
	}
}

func TestSendDocumentRejects(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi")
	for _, tc := range []struct {
		name string
		c    tgbotapi.Chattable
		want string // the error description; "" for none
	}{
		{"a message", tgbotapi.NewMessage(alice.ID, "x"), ""}, // sanity
		{"unknown file_id", tgbotapi.NewDocument(alice.ID, tgbotapi.FileID("nope")), "Bad Request: wrong file identifier"},
		{"empty file", tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "a.zip", Bytes: nil}), "Bad Request: file must be non-empty"},
		{"unknown chat", tgbotapi.NewDocument(999, tgbotapi.FileBytes{Name: "a.zip", Bytes: []byte("x")}), "Bad Request: chat not found"},
		{"caption too long", func() tgbotapi.Chattable {
			d := tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "a.zip", Bytes: []byte("x")})
			d.Caption = strings.Repeat("a", telegramtest.MaxCaptionLen+1)
			return d
		}(), "Bad Request: message caption is too long"},
		{"over 50 MB", tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "big.zip", Bytes: make([]byte, telegramtest.MaxUpload+1)}), "Request Entity Too Large"},
	} {
		// tgbotapi's uploads report the description alone, not the code.
		_, err := api.Send(tc.c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// sendDocument with no document at all.
	_, err := api.MakeRequest("sendDocument", tgbotapi.Params{"chat_id": "501"})
	if e := apiError(t, err); e.Code != 400 || !strings.Contains(e.Message, "no document") {
		t.Errorf("sendDocument without a document: %d %q", e.Code, e.Message)
	}
	if n := len(s.SentDocuments(0)); n != 0 {
		t.Errorf("%d documents sent", n)
	}
}
