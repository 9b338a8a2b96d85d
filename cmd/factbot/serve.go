package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/time/rate"

	"factbot/bot"
	"factbot/index"
)

// runServe runs the bot until ctx ends (SIGINT or SIGTERM): it loads the
// config, opens the knowledge, connects to the Bot API and answers by long
// polling, or by webhook when --webhook-url is set. With --http-addr it
// serves /healthz and /metrics (and the webhook). On shutdown it stops
// receiving, finishes the replies in flight and confirms what it handled,
// then returns nil.
func runServe(ctx context.Context, e *env, args []string) error {
	cfg, err := loadConfig(e, args)
	if err != nil {
		return err
	}
	s := newServer(cfg, e.stderr)
	defer func() { _ = s.log.Sync() }()
	if gogc, limit := tuneGC(); gogc != 0 || limit != 0 {
		s.log.Info("garbage collector tuned for serving (set GOGC or GOMEMLIMIT to choose)",
			zap.Int("gogc", gogc), zap.Int64("memory_limit_bytes", limit))
	}
	if err = s.open(ctx); err == nil {
		err = s.run(ctx)
	}
	s.close(context.WithoutCancel(ctx))
	if err != nil && ctx.Err() != nil && !s.running {
		return nil // stopped while starting
	}
	return err
}

// server is factbot serve. open brings up, in this order, the HTTP
// endpoints (so that /healthz answers and /readyz says "not ready" while
// the index loads), the knowledge and the bot; run receives updates until
// ctx ends; close takes them down in the reverse order, each step only if
// it was brought up.
type server struct {
	cfg        Config
	log        *zap.Logger
	metrics    *bot.Metrics
	searchTime prometheus.Histogram
	ready      *readiness
	hook       atomic.Pointer[http.Handler]

	http     *http.Server
	httpDone sync.WaitGroup
	serveErr chan error

	ks      *knowledgeStore
	bot     *bot.Bot
	stopHUP func()
	running bool // run was reached: an error is no longer a stop while starting
}

func newServer(cfg Config, logTo io.Writer) *server {
	s := &server{cfg: cfg, log: newLogger(cfg, logTo), metrics: &bot.Metrics{}, searchTime: newSearchHistogram(),
		ready: &readiness{maxSilence: 2*bot.DefaultPollTimeout + time.Minute}, serveErr: make(chan error, 1)}
	bot.SetLibraryLogger(s.log, cfg.Token)
	return s
}

// open brings the server up: the data folder, the HTTP endpoints, the
// knowledge, the bot (getMe, resumed broadcasts) and SIGHUP reloads.
func (s *server) open(ctx context.Context) error {
	if s.cfg.DataDir != "" {
		if err := os.MkdirAll(s.cfg.DataDir, 0o750); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
	}
	if err := s.openHTTP(); err != nil {
		return err
	}
	if err := s.openKnowledge(ctx); err != nil {
		return err
	}
	b, err := bot.New(s.botConfig())
	if err != nil {
		return err
	}
	if err := b.Open(ctx); err != nil {
		return err
	}
	s.bot = b
	s.stopHUP = reloadOnHUP(ctx, s.log, b)
	lastContact := b.LastContact
	s.ready.contact.Store(&lastContact)
	if s.cfg.WebhookURL != "" {
		if s.cfg.WebhookSecret == "" {
			s.cfg.WebhookSecret = newSecret()
		}
		h := b.WebhookHandler(s.cfg.WebhookSecret)
		s.hook.Store(&h)
	}
	return nil
}

func (s *server) openHTTP() error {
	if s.cfg.HTTPAddr == "" {
		return nil
	}
	hookPath := ""
	if s.cfg.WebhookURL != "" {
		hookPath = mustPath(s.cfg.WebhookURL)
	}
	ln, err := net.Listen("tcp", s.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.HTTPAddr, err)
	}
	s.http = &http.Server{Handler: newHTTPHandler(newRegistry(s.metrics, s.searchTime), s.ready, hookPath, &s.hook),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, ErrorLog: zap.NewStdLog(s.log.Named("http"))}
	s.log.Info("listening", zap.String("addr", ln.Addr().String()))
	s.httpDone.Add(1)
	go func() {
		defer s.httpDone.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr <- err
		}
	}()
	return nil
}

func (s *server) openKnowledge(ctx context.Context) error {
	start := time.Now()
	ks, err := openStore(ctx, s.log, s.cfg.DataDir, s.cfg.KnowledgeDir, index.Options{}, s.cfg.versionOptions())
	if err != nil {
		return err
	}
	s.ks = ks
	live := ks.Live()
	s.ready.indexLoaded.Store(true)
	s.metrics.SetKnowledge(func() (string, int, int) {
		if b := live.Base(); b != nil {
			return b.Hash(), len(b.Facts), len(b.Documents)
		}
		return "", 0, 0
	})
	if base := live.Base(); base != nil {
		s.log.Info("knowledge loaded", zap.Int("facts", len(base.Facts)), zap.Int("documents", len(base.Documents)),
			zap.String("hash", base.Hash()), zap.Duration("took", time.Since(start)))
	}
	return nil
}

// botConfig is the bot's Config: the knowledge, the state file, the limits.
func (s *server) botConfig() bot.Config {
	live := s.ks.Live()
	bc := bot.Config{
		Token: s.cfg.Token, APIURL: s.cfg.APIURL, Logger: s.log, Searcher: timedSearcher{live, s.searchTime}, Admins: s.cfg.Admins,
		Metrics: s.metrics,
		Debug:   s.cfg.LogLevel == "debug",
	}
	bc.Reloader, bc.Knowledge = s.ks, live // the timed searcher hides live's Base
	bc.Curator = s.ks
	st := s.ks.state
	bc.Registry, bc.Prefs, bc.Chats, bc.Ledger, bc.Gaps, bc.Feedback, bc.Handled = st, st, st, st, st, st, st
	bc.Version = version
	// Without a data folder the state is in a temporary one that no
	// restart reopens: there is no point recording handled updates in it.
	bc.TemporaryStore = s.cfg.DataDir == ""
	if s.cfg.Limits == "off" {
		bc.Limits, bc.Flood = bot.NoLimits, rate.Inf
		s.log.Warn("rate limits are off: use this only against a fake or test Bot API server")
	}
	return bc
}

// run receives updates until ctx ends or the HTTP server fails: by
// webhook when one is configured, else by long polling.
func (s *server) run(ctx context.Context) error {
	if s.cfg.WebhookURL != "" {
		if err := s.bot.SetWebhook(ctx, s.cfg.WebhookURL, s.cfg.WebhookSecret); err != nil {
			return err
		}
		s.running = true
		s.ready.webhook.Store(true)
		s.log.Info("serving the webhook", zap.String("path", mustPath(s.cfg.WebhookURL)))
		select {
		case <-ctx.Done():
			return nil
		case err := <-s.serveErr:
			return err
		}
	}
	s.running = true
	pollDone := make(chan error, 1)
	pctx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	go func() { pollDone <- s.bot.Poll(pctx) }()
	select {
	case err := <-pollDone:
		return err
	case err := <-s.serveErr:
		stopPoll()
		<-pollDone
		return err
	}
}

// close takes the server down: a webhook first stops taking requests, so
// that no update arrives while the bot finishes the ones received; the bot
// finishes the replies in flight and confirms what it handled; then the
// reloads, the HTTP endpoints and the knowledge stop.
func (s *server) close(ctx context.Context) {
	if s.cfg.WebhookURL != "" {
		s.log.Info("shutting down")
		s.closeHTTP(ctx)
	}
	if s.bot != nil {
		_ = s.bot.Close(ctx)
	}
	if s.stopHUP != nil {
		s.stopHUP()
	}
	s.closeHTTP(ctx)
	if s.ks != nil {
		s.ks.Close()
	}
	if s.bot != nil && s.cfg.WebhookURL == "" {
		s.log.Info("stopped")
	}
}

func (s *server) closeHTTP(ctx context.Context) {
	if s.http == nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = s.http.Shutdown(sctx)
	s.httpDone.Wait()
	s.http = nil
}

// mustPath returns a validated URL's path, "/" when empty.
func mustPath(raw string) string {
	u, _ := url.Parse(raw)
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// withWebhook routes requests for path to hook and the rest to next. The
// path is compared as is, not as a ServeMux pattern, so any path works.
func withWebhook(next http.Handler, path string, hook http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			hook.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isTerminal reports whether w is a terminal, where people read logs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newLogger builds the process's logger on w: JSON for machines, console
// for people, with the token scrubbed from every line.
func newLogger(cfg Config, w io.Writer) *zap.Logger {
	level := zapcore.InfoLevel
	_ = level.Set(cfg.LogLevel)
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	var encoder zapcore.Encoder = zapcore.NewJSONEncoder(enc)
	if cfg.LogFormat == "console" || cfg.LogFormat == "auto" && isTerminal(w) {
		enc.EncodeLevel = zapcore.CapitalLevelEncoder
		encoder = zapcore.NewConsoleEncoder(enc)
	}
	core := zapcore.NewCore(encoder, zapcore.Lock(zapcore.AddSync(w)), level)
	return bot.RedactLogger(zap.New(core, zap.AddCaller()), cfg.Token)
}
