package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Delivery that holds (issue 6): one chat never holds back another, and
// nothing a person was told "received" goes unanswered.

// One person floods the bot with 3,000 messages while others walk the menus:
// every action of the others is answered within 10 s, and the flooder does
// not fill Redis.
func TestFloodInOneChatLeavesOthersAnswered(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			rdb := redisFor(t, redisURL)
			startIn(t, mode, tg, redisURL, logs, nil)
			const flooder = 6100
			others := []int64{6101, 6102, 6103, 6104, 6105, 6106}

			stop := make(chan struct{})
			done := make(chan []action, 1)
			go func() { done <- walk(tg, others, 10*time.Second, stop) }()
			// The flood starts once everybody has been answered once.
			ready := func() bool {
				for _, c := range others {
					if len(tg.BotMessages(c)) == 0 {
						return false
					}
				}
				return true
			}
			if err := tg.WaitFor(ctxFor(10*time.Second), ready); err != nil {
				close(stop)
				t.Fatalf("before the flood: %s", slowest(<-done))
			}
			flood := 3000
			if raceDetector {
				flood = 500 // the same flood, at the pace the race detector allows
			}
			for i := range flood {
				tg.SendText(flooder, fmt.Sprintf("à l'aide %d", i), telegramtest.Lang("fr"))
			}
			time.AfterFunc(8*time.Second, func() { close(stop) }) // the length of the walk, not a wait
			acts := <-done
			for _, a := range acts {
				if !a.ok || a.took > 10*time.Second {
					t.Fatalf("with one chat flooding, others waited more than 10 s: %s", slowest(acts))
				}
			}
			t.Logf("others during the flood: %s", slowest(acts))

			if err := tg.WaitIdle(20 * time.Second); err != nil {
				t.Errorf("the flood was not acknowledged within 20 s: %d updates pending", len(tg.Pending()))
			}
			keys := chatKeys(t, rdb, flooder)
			if n := footprint(t, rdb, keys); n > 64<<10 {
				t.Errorf("the flooder's keys take %d bytes in Redis (want < 64 KB): %v", n, keys)
			}
		})
	}
}

// Another person's 429 (retry_after 20) or hung sendMessage, while that
// person writes again, does not delay a newcomer's answers.
func TestSlowChatDoesNotStallOthers(t *testing.T) {
	faults := []struct {
		name   string
		inject func(tg *telegramtest.Server)
		caught func(tg *telegramtest.Server) bool
	}{
		{"429", func(tg *telegramtest.Server) { tg.Fail("sendMessage", 1, http.StatusTooManyRequests, 20) },
			func(tg *telegramtest.Server) bool {
				for _, c := range tg.Calls("sendMessage") {
					if c.Code == http.StatusTooManyRequests {
						return true
					}
				}
				return false
			}},
		{"hang", func(tg *telegramtest.Server) { tg.Hang("sendMessage", 1, 15*time.Second) },
			func(tg *telegramtest.Server) bool { return tg.Hanging() > 0 }},
	}
	for _, mode := range modes {
		for _, f := range faults {
			t.Run(mode+"/"+f.name, func(t *testing.T) {
				tg, redisURL, logs := setupDelivery(t)
				startIn(t, mode, tg, redisURL, logs, nil)
				x := newFamily(t, tg, 6201, "fr")
				x.say("/start", 1)
				f.inject(tg)
				tg.SendText(x.chat, "bonjour", x.opts...)
				if err := tg.WaitFor(ctxFor(10*time.Second), func() bool { return f.caught(tg) }); err != nil {
					t.Fatalf("X's reply never met the %s", f.name)
				}
				tg.SendText(x.chat, "merci", x.opts...) // X writes again while the reply is held
				y := &walker{tg: tg, chat: 6202, lang: "ar"}
				for n := range 2 {
					if a := y.act(n, 5*time.Second); !a.ok {
						t.Fatalf("while X's chat meets a %s, Y's %s is not answered within 5 s", f.name, a.what)
					} else {
						t.Logf("Y's %s answered in %v", a.what, a.took.Round(time.Millisecond))
					}
				}
			})
		}
	}
}

// Telegram fails (10 × 500) while a person writes twice: both messages are
// answered, in order, as a careful person's would be.
func TestRepliesSurviveTelegramErrors(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			startIn(t, mode, tg, redisURL, logs, nil)
			ref := newFamily(t, tg, 6301, "fr")
			ref.say("/start", 1)
			want := append(ref.say("bonjour", 1), ref.say("merci", 1)...)

			p := newFamily(t, tg, 6302, "fr")
			p.say("/start", 1)
			had := len(tg.BotMessages(p.chat))
			tg.Fail("sendMessage", 10, http.StatusInternalServerError, 0)
			tg.SendText(p.chat, "bonjour", p.opts...)
			time.Sleep(300 * time.Millisecond) // the person types again; not a synchronisation
			tg.SendText(p.chat, "merci", p.opts...)
			got, err := tg.WaitMessages(p.chat, had+2, 40*time.Second)
			if err != nil {
				t.Fatalf("both messages should be answered within 40 s: %v", err)
			}
			if g, w := screens(got[had:]), screens(want); g != w {
				t.Fatalf("answers after Telegram failed:\n%s\nwant (a careful person's):\n%s", g, w)
			}
		})
	}
}

// After a quiet week Telegram restarts update ids lower: the returning
// person's /start and tap are new updates, not duplicates. (Webhook only:
// the fake compares polling offsets as numbers.)
func TestUpdateIDsRestartLower(t *testing.T) {
	tg, redisURL, logs := setupDelivery(t)
	startIn(t, "webhook", tg, redisURL, logs, nil)
	p := &walker{tg: tg, chat: 6401, lang: "fr"}
	tg.SetNextUpdateID(1_500_000_000)
	if a := p.act(0, 5*time.Second); !a.ok {
		t.Fatal("the update with a large id was not answered")
	}
	tg.SetNextUpdateID(2) // a week without updates
	for n := range 2 {
		if a := p.act(n, 5*time.Second); !a.ok {
			t.Fatalf("after ids restarted lower, the person's %s was not answered within 5 s", a.what)
		}
	}
}

// screens renders bot messages as text and buttons, to compare what two
// people saw.
func screens(msgs []telegramtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		if !m.FromBot {
			continue
		}
		fmt.Fprintf(&b, "%q", m.Text)
		for _, row := range m.Buttons {
			for _, btn := range row {
				fmt.Fprintf(&b, " [%s→%s]", btn.Text, btn.Data)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
