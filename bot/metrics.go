package bot

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// Metrics counts what the bot does. Every update, answer, retry and drop is
// counted here, so nothing is lost without a number going up; WriteTo
// serves them in the Prometheus text format.
type Metrics struct {
	UpdatesReceived  atomic.Int64 // updates taken in, by polling or webhook
	UpdatesDuplicate atomic.Int64 // deliveries of an update already taken in
	UpdatesHandled   atomic.Int64 // updates whose handling finished
	UpdatesIgnored   atomic.Int64 // chatter not addressed to the bot, unknown kinds
	Questions        atomic.Int64
	Answered         atomic.Int64 // questions answered from the base
	NotAnswered      atomic.Int64 // questions the base has no answer for
	SearchErrors     atomic.Int64
	Flooded          atomic.Int64 // requests refused by inbound flood control
	Sent             atomic.Int64 // Bot API calls that succeeded (messages, answers, edits)
	Retries          atomic.Int64 // Bot API calls repeated after a failure
	PlainFallbacks   atomic.Int64 // messages resent as plain text after an HTML error
	Panics           atomic.Int64

	mu      sync.Mutex
	dropped map[string]int64 // outbound calls given up, by reason
	errors  map[string]int64 // Bot API failures, by kind
}

func (m *Metrics) inc(table *map[string]int64, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if *table == nil {
		*table = map[string]int64{}
	}
	(*table)[key]++
}

func (m *Metrics) drop(reason string)   { m.inc(&m.dropped, reason) }
func (m *Metrics) apiError(kind string) { m.inc(&m.errors, kind) }
func (m *Metrics) get(table *map[string]int64, key string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return (*table)[key]
}

// Dropped returns how many outbound calls were given up for reason
// ("forbidden", "rejected", "retries", "canceled", "expired"), or in all
// when reason is "".
func (m *Metrics) Dropped(reason string) int64 {
	if reason != "" {
		return m.get(&m.dropped, reason)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, v := range m.dropped {
		n += v
	}
	return n
}

// APIErrors returns how many Bot API calls failed with kind ("flood",
// "forbidden", "migrated", "parse", "server", "network", "conflict",
// "rejected").
func (m *Metrics) APIErrors(kind string) int64 { return m.get(&m.errors, kind) }

// WriteTo writes the counters in the Prometheus text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	var n int64
	p := func(format string, args ...any) {
		k, _ := fmt.Fprintf(w, format, args...)
		n += int64(k)
	}
	for _, c := range []struct {
		name, help string
		v          *atomic.Int64
	}{
		{"updates_received", "Updates taken in by polling or webhook.", &m.UpdatesReceived},
		{"updates_duplicate", "Repeated deliveries of an update already taken in.", &m.UpdatesDuplicate},
		{"updates_handled", "Updates whose handling finished.", &m.UpdatesHandled},
		{"updates_ignored", "Updates not addressed to the bot.", &m.UpdatesIgnored},
		{"questions", "Questions asked.", &m.Questions},
		{"answered", "Questions answered from the knowledge base.", &m.Answered},
		{"not_answered", "Questions the knowledge base has no answer for.", &m.NotAnswered},
		{"search_errors", "Searches that failed.", &m.SearchErrors},
		{"flooded", "Requests refused by inbound flood control.", &m.Flooded},
		{"sent", "Bot API calls that succeeded.", &m.Sent},
		{"retries", "Bot API calls repeated after a failure.", &m.Retries},
		{"plain_fallbacks", "Messages resent as plain text after Telegram rejected their HTML.", &m.PlainFallbacks},
		{"panics", "Handlers that panicked.", &m.Panics},
	} {
		p("# HELP factbot_%s_total %s\n# TYPE factbot_%s_total counter\nfactbot_%s_total %d\n", c.name, c.help, c.name, c.name, c.v.Load())
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range []struct {
		name, label, help string
		m                 map[string]int64
	}{
		{"dropped", "reason", "Outbound Bot API calls given up.", m.dropped},
		{"api_errors", "kind", "Bot API calls that failed.", m.errors},
	} {
		p("# HELP factbot_%s_total %s\n# TYPE factbot_%s_total counter\n", t.name, t.help, t.name)
		keys := make([]string, 0, len(t.m))
		for k := range t.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p("factbot_%s_total{%s=%q} %d\n", t.name, t.label, k, t.m[k])
		}
	}
	return n, nil
}
