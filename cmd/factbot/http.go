package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"factbot/bot"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// readiness is what /readyz reports: the index is loaded and Telegram was
// heard from recently (a getUpdates answered, or, with a webhook, the
// webhook registered).
type readiness struct {
	indexLoaded atomic.Bool
	webhook     atomic.Bool // webhook registered: deliveries are pushed, silence is normal
	contact     atomic.Pointer[func() time.Time]
	maxSilence  time.Duration
}

// ready returns "" when ready, else why not.
func (r *readiness) ready(now time.Time) string {
	if !r.indexLoaded.Load() {
		return "knowledge index not loaded yet"
	}
	if r.webhook.Load() {
		return ""
	}
	last := time.Time{}
	if f := r.contact.Load(); f != nil {
		last = (*f)()
	}
	switch {
	case last.IsZero():
		return "no answer from the Bot API yet"
	case now.Sub(last) > r.maxSilence:
		return fmt.Sprintf("last answer from the Bot API %s ago", now.Sub(last).Round(time.Second))
	}
	return ""
}

// newRegistry returns the Prometheus registry /metrics serves: Go runtime
// and process metrics, the bot's counters and the search latency.
func newRegistry(m *bot.Metrics, search prometheus.Histogram) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "factbot_build_info", Help: "The factbot version running (value 1).",
			ConstLabels: prometheus.Labels{"version": version},
		}, func() float64 { return 1 }),
		m, search,
	)
	return reg
}

// newSearchHistogram measures how long a search takes, in seconds.
func newSearchHistogram() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "factbot_search_seconds",
		Help:    "How long a search of the knowledge index takes.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2},
	})
}

// timedSearcher times every search.
type timedSearcher struct {
	s reply.Searcher
	h prometheus.Histogram
}

func (t timedSearcher) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	start := time.Now()
	res, err := t.s.Search(ctx, q)
	t.h.Observe(time.Since(start).Seconds())
	return res, err
}

// newHTTPHandler serves /healthz (the process is alive), /readyz (it can
// answer), /metrics, and the webhook at hookPath once hook is set.
func newHTTPHandler(reg *prometheus.Registry, ready *readiness, hookPath string, hook *atomic.Pointer[http.Handler]) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if why := ready.ready(time.Now()); why != "" {
			http.Error(w, "not ready: "+why, http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if hookPath == "" {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != hookPath {
			mux.ServeHTTP(w, r)
			return
		}
		h := hook.Load()
		if h == nil {
			http.Error(w, "starting", http.StatusServiceUnavailable) // Telegram retries
			return
		}
		(*h).ServeHTTP(w, r)
	})
}
