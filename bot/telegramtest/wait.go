package telegramtest

import "testing"

// WaitSentAfter waits for a message to chat, after the first skip ones
// Sent(chat) returns, whose plain text matches, and returns it: for a
// conversation where the bot sends several messages (progress, then a
// verdict) and the test wants one of them.
func (s *Server) WaitSentAfter(tb testing.TB, chat int64, skip int, what string, match func(text string) bool) Call {
	tb.Helper()
	var found Call
	s.Wait(tb, what, func() bool {
		sent := s.Sent(chat)
		for i := skip; i < len(sent); i++ {
			if match(sent[i].PlainText()) {
				found = sent[i]
				return true
			}
		}
		return false
	})
	return found
}
