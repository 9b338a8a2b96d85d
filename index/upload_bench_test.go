package index_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"factbot/index"
	"factbot/knowledge"
	"factbot/knowledge/curate"
)

// BenchmarkHostileUploads measures what the worst uploads tried cost, from
// the bytes to the candidate (curate.Parse: unzipping, validating) and, for
// a candidate that is valid, its preview's eval numbers (an index of it
// built in memory, its eval cases run). Each reports the time of one upload
// and the peak heap above the start ("peak-MB"), sampled every 5 ms:
//
//	go test -run '^$' -bench HostileUploads -benchtime 1x ./index
func BenchmarkHostileUploads(b *testing.B) {
	served := curated(b)
	zipOf := func(files map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, data := range files {
			w, _ := zw.Create(name)
			w.Write(data)
		}
		zw.Close()
		return buf.Bytes()
	}
	curatedZip := func(extra map[string][]byte) []byte {
		var buf bytes.Buffer
		curate.Zip(&buf, knowledge.Curated())
		zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			var d bytes.Buffer
			d.ReadFrom(rc)
			files[f.Name] = d.Bytes()
		}
		for k, v := range extra {
			files[k] = v
		}
		return zipOf(files)
	}
	for _, tc := range []struct {
		name string
		make func() (name string, data []byte)
	}{
		// 20 MB of deflated zeros: about 20 GB if unpacked.
		{"deflate-bomb-20MB", func() (string, []byte) { return "bomb.zip", deflateBomb(b, 20<<20) }},
		// 5,000 entries, the most a zip may have, each a small briefing.
		{"5000-briefings", func() (string, []byte) {
			extra := map[string][]byte{}
			for i := range 5000 - 90 {
				extra[fmt.Sprintf("documents/gen-%04d.en.md", i)] = []byte(fmt.Sprintf(
					"---\nid: gen-%d\ntitle: Generated %d\nlang: en\nsources:\n  - {publisher: gen}\n---\nKhorgos dry port handles container trains, note %d.\n", i, i, i))
			}
			return "many.zip", curatedZip(extra)
		}},
		// Four 1 MB YAML files of one-character list items: each is past
		// the YAML bound, and reported unparsed.
		{"dense-yaml-4MB", func() (string, []byte) {
			files := map[string][]byte{}
			for i := range 4 {
				files[fmt.Sprintf("facts/dense-%02d.yaml", i)] = []byte("facts:\n" + strings.Repeat("- 1\n", (1<<20-8)/4))
			}
			return "dense.zip", zipOf(files)
		}},
		// Nine valid facts with 99,950 tags each: with the curated base,
		// about a million YAML values, just under the bounds, all parsed,
		// validated and indexed.
		{"900k-tags", func() (string, []byte) {
			extra := map[string][]byte{}
			for i := range 9 {
				extra[fmt.Sprintf("facts/tags-%02d.yaml", i)] = []byte(fmt.Sprintf(`facts:
  - id: tags-%d
    topic: trade
    measures: [trade-turnover]
    text: {en: Tags %d., ru: Теги %d., kk: Тегтер %d., zh: 标签%d。, fr: Étiquettes %d.}
    sources: [{publisher: gen}]
    tags: [%s]
`, i, i, i, i, i, i, strings.Repeat("t,", 99_950)+"t"))
			}
			return "tags.zip", curatedZip(extra)
		}},
		// The billion laughs in a YAML file.
		{"billion-laughs", func() (string, []byte) {
			var s strings.Builder
			s.WriteString("facts: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
			for i := 1; i < 9; i++ {
				p := fmt.Sprintf("*a%d", i-1)
				fmt.Fprintf(&s, "a%d: &a%d [%s]\n", i, i, strings.Repeat(p+", ", 8)+p)
			}
			return "bomb.yaml", []byte(s.String())
		}},
		// Twelve files of just under 4 MB of valid facts (each with 5 KB
		// of text in five languages): within the limits of a zip, but
		// more knowledge than can be served.
		{"valid-facts-46MB", func() (string, []byte) { return "huge.zip", curatedZip(generatedFacts(12, 4<<20)) }},
		// The largest valid upload: the curated base and generated facts
		// up to Limits.Knowledge, so the preview indexes all of it.
		{"largest-valid", func() (string, []byte) {
			return "largest.zip", curatedZip(generatedFacts(2, (curate.DefaultLimits.Knowledge-(1800<<10))/2))
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			name, data := tc.make()
			var outcome string
			peak := measurePeak(func() {
				for b.Loop() {
					c, err := curate.Parse(context.Background(), name, bytes.NewReader(data), int64(len(data)), knowledge.Curated(), curate.DefaultLimits)
					switch {
					case err != nil:
						outcome = "refused: " + err.Error()
					case !c.Valid():
						outcome = fmt.Sprintf("%d problems, the first: %s", len(c.Problems), c.Problems[0])
					default:
						start := time.Now()
						e, err := index.PreviewEval(context.Background(), served, c.Base, index.Options{})
						if err != nil {
							b.Fatal(err)
						}
						outcome = fmt.Sprintf("valid: %d facts, %d passages; preview eval %v, gate fails %v", len(c.Base.Facts), len(c.Base.Passages()), time.Since(start).Round(time.Millisecond), e.GateFails())
					}
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "upload-MB")
			if len(outcome) > 300 {
				outcome = outcome[:300] + "…"
			}
			b.Log(outcome)
		})
	}
}

// deflateBomb is a zip of one note whose size bytes of zeros deflate to
// about size/1000 bytes, repeated until the zip is about zipSize.
func deflateBomb(tb testing.TB, zipSize int) []byte {
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	crc := crc32.NewIEEE()
	zeros := make([]byte, 1<<20)
	const size = 1 << 30
	for range size >> 20 {
		fw.Write(zeros)
		crc.Write(zeros)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; buf.Len() < zipSize-comp.Len()-200; i++ {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("facts/bomb-%04d.md", i), Method: zip.Deflate,
			CRC32: crc.Sum32(), CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(comp.Bytes())
		zw.Flush()
	}
	zw.Close()
	return buf.Bytes()
}

// measurePeak runs f and returns the highest heap in use above the start.
func measurePeak(f func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, peak := m.HeapInuse, m.HeapInuse
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak - base
}

// generatedFacts returns n fact files of about size bytes each, valid
// facts with 5 KB of text each in five languages.
func generatedFacts(n int, size int64) map[string][]byte {
	out := map[string][]byte{}
	word := []string{"trade", "Khorgos", "wheat", "pipeline", "corridor", "visa", "tourism", "investment"}
	for f := range n {
		var s strings.Builder
		s.WriteString("facts:\n")
		for i := 0; int64(s.Len()) < min(size, knowledge.MaxFileSize)-8<<10; i++ {
			id := fmt.Sprintf("gen-%02d-%04d", f, i)
			text := func(lang string) string {
				var t strings.Builder
				for j := range 80 {
					t.WriteString(word[(i*7+j*3)%len(word)])
					fmt.Fprintf(&t, " %d ", j+i)
				}
				return lang + " " + t.String()
			}
			fmt.Fprintf(&s, "  - id: %s\n    topic: trade\n    measures: [trade-turnover]\n    text:\n      en: %s\n      ru: %s\n      kk: %s\n      zh: %s\n      fr: %s\n    sources: [{publisher: gen}]\n",
				id, text("en"), text("ru"), text("kk"), text("zh"), text("fr"))
		}
		out[fmt.Sprintf("facts/gen-%02d.yaml", f)] = []byte(s.String())
	}
	return out
}
