package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

// SIGKILL under load, in both modes: people click in a closed loop while the
// bot is killed 3 times and restarted at once on the same Redis. Every
// action is acknowledged in the end and answered; a double answer only in
// the send→record window the Bot API cannot close, at most one per kill.
func TestKillUnderLoad(t *testing.T) {
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
			actions, walked := walkers(tg, chats, stop)
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
			walked()

			lost, doubled, total := countAnswers(t, tg, chats, actions)
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
