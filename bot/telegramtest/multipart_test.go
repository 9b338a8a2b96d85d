package telegramtest_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
)

// pngOf returns a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(w/2, h/2, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSendPhoto(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hello") // the chat exists once alice wrote
	pic := pngOf(t, 64, 48)

	up := tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "chart.png", Bytes: pic})
	up.Caption = "<b>Trade</b> by year"
	up.ParseMode = tgbotapi.ModeHTML
	m, err := api.Send(up)
	if err != nil {
		t.Fatalf("sendPhoto by upload: %v", err)
	}
	if len(m.Photo) != 1 || m.Photo[0].Width != 64 || m.Photo[0].Height != 48 || m.Photo[0].FileID == "" {
		t.Fatalf("sendPhoto result photo = %+v, want one 64×48 photo with a file_id", m.Photo)
	}
	if m.Caption != "Trade by year" || len(m.CaptionEntities) != 1 || m.CaptionEntities[0].Type != "bold" {
		t.Errorf("caption = %q %+v, want the HTML parsed", m.Caption, m.CaptionEntities)
	}
	calls := s.WaitPhotos(t, alice.ID, 1)
	if u, ok := calls[0].Upload("photo"); !ok || !bytes.Equal(u.Data, pic) {
		t.Errorf("the upload was not recorded as sent")
	}

	// Sent again by the file_id Telegram returned: no upload, the same picture.
	again, err := api.Send(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID(m.Photo[0].FileID)))
	if err != nil {
		t.Fatalf("sendPhoto by file_id: %v", err)
	}
	calls = s.WaitPhotos(t, alice.ID, 2)
	if len(calls[1].Uploads) != 0 {
		t.Errorf("a send by file_id carried %d uploads", len(calls[1].Uploads))
	}
	if data, err := s.PhotoData(calls[1]); err != nil || !bytes.Equal(data, pic) || again.Photo[0].FileID != m.Photo[0].FileID {
		t.Errorf("PhotoData(by file_id) = %d bytes, %v; want the first upload", len(data), err)
	}
}

func TestSendPhotoRejects(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hello")
	pic := pngOf(t, 32, 32)
	// A PNG of more than 10 MB: a valid image padded with an ancillary
	// chunk-free tail (Telegram looks at the size first).
	big := append(append([]byte(nil), pic...), make([]byte, telegramtest.MaxPhotoSize)...)

	longCaption := strings.Repeat("a", telegramtest.MaxCaptionLen+1)
	// 512 emoji are 1024 UTF-16 units: at the limit; one more letter is over.
	emoji := strings.Repeat("📈", telegramtest.MaxCaptionLen/2)

	for _, tc := range []struct {
		name string
		c    tgbotapi.Chattable
		want string // "" accepts
	}{
		{"caption at the limit", withCaption(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), emoji, ""), ""},
		{"caption over the limit", withCaption(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), longCaption, ""), "caption is too long"},
		{"caption over the limit in UTF-16", withCaption(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), emoji+"a", ""), "caption is too long"},
		{"caption at the limit after tags", withCaption(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), "<b>"+emoji+"</b>", "HTML"), ""},
		{"malformed caption HTML", withCaption(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), "<b>x", "HTML"), "parse"},
		{"over 10 MB", tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "big.png", Bytes: big}), "larger than 10 MB"},
		{"not a picture", tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: []byte("not a png")}), "IMAGE_PROCESS_FAILED"},
		{"too thin", tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pngOf(t, 2000, 50)}), "PHOTO_INVALID_DIMENSIONS"},
		{"unknown file_id", tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID("AgACAgIAAxkBAAIBZ")), "wrong file identifier"},
		{"a URL", tgbotapi.NewPhoto(alice.ID, tgbotapi.FileURL("https://example.com/a.png")), "wrong file identifier"},
		{"unknown chat", tgbotapi.NewPhoto(999, tgbotapi.FileBytes{Name: "a.png", Bytes: pic}), "chat not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := api.Send(tc.c)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("sendPhoto: %v, want it accepted", err)
			case tc.want != "" && err == nil:
				t.Errorf("sendPhoto accepted, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("sendPhoto: %v, want %q", err, tc.want)
			}
		})
	}

	// No photo at all, form-encoded.
	if _, err := api.MakeRequest("sendPhoto", tgbotapi.Params{"chat_id": "501"}); err == nil || !strings.Contains(err.Error(), "no photo") {
		t.Errorf("sendPhoto without a photo: %v, want \"there is no photo in the request\"", err)
	}
	// A blocked chat: 403, as for messages.
	// (tgbotapi's UploadFiles leaves Error.Code out: the response has it.)
	s.BlockChat(alice.ID)
	resp, err := upload(api, alice.ID, pic)
	if err == nil || resp == nil || resp.ErrorCode != 403 {
		t.Errorf("sendPhoto to a blocked chat: %v %+v, want 403", err, resp)
	}
}

func TestSendPhotoFaults(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hello")
	s.Inject(telegramtest.Fault{Method: "sendPhoto", Status: 429, RetryAfter: 3, Description: "Too Many Requests: retry after 3"})
	resp, err := upload(api, alice.ID, pngOf(t, 8, 8))
	if err == nil || resp == nil || resp.ErrorCode != 429 || resp.Parameters == nil || resp.Parameters.RetryAfter != 3 {
		t.Errorf("faulted sendPhoto: %v %+v, want 429 retry_after 3", err, resp)
	}
	if _, err := api.Send(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: pngOf(t, 8, 8)})); err != nil {
		t.Errorf("sendPhoto after the fault: %v", err)
	}
}

func withCaption(p tgbotapi.PhotoConfig, caption, mode string) tgbotapi.PhotoConfig {
	p.Caption, p.ParseMode = caption, mode
	return p
}

// upload sends a photo by upload and returns Telegram's whole answer.
func upload(api *tgbotapi.BotAPI, chat int64, data []byte) (*tgbotapi.APIResponse, error) {
	return api.UploadFiles("sendPhoto", tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10)},
		[]tgbotapi.RequestFile{{Name: "photo", Data: tgbotapi.FileBytes{Name: "chart.png", Bytes: data}}})
}
