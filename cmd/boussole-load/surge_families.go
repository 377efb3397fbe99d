package main

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// surgeChats is where the chat ids of a surge's families start.
const surgeChats = 300_000_000

// emergencyPhrase is what an urgent family types after its first reply.
const emergencyPhrase = "je suis en danger"

// Phases of a surge family.
const (
	phaseNew    = iota // not arrived yet
	phaseFirst         // /start sent, waiting for the first reply
	phaseSecond        // tapped (or typed the emergency), waiting for the second reply
	phaseDone          // both replies in
)

// surgeFam is one family of a surge: /start, then one tap on the first
// button of the first reply (or, if urgent, the emergency phrase typed).
type surgeFam struct {
	chat     int64
	urgent   bool
	phase    int
	startAt  time.Time // /start pushed
	secondAt time.Time // tap or text pushed
	first    time.Duration
	second   time.Duration
	cbID     string // the tap's callback query id
	answered bool
	withText bool
	answers  int // answerCallbackQuery calls for this tap (more than 1: answered twice)
}

// surge plays the families against the fake: the fake's call hook times
// the replies and hands the next action to a worker (the hook must not
// block).
type surge struct {
	fake *telegramtest.Server

	mu   sync.Mutex
	fams map[int64]*surgeFam
	cbs  map[string]*surgeFam
	last time.Time // the last reply of any family

	next chan int64 // families whose first reply came with buttons

	sendOK, send429, sendOther     atomic.Int64
	other429                       atomic.Int64
	answerOK, answerFail, typing   atomic.Int64
	setWebhook, getUpdates         atomic.Int64
	extraReplies, replyWithoutKeys atomic.Int64
}

func newSurge(n int, urgent float64) *surge {
	s := &surge{fams: make(map[int64]*surgeFam, n), cbs: make(map[string]*surgeFam, n), next: make(chan int64, n)}
	for i := range n {
		// Urgent families are spread evenly over the arrivals.
		u := urgent > 0 && int(float64(i+1)*urgent) > int(float64(i)*urgent)
		chat := surgeChats + int64(i)
		s.fams[chat] = &surgeFam{chat: chat, urgent: u}
	}
	return s
}

// onCall is the fake's call hook.
func (s *surge) onCall(c telegramtest.Call) {
	switch c.Method {
	case "sendMessage":
		switch {
		case c.OK():
			s.sendOK.Add(1)
		case c.Code == 429:
			s.send429.Add(1)
			return
		default:
			s.sendOther.Add(1)
			return
		}
	case "answerCallbackQuery":
		s.onAnswer(c)
		return
	case "sendChatAction":
		if c.OK() {
			s.typing.Add(1)
		}
		return
	case "setWebhook":
		if c.OK() {
			s.setWebhook.Add(1)
		}
		return
	case "getUpdates":
		s.getUpdates.Add(1)
		return
	default:
		if c.Code == 429 {
			s.other429.Add(1)
		}
		return
	}
	chat, err := strconv.ParseInt(c.Params["chat_id"], 10, 64)
	if err != nil {
		return
	}
	buttons := callbackData(c.Params["reply_markup"])
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fams[chat]
	if f == nil {
		return
	}
	switch f.phase {
	case phaseFirst:
		if f.first == 0 {
			f.first = max(c.Time.Sub(f.startAt), time.Nanosecond)
			s.seen(c.Time)
		} else {
			s.extraReplies.Add(1)
		}
		if len(buttons) == 0 {
			s.replyWithoutKeys.Add(1)
			return // wait for the message with the buttons
		}
		f.phase = phaseSecond
		f.cbID = strconv.Itoa(messageID(c.Result)) + "\x00" + buttons[0] // what to tap; replaced by the query id
		s.next <- chat                                                   // never blocks: room for every family
	case phaseSecond:
		if f.secondAt.IsZero() || c.Time.Before(f.secondAt) {
			s.extraReplies.Add(1) // a late message of the first step
			return
		}
		f.second = max(c.Time.Sub(f.secondAt), time.Nanosecond)
		f.phase = phaseDone
		s.seen(c.Time)
	default:
		s.extraReplies.Add(1)
	}
}

func (s *surge) onAnswer(c telegramtest.Call) {
	if !c.OK() {
		s.answerFail.Add(1)
		return
	}
	s.answerOK.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.cbs[c.Params["callback_query_id"]]; f != nil {
		f.answers++
		f.answered = true
		f.withText = f.withText || c.Params["text"] != ""
	}
}

// act is the worker: it takes each family's second step.
func (s *surge) act(stop <-chan struct{}) {
	for {
		var chat int64
		select {
		case chat = <-s.next:
		case <-stop:
			return
		}
		s.mu.Lock()
		f := s.fams[chat]
		tap, urgent := f.cbID, f.urgent
		if urgent {
			f.secondAt = time.Now()
		}
		s.mu.Unlock()
		if urgent {
			s.fake.SendText(chat, emergencyPhrase)
			continue
		}
		id, data := splitTap(tap)
		// The lock is held over the push so that the answer, which can only
		// come after it, finds the query id.
		s.mu.Lock()
		f.secondAt = time.Now()
		_, cb := s.fake.Tap(chat, id, data)
		f.cbID = cb
		s.cbs[cb] = f
		s.mu.Unlock()
	}
}

func splitTap(s string) (int, string) {
	for i := range len(s) {
		if s[i] == 0 {
			id, _ := strconv.Atoi(s[:i])
			return id, s[i+1:]
		}
	}
	return 0, s
}

// arrive pushes each family's /start, evenly over the window.
func (s *surge) arrive(start time.Time, over time.Duration, stop <-chan struct{}) {
	n := len(s.fams)
	for i := range n {
		due := start.Add(time.Duration(float64(over) * float64(i) / float64(n)))
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-stop:
				return
			}
		}
		chat := surgeChats + int64(i)
		s.mu.Lock()
		f := s.fams[chat]
		f.phase = phaseFirst
		f.startAt = time.Now()
		s.mu.Unlock()
		s.fake.SendText(chat, "/start")
	}
}

// seen notes the time of a reply; s.mu is held.
func (s *surge) seen(t time.Time) {
	if t.After(s.last) {
		s.last = t
	}
}

// done reports whether every family has both replies.
func (s *surge) done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.fams {
		if f.phase != phaseDone {
			return false
		}
	}
	return true
}
