package knowledge

import (
	"crypto/sha256"
	"encoding/json"
	"sort"
)

// Diff is what changed between two versions of a base, by id.
type Diff struct {
	AddedFacts, ChangedFacts, RemovedFacts []string
	AddedDocs, ChangedDocs, RemovedDocs    []string
	// Measures are compared by id: a changed measure has other words, name,
	// numeric flag or refinement.
	AddedMeasures, ChangedMeasures, RemovedMeasures []string
}

// Empty reports whether nothing changed.
func (d Diff) Empty() bool {
	return len(d.AddedFacts)+len(d.ChangedFacts)+len(d.RemovedFacts)+
		len(d.AddedDocs)+len(d.ChangedDocs)+len(d.RemovedDocs)+
		len(d.AddedMeasures)+len(d.ChangedMeasures)+len(d.RemovedMeasures) == 0
}

// Compare returns what changed from old to new. A nil old means everything is new.
func Compare(old, new *Base) Diff {
	var d Diff
	oldFacts, newFacts := map[string][32]byte{}, map[string][32]byte{}
	oldDocs, newDocs := map[string][32]byte{}, map[string][32]byte{}
	if old != nil {
		for _, f := range old.Facts {
			oldFacts[f.ID] = factSum(f)
		}
		for _, doc := range old.Documents {
			oldDocs[doc.ID] = docSum(doc)
		}
	}
	for _, f := range new.Facts {
		newFacts[f.ID] = factSum(f)
	}
	for _, doc := range new.Documents {
		newDocs[doc.ID] = docSum(doc)
	}
	d.AddedFacts, d.ChangedFacts, d.RemovedFacts = compareSums(oldFacts, newFacts)
	d.AddedDocs, d.ChangedDocs, d.RemovedDocs = compareSums(oldDocs, newDocs)
	d.AddedMeasures, d.ChangedMeasures, d.RemovedMeasures = compareMeasures(old, new)
	return d
}

// compareMeasures is Compare for the measures.
func compareMeasures(old, new *Base) (added, changed, removed []string) {
	sums := func(b *Base) map[string][32]byte {
		m := map[string][32]byte{}
		if b != nil {
			for _, x := range b.Thesaurus {
				m[x.ID] = measureSum(x)
			}
		}
		return m
	}
	return compareSums(sums(old), sums(new))
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
