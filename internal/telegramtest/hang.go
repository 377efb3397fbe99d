package telegramtest

import (
	"context"
	"strings"
	"time"
)

// codeClientGone is recorded for a hung call whose caller gave up (or whose
// server closed) before the hang ended, as nginx logs it. Nothing was done.
const codeClientGone = 499

type hang struct {
	method    string // lower case, or "*"
	remaining int
	d         time.Duration
}

// Hang makes the next times calls of method (case-insensitive, or
// [AnyMethod]) hang for d before they are handled, as a call to a Telegram
// data centre in trouble does. A hung call that ends normally is then
// handled as usual (faults included). A caller that gives up first (its
// timeout, a closed connection) gets nothing: the call is recorded with code
// 499 and has no effect. Hangs queue up like faults; each call consumes the
// oldest matching one.
func (s *Server) Hang(method string, times int, d time.Duration) {
	if times <= 0 || d <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangs = append(s.hangs, &hang{method: strings.ToLower(method), remaining: times, d: d})
}

// takeHang consumes the first hang matching method and returns its length,
// 0 when none matches.
func (s *Server) takeHang(method string) time.Duration {
	lower := strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, h := range s.hangs {
		if h.method != lower && (h.method != AnyMethod || lower == "getupdates") {
			continue
		}
		h.remaining--
		if h.remaining <= 0 {
			s.hangs = append(s.hangs[:i], s.hangs[i+1:]...)
		}
		return h.d
	}
	return 0
}

// waitHang waits out a hang. It returns a result when the call must end
// without being handled.
func (s *Server) waitHang(ctx context.Context, d time.Duration) *result {
	s.mu.Lock()
	s.hanging++
	s.bumpLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.hanging--
		s.bumpLocked()
		s.mu.Unlock()
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
	case <-s.closed:
	}
	return errResult(codeClientGone, "Client Closed Request")
}

// Hanging returns the number of calls hanging right now (see [Server.Hang]),
// so a test can wait until a fault has caught the call it meant.
func (s *Server) Hanging() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hanging
}
