package main

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// family is one simulated person: a private chat that taps the buttons of
// the bot's last message, one tap at a time, like someone reading a phone.
type family struct {
	chat    int64
	group   *group
	msgID   int      // the bot's last message with buttons; 0 before /start
	buttons []string // its callback data
	waiting bool     // a tap (or /start) awaits its reply
	sentAt  time.Time
	budget  int // taps still to do; < 0 for no limit
}

// group is a set of families driven together; idle holds those whose reply
// came back and who may act again.
type group struct {
	fams map[int64]*family
	idle chan int64
}

// latency is one timed step: when its update was pushed, how long the reply
// took.
type latency struct {
	sent time.Time
	took time.Duration
}

// driver plays the families against the fake and times the bot's replies
// through the fake's call hook.
type driver struct {
	fake *telegramtest.Server

	mu      sync.Mutex
	all     map[int64]*family
	lats    []latency
	sem     atomic.Pointer[chan struct{}] // bounds taps in flight in closed-loop runs; nil otherwise
	waiting atomic.Int64

	taps, starts, replies, lost      atomic.Int64
	sendMessage, answers, getUpdates atomic.Int64
	otherCalls, failedCalls          atomic.Int64
}

func newDriver() *driver { return &driver{all: map[int64]*family{}} }

// newGroup makes n families with chat ids from base.
func (d *driver) newGroup(base int64, n, budget int) *group {
	g := &group{fams: make(map[int64]*family, n), idle: make(chan int64, n)}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range n {
		f := &family{chat: base + int64(i), group: g, budget: budget}
		g.fams[f.chat] = f
		d.all[f.chat] = f
	}
	return g
}

// onCall is the fake's call hook: it counts calls and turns a sendMessage
// into the end of the chat's step.
func (d *driver) onCall(c telegramtest.Call) {
	if !c.OK() {
		d.failedCalls.Add(1)
	}
	erased := false
	switch c.Method {
	case "sendMessage":
		d.sendMessage.Add(1)
	case "deleteMessages":
		// An erase ("Pas maintenant", "Effacer") is answered by emptying the
		// chat, with no message: the step ends there and the family starts
		// again with /start.
		d.otherCalls.Add(1)
		erased = true
	case "answerCallbackQuery":
		d.answers.Add(1)
		return
	case "getUpdates":
		d.getUpdates.Add(1)
		return
	default:
		d.otherCalls.Add(1)
		return
	}
	if !c.OK() {
		return
	}
	chat, err := strconv.ParseInt(c.Params["chat_id"], 10, 64)
	if err != nil {
		return
	}
	id := messageID(c.Result)
	buttons := callbackData(c.Params["reply_markup"])
	d.mu.Lock()
	f := d.all[chat]
	if f == nil {
		d.mu.Unlock()
		return
	}
	switch {
	case erased:
		f.msgID, f.buttons = 0, nil
	case len(buttons) > 0:
		f.msgID, f.buttons = id, buttons
	}
	wasWaiting := f.waiting
	if wasWaiting {
		f.waiting = false
		d.lats = append(d.lats, latency{sent: f.sentAt, took: c.Time.Sub(f.sentAt)})
	}
	again := wasWaiting && f.budget != 0
	d.mu.Unlock()
	if !wasWaiting {
		return // a second message of the same step, or a late one
	}
	d.replies.Add(1)
	d.waiting.Add(-1)
	d.release()
	if again {
		f.group.idle <- chat // never blocks: the channel holds every family
	}
}

func (d *driver) release() {
	if sem := d.sem.Load(); sem != nil {
		select {
		case <-*sem:
		default:
		}
	}
}

// act makes the family take its next step: /start if it has no menu yet,
// otherwise a tap on one of its buttons.
func (d *driver) act(chat int64) {
	d.mu.Lock()
	f := d.all[chat]
	if f == nil || f.waiting {
		d.mu.Unlock()
		return
	}
	data := pick(f.buttons)
	msgID := f.msgID
	if f.budget > 0 {
		f.budget--
	}
	f.waiting = true
	f.sentAt = time.Now()
	d.mu.Unlock()
	d.waiting.Add(1)
	if msgID == 0 || data == "" {
		d.starts.Add(1)
		d.fake.SendText(chat, "/start")
		return
	}
	d.taps.Add(1)
	d.fake.Tap(chat, msgID, data)
}

// expire gives up on steps unanswered for longer than limit, so a lost
// reply cannot hold a family (or a slot of a closed loop) forever.
func (d *driver) expire(limit time.Duration) {
	now := time.Now()
	var back []*family
	d.mu.Lock()
	for _, f := range d.all {
		if f.waiting && now.Sub(f.sentAt) > limit {
			f.waiting = false
			back = append(back, f)
		}
	}
	d.mu.Unlock()
	for _, f := range back {
		d.lost.Add(1)
		d.waiting.Add(-1)
		d.release()
		if f.budget != 0 {
			f.group.idle <- f.chat
		}
	}
}

// latenciesSince returns the steps pushed within [from, to).
func (d *driver) latenciesIn(from, to time.Time) []time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []time.Duration
	for _, l := range d.lats {
		if !l.sent.Before(from) && l.sent.Before(to) {
			out = append(out, l.took)
		}
	}
	return out
}

// forgetLatencies drops the recorded latencies (between runs).
func (d *driver) forgetLatencies() {
	d.mu.Lock()
	d.lats = d.lats[:0]
	d.mu.Unlock()
}
