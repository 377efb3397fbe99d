package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/observatory"
	"github.com/boussole/boussole/internal/telegramtest"
)

// A whole handoff is counted, anonymously: the conversation, the request,
// the take, the close and the feedback, the wait, one person of the week;
// the export holds no chat id, no name, nothing written, and hides counts
// under 11.
func TestObservatoryCountsAHandoff(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	bot := startBot(t, tg, redisURL, logs, deskEnv(nil))
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1030, "fr")
	askForSomeone(t, f, "fr")
	vera.take(waitCard(t, tg, "En attente", true))
	waitFor(t, tg, "Vera has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)
	vera.say("/fermer", 1)
	waitFor(t, tg, "the feedback question", func() bool { _, ok := f.last().Data("Oui"); return ok }, f.chat)
	question := f.last()
	f.tapOn(question, "Oui", 1)
	if !strings.Contains(f.last().Text, "De quoi avez-vous besoin") {
		t.Errorf("after the feedback, the menu comes back, not the offer of a person: %q", f.last().Text)
	}
	f.tapOn(question, "Oui", 1) // a second tap on the same question is not counted twice
	bot.stop(t)                 // the counts are flushed on the way out

	rdb := redisFor(t, redisURL)
	now := time.Now()
	tab, err := observatory.NewRecorder(rdb, nil).Read(context.Background(), now, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for k, n := range tab.Counts {
		got[k.Kind] += n
	}
	for kind, want := range map[string]int64{"conversation": 1, "handoff_asked": 1, "ticket_taken": 1,
		"ticket_closed": 1, "feedback_yes": 1} {
		if got[kind] != want {
			t.Errorf("%s counted %d times, want %d (all: %v)", kind, got[kind], want, got)
		}
	}
	var waits int64
	for _, n := range tab.Times["wait"] {
		waits += n
	}
	if waits != 1 {
		t.Errorf("%d waits timed, want 1", waits)
	}
	for _, n := range tab.People {
		if n != 1 {
			t.Errorf("%d people this week, want 1", n)
		}
	}

	var out, errOut bytes.Buffer
	day := now.Format("2006-01-02")
	env := map[string]string{"REDIS_URL": redisURL}
	if err := run(context.Background(), []string{"stats", "export", "--from", day, "--to", day, "--format", "csv"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("stats export: %v\n%s", err, errOut.String())
	}
	csv := out.String()
	if !strings.Contains(csv, "moins de 11") {
		t.Errorf("small counts are not said hidden:\n%s", csv)
	}
	for _, secret := range []string{strconv.FormatInt(f.chat, 10), strconv.FormatInt(vera.id, 10), "Samira", "Vera"} {
		if strings.Contains(csv, secret) {
			t.Errorf("the export holds %q", secret)
		}
	}
	keys, _ := rdb.Keys(context.Background(), "bsl:{obs}:*").Result()
	for _, k := range keys {
		if strings.Contains(k, strconv.FormatInt(f.chat, 10)) {
			t.Errorf("key %s names the person", k)
		}
	}
	// Every key a whole journey wrote (conversation, outboxes, journal, copy
	// map, desk, board, observatory, rates, locks) expires on its own.
	all, _ := rdb.Keys(context.Background(), "*").Result()
	for _, k := range all {
		if ttl := rdb.PTTL(context.Background(), k).Val(); ttl < 0 {
			t.Errorf("key %s never expires (PTTL %v)", k, ttl)
		}
	}
	if len(all) < 10 {
		t.Errorf("only %d keys: the journey did not run?", len(all))
	}
}

// A coordinator's /stats brings the protected figures, the charts and the
// CSV; anybody else's /stats is an ordinary message, with no hint that the
// command exists.
func TestStatsForCoordinatorsOnly(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil)) // ADMIN_IDS=9001
	const coordinator = 9001
	tg.SendText(coordinator, "/stats 30", telegramtest.Lang("fr"))
	waitFor(t, tg, "the figures, three charts and the CSV", func() bool {
		photos, docs, text := 0, 0, false
		for _, m := range tg.BotMessages(coordinator) {
			switch m.Kind {
			case telegramtest.KindPhoto:
				photos++
			case telegramtest.KindDocument:
				docs++
			default:
				text = text || strings.Contains(m.Text, "Observatoire")
			}
		}
		return text && photos == 3 && docs == 1
	}, coordinator)
	f := newFamily(t, tg, 1031, "fr")
	got := f.say("/stats", 1)
	for _, m := range got {
		if strings.Contains(m.Text, "Observatoire") || m.Kind == telegramtest.KindPhoto {
			t.Errorf("a person's /stats answered with the figures: %s", m)
		}
	}
}
