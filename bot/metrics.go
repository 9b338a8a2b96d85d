package bot

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"factbot/knowledge"
)

// Metrics counts what the bot does. Every update, answer, retry and drop is
// counted here, so nothing is lost without a number going up. Metrics is a
// prometheus.Collector: register it to export the counts as factbot_…
// series.
type Metrics struct {
	UpdatesReceived  atomic.Int64 // updates taken in, by polling or webhook
	UpdatesDuplicate atomic.Int64 // deliveries of an update already taken in
	UpdatesHandled   atomic.Int64 // updates whose handling finished
	UpdatesIgnored   atomic.Int64 // chatter not addressed to the bot, unknown kinds
	Questions        atomic.Int64
	Answered         atomic.Int64 // questions answered from the base
	NotAnswered      atomic.Int64 // questions the base has no answer for
	Closest          atomic.Int64 // questions answered with the closest facts, unsure
	SearchErrors     atomic.Int64
	Flooded          atomic.Int64 // requests refused by inbound flood control
	Sent             atomic.Int64 // Bot API calls that succeeded (messages, answers, edits)
	Retries          atomic.Int64 // Bot API calls repeated after a failure
	PlainFallbacks   atomic.Int64 // messages resent as plain text after an HTML error
	Panics           atomic.Int64
	Reloads          atomic.Int64 // knowledge versions swapped in
	ReloadFailures   atomic.Int64 // reloads refused or failed

	mu         sync.Mutex
	dropped    map[string]int64 // outbound calls given up, by reason
	errors     map[string]int64 // Bot API failures, by kind
	kinds      map[string]int64 // updates by kind
	answers    map[string]int64 // questions by "lang\x00result"
	deliveries map[string]int64 // announcement deliveries by state
	rejected   map[string]int64 // webhook requests refused, by reason
	knowledge  func() (hash string, facts, documents int)
}

func (m *Metrics) inc(table *map[string]int64, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if *table == nil {
		*table = map[string]int64{}
	}
	(*table)[key]++
}

func (m *Metrics) drop(reason string) { m.inc(&m.dropped, reason) }

// rejectWebhook counts a webhook request refused for reason and returns
// how many were refused for it so far.
func (m *Metrics) rejectWebhook(reason string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rejected == nil {
		m.rejected = map[string]int64{}
	}
	m.rejected[reason]++
	return m.rejected[reason]
}

// WebhookRejected returns how many webhook requests were refused for
// reason ("secret", "method", "too_large", "unreadable", "no_update_id",
// "busy"), or in all when reason is "".
func (m *Metrics) WebhookRejected(reason string) int64 {
	if reason != "" {
		return m.get(&m.rejected, reason)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, v := range m.rejected {
		n += v
	}
	return n
}
func (m *Metrics) apiError(kind errorKind) { m.inc(&m.errors, string(kind)) }
func (m *Metrics) get(table *map[string]int64, key string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return (*table)[key]
}

// Dropped returns how many outbound calls were given up for reason
// ("forbidden", "rejected", "retries", "canceled", "expired", "store"), or
// in all when reason is "".
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

// The collector's descriptions. Every series is named factbot_…; counters
// end in _total.
var (
	counterDescs = []struct {
		name, help string
		v          func(m *Metrics) int64
	}{
		{"updates_received", "Updates taken in by polling or webhook.", func(m *Metrics) int64 { return m.UpdatesReceived.Load() }},
		{"updates_duplicate", "Repeated deliveries of an update already taken in.", func(m *Metrics) int64 { return m.UpdatesDuplicate.Load() }},
		{"updates_handled", "Updates whose handling finished.", func(m *Metrics) int64 { return m.UpdatesHandled.Load() }},
		{"updates_ignored", "Updates not addressed to the bot.", func(m *Metrics) int64 { return m.UpdatesIgnored.Load() }},
		{"questions", "Questions asked.", func(m *Metrics) int64 { return m.Questions.Load() }},
		{"answered", "Questions answered from the knowledge base.", func(m *Metrics) int64 { return m.Answered.Load() }},
		{"not_answered", "Questions the knowledge base has no answer for.", func(m *Metrics) int64 { return m.NotAnswered.Load() }},
		{"closest", "Questions answered, unsure, with the closest facts.", func(m *Metrics) int64 { return m.Closest.Load() }},
		{"search_errors", "Searches that failed.", func(m *Metrics) int64 { return m.SearchErrors.Load() }},
		{"flooded", "Requests refused by inbound flood control.", func(m *Metrics) int64 { return m.Flooded.Load() }},
		{"retries", "Bot API calls repeated after a failure.", func(m *Metrics) int64 { return m.Retries.Load() }},
		{"plain_fallbacks", "Messages resent as plain text after Telegram rejected their HTML.", func(m *Metrics) int64 { return m.PlainFallbacks.Load() }},
		{"panics", "Handlers that panicked.", func(m *Metrics) int64 { return m.Panics.Load() }},
		{"reloads", "Knowledge reloads that were swapped in.", func(m *Metrics) int64 { return m.Reloads.Load() }},
		{"reload_failures", "Knowledge reloads refused (invalid files) or failed.", func(m *Metrics) int64 { return m.ReloadFailures.Load() }},
	}
	descOf = func() map[string]*prometheus.Desc {
		d := map[string]*prometheus.Desc{}
		for _, c := range counterDescs {
			d[c.name] = prometheus.NewDesc("factbot_"+c.name+"_total", c.help, nil, nil)
		}
		return d
	}()
	updatesByKind = prometheus.NewDesc("factbot_updates_total", "Updates received, by kind (message, callback_query, inline_query, my_chat_member, other).", []string{"kind"}, nil)
	answersByLang = prometheus.NewDesc("factbot_answers_total", "Questions by reply language and result (answered or no_answer).", []string{"lang", "result"}, nil)
	sendsByResult = prometheus.NewDesc("factbot_sends_total", "Bot API calls by result: ok, 429 (flood), 403 (forbidden), other failures.", []string{"result"}, nil)
	droppedDesc   = prometheus.NewDesc("factbot_dropped_total", "Outbound Bot API calls given up, by reason.", []string{"reason"}, nil)
	apiErrorsDesc = prometheus.NewDesc("factbot_api_errors_total", "Bot API calls that failed, by kind.", []string{"kind"}, nil)
	deliveryDesc  = prometheus.NewDesc("factbot_announcement_deliveries_total", "Announcement deliveries by state (delivered, failed, removed, skipped).", []string{"state"}, nil)
	rejectedDesc  = prometheus.NewDesc("factbot_webhook_rejected_total", "Webhook requests refused, by reason (secret, method, too_large, unreadable, no_update_id, busy).", []string{"reason"}, nil)
	knowledgeDesc = prometheus.NewDesc("factbot_knowledge_info", "The knowledge version being served (value 1).", []string{"hash", "facts", "documents"}, nil)
)

// Update counts an update received, by kind.
func (m *Metrics) Update(kind string) { m.inc(&m.kinds, kind) }

// Answer counts a question by reply language and whether it was answered.
func (m *Metrics) Answer(lang knowledge.Lang, tier knowledge.Tier) {
	result := "no_answer"
	switch tier {
	case knowledge.TierAnswer:
		m.Answered.Add(1)
		result = "answered"
	case knowledge.TierClosest:
		m.Closest.Add(1)
		result = "closest"
	default:
		m.NotAnswered.Add(1)
	}
	m.inc(&m.answers, string(lang)+"\x00"+result)
}

// Delivery counts an announcement delivery reaching a state.
func (m *Metrics) Delivery(state string) { m.inc(&m.deliveries, state) }

// SetKnowledge tells the metrics how to read the knowledge version served.
func (m *Metrics) SetKnowledge(info func() (hash string, facts, documents int)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.knowledge = info
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descOf {
		ch <- d
	}
	for _, d := range []*prometheus.Desc{updatesByKind, answersByLang, sendsByResult, droppedDesc, apiErrorsDesc, deliveryDesc, rejectedDesc, knowledgeDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: it reads the counters at scrape
// time, so counting stays a single atomic add on the hot path.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, c := range counterDescs {
		counter(descOf[c.name], c.v(m))
	}
	m.mu.Lock()
	kinds, answers, dropped, errs, deliveries := clone(m.kinds), clone(m.answers), clone(m.dropped), clone(m.errors), clone(m.deliveries)
	rejected := clone(m.rejected)
	info := m.knowledge
	m.mu.Unlock()
	for k, v := range kinds {
		counter(updatesByKind, v, k)
	}
	for k, v := range answers {
		lang, result, _ := strings.Cut(k, "\x00")
		counter(answersByLang, v, lang, result)
	}
	var other int64
	for k, v := range errs {
		counter(apiErrorsDesc, v, k)
		if k != "flood" && k != "forbidden" {
			other += v
		}
	}
	counter(sendsByResult, m.Sent.Load(), "ok")
	counter(sendsByResult, errs["flood"], "429")
	counter(sendsByResult, errs["forbidden"], "403")
	counter(sendsByResult, other, "other")
	for k, v := range dropped {
		counter(droppedDesc, v, k)
	}
	for k, v := range deliveries {
		counter(deliveryDesc, v, k)
	}
	for k, v := range rejected {
		counter(rejectedDesc, v, k)
	}
	if info != nil {
		if hash, facts, docs := info(); hash != "" {
			ch <- prometheus.MustNewConstMetric(knowledgeDesc, prometheus.GaugeValue, 1, hash, strconv.Itoa(facts), strconv.Itoa(docs))
		}
	}
}

func clone(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
