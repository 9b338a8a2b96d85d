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
	log := newLogger(cfg, e.stderr)
	defer func() { _ = log.Sync() }()
	bot.SetLibraryLogger(log, cfg.Token)

	if cfg.DataDir != "" {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
	}
	// The HTTP server comes first, so that /healthz answers and /readyz
	// says "not ready" while the index loads.
	metrics := &bot.Metrics{}
	searchTime := newSearchHistogram()
	reg := newRegistry(metrics, searchTime)
	ready := &readiness{maxSilence: 2*bot.DefaultPollTimeout + time.Minute}
	var hook atomic.Pointer[http.Handler]
	var srv *http.Server
	serveErr := make(chan error, 1)
	var wg sync.WaitGroup
	if cfg.HTTPAddr != "" {
		hookPath := ""
		if cfg.WebhookURL != "" {
			hookPath = mustPath(cfg.WebhookURL)
		}
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
		}
		srv = &http.Server{Handler: newHTTPHandler(reg, ready, hookPath, &hook), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 30 * time.Second, ErrorLog: zap.NewStdLog(log.Named("http"))}
		log.Info("listening", zap.String("addr", ln.Addr().String()))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				serveErr <- err
			}
		}()
	}
	stopHTTP := func() {
		if srv == nil {
			return
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		wg.Wait()
	}
	defer stopHTTP()

	start := time.Now()
	ks, err := openStore(ctx, log, cfg.DataDir, cfg.KnowledgeDir, index.Options{}, cfg.versionOptions())
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	defer ks.Close()
	live := ks.Live()
	ready.indexLoaded.Store(true)
	metrics.SetKnowledge(func() (string, int, int) {
		if b := live.Base(); b != nil {
			return b.Hash(), len(b.Facts), len(b.Documents)
		}
		return "", 0, 0
	})
	if base := live.Base(); base != nil {
		log.Info("knowledge loaded", zap.Int("facts", len(base.Facts)), zap.Int("documents", len(base.Documents)),
			zap.String("hash", base.Hash()), zap.Duration("took", time.Since(start)))
	}

	bc := bot.Config{
		Token: cfg.Token, APIURL: cfg.APIURL, Logger: log, Searcher: timedSearcher{live, searchTime}, Admins: cfg.Admins,
		Metrics: metrics,
		Debug:   cfg.LogLevel == "debug",
	}
	bc.Reloader, bc.Knowledge = ks, live // the timed searcher hides live's Base
	bc.Curator = ks
	bc.Store, bc.Version = ks.state, version
	// Without a data folder the state is in a temporary one that no
	// restart reopens: there is no point recording handled updates in it.
	bc.TemporaryStore = cfg.DataDir == ""
	if cfg.Limits == "off" {
		bc.Limits, bc.Flood = bot.NoLimits, rate.Inf
		log.Warn("rate limits are off: use this only against a fake or test Bot API server")
	}
	b, err := bot.New(ctx, bc)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while connecting
		}
		return err
	}
	stopHUP := reloadOnHUP(ctx, log, b)
	defer stopHUP()
	lastContact := b.LastContact
	ready.contact.Store(&lastContact)
	if cfg.WebhookURL != "" {
		if cfg.WebhookSecret == "" {
			cfg.WebhookSecret = newSecret()
		}
		h := b.WebhookHandler(cfg.WebhookSecret)
		hook.Store(&h)
	}

	if cfg.WebhookURL != "" {
		if err := b.SetWebhook(ctx, cfg.WebhookURL, cfg.WebhookSecret); err != nil {
			stopHTTP()
			b.Shutdown(context.WithoutCancel(ctx))
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		ready.webhook.Store(true)
		log.Info("serving the webhook", zap.String("path", mustPath(cfg.WebhookURL)))
		select {
		case <-ctx.Done():
		case err = <-serveErr:
		}
		log.Info("shutting down")
		stopHTTP() // no new updates, and the ones received are queued
		b.Shutdown(context.WithoutCancel(ctx))
		return err
	}

	pollDone := make(chan error, 1)
	pctx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	go func() { pollDone <- b.Poll(pctx) }()
	select {
	case err = <-pollDone:
	case err = <-serveErr:
		stopPoll()
		<-pollDone
	}
	stopHTTP()
	log.Info("stopped")
	return err
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
