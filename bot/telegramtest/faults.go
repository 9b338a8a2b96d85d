package telegramtest

import (
	"fmt"
	"net/http"
	"time"
)

// Fault is a failure the server injects instead of answering a call.
type Fault struct {
	// Method limits the fault to one method ("" = any method but getMe;
	// getMe fails only when named).
	Method string
	// Chat limits the fault to calls with this chat_id (0 = any).
	Chat int64
	// Times is how many matching calls fail; 0 means once, -1 until
	// ClearFaults.
	Times int

	Status      int    // HTTP status and error_code
	Description string // Telegram's description
	RetryAfter  int    // parameters.retry_after, seconds
	MigrateTo   int64  // parameters.migrate_to_chat_id
	// Delay holds the answer back; with no Status the call then proceeds
	// normally (a slow response).
	Delay time.Duration
	// Drop closes the connection without any answer.
	Drop bool
	// Body answers a non-JSON body (a proxy's HTML error page) with Status.
	Body string
}

// TooManyRequests is Telegram's flood-control answer.
func TooManyRequests(retryAfter int) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)}
}

// ServerError is a 5xx answer in Telegram's JSON.
func ServerError(status int) Fault {
	return Fault{Status: status, Description: http.StatusText(status)}
}

// BadGatewayPage is a 502 with an HTML body, as a proxy in front of the Bot
// API answers; tgbotapi fails to decode it and returns a bare JSON error.
func BadGatewayPage() Fault {
	return Fault{Status: http.StatusBadGateway, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"}
}

// BotBlocked is the 403 a private chat answers once the user blocked the bot.
func BotBlocked() Fault {
	return Fault{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// BotKicked is the 403 a group answers once the bot was removed.
func BotKicked() Fault {
	return Fault{Status: http.StatusForbidden, Description: "Forbidden: bot was kicked from the group chat"}
}

// Migrated is the 400 a group answers after it became a supergroup.
func Migrated(to int64) Fault {
	return Fault{Status: http.StatusBadRequest, MigrateTo: to,
		Description: "Bad Request: group chat was upgraded to a supergroup chat"}
}

// Conflict is the 409 getUpdates answers while another instance polls.
func Conflict() Fault {
	return Fault{Method: "getUpdates", Status: http.StatusConflict,
		Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
}

// Slow delays the answer by d, then answers normally.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// Drop closes the connection without answering.
func Drop() Fault { return Fault{Drop: true} }

// For returns f limited to method.
func (f Fault) For(method string) Fault { f.Method = method; return f }

// InChat returns f limited to calls about chat.
func (f Fault) InChat(chat int64) Fault { f.Chat = chat; return f }

// N returns f applied to n calls (-1: until cleared).
func (f Fault) N(n int) Fault { f.Times = n; return f }

// Inject queues f; faults apply in the order injected.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Unsupported makes method answer 404 Not Found, as an older or
// self-hosted Bot API server does for a method it lacks.
func (s *Server) Unsupported(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unsupported[canonical(method)] = true
}

// BlockChat makes every message to chat fail with 403, as after the user
// blocked the bot; UnblockChat undoes it.
func (s *Server) BlockChat(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chat > 0 {
		s.blocked[chat] = "Forbidden: bot was blocked by the user"
	} else {
		s.blocked[chat] = "Forbidden: bot was kicked from the group chat"
	}
}

// UnblockChat lets messages to chat through again.
func (s *Server) UnblockChat(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chat)
}

// MigrateChat turns group from into supergroup to: from then answers every
// message with migrate_to_chat_id.
func (s *Server) MigrateChat(from, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[from] = to
	old := s.chatLocked(from, "group")
	c := s.chatLocked(to, "supergroup")
	c.tg.Title = old.tg.Title
}

// SetMember sets user's status in chat for getChatMember ("creator",
// "administrator", "member", "left", "kicked"); the default is "member".
func (s *Server) SetMember(chat, user int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chat, user}] = status
}

// takeFault returns the first injected fault that applies to a call. A
// fault for any method spares getMe, so that start-up works; one for
// getMe by name applies.
func (s *Server) takeFault(method string, chat int64) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != method) || (f.Method == "" && method == "getMe") || (f.Chat != 0 && f.Chat != chat) {
			continue
		}
		g := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &g
	}
	return nil
}

// Rate is a sliding-window limit: at most N messages in any window of Per.
type Rate struct {
	N   int
	Per time.Duration
}

// Limits are the rate limits the server enforces on sendMessage.
type Limits struct {
	Private Rate // per private chat
	Group   Rate // per group chat
	Global  Rate // for the whole bot
	// Reject answers a breach with 429 and retry_after, as Telegram does;
	// otherwise the message goes through and the breach is only recorded.
	Reject bool
}

// TelegramLimits are Telegram's published limits with the short bursts it
// tolerates in a private chat: 1 message a second per chat (bursts of 3),
// 20 a minute per group, 30 a second overall.
var TelegramLimits = Limits{
	Private: Rate{3, time.Second},
	Group:   Rate{20, time.Minute},
	Global:  Rate{30, time.Second},
}

// Breach is one message that went over a limit.
type Breach struct {
	Chat  int64
	Limit string // "private", "group" or "global"
	At    time.Time
}

func (b Breach) String() string {
	return fmt.Sprintf("%s limit breached in chat %d at %s", b.Limit, b.Chat, b.At.Format("15:04:05.000"))
}

// EnforceLimits makes the server check every sendMessage against l.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = &l
}

// Breaches returns the limit breaches seen so far.
func (s *Server) Breaches() []Breach {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Breach(nil), s.breaches...)
}

// checkLimits records a message to chat at now and reports a breach; the
// caller holds s.mu. It returns the seconds to wait when the limits reject.
func (s *Server) checkLimits(chat int64, now time.Time) (retryAfter int) {
	if s.limits == nil {
		return 0
	}
	type check struct {
		key  int64
		rate Rate
		name string
	}
	checks := []check{{0, s.limits.Global, "global"}}
	if chat > 0 {
		checks = append(checks, check{chat, s.limits.Private, "private"})
	} else {
		checks = append(checks, check{chat, s.limits.Group, "group"})
	}
	wait := time.Duration(0)
	for _, c := range checks {
		if c.rate.N <= 0 {
			continue
		}
		times := s.windows[c.key]
		cut := 0
		for cut < len(times) && now.Sub(times[cut]) >= c.rate.Per {
			cut++
		}
		times = times[cut:]
		if len(times) >= c.rate.N {
			s.breaches = append(s.breaches, Breach{Chat: chat, Limit: c.name, At: now})
			if w := c.rate.Per - now.Sub(times[0]); w > wait {
				wait = w
			}
		}
		s.windows[c.key] = times
	}
	if wait > 0 && s.limits.Reject {
		return int((wait + time.Second - 1) / time.Second)
	}
	for _, c := range checks {
		if c.rate.N > 0 {
			s.windows[c.key] = append(s.windows[c.key], now)
		}
	}
	return 0
}
