package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"factbot/bot/chart"
	"factbot/bot/telegramtest"
)

// The question in five languages, through the wired program and
// the real index: each gets the series answer as text — both counting
// bodies, the change computed within each and labelled — and the chart as
// a photo with a caption in the same language; the "📈" button of a plain
// 2023 answer sends the chart too.
func TestServeSeriesAnswer(t *testing.T) {
	srv := telegramtest.New(t)
	serve(t, srv)
	for i, tc := range []struct {
		lang, q, computed, button string
	}{
		{"en", "how did China–Kazakhstan trade change since 2015?", "computed from the 2018 and 2024 figures below", "trade 2023"},
		{"ru", "как изменился товарооборот Китая и Казахстана с 2015 года?", "рассчитано по цифрам за 2018 и 2024 годы ниже", "товарооборот Казахстана и Китая в 2023 году"},
		{"kk", "2015 жылдан бері Қытай мен Қазақстан саудасы қалай өзгерді?", "төмендегі 2018 және 2024 жылғы сандар бойынша есептелді", "2023 жылғы Қазақстан мен Қытайдың тауар айналымы"},
		{"zh", "2015年以来中哈贸易有何变化？", "根据下表2018年和2024年的数字计算", "2023年中哈贸易额"},
		{"fr", "comment ont évolué les échanges entre la Chine et le Kazakhstan depuis 2015 ?", "calculé à partir des chiffres de 2018 et 2024 ci-dessous", "commerce Chine Kazakhstan 2023"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			user := telegramtest.User(int64(900+i), "U", tc.lang)
			srv.PrivateText(user, tc.q)
			photo := srv.WaitPhotos(t, user.ID, 1)[0]
			var text strings.Builder
			for _, c := range srv.Sent(user.ID) {
				if c.Seq > photo.Seq {
					t.Errorf("a message came after the chart: %s", c)
				}
				text.WriteString(c.PlainText() + "\n")
			}
			// The newest point of each series, as the reader's press writes it.
			figures := map[string][]string{
				"en": {"$43.82 billion", "$31.5 billion"},
				"ru": {"43,82\u00a0млрд\u00a0долл.", "31,5\u00a0млрд\u00a0долл."},
				"kk": {"43,82\u00a0млрд\u00a0доллар", "31,5\u00a0млрд\u00a0доллар"},
				"zh": {"438.2亿美元", "315亿美元"},
				"fr": {"43,82\u00a0milliards\u00a0de dollars", "31,5\u00a0milliards\u00a0de dollars"},
			}[tc.lang]
			for _, want := range append([]string{tc.computed, "×2"}, figures...) {
				if !strings.Contains(text.String(), want) {
					t.Errorf("the series answer lacks %q:\n%s", want, text.String())
				}
			}
			caption := photo.Message().Caption
			if !strings.Contains(caption, tc.computed) || telegramtest.UTF16Len(caption) > telegramtest.MaxCaptionLen {
				t.Errorf("caption %q lacks %q", caption, tc.computed)
			}
			checkChart(t, srv, photo)

			// A plain 2023 answer, its 📈 button, and the chart it sends.
			before := len(srv.Sent(user.ID))
			srv.PrivateText(user, tc.button)
			answer := srv.WaitSent(t, user.ID, before+1)[before]
			data := "c:" + tc.lang + ":trade-turnover"
			if !slices.Contains(answer.Buttons(), data) {
				t.Fatalf("%q: buttons %v, want %q; answer %q", tc.button, answer.Buttons(), data, answer.PlainText())
			}
			srv.Callback(user, answer.Message(), data)
			checkChart(t, srv, srv.WaitPhotos(t, user.ID, 2)[1])
		})
	}
	srv.Wait(t, "every callback answered", func() bool { return len(srv.UnansweredCallbacks()) == 0 })
}

// checkChart decodes a photo sent: a PNG of the chart's size, not blank.
func checkChart(t *testing.T, srv *telegramtest.Server, c telegramtest.Call) {
	t.Helper()
	img, err := srv.PhotoImage(c)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := srv.PhotoData(c); !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("the photo is no PNG")
	}
	b := img.Bounds()
	if b.Dx() != chart.Width || b.Dy() != chart.Height {
		t.Errorf("chart %v, want %d×%d", b, chart.Width, chart.Height)
	}
	first := img.At(b.Min.X, b.Min.Y)
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if img.At(x, y) != first {
				differ++
			}
		}
	}
	if differ < 500 {
		t.Errorf("the chart is blank: %d sampled pixels differ from the corner", differ)
	}
}
