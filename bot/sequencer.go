package bot

import (
	"context"
	"sync"
	"sync/atomic"
)

// sequencer runs jobs concurrently across keys (chats) and in order within
// a key: each key with work has one goroutine draining its queue, which
// exits when the queue is empty. Nothing is fire-and-forget: wait returns
// once every job submitted has run.
type sequencer struct {
	mu      sync.Mutex
	queues  map[int64][]func()
	running sync.WaitGroup
	jobs    atomic.Int64  // submitted, not finished
	idle    chan struct{} // closed and replaced when jobs drops to zero
}

func newSequencer() *sequencer {
	return &sequencer{queues: map[int64][]func(){}, idle: make(chan struct{})}
}

// submit queues job behind key's earlier jobs.
func (s *sequencer) submit(key int64, job func()) {
	s.jobs.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	q, busy := s.queues[key]
	s.queues[key] = append(q, job)
	if !busy {
		s.running.Add(1)
		go s.run(key)
	}
}

func (s *sequencer) run(key int64) {
	defer s.running.Done()
	for {
		s.mu.Lock()
		q := s.queues[key]
		if len(q) == 0 {
			delete(s.queues, key)
			s.mu.Unlock()
			return
		}
		job := q[0]
		q[0] = nil
		s.queues[key] = q[1:]
		s.mu.Unlock()

		job()

		if s.jobs.Add(-1) == 0 {
			s.mu.Lock()
			close(s.idle)
			s.idle = make(chan struct{})
			s.mu.Unlock()
		}
	}
}

// pending returns how many jobs are queued or running.
func (s *sequencer) pending() int { return int(s.jobs.Load()) }

// wait blocks until every submitted job has finished or ctx ends.
func (s *sequencer) wait(ctx context.Context) error {
	for {
		s.mu.Lock()
		n, ch := s.jobs.Load(), s.idle
		s.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stop waits for the goroutines to exit once their queues are empty; call
// it after the last submit.
func (s *sequencer) stop() { s.running.Wait() }
