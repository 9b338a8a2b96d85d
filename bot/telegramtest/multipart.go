package telegramtest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // photos Telegram takes
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Telegram's limits on a photo sent by upload.
const (
	// MaxPhotoSize is the largest photo file sendPhoto takes, in bytes.
	MaxPhotoSize = 10 << 20
	// MaxCaptionLen is the longest caption, in UTF-16 units after entity
	// parsing.
	MaxCaptionLen = 1024
	// maxUpload bounds what the server reads of one multipart request; a
	// larger body is refused as Telegram refuses it, with 413.
	maxUpload = 64 << 20
)

// Upload is one file part of a multipart/form-data request.
type Upload struct {
	Field    string // the form field: "photo", or a name "attach://name" refers to
	Filename string
	Data     []byte
}

// Upload returns the file sent in the form field, if any.
func (c Call) Upload(field string) (Upload, bool) {
	for _, u := range c.Uploads {
		if u.Field == field {
			return u, true
		}
	}
	return Upload{}, false
}

// parseBody reads a request's parameters into r.Form — form-encoded, or
// multipart/form-data, whose files it returns — as the Bot API takes both.
func parseBody(r *http.Request) ([]Upload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, r.ParseForm()
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxUpload)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
		}
		return nil, badRequest("can't parse multipart/form-data: %v", err)
	}
	var out []Upload
	for field, fhs := range r.MultipartForm.File {
		for _, fh := range fhs {
			f, err := fh.Open()
			if err != nil {
				return nil, badRequest("can't read file %q: %v", field, err)
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, badRequest("can't read file %q: %v", field, err)
			}
			out = append(out, Upload{Field: field, Filename: fh.Filename, Data: data})
		}
	}
	_ = r.MultipartForm.RemoveAll()
	return out, nil
}

// sendPhoto takes a photo as an upload (in the field "photo", or in the
// field an "attach://name" photo names) or as the file_id of a photo this
// server stored before, with an optional caption. It refuses what Telegram
// refuses: no photo, a file over 10 MB, a file that is no picture, a
// picture whose sides add up to over 10000 or are more than 20 times
// the other, a caption over 1024 UTF-16 units after entity parsing, and a
// URL (the fake fetches nothing).
func (s *Server) sendPhoto(c Call) (any, error) {
	if c.ChatID == 0 {
		return nil, badRequest("chat_id is empty")
	}
	data, fileID, err := s.photoOf(c)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPhotoSize {
		return nil, badRequest("PHOTO_INVALID: file is larger than 10 MB")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, badRequest("IMAGE_PROCESS_FAILED")
	}
	if w, h := cfg.Width, cfg.Height; w <= 0 || h <= 0 || w+h > 10000 || w > 20*h || h > 20*w {
		return nil, badRequest("PHOTO_INVALID_DIMENSIONS")
	}
	caption, entities, err := checkCaption(c.Param("caption"), c.Param("parse_mode"))
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
	if fileID == "" {
		if s.photos == nil {
			s.photos = map[string][]byte{}
		}
		fileID = "photo-" + strconv.Itoa(len(s.photos)+1)
		s.photos[fileID] = data
	}
	bot := s.Bot
	msg := &tgbotapi.Message{From: &bot, ReplyToMessage: reply, Caption: caption, CaptionEntities: entities, ReplyMarkup: markup,
		Photo: []tgbotapi.PhotoSize{{FileID: fileID, FileUniqueID: "u" + fileID, Width: cfg.Width, Height: cfg.Height, FileSize: len(data)}}}
	s.store(ch, msg, c.Param("reply_markup"), true)
	return msg, nil
}

// photoOf returns the photo a sendPhoto call sends, and its file_id when
// it is one the server stored.
func (s *Server) photoOf(c Call) (data []byte, fileID string, err error) {
	field := "photo"
	p := c.Param("photo")
	if name, ok := strings.CutPrefix(p, "attach://"); ok {
		field, p = name, ""
	}
	if u, ok := c.Upload(field); ok {
		return u.Data, "", nil
	}
	if p == "" {
		return nil, "", badRequest("there is no photo in the request")
	}
	s.mu.Lock()
	data, ok := s.photos[p]
	s.mu.Unlock()
	if !ok {
		return nil, "", badRequest("wrong file identifier/HTTP URL specified")
	}
	return data, p, nil
}

// checkCaption validates a caption like a message text, but it may be
// empty and is at most MaxCaptionLen long.
func checkCaption(text, parseMode string) (string, []tgbotapi.MessageEntity, error) {
	if strings.TrimSpace(text) == "" {
		if parseMode != "" && !strings.EqualFold(parseMode, "html") {
			return "", nil, badRequest("unsupported parse_mode %q", parseMode)
		}
		return "", nil, nil
	}
	plain, entities, err := checkText(text, parseMode)
	if err != nil && !strings.Contains(err.Error(), "too long") {
		return "", nil, err
	}
	if err != nil || UTF16Len(plain) > MaxCaptionLen {
		return "", nil, badRequest("message caption is too long")
	}
	return plain, entities, nil
}

// checkChatLocked checks a send to a chat (sendMessage, sendPhoto, sendDocument): the chat must
// exist, not have become a supergroup nor blocked the bot, the message
// replied to must exist (unless allow_sending_without_reply), and the rate
// limits hold. It returns the chat and the message replied to. The caller
// holds s.mu.
func (s *Server) checkChatLocked(c Call) (*chat, *tgbotapi.Message, error) {
	if to, ok := s.migrated[c.ChatID]; ok {
		return nil, nil, &apiError{status: 400, description: "Bad Request: group chat was upgraded to a supergroup chat",
			params: &tgbotapi.ResponseParameters{MigrateToChatID: to}}
	}
	if d, ok := s.blocked[c.ChatID]; ok {
		return nil, nil, &apiError{status: http.StatusForbidden, description: d}
	}
	ch, ok := s.chats[c.ChatID]
	if !ok {
		return nil, nil, badRequest("chat not found")
	}
	var reply *tgbotapi.Message
	if r := c.Param("reply_to_message_id"); r != "" {
		id, _ := strconv.Atoi(r)
		if st, ok := ch.msgs[id]; ok {
			rm := st.msg
			rm.ReplyToMessage = nil
			reply = &rm
		} else if c.Param("allow_sending_without_reply") != "true" {
			return nil, nil, badRequest("message to be replied not found")
		}
	}
	if ra := s.checkLimits(c.ChatID, c.At); ra > 0 {
		return nil, nil, &apiError{status: 429, description: "Too Many Requests: retry after " + strconv.Itoa(ra),
			params: &tgbotapi.ResponseParameters{RetryAfter: ra}}
	}
	return ch, reply, nil
}

// Photos returns the successful sendPhoto calls to chat (any chat when 0).
func (s *Server) Photos(chat int64) []Call {
	var out []Call
	for _, c := range s.Calls("sendPhoto") {
		if c.OK() && (chat == 0 || c.ChatID == chat) {
			out = append(out, c)
		}
	}
	return out
}

// WaitPhotos waits for n photos to chat and returns them.
func (s *Server) WaitPhotos(tb testing.TB, chat int64, n int) []Call {
	tb.Helper()
	var out []Call
	s.Wait(tb, fmt.Sprintf("%d photos to chat %d", n, chat), func() bool {
		out = s.Photos(chat)
		return len(out) >= n
	})
	return out
}

// PhotoImage decodes the picture a successful sendPhoto call sent.
func (s *Server) PhotoImage(c Call) (image.Image, error) {
	data, err := s.PhotoData(c)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("telegramtest: decode the photo of %s: %w", c, err)
	}
	return img, nil
}

// PhotoData returns the picture a successful sendPhoto call sent, whether
// uploaded or sent again by file_id.
func (s *Server) PhotoData(c Call) ([]byte, error) {
	m := c.Message()
	if c.Method != "sendPhoto" || !c.OK() || len(m.Photo) == 0 {
		return nil, fmt.Errorf("telegramtest: %s is no photo sent", c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.photos[m.Photo[0].FileID]
	if !ok {
		return nil, fmt.Errorf("telegramtest: no photo %q", m.Photo[0].FileID)
	}
	return data, nil
}
