package bot

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/record"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// Callback data, at most 64 bytes:
//
//	m:KEY      more results of the answer KEY
//	s:KEY      sources of the answer KEY
//	v:KEY:1|0  👍 or 👎 on the answer KEY
//	t          the list of topics
//	t:ID:PAGE  a page of the facts of topic ID
//	f:ID       one fact, by id
//	c:LANG:ID  the chart of the series of measure ID, in LANG
//	l:CODE     set the chat's language (en … fr, or auto)
//	a:s:ID     send the previewed announcement ID (bot admins)
//	a:c:ID     cancel it
//	u:a:ID     apply the previewed upload ID (u:A:ID: anyway, past a failing gate)
//	u:c:ID     cancel it

// topicPage is how many facts one page of a topic lists.
const topicPage = 6

// onCallback handles a button press. Whatever happens, the query is
// answered exactly once, so the user's client stops its spinner.
func (b *Bot) onCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	answered := false
	answer := func(text string) {
		if answered {
			return
		}
		answered = true
		p := tgbotapi.Params{"callback_query_id": q.ID}
		if text != "" {
			p["text"] = reply.Truncate(text, 190)
		}
		_, _ = b.d.do(ctx, &call{method: "answerCallbackQuery", params: p, limit: limitGlobal})
	}
	defer answer("") // also after a panic, which submit then logs

	var user int64
	var from *tgbotapi.User
	if q.From != nil {
		user, from = q.From.ID, q.From
	}
	chat, msgID := user, 0
	if q.Message != nil && q.Message.Chat != nil {
		chat, msgID = q.Message.Chat.ID, q.Message.MessageID
	}
	lang := b.uiLang(ctx, chat, from)
	t := reply.TextsFor(lang)
	if !b.admins[user] {
		if ok, _ := b.flood.allow(user); !ok {
			b.metrics.Flooded.Add(1)
			answer(t.Busy)
			return
		}
	}
	kind, arg, _ := strings.Cut(q.Data, ":")
	if msgID == 0 && kind != "" {
		answer(t.Expired) // a button on an inline message: nothing to edit or reply to
		return
	}
	replyTo := 0
	if chat < 0 {
		replyTo = msgID
	}
	switch kind {
	case "m", "s":
		r, ok := b.answers.get(arg)
		if !ok {
			answer(reply.TextsFor(lang).Expired)
			return
		}
		answer("")
		ms := reply.RenderMore(r)
		if kind == "s" {
			ms = reply.RenderSources(r)
		}
		b.send(ctx, chat, ms, replyTo, nil)
	case "v":
		k, v, _ := strings.Cut(arg, ":")
		r, first, ok := b.answers.vote(k, user)
		switch {
		case !ok:
			answer(t.Expired)
			return
		case !first:
			answer(reply.TextsFor(r.Lang).AlreadyVoted)
			return
		}
		f := record.Feedback{At: time.Now(), Chat: chat, User: user, Question: r.Question, Lang: r.Lang, Useful: v == "1"}
		switch {
		case r.Answered:
			f.HitID = r.Best.ID
		case len(r.Closest) > 0:
			f.HitID = r.Closest[0].ID
		}
		if err := b.feedback.Record(f); err != nil {
			b.log.Error("record feedback", zap.Int64("chat", chat), zap.Error(err))
			answer(reply.TextsFor(r.Lang).Error)
			return
		}
		b.log.Info("feedback", zap.Int64("chat", chat), zap.String("hit", f.HitID), zap.Bool("useful", f.Useful))
		answer(reply.TextsFor(r.Lang).Thanks)
		if chat > 0 && q.Message.ReplyMarkup != nil {
			// In a private chat one vote is all: keep only the other buttons.
			b.dropVoteRow(ctx, chat, msgID, q.Message.ReplyMarkup)
		}
	case "t":
		answer("")
		if arg == "" {
			ms, kb := b.topicsView(lang)
			b.edit(ctx, chat, msgID, ms[0], kb)
			return
		}
		id, page, _ := strings.Cut(arg, ":")
		n, _ := strconv.Atoi(page)
		m, kb := b.topicView(lang, id, n)
		b.edit(ctx, chat, msgID, m, kb)
	case "f":
		base := b.knowledge()
		var f *knowledge.Fact
		if base != nil {
			f = base.Fact(arg)
		}
		if f == nil {
			answer(t.Expired)
			return
		}
		answer("")
		text, ok := f.Text.In(lang)
		hl := lang
		if !ok {
			hl = knowledge.EN
		}
		h := knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: hl, Text: text, Fallback: !ok, Fact: f}
		b.send(ctx, chat, reply.RenderHit(h, lang), replyTo, nil)
	case "c":
		b.onChartButton(ctx, chat, replyTo, lang, arg, answer)
	case "l":
		b.setLang(ctx, q, chat, msgID, user, arg, answer)
	case "a":
		b.onAnnounceButton(ctx, q, chat, msgID, user, arg, answer)
	case "u":
		b.onUploadButton(ctx, chat, msgID, user, arg, answer) // curation.go
	default:
		answer(t.Expired)
	}
}

// dropVoteRow removes the 👍/👎 row from a message's keyboard.
func (b *Bot) dropVoteRow(ctx context.Context, chat int64, msgID int, kb *tgbotapi.InlineKeyboardMarkup) {
	rows := [][]tgbotapi.InlineKeyboardButton{}
	for _, row := range kb.InlineKeyboard {
		if len(row) > 0 && row[0].CallbackData != nil && strings.HasPrefix(*row[0].CallbackData, "v:") {
			continue
		}
		rows = append(rows, row)
	}
	raw, _ := json.Marshal(tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "message_id": strconv.Itoa(msgID), "reply_markup": string(raw)}
	_, _ = b.d.do(ctx, &call{method: "editMessageReplyMarkup", chat: chat, params: p, limit: limitChat})
}

// topicsView is the list of topics with a button for each.
func (b *Bot) topicsView(lang knowledge.Lang) ([]reply.Message, *tgbotapi.InlineKeyboardMarkup) {
	counts := map[string]int{}
	if base := b.knowledge(); base != nil {
		for _, f := range base.Facts {
			counts[f.Topic]++
		}
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for _, tp := range knowledge.Topics {
		if counts[tp.ID] == 0 {
			continue
		}
		name, _ := tp.Name.In(lang)
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(name+" ("+strconv.Itoa(counts[tp.ID])+")", "t:"+tp.ID+":0"))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	ms := reply.RenderTopics(lang, len(rows) == 0)
	if len(rows) == 0 {
		return ms, nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return ms, &kb
}

// topicView is one page of a topic's facts, numbered, with a button to open
// each, paging and a way back.
func (b *Bot) topicView(lang knowledge.Lang, topic string, page int) (reply.Message, *tgbotapi.InlineKeyboardMarkup) {
	var facts []*knowledge.Fact
	if base := b.knowledge(); base != nil {
		for _, f := range base.Facts {
			if f.Topic == topic {
				facts = append(facts, f)
			}
		}
	}
	pages := max(1, (len(facts)+topicPage-1)/topicPage)
	page = min(max(page, 0), pages-1)
	from := page * topicPage
	shown := facts[from:min(from+topicPage, len(facts))]
	m := reply.RenderTopicPage(lang, topic, shown, from, len(facts))

	var rows [][]tgbotapi.InlineKeyboardButton
	var nums []tgbotapi.InlineKeyboardButton
	for i, f := range shown {
		if data := "f:" + f.ID; len(data) <= 64 {
			nums = append(nums, tgbotapi.NewInlineKeyboardButtonData(strconv.Itoa(from+i+1), data))
		}
	}
	if len(nums) > 0 {
		rows = append(rows, nums)
	}
	var nav []tgbotapi.InlineKeyboardButton
	if page > 0 {
		nav = append(nav, tgbotapi.NewInlineKeyboardButtonData("‹", "t:"+topic+":"+strconv.Itoa(page-1)))
	}
	nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(reply.TextsFor(lang).Back, "t"))
	if page < pages-1 {
		nav = append(nav, tgbotapi.NewInlineKeyboardButtonData("›", "t:"+topic+":"+strconv.Itoa(page+1)))
	}
	rows = append(rows, nav)
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return m, &kb
}

// onLang handles /lang: with an argument it sets the language, without one
// it offers buttons.
func (b *Bot) onLang(ctx context.Context, r request, lang knowledge.Lang, arg string) {
	t := reply.TextsFor(lang)
	if arg == "" {
		current := t.LangAuto
		if l := b.chatLang(ctx, r.chat); l != "" {
			current = reply.TextsFor(l).LangName
		}
		var row1, row2 []tgbotapi.InlineKeyboardButton
		for i, l := range knowledge.Langs {
			btn := tgbotapi.NewInlineKeyboardButtonData(reply.TextsFor(l).LangName, "l:"+string(l))
			if i < 3 {
				row1 = append(row1, btn)
			} else {
				row2 = append(row2, btn)
			}
		}
		row2 = append(row2, tgbotapi.NewInlineKeyboardButtonData(t.LangAuto, "l:auto"))
		kb := tgbotapi.NewInlineKeyboardMarkup(row1, row2)
		b.send(ctx, r.chat, reply.RenderText(reply.Fill(t.LangPrompt, "lang", current)), r.replyTo, &kb)
		return
	}
	l, ok := parseLangArg(arg)
	if !ok {
		b.reply(ctx, r, t.LangUnknown)
		return
	}
	if !r.private && !r.admin && !b.isChatAdmin(ctx, r.chat, r.user) {
		b.reply(ctx, r, t.LangAdminOnly)
		return
	}
	if err := b.prefs.SetLang(r.chat, l); err != nil {
		b.log.Error("set chat language", zap.Int64("chat", r.chat), zap.Error(err))
		b.reply(ctx, r, t.Error)
		return
	}
	b.reply(ctx, r, langSetText(l))
}

// setLang handles a language button.
func (b *Bot) setLang(ctx context.Context, q *tgbotapi.CallbackQuery, chat int64, msgID int, user int64, arg string, answer func(string)) {
	l, ok := parseLangArg(arg)
	lang := b.uiLang(ctx, chat, q.From)
	switch {
	case !ok:
		answer(reply.TextsFor(lang).LangUnknown)
		return
	case chat < 0 && !b.admins[user] && !b.isChatAdmin(ctx, chat, user):
		answer(reply.TextsFor(lang).LangAdminOnly)
		return
	}
	if err := b.prefs.SetLang(chat, l); err != nil {
		b.log.Error("set chat language", zap.Int64("chat", chat), zap.Error(err))
		answer(reply.TextsFor(lang).Error)
		return
	}
	text := langSetText(l)
	answer(text)
	b.edit(ctx, chat, msgID, reply.RenderText(text)[0], nil)
}

func langSetText(l knowledge.Lang) string {
	if l == "" {
		return reply.TextsFor(knowledge.EN).LangAutoSet
	}
	return reply.TextsFor(l).LangSet
}

// parseLangArg reads a language code or "auto" ("" then).
func parseLangArg(s string) (knowledge.Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "auto" {
		return "", true
	}
	l := knowledge.ParseLang(s)
	return l, l != ""
}

// isChatAdmin asks Telegram whether user administers the group.
func (b *Bot) isChatAdmin(ctx context.Context, chat, user int64) bool {
	if b.admins[user] {
		return true
	}
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "user_id": strconv.FormatInt(user, 10)}
	res, err := b.d.do(ctx, &call{method: "getChatMember", chat: chat, params: p, limit: limitNone})
	if err != nil {
		return false
	}
	var m tgbotapi.ChatMember
	if err := json.Unmarshal(res, &m); err != nil {
		return false
	}
	return m.Status == "creator" || m.Status == "administrator"
}
