package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// handle answers one call that no fault intercepted.
func (s *Server) handle(ctx context.Context, c Call) (any, error) {
	s.mu.Lock()
	unsupported := s.unsupported[c.Method]
	s.mu.Unlock()
	if unsupported {
		return nil, &apiError{status: http.StatusNotFound, description: "Not Found"}
	}
	switch c.Method {
	case "getMe":
		return s.Bot, nil
	case "getUpdates":
		return s.getUpdates(ctx, c)
	case "sendMessage":
		return s.sendMessage(c)
	case "sendPhoto":
		return s.sendPhoto(c)
	case "editMessageText":
		return s.editMessage(c, true)
	case "editMessageReplyMarkup":
		return s.editMessage(c, false)
	case "answerCallbackQuery":
		return s.answerQuery(c, "callback", c.Param("callback_query_id"))
	case "answerInlineQuery":
		return s.answerInline(c)
	case "setMyCommands":
		return s.setMyCommands(c)
	case "setWebhook":
		return s.setWebhook(c)
	case "deleteWebhook":
		return s.deleteWebhook(c)
	case "getChatMember":
		return s.getChatMember(c)
	case "getFile": // files.go
		return s.getFile(c)
	case "sendDocument":
		return s.sendDocument(ctx, c)
	}
	return nil, &apiError{status: http.StatusNotFound, description: "Not Found"}
}

// checkText validates a message text the way sendMessage does and returns
// the plain text and entities.
func checkText(text, parseMode string) (string, []tgbotapi.MessageEntity, error) {
	if !utf8.ValidString(text) {
		return "", nil, badRequest("text must be encoded in UTF-8")
	}
	plain, entities := text, []tgbotapi.MessageEntity(nil)
	switch strings.ToLower(parseMode) {
	case "":
	case "html":
		var err error
		plain, entities, err = ParseHTML(text)
		if err != nil {
			return "", nil, badRequest("%v", err)
		}
	default:
		return "", nil, badRequest("unsupported parse_mode %q", parseMode)
	}
	if strings.TrimSpace(plain) == "" {
		return "", nil, badRequest("message text is empty")
	}
	if UTF16Len(plain) > MaxMessageLen {
		return "", nil, badRequest("message is too long")
	}
	return plain, entities, nil
}

// checkMarkup validates an inline keyboard: every button has a text and
// exactly one action; callback data is 1-64 bytes.
func checkMarkup(raw string) (*tgbotapi.InlineKeyboardMarkup, error) {
	if raw == "" {
		return nil, nil
	}
	var m tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m.InlineKeyboard == nil {
		return nil, badRequest("can't parse inline keyboard button: reply_markup is not an inline keyboard")
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("text buttons are unallowed in the inline keyboard")
			}
			n := 0
			if b.CallbackData != nil {
				n++
				if len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64 {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
			}
			if b.URL != nil {
				n++
				if !strings.HasPrefix(*b.URL, "http://") && !strings.HasPrefix(*b.URL, "https://") && !strings.HasPrefix(*b.URL, "tg://") {
					return nil, badRequest("BUTTON_URL_INVALID")
				}
			}
			if b.SwitchInlineQuery != nil {
				n++
			}
			if b.SwitchInlineQueryCurrentChat != nil {
				n++
			}
			if n != 1 {
				return nil, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
			}
		}
	}
	return &m, nil
}

func (s *Server) sendMessage(c Call) (any, error) {
	if c.ChatID == 0 {
		return nil, badRequest("chat_id is empty")
	}
	plain, entities, err := checkText(c.Text, c.ParseMode)
	if err != nil {
		return nil, err
	}
	markup, err := checkMarkup(c.Param("reply_markup"))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, reply, err := s.checkChatLocked(c)
	if err != nil {
		return nil, err
	}
	msg := &tgbotapi.Message{Text: plain, Entities: entities, ReplyToMessage: reply}
	bot := s.Bot
	msg.From = &bot
	if markup != nil {
		msg.ReplyMarkup = markup
	}
	s.store(ch, msg, c.Param("reply_markup"), true)
	return msg, nil
}

func (s *Server) editMessage(c Call, withText bool) (any, error) {
	var plain string
	var entities []tgbotapi.MessageEntity
	if withText {
		var err error
		if plain, entities, err = checkText(c.Text, c.ParseMode); err != nil {
			return nil, err
		}
	}
	markupRaw := c.Param("reply_markup")
	markup, err := checkMarkup(markupRaw)
	if err != nil {
		return nil, err
	}
	if c.Param("inline_message_id") != "" {
		return true, nil
	}
	id, _ := strconv.Atoi(c.Param("message_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.chats[c.ChatID]
	if !ok {
		return nil, badRequest("chat not found")
	}
	st, ok := ch.msgs[id]
	if !ok {
		return nil, badRequest("message to edit not found")
	}
	if !st.fromBot {
		return nil, badRequest("message can't be edited")
	}
	if !withText {
		plain, entities = st.msg.Text, st.msg.Entities
	}
	if plain == st.msg.Text && reflect.DeepEqual(entities, st.msg.Entities) && sameMarkup(markupRaw, st.markup) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	st.msg.Text, st.msg.Entities, st.markup = plain, entities, markupRaw
	st.msg.ReplyMarkup = markup
	st.msg.EditDate = int(time.Now().Unix())
	return st.msg, nil
}

func sameMarkup(a, b string) bool {
	var x, y tgbotapi.InlineKeyboardMarkup
	_ = json.Unmarshal([]byte(a), &x)
	_ = json.Unmarshal([]byte(b), &y)
	return reflect.DeepEqual(x.InlineKeyboard, y.InlineKeyboard) || (len(x.InlineKeyboard) == 0 && len(y.InlineKeyboard) == 0)
}

func (s *Server) answerQuery(c Call, kind, id string) (any, error) {
	if kind == "callback" && utf8.RuneCountInString(c.Param("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[id]
	if !ok || q.kind != kind || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	q.answered = true
	return true, nil
}

// inlineResult is the part of an inline query result the server checks.
type inlineResult struct {
	Type                string                            `json:"type"`
	ID                  string                            `json:"id"`
	Title               string                            `json:"title"`
	InputMessageContent *tgbotapi.InputTextMessageContent `json:"input_message_content"`
	ReplyMarkup         json.RawMessage                   `json:"reply_markup"`
}

// InlineResults decodes the results of an answerInlineQuery call.
func InlineResults(c Call) []tgbotapi.InlineQueryResultArticle {
	var rs []tgbotapi.InlineQueryResultArticle
	_ = json.Unmarshal([]byte(c.Param("results")), &rs)
	return rs
}

func (s *Server) answerInline(c Call) (any, error) {
	var rs []inlineResult
	if err := json.Unmarshal([]byte(c.Param("results")), &rs); err != nil {
		return nil, badRequest("can't parse inline query results JSON object")
	}
	if len(rs) > 50 {
		return nil, badRequest("RESULTS_TOO_MUCH")
	}
	ids := map[string]bool{}
	for _, r := range rs {
		if r.ID == "" || len(r.ID) > 64 {
			return nil, badRequest("RESULT_ID_INVALID")
		}
		if ids[r.ID] {
			return nil, badRequest("RESULT_ID_DUPLICATE")
		}
		ids[r.ID] = true
		if r.Type != "article" {
			return nil, badRequest("RESULT_TYPE_INVALID")
		}
		if r.Title == "" {
			return nil, badRequest("can't parse inline query result: title is empty")
		}
		if r.InputMessageContent == nil {
			return nil, badRequest("can't parse inline query result: input_message_content is missing")
		}
		if _, _, err := checkText(r.InputMessageContent.Text, r.InputMessageContent.ParseMode); err != nil {
			return nil, badRequest("MESSAGE_TEXT_INVALID: %v", err)
		}
		if len(r.ReplyMarkup) > 0 {
			if _, err := checkMarkup(string(r.ReplyMarkup)); err != nil {
				return nil, err
			}
		}
	}
	if ct := c.Param("cache_time"); ct != "" {
		if n, err := strconv.Atoi(ct); err != nil || n < 0 {
			return nil, badRequest("cache_time is invalid")
		}
	}
	return s.answerQuery(c, "inline", c.Param("inline_query_id"))
}

var (
	commandNameRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	langCodeRE    = regexp.MustCompile(`^[a-z]{2}$`)
)

func (s *Server) setMyCommands(c Call) (any, error) {
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(c.Param("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON array")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, cmd := range cmds {
		if !commandNameRE.MatchString(cmd.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(cmd.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	scope := "default"
	if raw := c.Param("scope"); raw != "" {
		var sc tgbotapi.BotCommandScope
		if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
			return nil, badRequest("can't parse BotCommandScope")
		}
		scope = sc.Type
	}
	lang := c.Param("language_code")
	if lang != "" && !langCodeRE.MatchString(lang) {
		return nil, badRequest("invalid language code specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[scope+"/"+lang] = cmds
	return true, nil
}

func (s *Server) getChatMember(c Call) (any, error) {
	user, _ := strconv.ParseInt(c.Param("user_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.chats[c.ChatID]; !ok {
		return nil, badRequest("chat not found")
	}
	status, ok := s.members[[2]int64{c.ChatID, user}]
	if !ok {
		status = "member"
	}
	u := tgbotapi.User{ID: user, FirstName: "User " + strconv.FormatInt(user, 10)}
	if user == s.Bot.ID {
		u = s.Bot
	}
	return tgbotapi.ChatMember{User: &u, Status: status}, nil
}
