package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"factbot/bot/reply"
	"factbot/index"
	"factbot/knowledge"
)

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ask")
	asJSON := fs.Bool("json", false, "print one JSON object per question")
	chartFile := fs.String("chart", "", "write the answer's chart, when it has a series, to `FILE` (PNG)")
	af := addAnswerFlags(e, fs, "the question's")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot ask [--json] [--lang xx] [--chart FILE] [--knowledge DIR] [QUESTION]\n\nWith no QUESTION, reads one question per line on standard input.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *chartFile != "" && fs.NArg() == 0 {
		return fmt.Errorf("%w: --chart needs a QUESTION argument", errUsage)
	}
	a, lang, closeIndex, err := af.open(ctx, e)
	if err != nil {
		return err
	}
	defer closeIndex()
	// Output is buffered and flushed before ask waits for input (see
	// askLines), so a batch costs one write per block of answers while a
	// program that asks one line at a time still gets each answer at once.
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	var line jsonLine // its buffer grows to the longest answer
	answer := func(q string) error {
		r, err := a.Answer(ctx, q, lang, "")
		if err != nil {
			return err
		}
		if *chartFile != "" {
			if err := writeChart(e, r, *chartFile); err != nil {
				return err
			}
		}
		if *asJSON {
			return line.write(out, jsonReply(r))
		}
		_, err = out.WriteString(reply.PlainWithSeries(r))
		return err
	}
	if fs.NArg() > 0 {
		err = answer(strings.Join(fs.Args(), " "))
	} else {
		// A batch runs with Go's collector settings, not serve's GOGC=400:
		// its heap grows once, and at 400 the pages it takes cost more CPU
		// than the collections they spare (index/testdata/cpu_per_question.sh:
		// 0.130 against 0.143 ms per question, medians of 21, alternated).
		err = askLines(ctx, bufio.NewReader(e.stdin), out, *asJSON, answer)
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return err
}

// askLines answers each line of in, separating plain answers with "---"
// (JSON answers are one per line, one for an empty line too). It flushes
// out whenever reading the next line could block.
func askLines(ctx context.Context, in *bufio.Reader, out *bufio.Writer, asJSON bool, answer func(string) error) error {
	first := true
	for {
		if !lineReady(in) {
			if err := out.Flush(); err != nil {
				return err
			}
		}
		line, err := readLine(in, maxLineBytes)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		q := strings.TrimSpace(cutRunes(line, index.MaxQuestionRunes))
		if q == "" && !asJSON {
			continue
		}
		if !asJSON && !first {
			fmt.Fprintln(out, "---")
		}
		first = false
		if err := answer(q); err != nil {
			return err
		}
	}
}

// lineReady reports whether r already holds a whole line, so that reading
// it cannot block.
func lineReady(r *bufio.Reader) bool {
	b, _ := r.Peek(r.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// maxLineBytes is how much of one stdin line ask keeps. The searcher cuts a
// question to index.MaxQuestionRunes anyway; this only bounds memory.
const maxLineBytes = 64 << 10

// readLine reads one line of any length, returning at most max bytes of it
// (cut at a character boundary) and discarding the rest, so that a huge
// line costs no memory and the lines after it are still read. It returns
// io.EOF only when no line is left.
func readLine(r *bufio.Reader, max int) (string, error) {
	var (
		buf  []byte
		seen bool
	)
	for {
		chunk, err := r.ReadSlice('\n')
		seen = seen || len(chunk) > 0
		if room := max - len(buf); room > 0 {
			buf = append(buf, chunk[:min(len(chunk), room)]...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && seen:
			return cutValid(buf), nil
		case err != nil:
			return "", err
		}
		return cutValid(buf), nil
	}
}

// cutRunes returns s cut to n characters: the searcher reads no more of a
// question, and the JSON answer shows what was asked.
func cutRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// cutValid drops a character cut in half at the end of b.
func cutValid(b []byte) string {
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return string(b)
}

// The JSON shapes of design.md: keep them stable, other tools read them.
type jsonAnswer struct {
	Question string    `json:"question"`
	Language string    `json:"language"`
	Answered bool      `json:"answered"`
	Hits     []jsonHit `json:"hits"`
	// Confidence is the calibrated probability that the first hit answers
	// the question; Tier is "answer" (answered), "closest" (unsure: hits
	// are the closest facts) or "none" (no hits).
	Confidence float64 `json:"confidence"`
	Tier       string  `json:"tier"`
	// Newest is set when the question asked, in relative words, for a
	// period with no figure yet, and the first hit is the newest: its period.
	Newest string `json:"newest,omitempty"`
	// Series is set for a question answered with series (see jsonSeries).
	Series []jsonSeries `json:"series,omitempty"`
}

type jsonHit struct {
	ID      string             `json:"id"`
	Kind    string             `json:"kind"`
	Text    string             `json:"text"`
	Lang    string             `json:"lang"`
	Score   float64            `json:"score"`
	Sources []knowledge.Source `json:"sources"`
}

func jsonReply(r reply.Reply) jsonAnswer {
	out := jsonAnswer{Question: r.Question, Language: string(r.Lang), Answered: r.Answered, Hits: []jsonHit{},
		Confidence: math.Round(r.Result.Confidence*1000) / 1000, Tier: string(r.Tier), Newest: r.Newest,
		Series: jsonSeriesOf(r.Result.Series, r.Lang)}
	if r.Tier == knowledge.TierNone {
		return out
	}
	out.Hits = make([]jsonHit, 0, len(r.Result.Hits))
	for _, h := range r.Result.Hits {
		srcs := h.Sources()
		if srcs == nil {
			srcs = []knowledge.Source{}
		}
		out.Hits = append(out.Hits, jsonHit{
			ID: h.ID, Kind: string(h.Kind), Text: h.Text, Lang: string(h.Lang),
			Score: h.Score, Sources: srcs,
		})
	}
	return out
}
