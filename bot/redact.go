package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// The bot token is a password that travels in every Bot API URL, so any
// error about a request can carry it: net/http puts the URL in *url.Error,
// tgbotapi returns http.NewRequest's parse errors bare, and a Bot API
// server or a proxy may echo it in an error body, escaped one way or
// another. Three guards keep it out of logs and replies: the HTTP client
// redacts the errors it returns, every error leaving the Bot API boundary
// is redacted again (redactor.err), and the logger itself scrubs every
// entry (RedactLogger).

// Redacted replaces a secret in logs and errors.
const Redacted = "[REDACTED]"

// redactor removes secrets from text. A token "123456:AAH…" has a public
// part (the bot's user id) and a secret part after the colon; the secret
// part is what is looked for, on its own, in any case and however it was
// escaped, even escaped several times over: URL escapes (%41, %2541) in
// either case of hex, JSON and Go escapes (\u0041, \\u0041, \x41),
// HTML character references (&#65;, &#x41;, &amp;#65;), or a mix. A match
// preceded by the bot id and a colon takes them along.
type redactor struct {
	secrets []secret
}

// secret is one secret to remove: its lower-case text, and the public
// prefix that goes with it.
type secret struct {
	key string // lower case
	id  string // the bot id before the colon, or ""
}

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		id, key, ok := strings.Cut(s, ":")
		if !ok {
			id, key = "", s
		}
		if key == "" {
			continue
		}
		r.secrets = append(r.secrets, secret{key: strings.ToLower(key), id: id})
	}
	return r
}

// unit is one character of a text once unescaped, and the bytes of the
// original text it comes from.
type unit struct {
	c      byte // the character; nonASCII for any other
	lo, hi int
}

const nonASCII = 0xff

// maxUnescape bounds how many times a text is unescaped.
const maxUnescape = 8

func (r *redactor) String(s string) string {
	if r == nil || len(r.secrets) == 0 || s == "" {
		return s
	}
	escaped := strings.ContainsAny(s, `%\&`)
	if !escaped && !r.inPlain(s) {
		return s // the common case, without allocating
	}
	us := make([]unit, len(s))
	for i := range len(s) {
		us[i] = unit{c: s[i], lo: i, hi: i + 1}
	}
	if escaped {
		for range maxUnescape {
			var changed bool
			if us, changed = unescape(us); !changed {
				break
			}
		}
	}
	var cuts [][2]int
	for _, sec := range r.secrets {
		cuts = sec.find(us, cuts)
	}
	if len(cuts) == 0 {
		return s
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i][0] < cuts[j][0] })
	var b strings.Builder
	done := 0
	for _, c := range cuts {
		if c[1] <= done {
			continue
		}
		b.WriteString(s[done:max(c[0], done)])
		b.WriteString(Redacted)
		done = c[1]
	}
	b.WriteString(s[done:])
	return b.String()
}

// inPlain reports whether a secret is in s as is, in any case.
func (r *redactor) inPlain(s string) bool {
	for _, sec := range r.secrets {
		n := len(sec.key)
		for i := 0; i+n <= len(s); i++ {
			k := 0
			for k < n && lower(s[i+k]) == sec.key[k] {
				k++
			}
			if k == n {
				return true
			}
		}
	}
	return false
}

// find appends to cuts the byte ranges of the original text where the
// secret is spelled in us, with the bot id and colon before it.
func (sec secret) find(us []unit, cuts [][2]int) [][2]int {
	n := len(sec.key)
	for i := 0; i+n <= len(us); i++ {
		if lower(us[i].c) != sec.key[0] {
			continue
		}
		k := 1
		for k < n && lower(us[i+k].c) == sec.key[k] {
			k++
		}
		if k < n {
			continue
		}
		start := i
		if id := sec.id; id != "" && i > len(id) && us[i-1].c == ':' {
			j := i - 1 - len(id)
			same := true
			for k := range len(id) {
				same = same && us[j+k].c == id[k]
			}
			if same {
				start = j
			}
		}
		cuts = append(cuts, [2]int{us[start].lo, us[i+n-1].hi})
		i += n - 1
	}
	return cuts
}

// unescape decodes one layer of escapes in us: %XX, \uXXXX, \UXXXXXXXX
// and \xXX (after any number of backslashes), &#N;, &#xX; and &amp;.
func unescape(us []unit) ([]unit, bool) {
	out := make([]unit, 0, len(us))
	changed := false
	for k := 0; k < len(us); {
		c, end := decodeAt(us, k)
		if end == k+1 {
			out = append(out, us[k])
		} else {
			out = append(out, unit{c: c, lo: us[k].lo, hi: us[end-1].hi})
			changed = true
		}
		k = end
	}
	return out, changed
}

// decodeAt decodes the escape at us[k:], if any, and returns the character
// and where it ends; a unit that starts no escape is returned as is.
func decodeAt(us []unit, k int) (byte, int) {
	switch us[k].c {
	case '%':
		if v, ok := hexUnits(us, k+1, 2); ok {
			return char(v), k + 3
		}
	case '\\':
		j := k
		for j < len(us) && us[j].c == '\\' {
			j++
		}
		if j < len(us) {
			digits := 0
			switch us[j].c {
			case 'u':
				digits = 4
			case 'U':
				digits = 8
			case 'x':
				digits = 2
			}
			if v, ok := hexUnits(us, j+1, digits); ok {
				return char(v), j + 1 + digits
			}
		}
	case '&':
		if k+4 < len(us) && us[k+1].c == 'a' && us[k+2].c == 'm' && us[k+3].c == 'p' && us[k+4].c == ';' {
			return '&', k + 5
		}
		if k+1 < len(us) && us[k+1].c == '#' {
			j, base := k+2, 10
			if j < len(us) && (us[j].c == 'x' || us[j].c == 'X') {
				j, base = j+1, 16
			}
			v, e := 0, j
			for e < len(us) && e-j < 8 && digit(us[e].c, base) >= 0 {
				v = v*base + digit(us[e].c, base)
				e++
			}
			if e > j && e < len(us) && us[e].c == ';' {
				return char(v), e + 1
			}
		}
	}
	return us[k].c, k + 1
}

// hexUnits reads n hex digits from us[i:].
func hexUnits(us []unit, i, n int) (int, bool) {
	if n <= 0 || i+n > len(us) {
		return 0, false
	}
	v := 0
	for _, u := range us[i : i+n] {
		d := digit(u.c, 16)
		if d < 0 {
			return 0, false
		}
		v = v*16 + d
	}
	return v, true
}

// char is the unit character of code point v.
func char(v int) byte {
	if v < 0 || v >= 0x80 {
		return nonASCII
	}
	return byte(v)
}

// digit returns c's value in base (10 or 16), or -1.
func digit(c byte, base int) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// err returns err with every secret removed from its text, keeping what
// callers classify: *tgbotapi.Error (code, retry_after, migrate_to_chat_id),
// *url.Error (a transport failure), timeouts and context errors.
func (r *redactor) err(err error) error {
	if err == nil || r == nil || len(r.secrets) == 0 {
		return err
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		c := *te
		c.Message = r.String(c.Message)
		return &c
	}
	var tv tgbotapi.Error
	if errors.As(err, &tv) {
		tv.Message = r.String(tv.Message)
		return &tv
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: r.String(ue.URL), Err: r.plain(ue.Err)}
	}
	return r.plain(err)
}

// plain redacts an error into one that keeps only its text, its timeout
// flag and a context error beneath it.
func (r *redactor) plain(err error) error {
	if _, ok := err.(*redactedError); ok {
		return err
	}
	e := &redactedError{msg: r.String(err.Error())}
	var t interface{ Timeout() bool }
	if errors.As(err, &t) {
		e.timeout = t.Timeout()
	}
	switch {
	case errors.Is(err, context.Canceled):
		e.cause = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		e.cause = context.DeadlineExceeded
	}
	return e
}

type redactedError struct {
	msg     string
	timeout bool
	cause   error // a context error, or nil
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Timeout() bool   { return e.timeout }
func (e *redactedError) Temporary() bool { return e.timeout }
func (e *redactedError) Unwrap() error   { return e.cause }

// redactingClient is an HTTP client whose errors never contain the token.
type redactingClient struct {
	c *http.Client
	r *redactor
}

// NewHTTPClient wraps c (http.DefaultClient when nil) so that the errors it
// returns have token removed; it is what the bot gives tgbotapi.
func NewHTTPClient(c *http.Client, token string) tgbotapi.HTTPClient {
	if c == nil {
		c = http.DefaultClient
	}
	return &redactingClient{c: c, r: newRedactor(token)}
}

func (rc *redactingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := rc.c.Do(req)
	if err != nil {
		return nil, rc.r.err(err)
	}
	return resp, nil
}

// ctxClient binds every request to a context, since tgbotapi builds its
// requests without one; this is what makes long polls and sends cancelable.
type ctxClient struct {
	ctx context.Context
	c   tgbotapi.HTTPClient
}

func (cc ctxClient) Do(req *http.Request) (*http.Response, error) {
	return cc.c.Do(req.WithContext(cc.ctx))
}

// RedactLogger returns l with secrets scrubbed from every entry's message
// and fields, including errors and values logged with zap.Any.
func RedactLogger(l *zap.Logger, secrets ...string) *zap.Logger {
	r := newRedactor(secrets...)
	if len(r.secrets) == 0 {
		return l
	}
	return l.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return &redactCore{Core: c, r: r} }))
}

type redactCore struct {
	zapcore.Core
	r *redactor
}

func (c *redactCore) With(fs []zapcore.Field) zapcore.Core {
	return &redactCore{Core: c.Core.With(c.fields(fs)), r: c.r}
}

func (c *redactCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *redactCore) Write(e zapcore.Entry, fs []zapcore.Field) error {
	e.Message = c.r.String(e.Message)
	e.Stack = c.r.String(e.Stack)
	return c.Core.Write(e, c.fields(fs))
}

// fields redacts string-like fields and renders anything structured to a
// string first, so no encoder can write a secret out of it.
func (c *redactCore) fields(fs []zapcore.Field) []zapcore.Field {
	out := make([]zapcore.Field, len(fs))
	for i, f := range fs {
		switch f.Type {
		case zapcore.StringType:
			f.String = c.r.String(f.String)
		case zapcore.ErrorType:
			if err, ok := f.Interface.(error); ok && err != nil {
				f = zap.String(f.Key, c.r.String(err.Error()))
			}
		case zapcore.StringerType:
			f = zap.String(f.Key, c.r.String(fmt.Sprint(f.Interface)))
		case zapcore.ByteStringType, zapcore.BinaryType:
			if b, ok := f.Interface.([]byte); ok {
				f = zap.String(f.Key, c.r.String(string(b)))
			}
		case zapcore.ReflectType, zapcore.ObjectMarshalerType, zapcore.ArrayMarshalerType, zapcore.InlineMarshalerType:
			enc := zapcore.NewMapObjectEncoder()
			f.AddTo(enc)
			var v any = enc.Fields
			if f.Type != zapcore.InlineMarshalerType {
				v = enc.Fields[f.Key]
			}
			f = zap.String(f.Key, c.r.String(fmt.Sprint(v)))
		}
		out[i] = f
	}
	return out
}

// maxLogText is how many characters of a text that came from outside — a
// question, a Bot API request or answer — one log line carries.
const maxLogText = 300

// redactMargin is how far past the cut clipLog redacts: more than the
// longest spelling of a secret, so that none straddles the cut unseen.
const redactMargin = 4096

// clipLog returns s with secrets removed, cut to maxLogText characters and
// marked with its full length when it is longer, so that a huge question
// or response cannot flood the log.
func clipLog(r *redactor, s string) string {
	cut, n := -1, 0
	for i := range s {
		if n == maxLogText {
			cut = i
			break
		}
		n++
	}
	if cut < 0 {
		return r.String(s)
	}
	head := r.String(s[:min(len(s), cut+redactMargin)])
	n = 0
	for i := range head {
		if n == maxLogText {
			head = head[:i]
			break
		}
		n++
	}
	return fmt.Sprintf("%s… [cut: %d characters in all]", head, utf8.RuneCountInString(s))
}

// libraryLogger adapts a zap logger to tgbotapi.BotLogger. tgbotapi logs
// whole requests and answers (a getUpdates answer can be megabytes), so
// each line is cut with clipLog.
type libraryLogger struct {
	l *zap.Logger
	r *redactor
}

func (ll libraryLogger) Println(v ...any) {
	ll.l.Debug(clipLog(ll.r, strings.TrimSuffix(fmt.Sprintln(v...), "\n")))
}

func (ll libraryLogger) Printf(format string, v ...any) {
	ll.l.Debug(clipLog(ll.r, strings.TrimSuffix(fmt.Sprintf(format, v...), "\n")))
}

// SetLibraryLogger sends tgbotapi's own log lines (it logs requests in debug
// mode) to l at debug level, scrubbed of token and cut to maxLogText
// characters. tgbotapi keeps its logger in a package variable, so call this
// once at start-up, before any Bot runs.
func SetLibraryLogger(l *zap.Logger, token string) {
	_ = tgbotapi.SetLogger(libraryLogger{l: RedactLogger(l.Named("tgbotapi"), token), r: newRedactor(token)})
}
