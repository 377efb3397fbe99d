package handoff

import (
	"slices"
	"sync"
	"time"
)

// estimator gives an honest wait: the median of the recent waits (queued →
// taken) times the place in the queue; unknown until some were seen. It is
// this replica's memory only, and says so by being approximate.
type estimator struct {
	mu    sync.Mutex
	waits []time.Duration // most recent last, at most estimatorSize
}

const estimatorSize = 20

func (e *estimator) record(w time.Duration) {
	if w < 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.waits = append(e.waits, w)
	if len(e.waits) > estimatorSize {
		e.waits = e.waits[len(e.waits)-estimatorSize:]
	}
}

// estimate is the wait of the ticket at position (1: next); < 0: unknown.
func (e *estimator) estimate(position int) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.waits) < 3 {
		return -1
	}
	s := slices.Clone(e.waits)
	slices.Sort(s)
	return s[len(s)/2] * time.Duration(max(position, 1))
}
