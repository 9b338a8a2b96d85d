package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// Diff is what changed between two versions of a base, by id. Eval cases
// have no id; they are named "lang: question".
type Diff struct {
	AddedFacts, ChangedFacts, RemovedFacts       []string
	AddedDocs, ChangedDocs, RemovedDocs          []string
	AddedAliases, ChangedAliases, RemovedAliases []string
	// Measures are compared by id: a changed measure has other words, name,
	// numeric flag or refinement.
	AddedMeasures, ChangedMeasures, RemovedMeasures                []string
	AddedEval, ChangedEval, RemovedEval                            []string
	AddedAnnouncements, ChangedAnnouncements, RemovedAnnouncements []string
	// Counters are the counting bodies, by id.
	AddedCounters, ChangedCounters, RemovedCounters []string
}

// Empty reports whether nothing changed.
func (d Diff) Empty() bool {
	for _, ids := range d.lists() {
		if len(ids) > 0 {
			return false
		}
	}
	return true
}

// Searchable reports whether something the index is built from changed:
// facts, documents, aliases or measures. Eval cases and announcements are
// not in it.
func (d Diff) Searchable() bool {
	for _, ids := range d.lists()[:12] {
		if len(ids) > 0 {
			return true
		}
	}
	return false
}

func (d Diff) lists() [][]string {
	return [][]string{
		d.AddedFacts, d.ChangedFacts, d.RemovedFacts,
		d.AddedDocs, d.ChangedDocs, d.RemovedDocs,
		d.AddedAliases, d.ChangedAliases, d.RemovedAliases,
		d.AddedMeasures, d.ChangedMeasures, d.RemovedMeasures,
		d.AddedEval, d.ChangedEval, d.RemovedEval,
		d.AddedAnnouncements, d.ChangedAnnouncements, d.RemovedAnnouncements,
		d.AddedCounters, d.ChangedCounters, d.RemovedCounters,
	}
}

// Redacted returns d with each blind eval case named by its language and a
// hash of its question ("blind en #3fa2c1d0"): a diff may reach a log, a
// version's manifest or a chat, and the blind set's questions must stay
// unseen by anyone who tunes the search or writes the facts.
func (d Diff) Redacted() Diff {
	for _, ids := range []*[]string{&d.AddedEval, &d.ChangedEval, &d.RemovedEval} {
		if *ids == nil {
			continue
		}
		out := make([]string, len(*ids))
		for i, id := range *ids {
			if rest, ok := strings.CutPrefix(id, "blind "); ok {
				lang, q, _ := strings.Cut(rest, ": ")
				sum := sha256.Sum256([]byte(q))
				id = "blind " + lang + " #" + hex.EncodeToString(sum[:4])
			}
			out[i] = id
		}
		*ids = out
	}
	return d
}

// Compare returns what changed from old to new. A nil old means everything is new.
func Compare(old, new *Base) Diff {
	if old == nil {
		old = &Base{}
	}
	var d Diff
	d.AddedFacts, d.ChangedFacts, d.RemovedFacts = compareSums(sums(old.Facts, factKey), sums(new.Facts, factKey))
	d.AddedDocs, d.ChangedDocs, d.RemovedDocs = compareSums(sums(old.Documents, docKey), sums(new.Documents, docKey))
	d.AddedAliases, d.ChangedAliases, d.RemovedAliases = compareSums(sums(old.Aliases, aliasKey), sums(new.Aliases, aliasKey))
	d.AddedMeasures, d.ChangedMeasures, d.RemovedMeasures = compareSums(sums(old.Thesaurus, measureKey), sums(new.Thesaurus, measureKey))
	d.AddedEval, d.ChangedEval, d.RemovedEval = compareSums(
		sums(slices.Concat(old.Eval, old.Blind), evalKey), sums(slices.Concat(new.Eval, new.Blind), evalKey))
	d.AddedAnnouncements, d.ChangedAnnouncements, d.RemovedAnnouncements = compareSums(
		sums(old.Announcements, announcementKey), sums(new.Announcements, announcementKey))
	d.AddedCounters, d.ChangedCounters, d.RemovedCounters = compareSums(sums(old.Counters, counterKey), sums(new.Counters, counterKey))
	return d
}

// sums maps each item's key to the hash of its content.
func sums[T any](items []T, key func(T) (string, [32]byte)) map[string][32]byte {
	m := make(map[string][32]byte, len(items))
	for _, it := range items {
		k, sum := key(it)
		m[k] = sum
	}
	return m
}

func factKey(f *Fact) (string, [32]byte)    { return f.ID, factSum(f) }
func docKey(d *Document) (string, [32]byte) { return d.ID, docSum(d) }
func aliasKey(a Alias) (string, [32]byte)   { return a.ID, jsonSum([]any{a.ID, a.Forms}) }
func evalKey(c EvalCase) (string, [32]byte) {
	key := string(c.Lang) + ": " + c.Question
	if strings.HasPrefix(c.Pos.File, "blind/") {
		key = "blind " + key
	}
	return key, jsonSum([]any{c.Want, c.OutOfScope, c.Asked, c.Kind, c.Series})
}
func measureKey(m *Measure) (string, [32]byte) { return m.ID, measureSum(m) }
func counterKey(c *Counter) (string, [32]byte) { return c.ID, counterSum(c) }
func announcementKey(a Announcement) (string, [32]byte) {
	a.Pos = Pos{}
	return a.ID, jsonSum(a)
}

func jsonSum(v any) [32]byte {
	b, _ := json.Marshal(v)
	return sha256.Sum256(b)
}

func compareSums(old, new map[string][32]byte) (added, changed, removed []string) {
	for id, sum := range new {
		switch o, ok := old[id]; {
		case !ok:
			added = append(added, id)
		case o != sum:
			changed = append(changed, id)
		}
	}
	for id := range old {
		if _, ok := new[id]; !ok {
			removed = append(removed, id)
		}
	}
	sort.Strings(added)
	sort.Strings(changed)
	sort.Strings(removed)
	return added, changed, removed
}

// factSum hashes a fact's content, not where it sits in a file.
func factSum(f *Fact) [32]byte {
	g := *f
	g.Pos = Pos{}
	b, _ := json.Marshal(g)
	return sha256.Sum256(b)
}

func docSum(d *Document) [32]byte {
	g := *d
	g.Pos = Pos{}
	ps := make([]Passage, len(d.Passages))
	for i, p := range d.Passages {
		p.Line = 0
		ps[i] = p
	}
	g.Passages = ps
	b, _ := json.Marshal(g)
	return sha256.Sum256(b)
}
