package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"factbot/bot/reply"
	"factbot/knowledge"
)

func runChat(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "chat")
	af := addAnswerFlags(e, fs, "each question's")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, lang, closeIndex, err := af.open(ctx, e)
	if err != nil {
		return err
	}
	defer closeIndex()
	fmt.Fprintln(e.stdout, "Ask about Kazakhstan–China economic cooperation. /lang xx sets the reply language, /lang auto detects it, /quit ends.")
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		fmt.Fprint(e.stdout, "> ")
		if !sc.Scan() {
			fmt.Fprintln(e.stdout)
			return sc.Err()
		}
		q := strings.TrimSpace(sc.Text())
		switch {
		case q == "":
			continue
		case q == "/quit" || q == "/exit":
			return nil
		case strings.HasPrefix(q, "/lang"):
			arg := strings.TrimSpace(strings.TrimPrefix(q, "/lang"))
			if arg == "auto" || arg == "" {
				lang = ""
				fmt.Fprintln(e.stdout, "Reply language: the question's.")
			} else if l := knowledge.ParseLang(arg); l != "" {
				lang = l
				fmt.Fprintf(e.stdout, "Reply language: %s.\n", l)
			} else {
				fmt.Fprintln(e.stdout, "Languages: en, ru, kk, zh, fr, or auto.")
			}
			continue
		}
		r, err := a.Answer(ctx, q, lang, "")
		if err != nil {
			fmt.Fprintln(e.stderr, "error:", err)
			fmt.Fprintln(e.stdout, "Sorry, something went wrong. Please try again.")
			continue
		}
		fmt.Fprint(e.stdout, reply.PlainText(r))
	}
}
