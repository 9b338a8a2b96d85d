// Package bot is factbot's conversation: it turns questions into answers
// with the Answerer and puts them on Telegram.
//
// The domain side is the package bot/reply, which has no Telegram in it:
// a reply.Answerer turns a question into a reply.Reply, and reply renders it
// into Telegram HTML messages, escaped and split at 4096 UTF-16 units on
// paragraph boundaries, or into plain text; the labels and sentences in
// the five languages live there too.
//
// The Telegram side is the only importer of tgbotapi (aliased tgbotapi):
//
//   - receiving: Poll (long polling: deleteWebhook first, explicit
//     allowed_updates, offsets confirmed only after an update was handled,
//     handled updates recorded so that a crash does not repeat them)
//     or WebhookHandler (secret token checked in constant time, bounded
//     body, repeated deliveries dropped);
//   - handling: updates run concurrently across chats and in order within a
//     chat (sequencer.go); private chats take any text as a question,
//     groups only /ask@bot, @bot mentions and replies to the bot; commands,
//     answer buttons, topic browsing, inline mode (handle.go, callback.go,
//     inline.go); inbound flood control per user;
//   - sending: one dispatcher (dispatch.go) for every call, with per-chat,
//     per-group and global rate limits and Telegram's failure rules: wait
//     on 429, forget a chat on 403, follow migrate_to_chat_id, fall back
//     to plain text, retry network errors and 5xx;
//   - the token is a password: the HTTP client, the errors at the API
//     boundary and the logger all redact it (redact.go).
//
// State that outlives a process — the chat registry, chat languages,
// announcements and their ledgers, unanswered questions, feedback, the
// updates handled — sits behind small interfaces (state.go: Registry,
// Prefs, Chats, Ledger, Gaps, FeedbackLog, HandledLog) holding bot/record's
// values. Memory implements them all for a bot without a file (and for
// tests); bot/boltstore implements them in one bbolt file, and is the only
// package under bot/ that imports bbolt. bot never imports Bleve or the
// index: it consumes reply.Searcher, and Reloader for /reload.
//
// Admins (Config.Admins, numeric ids) have commands that work only in their
// private chat with the bot (admin.go): /reload and /rollback, /announce
// (announce.go: preview, a ledger written before sending, a paced
// broadcast that resumes after a crash; record.DeliveryState says why no group is
// skipped and a crash adds at most one copy, only where a send was in
// flight), /status and /gaps (status.go). They curate the knowledge by
// sending a file (curation.go: the download, the path:line problems or a
// preview with Apply and Cancel, one upload at a time), and /versions,
// /export and /fact ID go with it; Curator is the knowledge versions'
// side, which cmd/factbot wires.
// Scheduled announcements come from the knowledge files (schedule.go).
// Groups opt out of announcements with /announcements off (registry.go).
//
// A Bot's life is New (allocates), Open (getMe, resumed broadcasts, the
// schedule), Poll or WebhookHandler (receive only), Close (stops the
// schedule's timer, drains, confirms, returns when nothing is in flight);
// bot.go says so in one screen.
//
// bot may import bot/reply, bot/record, bot/chart, knowledge, tgbotapi, zap
// and Prometheus; never bbolt (bot/boltstore), Bleve or the index (cmd
// wires them in), and no package under bot/ imports bot except the tests.
//
// bot/telegramtest is a fake Bot API server for tests.
package bot
