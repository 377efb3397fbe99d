package conversation

import (
	"sync"
	"time"
)

// memory is what one process remembers about chats between their updates:
// when each was last told about an outage. It is only a courtesy: after a
// restart it is empty.
type memory struct {
	mu   sync.Mutex
	told map[int64]time.Time
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
	if m.told == nil {
		m.told = map[int64]time.Time{}
	}
	m.told[chat] = now
	return true
}

// recovered forgets that a chat was told about an outage.
func (m *memory) recovered(chat int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.told, chat)
}
