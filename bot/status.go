package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"

	"factbot/bot/record"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// maxGapLines bounds each list /gaps shows.
const maxGapLines = 20

// statusText is /status: what runs, what it serves, how it went.
func (b *Bot) statusText(ctx context.Context) string {
	var s strings.Builder
	version := b.cfg.Version
	if version == "" {
		version = "dev"
	}
	up := time.Since(b.started).Round(time.Second)
	fmt.Fprintf(&s, "📊 factbot %s, up %s (since %s UTC)\n", version, up, b.started.UTC().Format("2006-01-02 15:04"))
	if base := b.knowledge(); base != nil {
		fmt.Fprintf(&s, "Knowledge: version %s, %d facts, %d documents\n", shortHash(base.Hash()), len(base.Facts), len(base.Documents))
	} else {
		s.WriteString("Knowledge: none loaded\n")
	}
	b.reloads.mu.Lock()
	what, when, last, err := b.reloads.what, b.reloads.when, b.reloads.last, b.reloads.err
	running, since := b.reloads.running, b.reloads.since
	b.reloads.mu.Unlock()
	if running != "" {
		fmt.Fprintf(&s, "Reload running: %s for %s (stopped after %s)\n", running,
			formatDuration(time.Since(since).Round(time.Second)), formatDuration(b.cfg.ReloadTimeout))
	}
	switch {
	case what == "":
		s.WriteString("Last reload: none since start\n")
	case err != nil:
		fmt.Fprintf(&s, "Last reload: %s at %s UTC failed: %s\n", what, when.UTC().Format("15:04:05"), reply.Truncate(failureWhy(err, b.cfg.ReloadTimeout), 200))
	default:
		d := last.Diff
		fmt.Fprintf(&s, "Last reload: %s at %s UTC ok in %s — facts +%d ~%d -%d, documents +%d ~%d -%d, aliases +%d ~%d -%d\n",
			what, when.UTC().Format("15:04:05"), formatDuration(last.Took),
			len(d.AddedFacts), len(d.ChangedFacts), len(d.RemovedFacts), len(d.AddedDocs), len(d.ChangedDocs), len(d.RemovedDocs),
			len(d.AddedAliases), len(d.ChangedAliases), len(d.RemovedAliases))
	}
	active, inactive, optedOut := 0, 0, 0
	for _, g := range b.registry.Groups() {
		switch {
		case !g.Active:
			inactive++
		case g.NoAnnouncements:
			active++
			optedOut++
		default:
			active++
		}
	}
	fmt.Fprintf(&s, "Groups: %d active (%d opted out of announcements), %d inactive\n", active, optedOut, inactive)
	sending, pending := b.pendingAnnouncements()
	scheduled := 0
	if all, err := b.ledger.Announcements(); err == nil {
		for _, a := range all {
			if a.State == record.AnnScheduled {
				scheduled++
			}
		}
	}
	fmt.Fprintf(&s, "Announcements: %d being sent, %d deliveries pending, %d scheduled\n", sending, pending, scheduled)
	m := b.metrics
	fmt.Fprintf(&s, "Since start: %d questions, %d answered, %d not answered, %d search errors\n",
		m.Questions.Load(), m.Answered.Load(), m.NotAnswered.Load(), m.SearchErrors.Load())
	return s.String()
}

// noteGap records a question the base could not answer, for /gaps.
func (b *Bot) noteGap(ctx context.Context, question string, lang knowledge.Lang) {
	if err := b.gaps.RecordGap(question, lang); err != nil {
		b.log.Error("record unanswered question", zap.Error(err))
	}
}

// gapsText is /gaps: the questions asked most that got no answer, and the
// answers people marked 👎, counted, without who asked.
func (b *Bot) gapsText(ctx context.Context) string {
	var s strings.Builder
	gs, err := b.gaps.Gaps()
	if err != nil {
		return b.adminFailure("Sorry, the unanswered questions could not be read.", err)
	}
	sort.Slice(gs, func(i, j int) bool {
		if gs[i].Count != gs[j].Count {
			return gs[i].Count > gs[j].Count
		}
		return gs[i].Last.After(gs[j].Last)
	})
	total := 0
	for _, g := range gs {
		total += g.Count
	}
	fmt.Fprintf(&s, "🕳 Questions with no answer: %d asked, %d distinct. Most asked:\n", total, len(gs))
	for i, g := range gs {
		if i == maxGapLines {
			break
		}
		fmt.Fprintf(&s, "%d× [%s] %s%s\n", g.Count, g.Lang, reply.Truncate(g.Question, 150), b.gapHint(ctx, g.Question, g.Lang))
	}
	if len(gs) == 0 {
		s.WriteString("none yet\n")
	}

	fb, err := b.feedback.Feedback()
	if err != nil {
		return s.String() + "\n" + b.adminFailure("Sorry, the feedback could not be read.", err)
	}
	type down struct {
		hit, question string
		lang          knowledge.Lang
		n             int
	}
	downs := map[string]*down{}
	ups, downsTotal := 0, 0
	for _, f := range fb {
		if f.Useful {
			ups++
			continue
		}
		downsTotal++
		k := f.HitID + "\x00" + record.GapKey(f.Question)
		d, ok := downs[k]
		if !ok {
			d = &down{hit: f.HitID, question: f.Question, lang: f.Lang}
			downs[k] = d
		}
		d.n++
	}
	list := make([]*down, 0, len(downs))
	for _, d := range downs {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].hit < list[j].hit
	})
	fmt.Fprintf(&s, "\n👎 Answers marked unhelpful: %d (and %d 👍). Most marked:\n", downsTotal, ups)
	for i, d := range list {
		if i == maxGapLines {
			break
		}
		hit := d.hit
		if hit == "" {
			hit = "(no answer)"
		}
		fmt.Fprintf(&s, "%d× %s ← [%s] %s\n", d.n, hit, d.lang, reply.Truncate(d.question, 150))
	}
	if len(list) == 0 {
		s.WriteString("none yet\n")
	}
	return s.String()
}
