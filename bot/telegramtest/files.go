package telegramtest

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Files: what users send (Document queues a message carrying a file) and
// what the bot fetches and sends: getFile, the download route
// {URL}/file/bot<token>/<file_path>, and sendDocument as multipart/form-data
// (or with a file_id already known). The fake rejects what Telegram
// rejects: getFile of a file over MaxDownload ("file is too big"), an
// unknown or empty file_id, a download with another token or an unknown
// path (404), an upload over MaxUpload (413), a sendDocument without a
// document, a caption over MaxCaptionLen.

// Telegram's file limits for bots.
const (
	MaxDownload = 20 << 20 // getFile refuses larger files
	MaxUpload   = 50 << 20 // the largest document a bot may send
)

// DownloadMethod is the Method of the Call recorded for a file download,
// so tests can count downloads like any method.
const DownloadMethod = "downloadFile"

// storedFile is a file the server holds: sent by a user or by the bot.
type storedFile struct {
	id, uniqueID, name, path, mime string
	data                           []byte
	size                           int // as Telegram reports it
}

// fileStore holds the server's files under its own lock; the zero value
// is empty and ready.
type fileStore struct {
	mu     sync.Mutex
	next   int
	byID   map[string]*storedFile
	byPath map[string]*storedFile
}

// filesOf returns the server's file store.
func (s *Server) filesOf() *fileStore { return &s.files }

func (fst *fileStore) add(name, mimeType string, data []byte, size int) *storedFile {
	fst.mu.Lock()
	defer fst.mu.Unlock()
	if fst.byID == nil {
		fst.byID, fst.byPath = map[string]*storedFile{}, map[string]*storedFile{}
	}
	fst.next++
	n := strconv.Itoa(fst.next)
	f := &storedFile{id: "BQACAgIAAx" + n, uniqueID: "AgAD" + n, name: name, mime: mimeType, data: data, size: size,
		path: "documents/file_" + n + extOf(name)}
	fst.byID[f.id] = f
	fst.byPath[f.path] = f
	return f
}

func (fst *fileStore) get(id string) (*storedFile, bool) {
	fst.mu.Lock()
	defer fst.mu.Unlock()
	f, ok := fst.byID[id]
	return f, ok
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], "/\\") {
		return strings.ToLower(name[i:])
	}
	return ""
}

// AddFile stores a file as if a user had sent it and returns its
// tgbotapi.Document, to put in a message.
func (s *Server) AddFile(name string, data []byte) tgbotapi.Document {
	return s.AddFileSized(name, data, len(data))
}

// AddFileSized is AddFile with the size Telegram reports, which may differ
// from len(data): to test a bot that trusts a size it was told, or a file
// too big to download without holding its bytes.
func (s *Server) AddFileSized(name string, data []byte, size int) tgbotapi.Document {
	mt := mime.TypeByExtension(extOf(name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	f := s.filesOf().add(name, mt, data, size)
	return tgbotapi.Document{FileID: f.id, FileUniqueID: f.uniqueID, FileName: name, MimeType: mt, FileSize: size}
}

// Document queues a message from user in their private chat carrying the
// file name with data (see AddFile), and returns the update.
func (s *Server) Document(from tgbotapi.User, name string, data []byte) tgbotapi.Update {
	return s.SendDocument(from, s.AddFile(name, data), "")
}

// SendDocument queues a message from user in their private chat carrying
// doc, with an optional caption.
func (s *Server) SendDocument(from tgbotapi.User, doc tgbotapi.Document, caption string) tgbotapi.Update {
	f := from
	d := doc
	msg := &tgbotapi.Message{From: &f, Document: &d, Caption: caption}
	s.mu.Lock()
	c := s.chatLocked(from.ID, "private")
	c.tg.FirstName = from.FirstName
	s.store(c, msg, "", false)
	s.mu.Unlock()
	return s.Queue(tgbotapi.Update{Message: msg})
}

// FileData returns the bytes of a file the server holds: one a user sent,
// or one the bot sent (its message's Document.FileID).
func (s *Server) FileData(fileID string) ([]byte, bool) {
	f, ok := s.filesOf().get(fileID)
	if !ok {
		return nil, false
	}
	return f.data, true
}

// SentDocuments returns the successful sendDocument calls to chat (any
// chat when 0).
func (s *Server) SentDocuments(chat int64) []Call {
	var out []Call
	for _, c := range s.Calls("sendDocument") {
		if c.OK() && (chat == 0 || c.ChatID == chat) {
			out = append(out, c)
		}
	}
	return out
}

// getFile answers getFile: the file's path for the download route.
func (s *Server) getFile(c Call) (any, error) {
	id := c.Param("file_id")
	if id == "" {
		return nil, badRequest("file_id is empty")
	}
	f, ok := s.filesOf().get(id)
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if f.size > MaxDownload || len(f.data) > MaxDownload {
		return nil, badRequest("file is too big")
	}
	return tgbotapi.File{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: f.size, FilePath: f.path}, nil
}

// serveFile is the download route, {URL}/file/bot<token>/<file_path>. It
// reports whether the request was for it.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot")
	if !ok {
		return false
	}
	token, p, _ := strings.Cut(rest, "/")
	c := Call{Method: DownloadMethod, Params: map[string][]string{"file_path": {p}}, At: time.Now()}
	fst := s.filesOf()
	fst.mu.Lock()
	f, found := fst.byPath[p]
	fst.mu.Unlock()
	switch {
	case token != s.Token:
		c.Status, c.Description = http.StatusUnauthorized, "Unauthorized"
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		c.Status, c.Description = http.StatusMethodNotAllowed, "Method Not Allowed"
	case !found:
		c.Status, c.Description = http.StatusNotFound, "Not Found"
	default:
		c.Status = http.StatusOK
	}
	s.record(c)
	if c.Status != http.StatusOK {
		writeJSON(w, c.Status, map[string]any{"ok": false, "error_code": c.Status, "description": c.Description})
		return true
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.data)
	}
	return true
}

// sendDocument sends a document: a file uploaded in the request's
// "document" part, or the file_id of a file the server holds.
func (s *Server) sendDocument(ctx context.Context, c Call) (any, error) {
	if c.ChatID == 0 {
		return nil, badRequest("chat_id is empty")
	}
	var doc *storedFile
	if u, ok := c.Upload("document"); ok {
		switch {
		case len(u.Data) == 0:
			return nil, badRequest("file must be non-empty")
		case len(u.Data) > MaxUpload:
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
		}
		doc = s.filesOf().add(u.Filename, mimeOf(u.Filename), u.Data, len(u.Data))
	}
	if doc == nil {
		id := c.Param("document")
		if id == "" {
			return nil, badRequest("there is no document in the request")
		}
		f, ok := s.filesOf().get(id)
		if !ok {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		doc = f
	}
	caption, entities, err := checkCaption(c.Param("caption"), c.ParseMode)
	if err != nil {
		return nil, err
	}
	markup, err := checkMarkup(c.Param("reply_markup"))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, reply, err := s.checkChatLocked(c)
	if err != nil {
		return nil, err
	}
	bot := s.Bot
	msg := &tgbotapi.Message{From: &bot, Caption: caption, CaptionEntities: entities, ReplyToMessage: reply,
		Document: &tgbotapi.Document{FileID: doc.id, FileUniqueID: doc.uniqueID, FileName: doc.name, MimeType: doc.mime, FileSize: doc.size}}
	if markup != nil {
		msg.ReplyMarkup = markup
	}
	s.store(ch, msg, c.Param("reply_markup"), true)
	return msg, nil
}

func mimeOf(name string) string {
	if mt := mime.TypeByExtension(extOf(name)); mt != "" {
		return mt
	}
	return "application/octet-stream"
}
