package curate

import (
	"fmt"
	"slices"
	"strings"

	"factbot/knowledge"
)

// Preview is what an admin must see before a candidate replaces the
// knowledge being served: what changes, by id, with the figures and
// sources of each changed fact, and the eval numbers before and after.
// Compare makes it; index.PreviewEval fills Eval.
type Preview struct {
	OldHash, NewHash string
	// Diff is what changes, by id, with blind eval cases named by a hash of
	// their question (Diff.Redacted); String only counts them.
	Diff knowledge.Diff
	// Facts details every changed fact, in id order.
	Facts []FactChange
	// Aliases details every changed alias: the forms added and removed.
	Aliases []AliasChange
	// Eval holds the eval numbers before and after; nil when they were not
	// computed.
	Eval *EvalChange
}

// FactChange is what changed in one fact.
type FactChange struct {
	ID string
	// Fields names the other fields that changed: "text (en, ru)",
	// "topic", "measures", "tags", "date", "disagreement (fr)",
	// "confidence".
	Fields []string
	// Figures and Sources changed, old → new: Old is "" for one added,
	// New "" for one removed.
	Figures, Sources []Change
}

// Change is one figure or source, before and after, as text.
type Change struct{ Old, New string }

// AliasChange is what changed in one alias.
type AliasChange struct {
	ID             string
	Added, Removed []string // forms
}

// Compare returns the preview of replacing old by new, without the eval
// numbers.
func Compare(old, new *knowledge.Base) *Preview {
	p := &Preview{OldHash: old.Hash(), NewHash: new.Hash(), Diff: knowledge.Compare(old, new).Redacted()}
	for _, id := range p.Diff.ChangedFacts {
		p.Facts = append(p.Facts, compareFact(old.Fact(id), new.Fact(id)))
	}
	oldAliases := map[string][]string{}
	for _, a := range old.Aliases {
		oldAliases[a.ID] = a.Forms
	}
	newAliases := map[string][]string{}
	for _, a := range new.Aliases {
		newAliases[a.ID] = a.Forms
	}
	for _, id := range p.Diff.ChangedAliases {
		added, removed := setDiff(oldAliases[id], newAliases[id])
		p.Aliases = append(p.Aliases, AliasChange{id, added, removed})
	}
	return p
}

func compareFact(o, n *knowledge.Fact) FactChange {
	c := FactChange{ID: n.ID}
	field := func(name string, changed bool) {
		if changed {
			c.Fields = append(c.Fields, name)
		}
	}
	field(textField("text", o.Text, n.Text))
	field("topic", o.Topic != n.Topic)
	field("measures", !slices.Equal(o.Measures, n.Measures))
	field("tags", !slices.Equal(o.Tags, n.Tags))
	field("date", o.Date != n.Date)
	field(textField("disagreement", o.Disagreement, n.Disagreement))
	field("confidence", o.Confidence != n.Confidence)
	c.Figures = pair(o.Figures, n.Figures, figureKey, figureText, func(a, b knowledge.Figure) bool {
		return figureText(a) == figureText(b) && textsEqual(a.Note, b.Note)
	}, func(f knowledge.Figure) knowledge.Text { return f.Note })
	c.Sources = pair(o.Sources, n.Sources, sourceKey, sourceText, func(a, b knowledge.Source) bool {
		return sourceText(a) == sourceText(b) && textsEqual(a.Note, b.Note)
	}, func(s knowledge.Source) knowledge.Text { return s.Note })
	return c
}

// textField names a per-language field that changed, with its languages.
func textField(name string, o, n knowledge.Text) (string, bool) {
	var langs []string
	for _, l := range knowledge.Langs {
		if o[l] != n[l] {
			langs = append(langs, string(l))
		}
	}
	if len(langs) == 0 {
		return name, false
	}
	return name + " (" + strings.Join(langs, ", ") + ")", true
}

func textsEqual(a, b knowledge.Text) bool {
	for _, l := range knowledge.Langs {
		if a[l] != b[l] {
			return false
		}
	}
	return true
}

// pair matches the old items with the new: equal ones are unchanged; the
// rest are paired by key, in order, as changed; what is left was removed or
// added.
func pair[T any](old, new []T, key, text func(T) string, equal func(a, b T) bool, note func(T) knowledge.Text) []Change {
	usedOld := make([]bool, len(old))
	usedNew := make([]bool, len(new))
	for i, o := range old {
		for j, n := range new {
			if !usedNew[j] && equal(o, n) {
				usedOld[i], usedNew[j] = true, true
				break
			}
		}
	}
	var out []Change
	for i, o := range old {
		if usedOld[i] {
			continue
		}
		for j, n := range new {
			if !usedNew[j] && key(o) == key(n) {
				usedOld[i], usedNew[j] = true, true
				ot, nt := text(o), text(n)
				if ot == nt && !textsEqual(note(o), note(n)) {
					nt += " (note changed)"
				}
				out = append(out, Change{ot, nt})
				break
			}
		}
	}
	for i, o := range old {
		if !usedOld[i] {
			out = append(out, Change{Old: text(o)})
		}
	}
	for j, n := range new {
		if !usedNew[j] {
			out = append(out, Change{New: text(n)})
		}
	}
	return out
}

// A figure is the same figure, changed, when it counts the same unit for
// the same period by the same source.
func figureKey(f knowledge.Figure) string { return f.By + "\x00" + f.Date + "\x00" + f.Unit }

func figureText(f knowledge.Figure) string {
	s := f.Value + " " + f.Unit
	var at []string
	if f.Date != "" {
		at = append(at, f.Date)
	}
	if f.By != "" {
		at = append(at, "by "+f.By)
	}
	if len(at) > 0 {
		s += " (" + strings.Join(at, ", ") + ")"
	}
	return s
}

// A source is the same source, changed, when it has the same URL, or the
// same publisher when it has none.
func sourceKey(s knowledge.Source) string {
	if s.URL != "" {
		return s.URL
	}
	return "\x00" + s.Publisher
}

func sourceText(s knowledge.Source) string {
	var parts []string
	for _, p := range []string{s.Publisher, s.Title, s.URL, s.Date} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// setDiff returns what b adds to a and what it drops from it.
func setDiff(a, b []string) (added, removed []string) {
	for _, x := range b {
		if !slices.Contains(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

// EvalNumbers are the eval numbers a preview shows for one eval set.
type EvalNumbers struct {
	// Cases, Recall1 and Recall3 are per language, over the in-scope
	// questions; Recall20 is the share whose answer is among the
	// candidates.
	Cases                      map[knowledge.Lang]int
	Recall1, Recall3, Recall20 map[knowledge.Lang]float64
	// OutOfScope questions, and the share that got no confident answer.
	OutOfScope int
	Abstention float64
}

// Floor is a quality floor: index.QualityFloor, which the blind set must
// reach.
type Floor struct {
	Recall1, Recall3, Recall20 map[knowledge.Lang]float64
	Abstention                 float64
}

// EvalChange holds the eval numbers of the base served and of the
// candidate, each on its own eval cases.
type EvalChange struct {
	Before, After EvalNumbers // the dev sets (eval/)
	// BlindBefore and BlindAfter are the blind sets' numbers, nil for a
	// base without one; Floor is what they must reach.
	BlindBefore, BlindAfter *EvalNumbers
	Floor                   Floor
}

// MaxRecallDrop is how far recall@3 on the dev set may fall in a language
// before the quality gate fails a preview.
const MaxRecallDrop = 0.02

// Drops lists what fails the quality gate on the dev set: recall@3
// falling by more than MaxRecallDrop in a language, or abstention falling.
func (e *EvalChange) Drops() []string {
	var out []string
	for _, l := range knowledge.Langs {
		b, a := e.Before.Recall3[l], e.After.Recall3[l]
		if e.Before.Cases[l] > 0 && b-a > MaxRecallDrop+1e-9 {
			out = append(out, fmt.Sprintf("recall@3 in %s falls from %.3f to %.3f", l, b, a))
		}
	}
	if e.Before.OutOfScope > 0 && e.After.Abstention < e.Before.Abstention-1e-9 {
		out = append(out, fmt.Sprintf("abstention falls from %.3f to %.3f", e.Before.Abstention, e.After.Abstention))
	}
	return out
}

// BelowFloor lists where the candidate's blind set falls short of the
// floor; nil without a blind set.
func (e *EvalChange) BelowFloor() []string {
	if e.BlindAfter == nil {
		return nil
	}
	return below(*e.BlindAfter, e.Floor)
}

func below(n EvalNumbers, f Floor) []string {
	var out []string
	for _, l := range knowledge.Langs {
		if n.Cases[l] == 0 {
			continue
		}
		if r, min := n.Recall1[l], f.Recall1[l]; r < min {
			out = append(out, fmt.Sprintf("blind recall@1 in %s is %.3f, under %.2f", l, r, min))
		}
		if r, min := n.Recall3[l], f.Recall3[l]; r < min {
			out = append(out, fmt.Sprintf("blind recall@3 in %s is %.3f, under %.2f", l, r, min))
		}
		if r, min := n.Recall20[l], f.Recall20[l]; r < min {
			out = append(out, fmt.Sprintf("blind recall@20 of the candidates in %s is %.3f, under %.2f", l, r, min))
		}
	}
	if n.OutOfScope > 0 && n.Abstention < f.Abstention {
		out = append(out, fmt.Sprintf("blind abstention is %.3f, under %.2f", n.Abstention, f.Abstention))
	}
	return out
}

// GateFails reports whether the quality gate fails: a drop on the dev set,
// or the blind set under the floor.
func (e *EvalChange) GateFails() bool { return len(e.Drops()) > 0 || len(e.BelowFloor()) > 0 }

// GateFails reports whether the preview's quality gate fails; false when
// the eval numbers were not computed.
func (p *Preview) GateFails() bool { return p.Eval != nil && p.Eval.GateFails() }

// maxListed bounds the ids and facts a preview's text lists in one place.
const maxListed = 40

// String renders the preview as plain English text, one item a line.
func (p *Preview) String() string {
	var b strings.Builder
	if p.OldHash == p.NewHash {
		fmt.Fprintf(&b, "Knowledge %s (facts, documents, aliases and measures unchanged)\n", p.NewHash)
	} else {
		fmt.Fprintf(&b, "Knowledge %s → %s\n", p.OldHash, p.NewHash)
	}
	d := p.Diff
	if d.Empty() {
		b.WriteString("Nothing changes in facts, documents, aliases, measures, eval cases or announcements.\n")
	}
	if n := len(d.AddedFacts) + len(d.ChangedFacts) + len(d.RemovedFacts); n > 0 {
		fmt.Fprintf(&b, "Facts: %d added, %d changed, %d removed\n", len(d.AddedFacts), len(d.ChangedFacts), len(d.RemovedFacts))
		list(&b, "  + ", d.AddedFacts)
		for i, f := range p.Facts {
			if i == maxListed {
				fmt.Fprintf(&b, "  … and %d more changed\n", len(p.Facts)-i)
				break
			}
			fmt.Fprintf(&b, "  ~ %s\n", f.ID)
			for _, c := range f.Figures {
				change(&b, "figure", c)
			}
			for _, c := range f.Sources {
				change(&b, "source", c)
			}
			if len(f.Fields) > 0 {
				fmt.Fprintf(&b, "      changed: %s\n", strings.Join(f.Fields, "; "))
			}
		}
		list(&b, "  - ", d.RemovedFacts)
	}
	ids(&b, "Documents", d.AddedDocs, d.ChangedDocs, d.RemovedDocs)
	ids(&b, "Aliases", d.AddedAliases, nil, d.RemovedAliases)
	if len(p.Aliases) > 0 {
		b.WriteString("Aliases changed:\n")
	}
	for i, a := range p.Aliases {
		if i == maxListed {
			fmt.Fprintf(&b, "  … and %d more\n", len(p.Aliases)-i)
			break
		}
		var parts []string
		if len(a.Added) > 0 {
			parts = append(parts, "+ "+strings.Join(a.Added, ", "))
		}
		if len(a.Removed) > 0 {
			parts = append(parts, "− "+strings.Join(a.Removed, ", "))
		}
		if len(parts) == 0 {
			parts = append(parts, "forms reordered")
		}
		fmt.Fprintf(&b, "  ~ %s: %s\n", a.ID, strings.Join(parts, "; "))
	}
	ids(&b, "Measures", d.AddedMeasures, d.ChangedMeasures, d.RemovedMeasures)
	ids(&b, "Announcements", d.AddedAnnouncements, d.ChangedAnnouncements, d.RemovedAnnouncements)
	evalCases(&b, d)
	p.writeEval(&b)
	return b.String()
}

func list(b *strings.Builder, prefix string, ids []string) {
	for i, id := range ids {
		if i == maxListed {
			fmt.Fprintf(b, "%s… and %d more\n", prefix, len(ids)-i)
			return
		}
		fmt.Fprintf(b, "%s%s\n", prefix, id)
	}
}

func change(b *strings.Builder, what string, c Change) {
	switch {
	case c.Old == "":
		fmt.Fprintf(b, "      %s added: %s\n", what, c.New)
	case c.New == "":
		fmt.Fprintf(b, "      %s removed: %s\n", what, c.Old)
	default:
		fmt.Fprintf(b, "      %s: %s → %s\n", what, c.Old, c.New)
	}
}

// ids writes one line per kind of change: "Documents added: a, b".
func ids(b *strings.Builder, kind string, added, changed, removed []string) {
	for _, x := range []struct {
		verb string
		ids  []string
	}{{"added", added}, {"changed", changed}, {"removed", removed}} {
		if len(x.ids) == 0 {
			continue
		}
		shown := x.ids
		more := ""
		if len(shown) > maxListed {
			more = fmt.Sprintf(" … and %d more", len(shown)-maxListed)
			shown = shown[:maxListed]
		}
		fmt.Fprintf(b, "%s %s: %s%s\n", kind, x.verb, strings.Join(shown, ", "), more)
	}
}

// evalCases counts the eval cases changed, the dev set's and the blind
// set's apart.
func evalCases(b *strings.Builder, d knowledge.Diff) {
	count := func(ids []string) (dev, blind int) {
		for _, id := range ids {
			if strings.HasPrefix(id, "blind ") {
				blind++
			} else {
				dev++
			}
		}
		return dev, blind
	}
	da, ba := count(d.AddedEval)
	dc, bc := count(d.ChangedEval)
	dr, br := count(d.RemovedEval)
	if da+dc+dr > 0 {
		fmt.Fprintf(b, "Eval cases: %d added, %d changed, %d removed\n", da, dc, dr)
	}
	if ba+bc+br > 0 {
		fmt.Fprintf(b, "Blind eval cases: %d added, %d changed, %d removed\n", ba, bc, br)
	}
}

func (p *Preview) writeEval(b *strings.Builder) {
	e := p.Eval
	if e == nil {
		b.WriteString("Eval numbers: not computed.\n")
		return
	}
	b.WriteString("Eval on each version's own dev set, before → after:\n")
	numbers(b, e.Before, e.After)
	switch {
	case e.BlindAfter != nil:
		b.WriteString("Blind set, before → after:\n")
		var before EvalNumbers
		if e.BlindBefore != nil {
			before = *e.BlindBefore
		}
		numbers(b, before, *e.BlindAfter)
	case e.BlindBefore != nil:
		b.WriteString("Blind set: the new version has none.\n")
	}
	drops, below := e.Drops(), e.BelowFloor()
	switch {
	case len(drops)+len(below) == 0:
		b.WriteString("Quality gate: passes.\n")
	default:
		fmt.Fprintf(b, "Quality gate: FAILS: %s.\n", strings.Join(append(drops, below...), "; "))
		if e.BlindBefore != nil && len(below) > 0 && len(belowBefore(e)) > 0 {
			b.WriteString("(The blind set was under the floor before this change too.)\n")
		}
	}
}

func belowBefore(e *EvalChange) []string { return below(*e.BlindBefore, e.Floor) }

func numbers(b *strings.Builder, before, after EvalNumbers) {
	var parts []string
	for _, l := range knowledge.Langs {
		if before.Cases[l] == 0 && after.Cases[l] == 0 {
			continue
		}
		mark := ""
		if before.Cases[l] > 0 && before.Recall3[l]-after.Recall3[l] > MaxRecallDrop+1e-9 {
			mark = " ▼"
		}
		parts = append(parts, fmt.Sprintf("%s %.3f → %.3f%s", l, before.Recall3[l], after.Recall3[l], mark))
	}
	fmt.Fprintf(b, "  recall@3: %s\n", strings.Join(parts, ", "))
	mark := ""
	if before.OutOfScope > 0 && after.Abstention < before.Abstention-1e-9 {
		mark = " ▼"
	}
	fmt.Fprintf(b, "  abstention: %.3f → %.3f (%d → %d out-of-scope questions)%s\n", before.Abstention, after.Abstention, before.OutOfScope, after.OutOfScope, mark)
}
