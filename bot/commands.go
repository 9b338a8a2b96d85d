package bot

import (
	"context"
	"encoding/json"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// registerCommands sets the command menu in every language, in the
// background of the chat queues (so shutdown waits for it). It is best
// effort: a server without setMyCommands gets a warning, never a failed
// start.
func (b *Bot) registerCommands() {
	b.seq.submit(0, func() {
		ctx, cancel := context.WithTimeout(b.work, time.Minute)
		defer cancel()
		b.RegisterCommands(ctx)
	})
}

// RegisterCommands calls setMyCommands once for each language: English as
// the default, then ru, kk, zh and fr for users with that language.
func (b *Bot) RegisterCommands(ctx context.Context) {
	for _, l := range knowledge.Langs {
		var cmds []tgbotapi.BotCommand
		for _, c := range reply.TextsFor(l).Commands {
			cmds = append(cmds, tgbotapi.BotCommand{Command: c[0], Description: c[1]})
		}
		raw, _ := json.Marshal(cmds)
		p := tgbotapi.Params{"commands": string(raw)}
		if l != knowledge.EN {
			p["language_code"] = string(l)
		}
		_, err := b.d.do(ctx, &call{method: "setMyCommands", params: p, limit: limitGlobal})
		if err == nil {
			continue
		}
		if kind, _ := errKind(err); kind == "not_found" {
			b.log.Warn("the Bot API server has no setMyCommands; the command menu is not set", zap.Error(err))
			return
		}
		b.log.Warn("setMyCommands failed; the command menu may be incomplete", zap.String("lang", string(l)), zap.Error(err))
		if ctx.Err() != nil {
			return
		}
	}
	b.log.Info("command menu set", zap.Int("languages", len(knowledge.Langs)))
}
