package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// Two webhook replicas behind a round-robin balancer share the desk: each
// update of a chat may reach either. One card per ticket (one writer to
// the group), and the relay keeps every message, once, in order, both ways.
func TestDeskAcrossReplicas(t *testing.T) {
	tg, redisURL, logs := setupDelivery(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	addrs := []string{freeAddr(t), freeAddr(t)}
	rr := newRoundRobin(t, addrs)
	for _, addr := range addrs {
		env := deskEnv(map[string]string{"MODE": "webhook", "LISTEN_ADDR": addr, "WEBHOOK_SECRET": webhookSecret,
			"WEBHOOK_URL": "http://" + rr.addr + "/tg"})
		startBot(t, tg, redisURL, logs, maps.Clone(env))
	}
	for _, addr := range addrs {
		waitReceiving(t, tg, "webhook", addr)
	}
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1020, "fr")
	askForSomeone(t, f, "fr")
	cb := vera.take(waitCard(t, tg, "En attente", true))
	defer func() {
		if t.Failed() {
			a, _ := tg.CallbackAnswer(cb)
			t.Logf("answer %q\nlogs:\n%s", a.Text, logs.String())
		}
	}()
	waitFor(t, tg, "Vera has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)

	const each = 10
	var want []string
	for i := range each {
		tg.SendText(f.chat, fmt.Sprintf("p%02d", i), f.opts...)
		tg.SendText(vera.id, fmt.Sprintf("v%02d", i), vera.opts...)
		want = append(want, fmt.Sprintf("%02d", i))
	}
	copies := func(chat int64, prefix string) []string {
		var got []string
		for _, m := range tg.BotMessages(chat) {
			if s, ok := strings.CutPrefix(m.Text, prefix); ok && m.IsCopy() {
				got = append(got, s)
			}
		}
		return got
	}
	waitFor(t, tg, "every message relayed", func() bool {
		return len(copies(vera.id, "p")) >= each && len(copies(f.chat, "v")) >= each
	}, vera.id, f.chat)
	settle(t, tg, 20e9)
	if got := copies(vera.id, "p"); !slices.Equal(got, want) {
		t.Errorf("the volunteer got %v, want %v once each, in order", got, want)
	}
	if got := copies(f.chat, "v"); !slices.Equal(got, want) {
		t.Errorf("the person got %v, want %v once each, in order", got, want)
	}
	cards := 0
	for _, m := range tg.BotMessages(deskGroup) {
		if strings.Contains(m.Text, "Personne") {
			cards++
		}
	}
	if cards != 1 {
		t.Errorf("%d cards for one ticket:\n%s", cards, transcript(tg.Chat(deskGroup)))
	}
}
