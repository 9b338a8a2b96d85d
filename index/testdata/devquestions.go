//go:build ignore

// Devquestions prints the dev eval set's questions (knowledge/base/eval),
// one a line, as `factbot eval` loads them; the blind set stays unread.
//
//	go run index/testdata/devquestions.go [knowledge/base] > questions
package main

import (
	"fmt"
	"os"
	"strings"

	"factbot/knowledge"
)

func main() {
	src := knowledge.Curated()
	if len(os.Args) > 1 {
		src = os.DirFS(os.Args[1])
	}
	b, err := knowledge.Load(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range b.Eval {
		fmt.Println(strings.ReplaceAll(c.Question, "\n", " "))
	}
}
