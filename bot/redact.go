package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// The bot token is a password that travels in every Bot API URL, so any
// error about a request can carry it: net/http puts the URL in *url.Error,
// tgbotapi returns http.NewRequest's parse errors bare. Three guards keep it
// out of logs and replies: the HTTP client redacts the errors it returns,
// every error leaving the Bot API boundary is redacted again (redactor.err),
// and the logger itself scrubs every entry (RedactLogger).

// Redacted replaces a secret in logs and errors.
const Redacted = "[REDACTED]"

// redactor removes secrets from text.
type redactor struct {
	r *strings.Replacer
}

func newRedactor(secrets ...string) *redactor {
	var pairs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			pairs = append(pairs, form, Redacted)
		}
	}
	if len(pairs) == 0 {
		return &redactor{}
	}
	return &redactor{r: strings.NewReplacer(pairs...)}
}

func (r *redactor) String(s string) string {
	if r == nil || r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// err returns err with every secret removed from its text, keeping what
// callers classify: *tgbotapi.Error (code, retry_after, migrate_to_chat_id),
// *url.Error (a transport failure), timeouts and context errors.
func (r *redactor) err(err error) error {
	if err == nil || r == nil || r.r == nil {
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
	if r.r == nil {
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

// libraryLogger adapts a zap logger to tgbotapi.BotLogger.
type libraryLogger struct{ l *zap.Logger }

func (ll libraryLogger) Println(v ...any) {
	ll.l.Debug(strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

func (ll libraryLogger) Printf(format string, v ...any) {
	ll.l.Debug(strings.TrimSuffix(fmt.Sprintf(format, v...), "\n"))
}

// SetLibraryLogger sends tgbotapi's own log lines (it logs requests in debug
// mode) to l at debug level, scrubbed of token. tgbotapi keeps its logger in
// a package variable, so call this once at start-up, before any Bot runs.
func SetLibraryLogger(l *zap.Logger, token string) {
	_ = tgbotapi.SetLogger(libraryLogger{RedactLogger(l.Named("tgbotapi"), token)})
}
