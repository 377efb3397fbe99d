package ateliers

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Memory is a Store in memory, for a bot without Redis and for tests: it
// follows the Redis store's rules (a cancelled session loses its sign-ups,
// none is taken for a session over or cancelled, a moved session has its
// reminders due again) but forgets everything on restart. Sign-ups of a
// session over are dropped when read.
type Memory struct {
	Now func() time.Time // the clock of sign-ups; time.Now if nil

	mu       sync.Mutex
	sessions map[string]Session
	signs    map[string]map[int64]Sign
	counts   map[string]int
	reminded map[string]bool
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory {
	return &Memory{sessions: map[string]Session{}, signs: map[string]map[int64]Sign{}, counts: map[string]int{},
		reminded: map[string]bool{}}
}

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// idAlphabet has no 0/O nor 1/I.
const idAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func (m *Memory) Save(_ context.Context, s Session) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.ID == "" {
		for s.ID == "" || m.sessions[s.ID].ID != "" {
			b := make([]byte, 4)
			_, _ = rand.Read(b)
			for i := range b {
				b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
			}
			s.ID = string(b)
		}
	}
	if old, ok := m.sessions[s.ID]; ok && !old.Start.Equal(s.Start) {
		delete(m.reminded, s.ID)
	}
	if s.Cancelled {
		delete(m.signs, s.ID)
	}
	m.sessions[s.ID] = clone(s)
	return s, nil
}

func (m *Memory) Get(_ context.Context, id string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return Session{}, ErrNoSession
	}
	return clone(s), nil
}

func (m *Memory) list(keep func(Session) bool) []Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Session
	for _, s := range m.sessions {
		if keep(s) {
			out = append(out, clone(s))
		}
	}
	slices.SortFunc(out, func(a, b Session) int { return a.Start.Compare(b.Start) })
	return out
}

func (m *Memory) Coming(_ context.Context, now time.Time) ([]Session, error) {
	return m.list(func(s Session) bool { return s.End().After(now) }), nil
}

func (m *Memory) Between(_ context.Context, from, to time.Time) ([]Session, error) {
	return m.list(func(s Session) bool { return !s.Start.Before(from) && s.Start.Before(to) }), nil
}

func (m *Memory) SignUp(_ context.Context, id string, sg Sign) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return 0, ErrNoSession
	}
	if s.Cancelled || !s.End().After(m.now()) {
		return 0, fmt.Errorf("%w: cancelled or over", ErrNoSession)
	}
	if m.signs[id] == nil {
		m.signs[id] = map[int64]Sign{}
	}
	m.signs[id][sg.Chat] = sg
	m.counts[id] = len(m.signs[id])
	return m.counts[id], nil
}

func (m *Memory) SignOut(_ context.Context, id string, chat int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[id]; !ok {
		return 0, ErrNoSession
	}
	delete(m.signs[id], chat)
	m.counts[id] = len(m.signs[id])
	return m.counts[id], nil
}

// live is a session's sign-ups, none once it is over (locked).
func (m *Memory) live(id string) map[int64]Sign {
	if s, ok := m.sessions[id]; !ok || !s.End().After(m.now()) {
		delete(m.signs, id)
		return nil
	}
	return m.signs[id]
}

func (m *Memory) Signed(_ context.Context, id string) ([]Sign, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Sign
	for _, sg := range m.live(id) {
		out = append(out, sg)
	}
	slices.SortFunc(out, func(a, b Sign) int { return cmp.Compare(a.Chat, b.Chat) })
	return out, nil
}

func (m *Memory) Count(_ context.Context, id string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[id]; !ok {
		return 0, ErrNoSession
	}
	return m.counts[id], nil
}

func (m *Memory) Mine(_ context.Context, chat int64) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for id := range m.sessions {
		if _, ok := m.live(id)[chat]; ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (m *Memory) Forget(_ context.Context, chat int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, signs := range m.signs {
		if _, ok := signs[chat]; ok {
			delete(signs, chat)
			m.counts[id] = len(signs)
		}
	}
	return nil
}

func (m *Memory) Reminded(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[id]; !ok {
		return false, ErrNoSession
	}
	if m.reminded[id] {
		return false, nil
	}
	m.reminded[id] = true
	return true, nil
}
