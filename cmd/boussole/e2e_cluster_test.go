package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/redistest"
	"github.com/boussole/boussole/internal/telegramtest"
)

// `boussole serve` on a real Redis Cluster of three primaries, started by
// the test (redistest.StartCluster: its own ports from 17000 up, database
// 0, never the shared test server), named as an operator would:
// REDIS_URL=redis+cluster://host1:port1,host2:port2,host3:port3. Three
// families whose chats live on three different primaries go through the
// orientation at once, while a fourth asks for a volunteer, who takes the
// request and answers.
func TestFamilyJourneyOnRedisCluster(t *testing.T) {
	addrs := redistest.StartCluster(t)
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, DisableIdentity: true})
	t.Cleanup(func() { _ = cc.Close() })
	ctx := context.Background()

	// One chat per primary.
	byNode := map[string]int64{}
	for chat := int64(2001); len(byNode) < redistest.ClusterMasters && chat < 3000; chat++ {
		m, err := cc.MasterForKey(ctx, "bsl:conv:{"+strconv.FormatInt(chat, 10)+"}")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := byNode[m.Options().Addr]; !ok {
			byNode[m.Options().Addr] = chat
		}
	}
	if len(byNode) != redistest.ClusterMasters {
		t.Fatalf("chats on %d primaries only: %v", len(byNode), byNode)
	}

	// The person asking for a volunteer lives on another primary than the
	// desk (one slot: {desk}).
	desk, err := cc.MasterForKey(ctx, "bsl:{desk}:queue")
	if err != nil {
		t.Fatal(err)
	}
	var asking int64
	for node, chat := range byNode {
		if node != desk.Options().Addr {
			asking = chat + 1000
			for {
				m, err := cc.MasterForKey(ctx, "bsl:conv:{"+strconv.FormatInt(asking, 10)+"}")
				if err != nil {
					t.Fatal(err)
				}
				if m.Options().Addr == node {
					break
				}
				asking++
			}
			break
		}
	}

	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	tg.AddGroup(deskGroup, "Bénévoles")
	logs := &syncBuffer{}
	bot := startBot(t, tg, "redis+cluster://"+strings.Join(addrs, ","), logs, deskEnv(nil))

	t.Run("families", func(t *testing.T) {
		for _, chat := range byNode {
			t.Run(strconv.FormatInt(chat, 10), func(t *testing.T) {
				t.Parallel()
				journey(t, newFamily(t, tg, chat, "fr"))
			})
		}
		t.Run("handoff", func(t *testing.T) {
			t.Parallel()
			handoff(t, tg, newFamily(t, tg, asking, "fr"))
		})
	})
	bot.stop(t)

	// Each conversation is stored on its own primary, and nothing was
	// answered in degraded mode (Redis unreachable or refusing a script).
	for node, chat := range byNode {
		key := "bsl:conv:{" + strconv.FormatInt(chat, 10) + "}"
		direct := redis.NewClient(&redis.Options{Addr: node, DisableIdentity: true})
		n, err := direct.Exists(ctx, key).Result()
		_ = direct.Close()
		if err != nil || n != 1 {
			t.Errorf("chat %d: %s on %s: %d %v", chat, key, node, n, err)
		}
	}
	for _, bad := range []string{"degraded", "store unavailable", "CROSSSLOT", "MOVED"} {
		if strings.Contains(logs.String(), bad) {
			t.Errorf("the logs say %q:\n%s", bad, logs.String())
		}
	}
	if t.Failed() {
		for _, chat := range byNode {
			t.Logf("chat %d:\n%s", chat, transcript(tg.Chat(chat)))
		}
	}
}

// journey is a French family's way to the psychological support card, and
// one step back.
func journey(t *testing.T, f *family) {
	got := f.say("/start", 1)
	if !strings.Contains(got[0].Text, "endroit sûr") {
		t.Fatalf("first message %q", got[0].Text)
	}
	f.tap("Oui", 1)
	f.tap("Soutien psychologique", 1)
	got = f.tap("Pour moi", 1)
	if !strings.Contains(got[0].Text, "116\u00a0006") {
		t.Errorf("psychological support shows no service card:\n%s", got[0].Text)
	}
	f.say("/retour", 1)
	if !strings.Contains(f.last().Text, "C'est pour qui ?") {
		t.Errorf("/retour did not go back: %q", f.last().Text)
	}
}

// handoff is a person asking for a volunteer, who takes the card and writes.
func handoff(t *testing.T, tg *telegramtest.Server, f *family) {
	vera := newVolunteer(t, tg, 501, "Vera")
	askForSomeone(t, f, "fr")
	cb := vera.take(waitCard(t, tg, "Personne", true))
	f.waitAnswered(cb)
	waitFor(t, tg, "the person is told someone is there", func() bool {
		return strings.Contains(f.last().Text, "vous répond maintenant")
	}, f.chat)
	tg.SendText(vera.id, "Bonjour, je suis là.", vera.opts...)
	waitFor(t, tg, "the volunteer's reply reaches the person", func() bool {
		m := f.last()
		return m.IsCopy() && strings.Contains(m.Text, "je suis là")
	}, f.chat)
}
