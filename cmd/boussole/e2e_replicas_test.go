package main

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Several webhook replicas on one Redis behind a round-robin proxy: a
// chat's consecutive updates reach different processes, and yet every
// person sees exactly what a careful person sees, once and in order. One
// replica behind the same proxy is the calibration.
func TestReplicasGiveEveryoneTheCarefulTranscript(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("%d replicas", n), func(t *testing.T) {
			tg, redisURL, logs := setupDelivery(t)
			startReplicas(t, n, tg, redisURL, logs)
			const careful, taps = 7000, 6
			fast := make([]int64, 12)
			for i := range fast {
				fast[i] = int64(7001 + i)
			}
			var wg sync.WaitGroup
			errs := make(chan error, len(fast)+1)
			for _, chat := range append([]int64{careful}, fast...) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := walkTranscript(tg, chat, taps, chat == careful); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			settle(t, tg, 20*time.Second)
			want := screens(tg.BotMessages(careful))
			bad := 0
			for _, chat := range fast {
				if got := screens(tg.BotMessages(chat)); got != want {
					bad++
					if bad <= 2 {
						t.Errorf("chat %d saw:\n%s\nthe careful person saw:\n%s", chat, got, want)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d fast people saw another transcript than the careful one", bad, len(fast))
			}
		})
	}
}

// /effacer with two replicas (one: the calibration): people tap fast, then
// send a word and /effacer at once. Afterwards no bot message from before
// the /effacer is visible, and at most one (its reply) from after.
func TestEraseWithReplicas(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d replicas", n), func(t *testing.T) { eraseWithReplicas(t, n) })
	}
}

func eraseWithReplicas(t *testing.T, replicas int) {
	tg, redisURL, logs := setupDelivery(t)
	startReplicas(t, replicas, tg, redisURL, logs)
	chats := make([]int64, 10)
	for i := range chats {
		chats[i] = int64(7101 + i)
	}
	effacer := make([]int, len(chats))
	var wg sync.WaitGroup
	for i, chat := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := []telegramtest.UserOpt{telegramtest.Lang("fr")}
			tg.SendText(chat, "/start", opts...)
			for n := 1; n <= 4; n++ {
				msgs, err := tg.WaitMessages(chat, n, 15*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				last := msgs[len(msgs)-1]
				if len(last.Buttons) == 0 {
					break
				}
				tg.Tap(chat, last.ID, last.Buttons[0][0].Data, opts...)
			}
			tg.SendText(chat, "bonjour", opts...)
			_, effacer[i] = tg.SendText(chat, "/effacer", opts...)
		}()
	}
	wg.Wait()
	settle(t, tg, 20*time.Second)
	for i, chat := range chats {
		var after []telegramtest.Message
		for _, m := range tg.BotMessages(chat) {
			if m.ID < effacer[i] {
				t.Errorf("chat %d: a bot message from before /effacer is still visible:\n%s", chat, transcript(tg.Chat(chat)))
				break
			}
			after = append(after, m)
		}
		if len(after) > 1 {
			t.Errorf("chat %d: %d bot messages after /effacer, want at most its reply:\n%s", chat, len(after), transcript(tg.Chat(chat)))
		}
	}
}
