package telegramtest

import (
	"bytes"
	"net/http"
	"time"
)

const (
	maxPollLimit   = 100
	maxPollTimeout = 50 // seconds; the Bot API clamps longer timeouts
)

const (
	conflictOtherPoll = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictSetHook   = "Conflict: terminated by setWebhook request"
	conflictHookSet   = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

// poller is the long poll currently waiting for updates.
type poller struct {
	abort  chan struct{}
	reason string
}

// abortPollLocked ends the waiting long poll with a 409 Conflict.
func (s *Server) abortPollLocked(reason string) {
	if s.poller == nil {
		return
	}
	s.poller.reason = reason
	close(s.poller.abort)
	s.poller = nil
}

// Polling reports whether a getUpdates long poll is currently waiting.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.poller != nil
}

func (s *Server) handleGetUpdates(r *request) *result {
	offset := r.p.int64("offset")
	limit := r.p.int("limit")
	if limit <= 0 || limit > maxPollLimit {
		limit = maxPollLimit
	}
	timeout := min(max(r.p.int("timeout"), 0), maxPollTimeout)

	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return errResult(http.StatusConflict, conflictHookSet)
	}
	if r.p.has("allowed_updates") {
		if res := s.setAllowedLocked(r.p.str("allowed_updates")); res != nil {
			s.mu.Unlock()
			return res
		}
	}
	s.confirmLocked(offset)
	var me *poller
	if timeout > 0 {
		s.abortPollLocked(conflictOtherPoll)
		me = &poller{abort: make(chan struct{})}
		s.poller = me
	}
	s.bumpLocked()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.dropUnwantedLocked()
		if len(s.queue) > 0 || timeout == 0 {
			batch := s.queue[:min(limit, len(s.queue))]
			for _, u := range batch {
				u.handedOut = true
			}
			res := updatesResult(batch)
			if me != nil && s.poller == me {
				s.poller = nil
			}
			s.bumpLocked()
			s.mu.Unlock()
			return res
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-me.abort:
			s.mu.Lock()
			reason := me.reason
			s.mu.Unlock()
			return errResult(http.StatusConflict, reason)
		case <-deadline.C:
			timeout = 0 // answer with whatever is there, usually nothing
		case <-r.ctx.Done():
			timeout = 0
		case <-s.closed:
			timeout = 0
		}
		s.mu.Lock()
		if s.webhook != nil {
			if s.poller == me {
				s.poller = nil
			}
			s.mu.Unlock()
			return errResult(http.StatusConflict, conflictSetHook)
		}
	}
}

// updatesResult renders a batch of updates. Invalid raw updates (PushRaw) are
// written verbatim, which breaks the JSON of the whole answer like a corrupt
// update would.
func updatesResult(batch []*queuedUpdate) *result {
	valid := true
	for _, u := range batch {
		if !isJSON(u.raw) {
			valid = false
			break
		}
	}
	if valid {
		list := make([][]byte, len(batch))
		for i, u := range batch {
			list[i] = u.raw
		}
		return okResult(rawList(list))
	}
	var b bytes.Buffer
	b.WriteString(`{"ok":true,"result":[`)
	for i, u := range batch {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(u.raw)
	}
	b.WriteString(`]}`)
	return &result{code: http.StatusOK, rawBody: b.Bytes(), contentType: "application/json"}
}

// rawList is a JSON array of pre-encoded values.
type rawList [][]byte

// MarshalJSON implements json.Marshaler.
func (l rawList) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, v := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(v)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
