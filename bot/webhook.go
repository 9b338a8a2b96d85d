package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// MaxWebhookBody bounds one webhook request; an update is a few kilobytes.
const MaxWebhookBody = 1 << 20

// recentIDs remembers the last n update ids, to drop repeated webhook
// deliveries (Telegram redelivers when an answer is slow or lost).
type recentIDs struct {
	mu   sync.Mutex
	set  map[int]bool
	ring []int
	next int
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[int]bool, n), ring: make([]int, n)}
}

// add records id and reports whether it is new.
func (r *recentIDs) add(id int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] {
		return false
	}
	if old := r.ring[r.next]; old != 0 {
		delete(r.set, old)
	}
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.set[id] = true
	return true
}

// SetWebhook asks Telegram to push updates to url, each carrying secret in
// the X-Telegram-Bot-Api-Secret-Token header. tgbotapi 5.5 has no
// secret_token, so the call is built by hand.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	allowed, _ := json.Marshal(AllowedUpdates)
	p := map[string]string{
		"url":             url,
		"allowed_updates": string(allowed),
		"max_connections": "40",
	}
	if secret != "" {
		p["secret_token"] = secret
	}
	_, err := b.d.do(ctx, &call{method: "setWebhook", params: p, limit: limitNone})
	if err != nil {
		return fmt.Errorf("setWebhook: %w", err)
	}
	b.log.Info("webhook set", zap.String("url", b.d.redact.String(url)))
	b.registerCommands()
	return nil
}

// rejectLogsPerSecond is how many log lines rejected webhook requests get
// a second, per kind of rejection.
const rejectLogsPerSecond = 3

// WebhookHandler returns the handler Telegram's webhook calls. It checks
// the secret token in constant time, reads at most MaxWebhookBody, drops
// repeated deliveries by update_id, queues the update and answers at once;
// the reply goes out through the Bot API, not in the webhook answer. Past
// Config.MaxInFlight updates it answers 503 so that Telegram retries later.
//
// Anyone can send requests to the webhook's URL, so a refused request is
// counted (Metrics.WebhookRejected, factbot_webhook_rejected_total) and
// its log line sampled: the first rejectLogsPerSecond of each kind in a
// second, each with the count so far, and no more.
func (b *Bot) WebhookHandler(secret string) http.Handler {
	want := []byte(secret)
	sampled := b.log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return zapcore.NewSamplerWithOptions(c, time.Second, rejectLogsPerSecond, 0)
	}))
	// reject answers status with body, counts the request under reason
	// and logs msg, sampled, unless it is "".
	reject := func(w http.ResponseWriter, r *http.Request, status int, body, reason, msg string, fields ...zap.Field) {
		n := b.metrics.rejectWebhook(reason)
		if msg != "" {
			sampled.Warn(msg, append(fields, zap.String("remote", r.RemoteAddr), zap.Int64("rejected_so_far", n))...)
		}
		http.Error(w, body, status)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			reject(w, r, http.StatusMethodNotAllowed, "POST only", "method", "")
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(want) > 0 && subtle.ConstantTimeCompare(got, want) != 1 {
			reject(w, r, http.StatusForbidden, "forbidden", "secret", "webhook request with a wrong secret token (sampled)")
			return
		}
		var u tgbotapi.Update
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
		if err := dec.Decode(&u); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				reject(w, r, http.StatusRequestEntityTooLarge, "bad update", "too_large", "webhook: update over the size limit (sampled)")
				return
			}
			reject(w, r, http.StatusBadRequest, "bad update", "unreadable", "webhook: unreadable update (sampled)", zap.Error(err))
			return
		}
		if u.UpdateID == 0 {
			reject(w, r, http.StatusBadRequest, "no update_id", "no_update_id", "")
			return
		}
		if n := b.seq.pending(); n >= b.cfg.MaxInFlight {
			reject(w, r, http.StatusServiceUnavailable, "busy", "busy", "")
			return
		}
		b.touch()
		if !b.recent.add(u.UpdateID) {
			b.metrics.UpdatesDuplicate.Add(1)
			w.WriteHeader(http.StatusOK)
			return
		}
		b.submit(u, func() {})
		w.WriteHeader(http.StatusOK)
	})
}
