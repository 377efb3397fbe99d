package delivery

import "time"

// Holding reports, for monitoring, how many chats have replies queued that
// this replica is sending, and when the oldest of their next replies was
// queued (zero when none). The engine holds only each chat's next reply, so
// this is the outbox's depth in chats, and the age of what waits longest.
func (e *Engine) Holding() (chats int, oldest time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var min int64
	for _, s := range e.slots {
		if at := s.item.At; at > 0 && (min == 0 || at < min) {
			min = at
		}
	}
	if min > 0 {
		oldest = time.UnixMilli(min)
	}
	return len(e.slots), oldest
}
