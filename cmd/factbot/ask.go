package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"factbot/bot"
	"factbot/knowledge"
)

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ask")
	asJSON := fs.Bool("json", false, "print one JSON object per question")
	af := addAnswerFlags(e, fs, "the question's")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot ask [--json] [--lang xx] [--knowledge DIR] [QUESTION]\n\nWith no QUESTION, reads one question per line on standard input.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	a, lang, closeIndex, err := af.open(ctx, e)
	if err != nil {
		return err
	}
	defer closeIndex()
	answer := func(q string) error {
		r, err := a.Answer(ctx, q, lang, "")
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(jsonReply(r))
		}
		_, err = io.WriteString(e.stdout, bot.PlainText(r))
		return err
	}
	if fs.NArg() > 0 {
		return answer(strings.Join(fs.Args(), " "))
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		q := strings.TrimSpace(sc.Text())
		if q == "" && !*asJSON {
			continue
		}
		if !*asJSON && !first {
			fmt.Fprintln(e.stdout, "---")
		}
		first = false
		if err := answer(q); err != nil {
			return err
		}
	}
	return sc.Err()
}

// The JSON shapes of design.md: keep them stable, other tools read them.
type jsonAnswer struct {
	Question string    `json:"question"`
	Language string    `json:"language"`
	Answered bool      `json:"answered"`
	Hits     []jsonHit `json:"hits"`
}

type jsonHit struct {
	ID      string             `json:"id"`
	Kind    string             `json:"kind"`
	Text    string             `json:"text"`
	Lang    string             `json:"lang"`
	Score   float64            `json:"score"`
	Sources []knowledge.Source `json:"sources"`
}

func jsonReply(r bot.Reply) jsonAnswer {
	out := jsonAnswer{Question: r.Question, Language: string(r.Lang), Answered: r.Answered, Hits: []jsonHit{}}
	if !r.Answered {
		return out
	}
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
