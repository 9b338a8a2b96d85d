package bot

import (
	"container/list"
	"strconv"
	"sync"

	"factbot/knowledge"
)

// answerCache keeps recent answers so that their buttons (more results,
// sources, 👍/👎) can refer to them in 64 bytes of callback data. It holds
// the latest max answers; a button on an older one says it expired.
type answerCache struct {
	mu  sync.Mutex
	max int
	seq uint64
	m   map[string]*list.Element
	lru *list.List // of *answerRecord, newest first
}

type answerRecord struct {
	key   string
	reply Reply
	voted map[int64]bool // users who rated it
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{max: max, m: map[string]*list.Element{}, lru: list.New()}
}

// put stores what the buttons of a reply need and returns its key.
func (c *answerCache) put(r Reply) string {
	r = Reply{Question: r.Question, Lang: r.Lang, Tier: r.Tier, Answered: r.Answered, Fallback: r.Fallback, Newest: r.Newest,
		Best: lean(r.Best), Related: leanAll(r.Related), More: leanAll(r.More), Closest: leanAll(r.Closest)}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	k := strconv.FormatUint(c.seq, 36)
	c.m[k] = c.lru.PushFront(&answerRecord{key: k, reply: r})
	for c.lru.Len() > c.max {
		e := c.lru.Back()
		c.lru.Remove(e)
		delete(c.m, e.Value.(*answerRecord).key)
	}
	return k
}

// get returns the reply stored under k.
func (c *answerCache) get(k string) (Reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return Reply{}, false
	}
	return e.Value.(*answerRecord).reply, true
}

// vote records that user rated the answer under k; first is false when the
// user already had.
func (c *answerCache) vote(k string, user int64) (r Reply, first, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return Reply{}, false, false
	}
	rec := e.Value.(*answerRecord)
	if rec.voted[user] {
		return rec.reply, false, true
	}
	if rec.voted == nil {
		rec.voted = map[int64]bool{}
	}
	rec.voted[user] = true
	return rec.reply, true, true
}

// lean drops what rendering does not use, so that the cache stays small.
func lean(h knowledge.Hit) knowledge.Hit {
	h.Marks = nil
	return h
}

func leanAll(hs []knowledge.Hit) []knowledge.Hit {
	out := make([]knowledge.Hit, len(hs))
	for i, h := range hs {
		out[i] = lean(h)
	}
	return out
}
