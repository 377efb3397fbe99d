package delivery

import (
	"container/heap"
	"time"
)

// slot is a chat whose lease this replica holds, with the head of its queue.
type slot struct {
	chat      int64
	raw       string // the head entry as stored
	item      Item   // raw decoded
	notBefore time.Time
	lastSend  time.Time
	backoff   time.Duration
	unacked   []int // sent but not acknowledged yet (the store failed): only the ack is retried
	ackOnly   bool  // unacked holds what to acknowledge (nothing, for a drop)
	inflight  bool
	reclaim   bool // a step of this replica took the lease again while a send was in flight
	lost      bool // the lease is gone: drop the slot once the send in flight ends
	acked     mark // the last entry acknowledged
	score     int64
	index     int // in its heap, -1 when in none
	where     int // inNone, inReady, inWaiting
}

const (
	inNone = iota
	inReady
	inWaiting
)

// urgentBoost puts replies to an emergency step ahead of everything.
const urgentBoost = int64(365 * 24 * time.Hour / time.Millisecond)

// rank orders ready chats: the oldest head first, where a chat that just sent
// goes back to the end of the line (round robin), and first replies and
// emergency replies jump ahead by a bounded boost.
func (s *slot) rank(firstBoost time.Duration) int64 {
	score := max(s.item.At, s.lastSend.UnixMilli())
	switch {
	case s.item.Urgent:
		score -= urgentBoost
	case s.item.First && firstBoost > 0:
		score -= firstBoost.Milliseconds()
	}
	return score
}

// readyHeap holds the chats that may send now, best first.
type readyHeap []*slot

func (h readyHeap) Len() int { return len(h) }
func (h readyHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].chat < h[j].chat
}
func (h readyHeap) Swap(i, j int)   { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }
func (h *readyHeap) Push(x any)     { s := x.(*slot); s.index = len(*h); *h = append(*h, s) }
func (h *readyHeap) Pop() any       { return popLast((*[]*slot)(h)) }
func (h readyHeap) peek() *slot     { return h[0] }
func (h *readyHeap) remove(s *slot) { heap.Remove(h, s.index) }

// waitHeap holds chats paced or backing off, soonest first.
type waitHeap []*slot

func (h waitHeap) Len() int           { return len(h) }
func (h waitHeap) Less(i, j int) bool { return h[i].notBefore.Before(h[j].notBefore) }
func (h waitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }
func (h *waitHeap) Push(x any)        { s := x.(*slot); s.index = len(*h); *h = append(*h, s) }
func (h *waitHeap) Pop() any          { return popLast((*[]*slot)(h)) }

func popLast(h *[]*slot) any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	s.index = -1
	return s
}

// AlbumWait is how long a head that copies part of an album waits after it
// was queued, so that the parts arriving after it join it (the store merges
// them into the head while it is young, and into the last entry behind it),
// rather than each go on its own. Other chats are not held meanwhile. Once
// the wait is over the engine reads the head again (one round trip per
// album) and sends, and acknowledges, exactly what it read.
const AlbumWait = time.Second

// AlbumMargin is how long before AlbumWait is over the store stops merging
// parts into an album's head: after that a part starts a new entry, so the
// head the engine reads once AlbumWait is over can no longer change and its
// acknowledgement never misses. This relies on the replicas' clocks (the
// one that queued the head, the one committing a part, the one sending)
// agreeing within the margin, and on a step's commit reaching the store
// within it of the time the step read.
const AlbumMargin = 300 * time.Millisecond

// notBefore is when the slot's chat may receive its head: its pace lets it
// (from the pacing mark), and an album's head has waited AlbumWait.
func (e *Engine) notBefore(s *slot, mark time.Time) time.Time {
	var at time.Time
	if !mark.IsZero() {
		p := e.pace(s.chat)
		at = mark.Add(-time.Duration(p.Burst-1) * p.Interval)
	}
	if it := s.item; it.Kind == KindCopy && it.Album != "" && it.At != 0 {
		if w := time.UnixMilli(it.At).Add(AlbumWait); w.After(at) {
			at = w
		}
	}
	return at
}
