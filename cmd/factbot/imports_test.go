package main

import (
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// ask and chat print replies with the reply layer alone: they do not link
// the Telegram bot.
func TestAskAndChatUseTheReplyLayer(t *testing.T) {
	for _, file := range []string{"ask.go", "chat.go", "series.go", "knowledge.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "factbot/bot" {
				t.Errorf("%s imports factbot/bot; it should use factbot/bot/reply", file)
			}
		}
	}
}
