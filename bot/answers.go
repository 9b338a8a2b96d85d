package bot

import (
	"strconv"
	"sync"
	"sync/atomic"

	"factbot/bot/reply"
	"factbot/internal/lru"
	"factbot/knowledge"
)

// answerCache keeps recent answers so that their buttons (more results,
// sources, 👍/👎) can refer to them in 64 bytes of callback data. It holds
// the latest max answers; a button on an older one says it expired.
type answerCache struct {
	seq     atomic.Uint64
	records *lru.Cache[string, *answerRecord] // read with Peek: the oldest put goes first
}

type answerRecord struct {
	reply reply.Reply
	mu    sync.Mutex
	voted map[int64]bool // users who rated it
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{records: lru.New[string, *answerRecord](max)}
}

// put stores what the buttons of a reply need and returns its key.
func (c *answerCache) put(r reply.Reply) string {
	r = reply.Reply{Question: r.Question, Lang: r.Lang, Tier: r.Tier, Answered: r.Answered, Fallback: r.Fallback, Newest: r.Newest,
		Best: lean(r.Best), Related: leanAll(r.Related), More: leanAll(r.More), Closest: leanAll(r.Closest)}
	k := strconv.FormatUint(c.seq.Add(1), 36)
	c.records.Put(k, &answerRecord{reply: r})
	return k
}

// get returns the reply stored under k.
func (c *answerCache) get(k string) (reply.Reply, bool) {
	rec, ok := c.records.Peek(k)
	if !ok {
		return reply.Reply{}, false
	}
	return rec.reply, true
}

// vote records that user rated the answer under k; first is false when the
// user already had.
func (c *answerCache) vote(k string, user int64) (r reply.Reply, first, ok bool) {
	rec, ok := c.records.Peek(k)
	if !ok {
		return reply.Reply{}, false, false
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
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
