package bot

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// MaxQuestion bounds the question text searched, in characters.
const MaxQuestion = 512

// handle handles one update. It runs in the update's chat queue.
func (b *Bot) handle(ctx context.Context, u tgbotapi.Update) {
	switch {
	case u.Message != nil:
		b.onMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		b.onCallback(ctx, u.CallbackQuery)
	case u.InlineQuery != nil:
		b.onInline(ctx, u.InlineQuery)
	case u.MyChatMember != nil:
		b.onMyChatMember(ctx, u.MyChatMember)
	default:
		b.metrics.UpdatesIgnored.Add(1)
	}
}

// request is one message addressed to the bot.
type request struct {
	m       *tgbotapi.Message
	chat    int64
	user    int64 // the sender; for an anonymous group admin, the group
	private bool
	admin   bool // a configured admin, or the group acting anonymously
	replyTo int  // the message to reply to (in groups), or 0
}

func (b *Bot) onMessage(ctx context.Context, m *tgbotapi.Message) {
	if m.Chat == nil {
		b.metrics.UpdatesIgnored.Add(1)
		return
	}
	if m.MigrateToChatID != 0 {
		b.d.migrate(ctx, m.Chat.ID, m.MigrateToChatID)
		return
	}
	r := request{m: m, chat: m.Chat.ID, private: m.Chat.Type == "private"}
	anonymousAdmin := m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID
	switch {
	case anonymousAdmin:
		r.user, r.admin = m.Chat.ID, true
	case m.From == nil || m.From.IsBot || (m.ViaBot != nil && m.ViaBot.ID == b.self.ID):
		// Other bots, channel posts, and our own fact cards posted inline.
		b.metrics.UpdatesIgnored.Add(1)
		return
	default:
		r.user, r.admin = m.From.ID, b.admins[m.From.ID]
	}
	if !r.private {
		r.replyTo = m.MessageID
	}
	b.seen(m.Chat)

	if m.Document != nil && r.private {
		b.onDocument(ctx, r) // an upload (curation.go)
		return
	}
	if cmd, target, args, ok := parseCommand(m.Text); ok {
		if target != "" && !strings.EqualFold(target, b.self.UserName) {
			b.metrics.UpdatesIgnored.Add(1) // for another bot
			return
		}
		b.onCommand(ctx, r, cmd, args, r.private || target != "")
		return
	}
	question, addressed := m.Text, r.private
	if !r.private {
		question, addressed = b.addressed(m)
	}
	if !addressed {
		b.metrics.UpdatesIgnored.Add(1)
		return
	}
	if !b.allow(ctx, r) {
		return
	}
	if m.Text == "" {
		b.reply(ctx, r, reply.TextsFor(b.uiLang(ctx, r.chat, m.From)).NotText)
		return
	}
	b.ask(ctx, r, question)
}

// addressed reports whether a group message is for the bot — it mentions
// @bot or replies to the bot — and returns the question without the
// mention.
func (b *Bot) addressed(m *tgbotapi.Message) (string, bool) {
	if start, end, ok := b.findMention(m); ok {
		q := strings.TrimSpace(m.Text[:start] + " " + m.Text[end:])
		return strings.TrimLeftFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }), true
	}
	if rt := m.ReplyToMessage; rt != nil && rt.From != nil && rt.From.ID == b.self.ID {
		return m.Text, true
	}
	return "", false
}

// findMention returns the byte range of "@bot" in the message, from its
// entities (offsets in UTF-16 units), or from the text when it has none.
func (b *Bot) findMention(m *tgbotapi.Message) (start, end int, ok bool) {
	want := "@" + strings.ToLower(b.self.UserName)
	if len(m.Entities) > 0 {
		for _, e := range m.Entities {
			if e.Type != "mention" {
				continue
			}
			s, t, ok := utf16Range(m.Text, e.Offset, e.Length)
			if ok && strings.ToLower(m.Text[s:t]) == want {
				return s, t, true
			}
		}
		return 0, 0, false
	}
	lower := strings.ToLower(m.Text)
	for from := 0; ; {
		i := strings.Index(lower[from:], want)
		if i < 0 {
			return 0, 0, false
		}
		s, t := from+i, from+i+len(want)
		if t == len(lower) || !isUsernameByte(lower[t]) {
			return s, t, true
		}
		from = t
	}
}

func isUsernameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// utf16Range converts an entity's UTF-16 offset and length to byte indices.
func utf16Range(s string, off, n int) (start, end int, ok bool) {
	units, start, end := 0, -1, -1
	for i, r := range s {
		if units == off {
			start = i
		}
		if units == off+n {
			end = i
			break
		}
		units += len(utf16.Encode([]rune{r}))
	}
	if end < 0 && units == off+n {
		end = len(s)
	}
	if start < 0 && units == off {
		start = len(s)
	}
	return start, end, start >= 0 && end >= start
}

// parseCommand splits "/cmd@target args" off a message's start.
func parseCommand(text string) (cmd, target, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	first, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(first, "\n\t"); i >= 0 {
		first, rest = first[:i], text[i+1:]
	}
	cmd, target, _ = strings.Cut(first[1:], "@")
	if cmd == "" {
		return "", "", "", false
	}
	for _, c := range cmd {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", "", "", false
		}
	}
	return strings.ToLower(cmd), target, strings.TrimSpace(rest), true
}

// onCommand runs a command; addressed is set in private chats and for
// /cmd@bot, so that an unknown command meant for another bot is ignored.
func (b *Bot) onCommand(ctx context.Context, r request, cmd, args string, addressed bool) {
	switch cmd {
	case "start", "help", "ask", "topics", "sources", "about", "lang", "announcements":
	default:
		if !addressed {
			b.metrics.UpdatesIgnored.Add(1)
			return
		}
	}
	if !b.allow(ctx, r) {
		return
	}
	lang := b.uiLang(ctx, r.chat, r.m.From)
	t := reply.TextsFor(lang)
	bot := b.self.UserName
	switch cmd {
	case "start":
		if r.private {
			b.reply(ctx, r, reply.Fill(t.Start, "bot", bot))
		} else {
			b.reply(ctx, r, reply.Fill(t.GroupWelcome, "bot", bot))
		}
	case "help":
		b.reply(ctx, r, reply.Fill(t.Help, "bot", bot))
	case "ask":
		if strings.TrimSpace(args) == "" {
			b.reply(ctx, r, reply.Fill(t.AskHowTo, "bot", bot))
			return
		}
		b.ask(ctx, r, args)
	case "topics":
		ms, kb := b.topicsView(lang)
		b.send(ctx, r.chat, ms, r.replyTo, kb)
	case "sources":
		b.send(ctx, r.chat, reply.RenderPublishers(b.knowledge(), lang), r.replyTo, nil)
	case "about":
		b.send(ctx, r.chat, reply.RenderAbout(b.knowledge(), lang), r.replyTo, nil)
	case "lang":
		b.onLang(ctx, r, lang, args)
	default:
		if !b.onAdminCommand(ctx, r, cmd, args) {
			b.reply(ctx, r, t.UnknownCommand)
		}
	}
}

// allow applies inbound flood control to a request and sends the one
// polite notice when a user is first refused.
func (b *Bot) allow(ctx context.Context, r request) bool {
	if r.admin {
		return true
	}
	ok, notice := b.flood.allow(r.user)
	if ok {
		return true
	}
	b.metrics.Flooded.Add(1)
	b.log.Info("flood control: request refused", zap.Int64("chat", r.chat), zap.Int64("user", r.user), zap.Bool("notice", notice))
	if notice {
		b.reply(ctx, r, reply.TextsFor(b.uiLang(ctx, r.chat, r.m.From)).Busy)
	}
	return false
}

// ask answers a question in the request's chat.
func (b *Bot) ask(ctx context.Context, r request, question string) {
	question = strings.TrimSpace(question)
	asked := question // for the debug log, which cuts it shorter and says how long it was
	if q := []rune(question); len(q) > MaxQuestion {
		question = string(q[:MaxQuestion])
	}
	if question == "" {
		b.reply(ctx, r, reply.Fill(reply.TextsFor(b.uiLang(ctx, r.chat, r.m.From)).AskHowTo, "bot", b.self.UserName))
		return
	}
	b.metrics.Questions.Add(1)
	forced := b.chatLang(ctx, r.chat)
	var hint knowledge.Lang
	if r.m.From != nil {
		hint = knowledge.ParseLang(r.m.From.LanguageCode)
	}
	rep, err := b.answerer.Answer(ctx, question, forced, hint)
	if err != nil {
		b.metrics.SearchErrors.Add(1)
		b.log.Error("search failed", zap.Int64("chat", r.chat), zap.Int("question_len", len([]rune(question))), zap.Error(err))
		lang := forced
		if lang == "" {
			lang = knowledge.DetectLang(question, hint)
		}
		b.reply(ctx, r, reply.TextsFor(lang).Error)
		return
	}
	b.metrics.Answer(rep.Lang, rep.Tier)
	if !rep.Answered {
		b.noteGap(ctx, question, rep.Lang)
	}
	var kb *tgbotapi.InlineKeyboardMarkup
	if rep.Tier != knowledge.TierNone {
		kb = answerKeyboard(b.answers.put(rep), rep)
	}
	if series := rep.Result.Series; len(series) > 0 {
		// A series answer: the table as text, then the chart. The text
		// stands when the photo cannot be sent.
		if b.send(ctx, r.chat, reply.RenderSeries(rep), r.replyTo, kb) {
			b.sendChart(ctx, r.chat, series, rep.Lang, r.replyTo)
		}
	} else {
		if m := chartMeasure(b.knowledge(), rep); m != "" && kb != nil {
			btn := tgbotapi.NewInlineKeyboardButtonData(reply.TextsFor(rep.Lang).ChartButton, chartData(rep.Lang, m))
			kb.InlineKeyboard[0] = append(kb.InlineKeyboard[0], btn)
		}
		b.send(ctx, r.chat, reply.RenderAnswer(rep), r.replyTo, kb)
	}
	noteAnswer(ctx, rep, len([]rune(question)))
	b.log.Debug("question", zap.Int64("chat", r.chat), zap.String("text", clipLog(b.d.redact, asked)), zap.String("best", rep.Best.ID))
}

// answerKeyboard is the buttons under an answer: more results, sources,
// 👍 and 👎.
func answerKeyboard(k string, r reply.Reply) *tgbotapi.InlineKeyboardMarkup {
	if r.Tier == knowledge.TierNone {
		return nil
	}
	t := reply.TextsFor(r.Lang)
	var row []tgbotapi.InlineKeyboardButton
	if len(r.More) > 0 {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(t.MoreButton, "m:"+k))
	}
	row = append(row, tgbotapi.NewInlineKeyboardButtonData(t.SourcesButton, "s:"+k))
	kb := tgbotapi.NewInlineKeyboardMarkup(row, voteRow(k))
	return &kb
}

func voteRow(k string) []tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("👍", "v:"+k+":1"),
		tgbotapi.NewInlineKeyboardButtonData("👎", "v:"+k+":0"))
}

// chatLang returns the chat's chosen language, or "".
func (b *Bot) chatLang(ctx context.Context, chat int64) knowledge.Lang {
	l, err := b.prefs.Lang(chat)
	if err != nil {
		b.log.Error("read chat language", zap.Int64("chat", chat), zap.Error(err))
		return ""
	}
	return l
}

// uiLang is the language for the bot's own sentences: the chat's choice,
// else the user's Telegram language, else English.
func (b *Bot) uiLang(ctx context.Context, chat int64, from *tgbotapi.User) knowledge.Lang {
	if l := b.chatLang(ctx, chat); l != "" {
		return l
	}
	if from != nil {
		if l := knowledge.ParseLang(from.LanguageCode); l != "" {
			return l
		}
	}
	return knowledge.EN
}

// knowledge returns the base being served, or nil.
func (b *Bot) knowledge() *knowledge.Base {
	if b.base == nil {
		return nil
	}
	return b.base.Base()
}

// reply sends fixed text in the request's chat.
func (b *Bot) reply(ctx context.Context, r request, text string) {
	b.send(ctx, r.chat, reply.RenderText(text), r.replyTo, nil)
}

// send sends messages to chat in order; the first replies to replyTo (when
// not 0) and the last carries the keyboard. It stops at the first message
// the dispatcher gave up on (which logged and counted it), and reports
// whether all went out.
func (b *Bot) send(ctx context.Context, chat int64, ms []reply.Message, replyTo int, kb *tgbotapi.InlineKeyboardMarkup) bool {
	for i, m := range ms {
		p := tgbotapi.Params{
			"chat_id":                  strconv.FormatInt(chat, 10),
			"text":                     m.HTML,
			"parse_mode":               tgbotapi.ModeHTML,
			"disable_web_page_preview": "true",
		}
		if replyTo != 0 && i == 0 {
			p["reply_to_message_id"] = strconv.Itoa(replyTo)
			p["allow_sending_without_reply"] = "true"
		}
		if kb != nil && i == len(ms)-1 {
			raw, _ := json.Marshal(kb)
			p["reply_markup"] = string(raw)
		}
		if _, err := b.d.do(ctx, &call{method: "sendMessage", chat: chat, params: p, plain: m.Plain, limit: limitChat}); err != nil {
			return false
		}
	}
	return true
}

// edit replaces a message's text and keyboard.
func (b *Bot) edit(ctx context.Context, chat int64, msgID int, m reply.Message, kb *tgbotapi.InlineKeyboardMarkup) {
	p := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(chat, 10),
		"message_id":               strconv.Itoa(msgID),
		"text":                     m.HTML,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	if kb != nil {
		raw, _ := json.Marshal(kb)
		p["reply_markup"] = string(raw)
	}
	_, _ = b.d.do(ctx, &call{method: "editMessageText", chat: chat, params: p, plain: m.Plain, limit: limitChat})
}

// onMyChatMember follows the bot being added to or removed from a group,
// or blocked and unblocked in a private chat.
func (b *Bot) onMyChatMember(ctx context.Context, u *tgbotapi.ChatMemberUpdated) {
	chat := u.Chat.ID
	was, now := u.OldChatMember.Status, u.NewChatMember.Status
	gone := func(s string) bool { return s == "left" || s == "kicked" || s == "" }
	if !gone(now) {
		b.seen(&u.Chat)
	}
	switch {
	case gone(now):
		b.log.Info("the bot was removed or blocked", zap.Int64("chat", chat), zap.String("status", now))
		if err := b.chats.SetActive(chat, false, now); err != nil {
			b.log.Error("mark chat inactive", zap.Int64("chat", chat), zap.Error(err))
		}
	case gone(was):
		b.log.Info("the bot was added or unblocked", zap.Int64("chat", chat), zap.String("type", u.Chat.Type))
		if err := b.chats.SetActive(chat, true, ""); err != nil {
			b.log.Error("mark chat active", zap.Int64("chat", chat), zap.Error(err))
		}
		if u.Chat.Type != "private" {
			lang := b.uiLang(ctx, chat, &u.From)
			b.send(ctx, chat, reply.RenderText(reply.Fill(reply.TextsFor(lang).GroupWelcome, "bot", b.self.UserName)), 0, nil)
		}
	default:
		b.metrics.UpdatesIgnored.Add(1)
	}
}
