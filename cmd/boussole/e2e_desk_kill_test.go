package main

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

// The bot is killed (SIGKILL) twice in the middle of a relayed
// conversation and restarted at once: every message, both ways, reaches
// the other side; none twice, but for the one the Bot API cannot rule out
// (accepted just before a kill, not yet recorded), at most one per kill.
func TestKillMidRelay(t *testing.T) {
	bin := boussoleBinary(t)
	tg, redisURL, logs := setupDelivery(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	env := processEnv(tg, redisURL, "polling", "")
	maps.Copy(env, deskEnv(nil))
	proc := startProcess(t, bin, env, logs)
	waitReceiving(t, tg, "polling", "")

	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1010, "fr")
	askForSomeone(t, f, "fr")
	vera.take(waitCard(t, tg, "En attente", true))
	waitFor(t, tg, "Vera has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)

	const each, kills = 24, 2
	for i := range each {
		tg.SendText(f.chat, fmt.Sprintf("personne %02d", i), f.opts...)
		tg.SendText(vera.id, fmt.Sprintf("bénévole %02d", i), vera.opts...)
		if i%(each/(kills+1)) == each/(kills+1)-1 && i < each-1 {
			proc.kill()
			proc = startProcess(t, bin, env, logs)
		}
		time.Sleep(40 * time.Millisecond) // a person's typing pace, not a synchronisation
	}
	count := func(chat int64, prefix string) map[string]int {
		n := map[string]int{}
		for _, m := range tg.BotMessages(chat) {
			if m.IsCopy() && strings.HasPrefix(m.Text, prefix) {
				n[m.Text]++
			}
		}
		return n
	}
	waitFor(t, tg, "every message relayed both ways", func() bool {
		return len(count(vera.id, "personne")) == each && len(count(f.chat, "bénévole")) == each
	}, vera.id, f.chat)
	waitQuiet(tg, 1500*time.Millisecond, 10*time.Second)
	doubled := 0
	for _, n := range []map[string]int{count(vera.id, "personne"), count(f.chat, "bénévole")} {
		for _, c := range n {
			doubled += c - 1
		}
	}
	t.Logf("%d messages each way, %d kills, %d doubled", each, kills, doubled)
	if doubled > kills {
		t.Errorf("%d messages relayed twice for %d kills", doubled, kills)
	}
}
