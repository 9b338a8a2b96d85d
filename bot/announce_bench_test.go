package bot

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"factbot/bot/telegramtest"
)

// BenchmarkBroadcast300 announces to 300 groups under DefaultLimits while
// the fake enforces Telegram's (30 messages a second in all, 20 a minute per
// group) and fails on a breach. It reports the delivery rate measured on
// the fake's clock, from the first delivery to the last, and that rate as a
// share of the 30/s Telegram allows. Run it with -benchtime=1x: one
// broadcast takes about 11 s.
func BenchmarkBroadcast300(b *testing.B) {
	const groups = 300
	for range b.N {
		b.StopTimer()
		st := mustOpenStore(b, filepath.Join(b.TempDir(), "factbot.db"))
		srv := telegramtest.New(b, telegramtest.WithCallLog(-1))
		srv.Timeout = 60 * time.Second
		h, err := newBotTB(b, srv, withStore(st), withAdmin(nil), withLimits(DefaultLimits))
		if err != nil {
			b.Fatal(err)
		}
		h.run()
		addGroups(b, srv, st, groups)
		srv.EnforceLimits(telegramtest.TelegramLimits)
		const text = "Benchmark announcement"
		preview := announce(b, srv, text)
		b.StartTimer()
		srv.Callback(admin, preview.Message(), preview.Buttons()[0])
		waitReport(b, srv)
		b.StopTimer()

		var first, last time.Time
		n := 0
		for _, c := range srv.Sent(0) {
			if c.ChatID < 0 && c.PlainText() == text {
				if first.IsZero() {
					first = c.At
				}
				last = c.At
				n++
			}
		}
		if n != groups {
			b.Fatalf("%d deliveries, want %d", n, groups)
		}
		if br := srv.Breaches(); len(br) > 0 {
			b.Fatalf("%d breaches of Telegram's limits, first %v", len(br), br[0])
		}
		rate := float64(n-1) / last.Sub(first).Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(100*rate/30, "%of30/s")
		h.cancel()
		<-h.done
		h.bot.Close(context.Background())
		st.Close()
		b.StartTimer()
	}
}
