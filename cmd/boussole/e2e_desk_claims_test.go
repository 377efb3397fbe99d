package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Many volunteers tap "take" at once: exactly one has it, the others are
// told who; repeated on fresh tickets.
func TestClaimRaceOneWinner(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil))
	vols := make([]*volunteer, 20)
	for i := range vols {
		vols[i] = newVolunteer(t, tg, int64(600+i), fmt.Sprintf("Vol%d", i))
	}
	rounds := 3
	if raceDetector {
		rounds = 1 // ten times slower; the store's own test races 50 claimers 100 times
	}
	lastCard := 0
	for r := range rounds {
		f := newFamily(t, tg, int64(2000+r), "fr")
		askForSomeone(t, f, "fr")
		var card telegramtest.Message
		waitFor(t, tg, "the new ticket's card", func() bool {
			card = waitCard(t, tg, "En attente", true)
			return card.ID > lastCard
		}, deskGroup)
		lastCard = card.ID
		cbs := make([]string, len(vols))
		var wg sync.WaitGroup
		for i, v := range vols {
			wg.Add(1)
			go func() { defer wg.Done(); cbs[i] = v.take(card) }()
		}
		wg.Wait()
		won, taken := 0, 0
		for i, cb := range cbs {
			var a telegramtest.CallbackAnswer
			waitFor(t, tg, "every tap answered", func() bool {
				var ok bool
				a, ok = tg.CallbackAnswer(cb)
				return ok
			})
			switch {
			case strings.Contains(a.Text, "à vous"):
				won++
			case strings.Contains(a.Text, "Bénévole"):
				taken++ // "already taken by Bénévole …": who has it, by pseudonym
			default:
				t.Errorf("volunteer %d was answered %q", i, a.Text)
			}
		}
		if won != 1 || taken != len(vols)-1 {
			t.Fatalf("round %d: %d won, %d told who has it", r, won, taken)
		}
		waitFor(t, tg, "the person is told someone is there", func() bool {
			return strings.Contains(f.last().Text, "vous répond maintenant")
		}, f.chat)
		headers := 0
		for _, v := range vols {
			for _, m := range tg.BotMessages(v.id) {
				if strings.Contains(m.Text, "Notes des bénévoles") {
					headers++
				}
			}
		}
		if headers != r+1 { // one header per round, in the winner's chat
			t.Fatalf("round %d: %d headers sent for %d tickets", r, headers, r+1)
		}
		f.say("/fin", 1)
	}
}

// "I know this person": the ticket goes back to the queue and this
// volunteer can never take it again; another can.
func TestRecusal(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil))
	vera := newVolunteer(t, tg, 501, "Vera")
	marc := newVolunteer(t, tg, 502, "Marc")
	f := newFamily(t, tg, 1003, "fr")
	askForSomeone(t, f, "fr")
	vera.take(waitCard(t, tg, "En attente", true))
	waitFor(t, tg, "Vera has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)
	vera.say("/recuser", 1)
	card := waitCard(t, tg, "En attente", true)
	cb := vera.take(card)
	waitFor(t, tg, "Vera's tap answered", func() bool { return tg.Answered(cb) })
	if a, _ := tg.CallbackAnswer(cb); !strings.Contains(a.Text, "ne pas suivre") {
		t.Errorf("a recused volunteer tapping again is told %q", a.Text)
	}
	marc.take(card)
	waitFor(t, tg, "Marc has it", func() bool {
		return strings.Contains(transcript(tg.BotMessages(marc.id)), "Notes des bénévoles")
	}, marc.id)
}

// Outside volunteer hours the person is told when someone will be there
// and the lines that answer now; the ticket waits in the queue.
func TestOutOfHours(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	paris, _ := time.LoadLocation("Europe/Paris")
	tomorrow := strings.ToLower(time.Now().In(paris).AddDate(0, 0, 1).Weekday().String()[:3])
	startBot(t, tg, redisURL, logs, deskEnv(map[string]string{"VOLUNTEER_HOURS": tomorrow + " 09:00-19:00"}))
	f := newFamily(t, tg, 1004, "fr")
	got := askForSomeone(t, f, "fr")
	for _, want := range []string{"demain", "09:00", "116\u00a0006", "3114"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("out of hours, the person is not told %q:\n%s", want, got.Text)
		}
	}
	waitCard(t, tg, "En attente", true) // the ticket stays queued
}

// The person erases: the copies in the volunteer's chat, the volunteer's
// messages and their copies on the person's side all go, and the volunteer
// is told.
func TestEraseReachesBothSides(t *testing.T) {
	tg, vera, f := withVolunteer(t, 1005)
	tg.SendText(f.chat, "Ils attendent en bas de chez moi.", f.opts...)
	tg.SendPhoto(f.chat, "", f.opts...)
	waitFor(t, tg, "the person's messages reach Vera", func() bool { return copiesIn(tg, vera.id) == 2 }, vera.id)
	tg.SendText(vera.id, "Je suis là. Restez à l'intérieur.", vera.opts...)
	waitFor(t, tg, "Vera's reply reaches the person", func() bool { return copiesIn(tg, f.chat) == 1 }, f.chat)

	tg.SendText(f.chat, "/effacer", f.opts...)
	waitFor(t, tg, "the person's chat is empty", func() bool { return len(tg.Chat(f.chat)) == 0 }, f.chat)
	waitFor(t, tg, "the copies and Vera's words are gone, and Vera is told", func() bool {
		for _, m := range tg.Chat(vera.id) {
			if m.IsCopy() || strings.Contains(m.Text, "Restez à l'intérieur") {
				return false
			}
		}
		return strings.Contains(transcript(tg.BotMessages(vera.id)), "effacé")
	}, vera.id)
	waitCard(t, tg, "Effacée", false)
}

// A volunteer removed from the group loses access at once: their tickets go
// back to the queue and the person is told someone else will take over.
func TestRemovedVolunteerTicketsGoBack(t *testing.T) {
	tg, vera, f := withVolunteer(t, 1006)
	tg.KickMember(deskGroup, vera.id)
	waitFor(t, tg, "the person is told of the hand-over", func() bool {
		return strings.Contains(f.last().Text, "relais")
	}, f.chat)
	waitCard(t, tg, "En attente", true)
	before := copiesIn(tg, f.chat)
	tg.SendText(vera.id, "Je suis toujours là ?", vera.opts...)
	tg.SendText(f.chat, "/aide", f.opts...) // a step of the person's after Vera's, to wait on
	waitFor(t, tg, "the person's /aide answered", func() bool { return strings.Contains(f.last().Text, "/fin") }, f.chat)
	if copiesIn(tg, f.chat) != before {
		t.Error("a removed volunteer still reaches the person")
	}
}

// An emergency word while with a volunteer: the person gets the emergency
// screen at once, the volunteer an alert, the tree stays paused.
func TestEmergencyWordWithVolunteer(t *testing.T) {
	tg, vera, f := withVolunteer(t, 1007)
	tg.SendText(f.chat, "ils vont me tuer ce soir", f.opts...)
	waitFor(t, tg, "the emergency screen", func() bool { return strings.Contains(f.last().Text, "17") }, f.chat)
	waitFor(t, tg, "Vera gets the message and the alert", func() bool {
		s := transcript(tg.BotMessages(vera.id))
		return strings.Contains(s, "ils vont me tuer") && strings.Contains(s, "⚠️")
	}, vera.id)
	tg.SendText(vera.id, "Appelez le 17 maintenant, je reste là.", vera.opts...)
	waitFor(t, tg, "the conversation goes on", func() bool { return strings.Contains(f.last().Text, "je reste là") }, f.chat)
}

// The person blocks the bot while a volunteer answers: the volunteer is
// told at once, and again if they write, rather than talking to nobody.
func TestPersonBlocksTheBotWithVolunteer(t *testing.T) {
	tg, vera, f := withVolunteer(t, 1008)
	blocked := func() int { return strings.Count(transcript(tg.BotMessages(vera.id)), "bloqué") }
	tg.Block(f.chat)
	waitFor(t, tg, "Vera is told the person blocked the bot", func() bool { return blocked() == 1 }, vera.id)
	tg.SendText(vera.id, "Vous êtes toujours là ?", vera.opts...)
	waitFor(t, tg, "Vera is told again when she writes", func() bool { return blocked() == 2 }, vera.id)
}
