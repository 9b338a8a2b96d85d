// Package reply builds factbot's replies and renders them, with no
// Telegram in it: the console commands (factbot ask, chat) and the bot
// share it.
//
//   - reply.go: the Answerer turns a question into a Reply through a
//     Searcher (the best hit, related hits, more, the closest facts when
//     unsure);
//   - labels.go and texts.go: the fixed words of answers (Labels) and the
//     bot's sentences and menu (Texts), in the five languages;
//   - format.go: figures, sources and periods as people read them;
//   - message.go: a Message is Telegram HTML and its plain text; text is
//     escaped once, at rendering, and split at MaxMessageLen (4096) UTF-16
//     units (UTF16Len) on paragraph boundaries;
//   - html.go: answers, cards, more results, sources, topics, publishers
//     and about, as Messages (goldens in testdata, go test -update);
//   - plain.go: the same replies as plain text for a terminal, led by the
//     series answer (bot/chart's Text) when there is one.
//
// reply may import knowledge, bot/chart and the standard library. It must
// not import tgbotapi, bbolt or Prometheus (deps_test.go checks), nor
// factbot/bot; bot/chart must not import reply.
package reply
