package bot

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// BenchmarkUploadHostile measures the Telegram side of the worst uploads
// tried, from the document message to the admin's verdict: getFile, the
// download through the fake Bot API, and the check (curate.Parse against
// testdata/kb). B/op bounds the memory one upload takes; the preview's eval
// numbers, which a valid upload adds, are BenchmarkHostileUploads' (index).
//
//	go test -run '^$' -bench UploadHostile -benchtime 3x -benchmem ./bot
func BenchmarkUploadHostile(b *testing.B) {
	random := func(n int) []byte {
		r := rand.New(rand.NewPCG(1, 2))
		out := make([]byte, n)
		for i := range out {
			out[i] = byte(r.UintN(256))
		}
		return out
	}
	zipOf := func(method uint16, files map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, data := range files {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
			w.Write(data)
		}
		zw.Close()
		return buf.Bytes()
	}
	for _, tc := range []struct {
		name, file string
		make       func() []byte
		verdict    string
	}{
		// 14 files of 4 MB of zeros: 56 MB unpacked from 60 KB.
		{"zip-bomb-56MB", "bomb.zip", func() []byte {
			files := map[string][]byte{}
			zeros := make([]byte, knowledge.MaxFileSize)
			for i := range 14 {
				files[fmt.Sprintf("facts/zeros-%02d.yaml", i)] = zeros
			}
			return zipOf(zip.Deflate, files)
		}, "refused"},
		// Just under Telegram's 20 MB: five stored YAML files of random
		// bytes, each under the file bound; more knowledge than is served.
		{"random-19MB-zip", "noise.zip", func() []byte {
			files := map[string][]byte{}
			for i := range 5 {
				files[fmt.Sprintf("facts/noise-%d.yaml", i)] = random(19 << 20 / 5)
			}
			return zipOf(zip.Store, files)
		}, "refused"},
		// 5.5 MB of random bytes in two YAML files: under the knowledge
		// bound, so every file is read and reported (invalid UTF-8).
		{"random-5MB-zip", "noise.zip", func() []byte {
			return zipOf(zip.Store, map[string][]byte{"facts/noise-0.yaml": random(11 << 20 / 4), "facts/noise-1.yaml": random(11 << 20 / 4)})
		}, "problems"},
		// The billion laughs.
		{"billion-laughs", "bomb.yaml", func() []byte {
			var s strings.Builder
			s.WriteString("facts: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
			for i := 1; i < 9; i++ {
				p := fmt.Sprintf("*a%d", i-1)
				fmt.Fprintf(&s, "a%d: &a%d [%s]\n", i, i, strings.Repeat(p+", ", 8)+p)
			}
			return []byte(s.String())
		}, "problem"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			data := tc.make()
			srv := telegramtest.New(b)
			srv.Timeout = time.Minute
			h, err := newBotTB(b, srv, func(c *Config) {
				c.Admins = []int64{curAdmin.ID}
				c.Curator = newFakeCurator(b)
			})
			if err != nil {
				b.Fatal(err)
			}
			h.run()
			defer func() { h.cancel(); <-h.done }()
			doc := srv.AddFile(tc.file, data)
			var verdict string
			b.ReportAllocs()
			for b.Loop() {
				n := len(srv.Sent(curAdmin.ID))
				srv.SendDocument(curAdmin, doc, "")
				srv.Wait(b, "the verdict", func() bool {
					for _, c := range srv.Sent(curAdmin.ID)[n:] {
						if t := c.PlainText(); strings.HasPrefix(t, "❌") {
							verdict = t
							return true
						}
					}
					return false
				})
			}
			b.ReportMetric(float64(len(data))/(1<<20), "upload-MB")
			if !strings.Contains(verdict, tc.verdict) {
				b.Errorf("verdict = %.300q, want %q", verdict, tc.verdict)
			}
			b.Logf("%s: %.200s", tc.name, verdict)
		})
	}
}
