package main

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// SIGKILL under load, in both modes: people click in a closed loop while the
// bot is killed 3 times and restarted at once on the same Redis. Every
// action is acknowledged in the end and answered; a double answer only in
// the send→record window the Bot API cannot close, at most one per kill.
func TestKillUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := boussoleBinary(t)
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			addr := ""
			if mode == "webhook" {
				addr = freeAddr(t)
			}
			env := processEnv(tg, redisURL, mode, addr)
			proc := startProcess(t, bin, env, logs)
			waitReceiving(t, tg, mode, addr)

			chats := make([]int64, 12)
			for i := range chats {
				chats[i] = int64(7601 + i)
			}
			stop := make(chan struct{})
			actions := make([]int, len(chats))
			var wg sync.WaitGroup
			for i, chat := range chats {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w := &walker{tg: tg, chat: chat, lang: []string{"fr", "ar"}[i%2]}
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						w.act(n, 5*time.Second) // an unanswered action is counted below
						actions[i]++
					}
				}()
			}
			const kills = 3
			start := time.Now()
			for k := range kills {
				// a random moment in the middle of each 3-s slot
				at := time.Duration(k)*3*time.Second + 750*time.Millisecond + rand.N(1500*time.Millisecond)
				time.Sleep(time.Until(start.Add(at))) // load schedule, not a synchronisation
				proc.kill()
				proc = startProcess(t, bin, env, logs)
			}
			time.Sleep(time.Until(start.Add(10 * time.Second))) // the end of the load
			close(stop)
			wg.Wait()

			if err := tg.WaitIdle(20 * time.Second); err != nil {
				t.Errorf("not every action was acknowledged: %v", err)
			}
			answered := func() bool {
				for i, chat := range chats {
					if len(tg.BotMessages(chat)) < actions[i] {
						return false
					}
				}
				return true
			}
			_ = tg.WaitFor(ctxFor(20*time.Second), answered)
			waitQuiet(tg, 1500*time.Millisecond, 10*time.Second)
			lost, doubled, total := 0, 0, 0
			for i, chat := range chats {
				got := len(tg.BotMessages(chat))
				total += actions[i]
				switch {
				case got < actions[i]:
					lost += actions[i] - got
					t.Logf("chat %d: %d actions, %d answers:\n%s", chat, actions[i], got, transcript(tg.Chat(chat)))
				case got > actions[i]:
					doubled += got - actions[i]
				}
			}
			t.Logf("%s: %d actions, %d kills, %d lost, %d doubled", mode, total, kills, lost, doubled)
			if lost > 0 {
				t.Errorf("%d acknowledged actions were never answered", lost)
			}
			if doubled > kills {
				t.Errorf("%d double answers for %d kills (at most one per kill)", doubled, kills)
			}
		})
	}
}
