package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
)

// offsets tracks the updates taken in by polling, so that getUpdates
// confirms an update only once it was handled: the offset sent is the
// lowest update still in flight (or abandoned at shutdown), else one past
// the highest seen. Updates at or below the highest seen are repeats of
// ones in flight and are skipped.
type offsets struct {
	mu        sync.Mutex
	pending   map[int]bool
	abandoned int // lowest update given up at shutdown, 0 if none
	maxSeen   int
	progress  chan struct{} // closed and replaced when an update finishes
}

func newOffsets() *offsets {
	return &offsets{pending: map[int]bool{}, progress: make(chan struct{})}
}

// start records update id as taken in; it reports false for a repeat.
func (o *offsets) start(id int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if id <= o.maxSeen {
		return false
	}
	o.maxSeen = id
	o.pending[id] = true
	return true
}

// done records update id as handled, or abandoned when ok is false.
func (o *offsets) done(id int, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.pending, id)
	if !ok && (o.abandoned == 0 || id < o.abandoned) {
		o.abandoned = id
	}
	close(o.progress)
	o.progress = make(chan struct{})
}

// next returns the offset that confirms every handled update and nothing
// else, or 0 when nothing was seen yet.
func (o *offsets) next() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.maxSeen == 0 {
		return 0
	}
	low := o.maxSeen + 1
	for id := range o.pending {
		low = min(low, id)
	}
	if o.abandoned != 0 {
		low = min(low, o.abandoned)
	}
	return low
}

// window returns how many updates a poll would return again: those from
// the lowest one in flight to the highest seen; 0 when none is in flight.
func (o *offsets) window() int {
	next := o.next()
	o.mu.Lock()
	defer o.mu.Unlock()
	if next == 0 {
		return 0
	}
	return o.maxSeen + 1 - next
}

// inFlight returns how many updates are being handled, and a channel
// closed when one finishes.
func (o *offsets) inFlight() (int, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.pending), o.progress
}

// minPoll is the least time between two polls that come back empty, so
// that a server ignoring the long-poll timeout cannot make the bot spin.
const minPoll = time.Second

// pollLimit is how many updates one getUpdates returns at most (Telegram's
// maximum). While updates are in flight, the loop polls again as soon as
// refill of them can be confirmed, or once pollPace passed since the last
// poll, as soon as any can.
const (
	pollLimit = 100
	refill    = 25
	pollPace  = 50 * time.Millisecond
)

// Poll takes updates by long polling until ctx ends. It deletes any webhook
// first, asks only for AllowedUpdates, hands each update to its chat's
// queue, and confirms an update's offset only after it was handled. When
// ctx ends it stops polling and returns nil; Close then finishes the
// replies in flight and confirms what was handled.
//
// Confirming only handled updates has a cost the loop is built around:
// getUpdates returns updates from the lowest one still in flight, so while
// any is in flight a poll returns at once (no long poll), and at most 100
// updates past the oldest one in flight can be taken in. The loop
// therefore polls again as soon as the oldest ones were handled (which
// confirms them and makes room for new ones): at once for refill of them,
// within pollPace for fewer; or, when the server had nothing more, after
// pollPace (doubling up to minPoll while nothing new comes). It decodes in
// full only the updates it has not seen.
//
// An offset confirms every update below it, so one slow update holds back
// the confirmation of all the later ones, handled or not. With a HandledLog
// (not a TemporaryStore), each handled update is also recorded there
// (MarkHandled), and one that Telegram delivers again after a restart is
// confirmed without being handled twice.
// A Bot polls once: after Poll returns, Close it.
func (b *Bot) Poll(ctx context.Context) error {
	b.polled.Store(true)
	if err := b.deleteWebhook(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	b.registerCommands()
	b.log.Info("polling for updates", zap.Duration("timeout", b.cfg.PollTimeout), zap.Strings("allowed_updates", AllowedUpdates))
	allowed, _ := json.Marshal(AllowedUpdates)
	failures := 0
	pace := pollPace
	for ctx.Err() == nil {
		started := time.Now()
		offset := b.offsets.next()
		ups, returned, low, err := b.getUpdates(ctx, offset, string(allowed))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			b.pollFailed(ctx, err, failures)
			continue
		}
		failures = 0
		b.touch()
		b.confirmed(offset)
		if len(ups) > 0 {
			pace = pollPace
		} else if pace < minPoll {
			pace *= 2 // a reply is stuck (a long 429, say): poll less
		}
		for _, u := range ups {
			id := u.UpdateID
			b.submit(u, func() { b.finish(id) })
		}
		switch window := b.offsets.window(); {
		case window == 0 && returned == 0 && time.Since(started) < minPoll:
			// An empty answer that came back at once: the server does not
			// hold long polls. Do not spin.
			_ = sleep(ctx, minPoll-time.Since(started))
		case window == 0:
			// Nothing in flight: the next poll is a true long poll, and
			// it confirms everything taken in.
		default:
			// Updates are in flight, so a poll would return at once with
			// them. Poll when the oldest were handled: that confirms them
			// and takes in the ones behind. When the server had nothing
			// more, also poll after pace, for new updates; and at least
			// once a poll timeout, to show the Bot API is still there.
			wait := b.cfg.PollTimeout
			if returned < pollLimit && window < pollLimit {
				wait = pace
			}
			b.waitProgress(ctx, max(offset, low), started, wait)
		}
	}
	b.log.Info("stopped polling")
	return nil
}

// finish records update id as handled, durably when the bot has a HandledLog,
// or as abandoned when shutdown cut it short.
func (b *Bot) finish(id int) {
	ok := b.work.Err() == nil
	if ok && b.rememberHandled() {
		if err := b.cfg.Handled.MarkHandled(id); err != nil {
			b.log.Error("could not record a handled update; a crash before it is confirmed would answer it again",
				zap.Int("update", id), zap.Error(err))
		}
	}
	b.offsets.done(id, ok)
}

// rememberHandled reports whether handled updates are recorded in the
// Store, for the next start.
func (b *Bot) rememberHandled() bool { return b.cfg.Handled != nil && !b.cfg.TemporaryStore }

// confirmed notes that Telegram confirmed the updates below offset.
func (b *Bot) confirmed(offset int) {
	if offset > 0 && b.rememberHandled() {
		if err := b.cfg.Handled.SetConfirmed(offset); err != nil {
			b.log.Error("could not record the confirmed offset in the handled log", zap.Int("offset", offset), zap.Error(err))
		}
	}
}

// waitProgress waits until the offset to confirm moved past from: by
// refill updates, or by any once pollPace passed since started. It waits
// at most max (0: no bound), and returns when ctx ends. It also waits
// while MaxInFlight updates are being handled.
func (b *Bot) waitProgress(ctx context.Context, from int, started time.Time, max time.Duration) {
	var timeout <-chan time.Time
	if max > 0 {
		t := time.NewTimer(max)
		defer t.Stop()
		timeout = t.C
	}
	soon := time.NewTimer(time.Until(started.Add(pollPace)))
	defer soon.Stop()
	paced := false
	for {
		inFlight, progress := b.offsets.inFlight()
		if moved := b.offsets.next() - from; inFlight < b.cfg.MaxInFlight && (moved >= refill || moved > 0 && paced) {
			return
		}
		select {
		case <-progress:
		case <-soon.C:
			paced = true
		case <-timeout:
			if inFlight < b.cfg.MaxInFlight {
				return
			}
			timeout = nil
		case <-ctx.Done():
			return
		}
	}
}

// getUpdates makes one long poll and returns the updates not seen before,
// each recorded as in flight, how many the server returned and the lowest
// id among them. Updates already taken in come back while they are in
// flight; only their ids are decoded. Updates the HandledLog says were handled
// before a restart are recorded as handled at once.
func (b *Bot) getUpdates(ctx context.Context, offset int, allowed string) (fresh []tgbotapi.Update, returned, low int, err error) {
	p := tgbotapi.Params{
		"timeout":         strconv.Itoa(int(b.cfg.PollTimeout / time.Second)),
		"limit":           strconv.Itoa(pollLimit),
		"allowed_updates": allowed,
	}
	if offset > 0 {
		p["offset"] = strconv.Itoa(offset)
	}
	rctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+15*time.Second)
	defer cancel()
	res, err := b.d.request(rctx, "getUpdates", p)
	if err != nil {
		return nil, 0, 0, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(res, &raws); err != nil {
		return nil, 0, 0, fmt.Errorf("getUpdates: decode: %w", err)
	}
	var ids []int
	var news []json.RawMessage
	for _, raw := range raws {
		var id struct {
			UpdateID int `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil {
			return nil, 0, 0, fmt.Errorf("getUpdates: decode: %w", err)
		}
		if low == 0 || id.UpdateID < low {
			low = id.UpdateID
		}
		if !b.offsets.start(id.UpdateID) {
			continue
		}
		ids = append(ids, id.UpdateID)
		news = append(news, raw)
	}
	handled := b.handledBefore(ids)
	for i, raw := range news {
		id := ids[i]
		if handled[id] {
			b.offsets.done(id, true)
			continue
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			// Taken in but unreadable: handle it as empty so that its
			// offset is confirmed rather than fetched forever.
			b.log.Error("getUpdates: undecodable update", zap.Int("update", id), zap.Error(err))
			u = tgbotapi.Update{UpdateID: id}
		}
		fresh = append(fresh, u)
	}
	return fresh, len(raws), low, nil
}

// handledBefore returns which of ids the HandledLog recorded as handled: updates
// Telegram delivers again because a crash kept them from being confirmed.
func (b *Bot) handledBefore(ids []int) map[int]bool {
	if !b.rememberHandled() || len(ids) == 0 {
		return nil
	}
	handled, err := b.cfg.Handled.Handled(ids)
	if err != nil {
		b.log.Error("could not read the handled updates; answering them (again)", zap.Error(err))
		return nil
	}
	if len(handled) > 0 {
		b.metrics.UpdatesDuplicate.Add(int64(len(handled)))
		b.log.Info("confirming updates handled before a restart, without handling them again", zap.Int("updates", len(handled)))
	}
	return handled
}

// pollFailed logs a failed poll and waits before the next: retry_after on
// a 429, otherwise a backoff with jitter.
func (b *Bot) pollFailed(ctx context.Context, err error, failures int) {
	kind, api := errKind(err)
	b.metrics.apiError(kind)
	wait := b.d.backoffFor(failures)
	switch kind {
	case "conflict":
		b.log.Error("getUpdates conflict (409): another instance is polling with this token, or a webhook was set; "+
			"only one bot instance may run", zap.Error(err), zap.Duration("retry_in", wait))
	case "flood":
		wait = time.Duration(api.RetryAfter)*time.Second + jitter(time.Second)
		b.log.Warn("getUpdates: flood control", zap.Duration("retry_in", wait))
	case "unauthorized", "not_found":
		b.log.Error("getUpdates refused: check the token and the API URL", zap.Error(err), zap.Duration("retry_in", wait))
	default:
		b.log.Warn("getUpdates failed", zap.String("kind", string(kind)), zap.Int("failures", failures), zap.Duration("retry_in", wait), zap.Error(err))
	}
	_ = sleep(ctx, wait)
}

// confirm tells Telegram which updates were handled, so that the next start
// neither repeats nor loses any.
func (b *Bot) confirm(ctx context.Context) {
	off := b.offsets.next()
	if off == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p := tgbotapi.Params{"offset": strconv.Itoa(off), "limit": "1", "timeout": "0"}
	for attempt := 1; attempt <= 3; attempt++ {
		if _, err := b.d.request(ctx, "getUpdates", p); err == nil {
			b.confirmed(off)
			b.log.Info("confirmed handled updates", zap.Int("offset", off))
			return
		} else if attempt == 3 || ctx.Err() != nil {
			b.log.Error("could not confirm handled updates; they may be answered again after restart", zap.Int("offset", off), zap.Error(err))
			return
		}
		_ = sleep(ctx, 200*time.Millisecond)
	}
}

// deleteWebhook removes any webhook so that getUpdates works. It retries
// while the Bot API is unreachable; a server without the method is only
// warned about.
func (b *Bot) deleteWebhook(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, b.d.timeout)
		_, err := b.d.request(rctx, "deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"})
		cancel()
		if err == nil {
			return nil
		}
		kind, api := errKind(err)
		switch kind {
		case "not_found":
			b.log.Warn("the Bot API server has no deleteWebhook; polling anyway", zap.Error(err))
			return nil
		case "network", "server", "flood":
		default:
			return fmt.Errorf("deleteWebhook: %w", err)
		}
		wait := b.d.backoffFor(attempt)
		if api != nil && api.RetryAfter > 0 {
			wait = time.Duration(api.RetryAfter) * time.Second
		}
		b.log.Warn("deleteWebhook failed; retrying", zap.Int("attempt", attempt), zap.Duration("in", wait), zap.Error(err))
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}
