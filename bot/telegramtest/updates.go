package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// User returns a Telegram user with a first name and a language_code.
func User(id int64, name, lang string) tgbotapi.User {
	return tgbotapi.User{ID: id, FirstName: name, LanguageCode: lang}
}

// chat is what the server knows about one chat.
type chat struct {
	tg      tgbotapi.Chat
	nextMsg int
	msgs    map[int]*stored
	order   []int // message ids in the log, oldest first
}

type stored struct {
	msg     tgbotapi.Message
	markup  string // the reply_markup JSON, for "not modified"
	fromBot bool
}

// chatLocked returns the chat with id, creating it; typ is used when it is
// new. The caller holds s.mu.
func (s *Server) chatLocked(id int64, typ string) *chat {
	c, ok := s.chats[id]
	if !ok {
		c = &chat{tg: tgbotapi.Chat{ID: id, Type: typ}, nextMsg: 1, msgs: map[int]*stored{}}
		if typ != "private" {
			c.tg.Title = "Group " + strconv.FormatInt(-id, 10)
		}
		s.chats[id] = c
	}
	return c
}

// store adds a message to the chat's log, assigning its id; the caller holds s.mu.
func (s *Server) store(c *chat, m *tgbotapi.Message, markup string, fromBot bool) {
	m.MessageID = c.nextMsg
	c.nextMsg++
	ch := c.tg
	m.Chat = &ch
	if m.Date == 0 {
		m.Date = int(time.Now().Unix())
	}
	c.msgs[m.MessageID] = &stored{msg: *m, markup: markup, fromBot: fromBot}
	c.order = append(c.order, m.MessageID)
	if s.keepMsgs >= 0 && len(c.order) > s.keepMsgs {
		delete(c.msgs, c.order[0])
		c.order = c.order[1:]
	}
}

// Msg describes a text message a user sends.
type Msg struct {
	// Chat is the chat id: a private chat's id is the user's; a group's is
	// negative. 0 means the private chat with From.
	Chat int64
	// ChatType defaults to "private" for a positive id and "supergroup" for
	// a negative one.
	ChatType string
	From     tgbotapi.User
	Text     string
	ReplyTo  *tgbotapi.Message
	// Entities default to what Telegram would mark: a bot command at the
	// start, @mentions.
	Entities []tgbotapi.MessageEntity
}

var (
	commandRE = regexp.MustCompile(`^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?`)
	mentionRE = regexp.MustCompile(`(^|[^A-Za-z0-9_])(@[A-Za-z0-9_]{4,32})`)
)

// Entities returns the entities Telegram's client would mark in text: a
// bot_command at its start and every @mention, with UTF-16 offsets.
func Entities(text string) []tgbotapi.MessageEntity {
	var out []tgbotapi.MessageEntity
	if loc := commandRE.FindStringIndex(text); loc != nil {
		out = append(out, tgbotapi.MessageEntity{Type: "bot_command", Offset: 0, Length: UTF16Len(text[:loc[1]])})
	}
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, tgbotapi.MessageEntity{Type: "mention", Offset: UTF16Len(text[:m[4]]), Length: UTF16Len(text[m[4]:m[5]])})
	}
	return out
}

// Send queues a message from a user and returns the update.
func (s *Server) Send(m Msg) tgbotapi.Update {
	if m.Chat == 0 {
		m.Chat = m.From.ID
	}
	if m.ChatType == "" {
		m.ChatType = "private"
		if m.Chat < 0 {
			m.ChatType = "supergroup"
		}
	}
	if m.Entities == nil {
		m.Entities = Entities(m.Text)
	}
	from := m.From
	msg := &tgbotapi.Message{From: &from, Text: m.Text, Entities: m.Entities}
	if m.ReplyTo != nil {
		r := *m.ReplyTo
		r.ReplyToMessage = nil
		msg.ReplyToMessage = &r
	}
	s.mu.Lock()
	c := s.chatLocked(m.Chat, m.ChatType)
	if m.ChatType == "private" {
		c.tg.FirstName = from.FirstName
	}
	s.store(c, msg, "", false)
	s.mu.Unlock()
	return s.Queue(tgbotapi.Update{Message: msg})
}

// PrivateText queues a text message from user in their private chat.
func (s *Server) PrivateText(from tgbotapi.User, text string) tgbotapi.Update {
	return s.Send(Msg{From: from, Text: text})
}

// GroupText queues a text message from user in group chat (a negative id).
func (s *Server) GroupText(chat int64, from tgbotapi.User, text string) tgbotapi.Update {
	return s.Send(Msg{Chat: chat, From: from, Text: text})
}

// ReplyText queues a reply from user to message to.
func (s *Server) ReplyText(to tgbotapi.Message, from tgbotapi.User, text string) tgbotapi.Update {
	return s.Send(Msg{Chat: to.Chat.ID, ChatType: to.Chat.Type, From: from, Text: text, ReplyTo: &to})
}

// Callback queues a press on an inline button with data under message msg
// (a message the bot sent), and returns the update.
func (s *Server) Callback(from tgbotapi.User, msg tgbotapi.Message, data string) tgbotapi.Update {
	s.mu.Lock()
	s.nextQuery++
	id := "cb" + strconv.Itoa(s.nextQuery)
	s.queries[id] = &query{kind: "callback", from: from.ID}
	if c, ok := s.chats[msg.Chat.ID]; ok {
		if st, ok := c.msgs[msg.MessageID]; ok {
			msg = st.msg // the current version, as Telegram sends it
		}
	}
	s.mu.Unlock()
	f, m := from, msg
	return s.Queue(tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID: id, From: &f, Message: &m, ChatInstance: "ci" + strconv.FormatInt(msg.Chat.ID, 10), Data: data,
	}})
}

// InlineQuery queues an inline query ("@bot query") and returns the update.
func (s *Server) InlineQuery(from tgbotapi.User, q string) tgbotapi.Update {
	s.mu.Lock()
	s.nextQuery++
	id := "iq" + strconv.Itoa(s.nextQuery)
	s.queries[id] = &query{kind: "inline", from: from.ID}
	s.mu.Unlock()
	f := from
	return s.Queue(tgbotapi.Update{InlineQuery: &tgbotapi.InlineQuery{ID: id, From: &f, Query: q, ChatType: "sender"}})
}

// MyChatMember queues the change of the bot's own status in chat: added to
// a group ("member"), removed ("left", "kicked"), or blocked ("kicked") and
// unblocked ("member") in a private chat.
func (s *Server) MyChatMember(chatID int64, from tgbotapi.User, oldStatus, newStatus string) tgbotapi.Update {
	s.mu.Lock()
	typ := "private"
	if chatID < 0 {
		typ = "supergroup"
	}
	c := s.chatLocked(chatID, typ).tg
	s.mu.Unlock()
	bot := s.Bot
	return s.Queue(tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
		Chat: c, From: from, Date: int(time.Now().Unix()),
		OldChatMember: tgbotapi.ChatMember{User: &bot, Status: oldStatus},
		NewChatMember: tgbotapi.ChatMember{User: &bot, Status: newStatus},
	}})
}

// Queue assigns u the next update id and queues it for getUpdates (or the
// webhook). It returns u with its id.
func (s *Server) Queue(u tgbotapi.Update) tgbotapi.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.UpdateID = s.nextUpdate
	s.nextUpdate++
	if m := u.Message; m != nil && m.Chat != nil {
		s.chatLocked(m.Chat.ID, m.Chat.Type)
	}
	raw, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	s.updates = append(s.updates, queued{u: u, raw: raw, kind: updateKind(u)})
	s.notify()
	return u
}

// queued is an update waiting for confirmation, encoded once.
type queued struct {
	u    tgbotapi.Update
	raw  json.RawMessage
	kind string
}

// query is a callback or inline query id the bot may answer once.
type query struct {
	kind      string
	from      int64
	delivered bool
	answered  bool
}

// updateKind names the field an update carries, as in allowed_updates.
func updateKind(u tgbotapi.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.InlineQuery != nil:
		return "inline_query"
	case u.ChosenInlineResult != nil:
		return "chosen_inline_result"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.ChatMember != nil:
		return "chat_member"
	case u.ChannelPost != nil:
		return "channel_post"
	}
	return "other"
}

// confirmLocked drops every update below offset.
func (s *Server) confirmLocked(offset int) {
	if offset <= s.confirmed {
		return
	}
	s.confirmed = offset
	i := 0
	for i < len(s.updates) && s.updates[i].u.UpdateID < offset {
		i++
	}
	s.updates = s.updates[i:]
}

// available returns up to limit unconfirmed updates that allowed lets
// through, marking queries delivered; the caller holds s.mu.
func (s *Server) available(limit int) []json.RawMessage {
	var out []json.RawMessage
	for _, q := range s.updates {
		if len(s.allowed) > 0 && !contains(s.allowed, q.kind) {
			continue
		}
		out = append(out, q.raw)
		s.markDelivered(q.u)
		if len(out) == limit {
			break
		}
	}
	return out
}

func (s *Server) markDelivered(u tgbotapi.Update) {
	if u.CallbackQuery != nil {
		if q := s.queries[u.CallbackQuery.ID]; q != nil {
			q.delivered = true
		}
	}
	if u.InlineQuery != nil {
		if q := s.queries[u.InlineQuery.ID]; q != nil {
			q.delivered = true
		}
	}
}

func (s *Server) getUpdates(ctx context.Context, c Call) (any, error) {
	offset, _ := strconv.Atoi(c.Param("offset"))
	limit, _ := strconv.Atoi(c.Param("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(c.Param("timeout"))
	var allowed []string
	if a := c.Param("allowed_updates"); a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)

	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, &apiError{status: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if c.Params.Has("allowed_updates") {
		s.allowed = allowed
	}
	if offset > 0 {
		s.confirmLocked(offset)
	}
	s.pollGen++
	gen := s.pollGen
	s.polling++
	s.notify() // an earlier poll sees it was superseded
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.polling--
		s.notify()
		s.mu.Unlock()
	}()

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		s.mu.Lock()
		if s.pollGen != gen {
			s.mu.Unlock()
			return nil, &apiError{status: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		ups := s.available(limit)
		ch := s.changed
		s.mu.Unlock()
		if len(ups) > 0 || !time.Now().Before(deadline) {
			if ups == nil {
				ups = []json.RawMessage{}
			}
			return ups, nil
		}
		select {
		case <-ch:
		case <-timer.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.closing:
			return []json.RawMessage{}, nil
		}
	}
}

// Polling returns how many getUpdates calls are waiting for updates.
func (s *Server) Polling() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling
}

// webhook is a registered webhook the server pushes updates to.
type webhook struct {
	url       string
	secret    string
	duplicate bool
	stop      chan struct{}
}

// DuplicateDeliveries makes the webhook deliver every update twice, as
// Telegram may after a timeout.
func (s *Server) DuplicateDeliveries() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook != nil {
		s.webhook.duplicate = true
	}
}

// Webhook returns the registered webhook URL and secret token.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return "", ""
	}
	return s.webhook.url, s.webhook.secret
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(c Call) (any, error) {
	u := c.Param("url")
	if u == "" {
		return s.deleteWebhook(c)
	}
	secret := c.Param("secret_token")
	if secret != "" && !secretRE.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if a := c.Param("allowed_updates"); a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Param("drop_pending_updates") == "true" {
		s.updates = nil
	}
	if c.Params.Has("allowed_updates") {
		s.allowed = allowed
	}
	if s.webhook != nil {
		close(s.webhook.stop)
	}
	w := &webhook{url: u, secret: secret, stop: make(chan struct{})}
	s.webhook = w
	s.pollGen++ // a pending long poll ends with a conflict
	s.notify()
	s.bg.Add(1)
	go s.deliver(w)
	return true, nil
}

func (s *Server) deleteWebhook(c Call) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Param("drop_pending_updates") == "true" {
		s.updates = nil
	}
	if s.webhook != nil {
		close(s.webhook.stop)
		s.webhook = nil
	}
	s.notify()
	return true, nil
}

// deliver pushes queued updates to w one at a time, in order, retrying
// until the bot answers 2xx, as Telegram does.
func (s *Server) deliver(w *webhook) {
	defer s.bg.Done()
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		s.mu.Lock()
		var next *queued
		for _, q := range s.updates {
			if len(s.allowed) == 0 || contains(s.allowed, q.kind) {
				q := q
				next = &q
				s.markDelivered(q.u)
				break
			}
		}
		ch := s.changed
		dup := w.duplicate
		s.mu.Unlock()
		if next == nil {
			select {
			case <-ch:
				continue
			case <-w.stop:
				return
			case <-s.closing:
				return
			}
		}
		ok := true
		for i := 0; i < 1+btoi(dup); i++ {
			ok = s.post(client, w, next.raw) && ok
		}
		if ok {
			s.mu.Lock()
			s.confirmLocked(next.u.UpdateID + 1)
			s.notify()
			s.mu.Unlock()
			continue
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-w.stop:
			return
		case <-s.closing:
			return
		}
	}
}

func (s *Server) post(client *http.Client, w *webhook, body []byte) bool {
	req, err := http.NewRequest(http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	if w.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", w.secret)
	}
	resp, err := client.Do(req)
	c := Call{Method: "webhookDelivery", Params: map[string][]string{"url": {w.url}}, At: time.Now(), Text: string(body)}
	if err != nil {
		c.Description = err.Error()
		s.record(c)
		return false
	}
	resp.Body.Close()
	c.Status = resp.StatusCode
	if c.Status >= 300 {
		c.Description = resp.Status
	} else {
		c.Status = http.StatusOK
	}
	s.record(c)
	return resp.StatusCode < 300
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
