package handoff

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// members caches who belongs to the volunteers' group, briefly: someone
// removed loses access within the cache's life, and at once when Telegram
// tells (a chat_member update drops the entry).
type members struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[int64]memberEntry
}

type memberEntry struct {
	ok bool
	at time.Time
}

// isMember asks Telegram (getChatMember) unless the answer is fresh.
func (d *Desk) isMember(ctx context.Context, user int64) (bool, error) {
	now := d.now()
	ms := &d.members
	ms.mu.Lock()
	e, hit := ms.m[user]
	ms.mu.Unlock()
	if hit && now.Sub(e.at) < ms.ttl {
		return e.ok, nil
	}
	if user == anonymousAdmin || user == telegramService {
		return false, nil // stand-ins for a hidden sender: never a volunteer
	}
	status, err := d.bot.Member(ctx, d.cfg.Group, user)
	if errors.Is(err, delivery.ErrRejected) {
		status, err = "left", nil // Telegram does not know them there: not a member
	}
	if err != nil {
		return false, err
	}
	ok := status == "member" || status == "administrator" || status == "creator" || status == "restricted"
	ms.mu.Lock()
	if len(ms.m) > 5000 {
		clear(ms.m)
	}
	ms.m[user] = memberEntry{ok: ok, at: now}
	ms.mu.Unlock()
	return ok, nil
}

func (ms *members) drop(user int64) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	delete(ms.m, user)
}

// Telegram's stand-ins for an anonymous group admin and for channel posts:
// whoever hides behind them must never be taken for a volunteer.
const (
	anonymousAdmin  = 1087968824
	telegramService = 777000
)
