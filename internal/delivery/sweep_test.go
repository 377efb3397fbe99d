package delivery_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// A sweep that claims a chat just before a step of the same replica hands
// it over, and resumes only once that step's reply went out, must not send
// the reply again from what it read (a welcome shown twice).
func TestSweepNeverResendsWhatAStepSent(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	claimed, resume := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	q := &hookQueue{Queue: e.store, after: func(op string, chat int64) {
		if op == "claim" && first.CompareAndSwap(false, true) {
			close(claimed) // the sweep read the head: hold it there
			<-resume
		}
	}}
	cfg := config("A")
	cfg.Sweep = 5 * time.Millisecond
	eng := newEngineOn(q, cfg, api, &fakeLimiter{})

	const chat = 1201
	// The step committed, and has not handed the claim to the engine yet.
	c := e.commit(eng.Owner(), chat, text("welcome"))
	run(t, eng, time.Second)
	<-claimed
	eng.Hold(chat, c)
	waitFor(t, "the welcome sent and acknowledged", func() bool {
		return len(api.sentTo(chat)) == 1 && !e.exists(e.key("lease", chat))
	})
	swept := q.sweeps.Load()
	close(resume)
	waitFor(t, "the sweep over", func() bool { return q.sweeps.Load() > swept })
	e.put(eng, chat, text("menu"))
	waitFor(t, "the menu sent", func() bool { return slices.Contains(api.sentTo(chat), "menu") })
	equal(t, "sent", api.sentTo(chat), []string{"welcome", "menu"})
}

// A step whose commit read the head before the engine sent it, and which
// hands its claim over only after that head and its own replies went out,
// must not make the engine send that head again (the welcome shown again
// after the menu).
func TestLateHoldNeverResendsWhatWasSent(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	eng := newEngine(e, config("A"), api, &fakeLimiter{})
	run(t, eng, time.Second)

	const chat = 1202
	entered, release := api.gate("welcome")
	e.put(eng, chat, text("welcome"))
	<-entered
	late := e.commit(eng.Owner(), chat, text("menu")) // its head: the welcome, on its way
	release()
	waitFor(t, "the menu sent and the lease handed back", func() bool {
		return slices.Contains(api.sentTo(chat), "menu") && !e.exists(e.key("lease", chat))
	})
	eng.Hold(chat, late) // the step's goroutine comes back only now
	e.put(eng, chat, text("next"))
	waitFor(t, "the next reply sent", func() bool { return slices.Contains(api.sentTo(chat), "next") })
	equal(t, "sent", api.sentTo(chat), []string{"welcome", "menu", "next"})
}
