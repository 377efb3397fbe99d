package conversation

import (
	"sync"
	"time"
)

// memory is what one process remembers about chats between their updates:
// when each was last told about an outage. It is only a courtesy: after a
// restart it is empty.
type memory struct {
	mu    sync.Mutex
	told  map[int64]time.Time
	flood map[int64]time.Time // when the chat was last told its messages wait
}

// floodEvery is how often someone writing faster than messages can go is
// told so.
const floodEvery = time.Minute

// tellFlood reports whether the chat should be told now that its messages
// wait (or one was refused), and records it.
func (m *memory) tellFlood(chat int64, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if last, ok := m.flood[chat]; ok && now.Sub(last) <= floodEvery {
		return false
	}
	if m.flood == nil || len(m.flood) > 10000 {
		m.flood = map[int64]time.Time{}
	}
	m.flood[chat] = now
	return true
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
