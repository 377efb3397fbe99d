package conversation

import (
	"sync"
	"time"
)

// memory is what one process remembers about chats between their updates.
// It is only ever an optimisation or a courtesy: after a restart it is empty
// and the stored outbox is the truth.
type memory struct {
	mu sync.Mutex
	// told: when the chat was last told about an outage.
	told map[int64]time.Time
	// unacked: the revision whose outbox this process sent but could not
	// acknowledge (the store failed after the send), so it is not sent twice.
	unacked map[int64]int64
	// unsent: chats whose outbox could not be sent yet (Telegram failing).
	unsent map[int64]bool
}

// put sets or clears m[chat], creating the map on first use.
func put[V any](m *map[int64]V, chat int64, v V, keep bool) {
	if !keep {
		delete(*m, chat)
		return
	}
	if *m == nil {
		*m = map[int64]V{}
	}
	(*m)[chat] = v
}

// tellOutage reports whether the chat should be told about an outage now
// (not told in the last degradedEvery), and records that it was.
func (m *memory) tellOutage(chat int64, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	last, told := m.told[chat]
	if told && now.Sub(last) <= degradedEvery {
		return false
	}
	put(&m.told, chat, now, true)
	return true
}

// recovered forgets that a chat was told about an outage.
func (m *memory) recovered(chat int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.told, chat)
}

func (m *memory) sentUnacked(chat, rev int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.unacked[chat]
	return ok && r == rev
}

func (m *memory) setUnacked(chat, rev int64, keep bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	put(&m.unacked, chat, rev, keep)
}

func (m *memory) setUnsent(chat int64, keep bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	put(&m.unsent, chat, true, keep)
}

func (m *memory) unsentChats() []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]int64, 0, len(m.unsent))
	for c := range m.unsent {
		out = append(out, c)
	}
	return out
}
