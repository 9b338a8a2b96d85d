package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
)

const (
	// inlineCacheTime is how long Telegram may reuse inline results: the
	// base changes only on a reload.
	inlineCacheTime = 300
	// maxInlineResults bounds the fact cards offered (Telegram allows 50).
	maxInlineResults = 10
)

// onInline answers an inline query ("@bot trade 2024") with fact cards the
// user can post in any chat. An empty query offers one fact per topic.
func (b *Bot) onInline(ctx context.Context, q *tgbotapi.InlineQuery) {
	var user int64
	if q.From != nil {
		user = q.From.ID
	}
	if !b.admins[user] {
		if ok, _ := b.flood.allow(user); !ok {
			b.metrics.Flooded.Add(1)
			return // an unanswered inline query just shows nothing
		}
	}
	forced := b.chatLang(ctx, user) // the user's private-chat choice
	var hint knowledge.Lang
	if q.From != nil {
		hint = knowledge.ParseLang(q.From.LanguageCode)
	}
	text := strings.TrimSpace(q.Query)
	if r := []rune(text); len(r) > MaxQuestion {
		text = string(r[:MaxQuestion])
	}
	var hits []knowledge.Hit
	lang := forced
	cache := inlineCacheTime
	if text == "" {
		if lang == "" {
			lang = hint
		}
		if lang == "" {
			lang = knowledge.EN
		}
		hits = b.featured(lang)
	} else {
		b.metrics.Questions.Add(1)
		r, err := b.answerer.Answer(ctx, text, forced, hint)
		switch {
		case err != nil:
			b.metrics.SearchErrors.Add(1)
			b.log.Error("inline search failed", zap.Int64("user", user), zap.Int("question_len", len([]rune(text))), zap.Error(err))
			cache = 0
		case r.Answered:
			b.metrics.Answer(r.Lang, r.Tier)
			hits = append(append([]knowledge.Hit{r.Best}, r.Related...), r.More...)
			noteAnswer(ctx, r, len([]rune(text)), 0)
		case r.Tier == knowledge.TierClosest:
			// Unsure: the closest facts are offered as cards all the same;
			// the person picking one reads what it says.
			b.metrics.Answer(r.Lang, r.Tier)
			hits = r.Closest
			noteAnswer(ctx, r, len([]rune(text)), 0)
		default:
			b.metrics.Answer(r.Lang, r.Tier)
			noteAnswer(ctx, r, len([]rune(text)), 0)
		}
		lang = r.Lang
	}
	if len(hits) > maxInlineResults {
		hits = hits[:maxInlineResults]
	}
	results := make([]any, 0, len(hits))
	for _, h := range hits {
		results = append(results, inlineCard(h, lang))
	}
	raw, _ := json.Marshal(results)
	p := tgbotapi.Params{
		"inline_query_id": q.ID,
		"results":         string(raw),
		"cache_time":      strconv.Itoa(cache),
		"is_personal":     "true", // results follow the user's language
	}
	_, _ = b.d.do(ctx, &call{method: "answerInlineQuery", params: p, limit: limitGlobal})
}

// inlineCard is one fact card: a title with the headline figure, a
// description, and the full card as the message to post.
func inlineCard(h knowledge.Hit, lang knowledge.Lang) tgbotapi.InlineQueryResultArticle {
	title := reply.Truncate(h.Text, 60)
	if f := h.Fact; f != nil && len(f.Figures) > 0 {
		title = f.Figures[0].Value
		if d := f.Figures[0].Date; d != "" {
			title += " · " + reply.FormatPeriod(d)
		}
	} else if h.Document != nil {
		title = h.Document.Title
	}
	id := h.ID
	if len(id) > 64 {
		sum := sha256.Sum256([]byte(id))
		id = hex.EncodeToString(sum[:16])
	}
	card := reply.RenderHit(h, lang)[0] // a card longer than a message keeps its first part
	return tgbotapi.InlineQueryResultArticle{
		Type:        "article",
		ID:          id,
		Title:       reply.Clean(title),
		Description: reply.Clean(reply.Truncate(h.Text, 200)),
		InputMessageContent: tgbotapi.InputTextMessageContent{
			Text:                  card.HTML,
			ParseMode:             tgbotapi.ModeHTML,
			DisableWebPagePreview: true,
		},
	}
}

// featured returns the first fact of each topic, for an empty inline query.
func (b *Bot) featured(lang knowledge.Lang) []knowledge.Hit {
	base := b.knowledge()
	if base == nil {
		return nil
	}
	seen := map[string]bool{}
	var hits []knowledge.Hit
	for _, f := range base.Facts {
		if seen[f.Topic] {
			continue
		}
		seen[f.Topic] = true
		text, ok := f.Text.In(lang)
		hl := lang
		if !ok {
			hl = knowledge.EN
		}
		hits = append(hits, knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: hl, Text: text, Fallback: !ok, Fact: f})
	}
	return hits
}
