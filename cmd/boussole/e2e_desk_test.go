package main

import (
	"strings"
	"testing"

	"github.com/boussole/boussole/internal/telegramtest"
)

// A whole handoff, as the family and the volunteers live it, through the
// fake Telegram and Redis: ask, consent, wait, be taken, talk (text, media,
// albums, edits), be passed on with a note, be closed, say if it helped.

// askForSomeone walks a person from /start to their ticket.
func askForSomeone(t *testing.T, f *family, lang string) telegramtest.Message {
	t.Helper()
	labels := map[string][3]string{
		"fr": {"Oui", "Parler à quelqu'un", "Oui, écrire à une personne bénévole"},
		"ar": {"نعم", "التحدث مع شخص", "نعم، أريد الكتابة إلى متطوع"},
	}[lang]
	f.say("/start", 1)
	var got []telegramtest.Message
	for _, label := range labels {
		// The screen with that button, whatever else the chat shows meanwhile.
		waitFor(t, f.tg, "a screen with "+label, func() bool { _, ok := f.last().Data(label); return ok }, f.chat)
		got = f.tap(label, 1)
	}
	return got[len(got)-1]
}

func TestHandoffFrench(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil))
	vera := newVolunteer(t, tg, 501, "Vera")
	marc := newVolunteer(t, tg, 502, "Marc")
	f := newFamily(t, tg, 1001, "fr")

	queued := askForSomeone(t, f, "fr")
	if !strings.Contains(queued.Text, "1 dans la file") {
		t.Errorf("the person is not told their place:\n%s", queued.Text)
	}
	card := waitCard(t, tg, "Personne", true)
	t.Logf("card:\n%s", card.Text)

	// While waiting, the person writes: kept for the volunteer.
	f.tg.SendText(f.chat, "Bonjour, j'ai besoin de parler de mon fils.", f.opts...)

	cb := vera.take(card)
	f.waitAnswered(cb)
	waitFor(t, tg, "the volunteer gets the header and the waiting message", func() bool {
		return copiesIn(tg, vera.id) >= 1
	}, vera.id)
	waitFor(t, tg, "the person is told someone is there", func() bool {
		return strings.Contains(f.last().Text, "vous répond maintenant")
	}, f.chat)
	if c := tg.BotMessages(vera.id); !strings.Contains(transcript(c), "besoin de parler de mon fils") {
		t.Errorf("what the person wrote while waiting did not reach the volunteer:\n%s", transcript(c))
	}
	waitCard(t, tg, "Bénévole", false) // the card now says who took it, without its button

	// Text both ways, copied, never forwarded.
	vera.tg.SendText(vera.id, "Bonjour, je suis là. Vous êtes en sécurité en ce moment ?", vera.opts...)
	waitFor(t, tg, "the volunteer's reply reaches the person as a protected copy", func() bool {
		m := f.last()
		return m.IsCopy() && strings.Contains(m.Text, "je suis là") && m.Protected
	}, f.chat)
	_, msgID := tg.SendText(f.chat, "Oui, chez ma sœur.", f.opts...)
	waitFor(t, tg, "the reply reaches the volunteer", func() bool { return copiesIn(tg, vera.id) >= 2 }, vera.id)

	// An edit is relayed as an edit of the copy.
	tg.EditText(f.chat, msgID, "Oui, chez ma sœur, à Aubagne.")
	waitFor(t, tg, "the edit reaches the copy", func() bool {
		for _, m := range tg.BotMessages(vera.id) {
			if strings.Contains(m.Text, "Aubagne") {
				return true
			}
		}
		return false
	}, vera.id)

	// Media both ways: a photo, an album, a voice note, a document, a location.
	before := copiesIn(tg, vera.id)
	tg.SendPhoto(f.chat, "la lettre", f.opts...)
	tg.SendAlbum(f.chat, 3, "trois photos")
	tg.SendVoice(f.chat, 4, f.opts...)
	tg.SendDocument(f.chat, "plainte.pdf", "", f.opts...)
	tg.SendLocation(f.chat, 43.3, 5.4, f.opts...)
	waitFor(t, tg, "every medium reaches the volunteer", func() bool { return copiesIn(tg, vera.id) >= before+7 }, vera.id)
	kinds := map[telegramtest.Kind]int{}
	for _, m := range tg.BotMessages(vera.id) {
		if m.IsCopy() {
			kinds[m.Kind]++
		}
	}
	if kinds[telegramtest.KindPhoto] < 4 || kinds[telegramtest.KindVoice] != 1 || kinds[telegramtest.KindDocument] != 1 || kinds[telegramtest.KindLocation] != 1 {
		t.Errorf("copies by kind: %v", kinds)
	}
	tg.SendVoice(vera.id, 6, vera.opts...)
	waitFor(t, tg, "the volunteer's voice note reaches the person", func() bool {
		for _, m := range tg.BotMessages(f.chat) {
			if m.IsCopy() && m.Kind == telegramtest.KindVoice {
				return true
			}
		}
		return false
	}, f.chat)

	// A contact card is never passed on: it shows a phone number.
	f.mark = len(tg.BotMessages(f.chat))
	tg.SendContact(f.chat, "+33600000000", "Samira", f.opts...)
	f.await(f.mark + 1)
	for _, m := range tg.BotMessages(vera.id) {
		if m.Kind == telegramtest.KindContact || strings.Contains(m.Text, "+33600000000") {
			t.Fatal("a contact card reached the volunteer")
		}
	}

	// Vera passes it on with a note; Marc takes it and reads the note.
	vera.say("/liberer Elle a peur pour son fils, plutôt le soir.", 1)
	waitFor(t, tg, "the person is told of the hand-over", func() bool {
		return strings.Contains(f.last().Text, "relais")
	}, f.chat)
	card = waitCard(t, tg, "Personne", true)
	marc.take(card)
	waitFor(t, tg, "the note follows the ticket to Marc", func() bool {
		return strings.Contains(transcript(tg.BotMessages(marc.id)), "plutôt le soir")
	}, marc.id)
	marc.say("/note rappeler lundi", 1)

	// Marc closes; the person is asked whether it helped, then the menu.
	marc.say("/fermer", 1)
	waitFor(t, tg, "the person is asked whether it helped", func() bool {
		_, ok := f.last().Data("Oui")
		return ok && strings.Contains(f.last().Text, "utile")
	}, f.chat)
	got := f.tap("Oui", 1)
	if !strings.Contains(got[0].Text, "Merci") {
		t.Errorf("after the feedback: %q", got[0].Text)
	}

	noIdentity(t, tg, f.chat, []string{"Samira", "samira_13", "+33600000000"}, deskGroup, vera.id, marc.id)
	noIdentity(t, tg, vera.id, []string{"Vera", "vera_vol"}, f.chat)
	t.Logf("person:\n%s\nvolunteer:\n%s\ngroup:\n%s", transcript(tg.Chat(f.chat)), transcript(tg.Chat(vera.id)), transcript(tg.Chat(deskGroup)))
}

func TestHandoffArabicAndEndByPerson(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil))
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1002, "ar")

	queued := askForSomeone(t, f, "ar")
	if !strings.Contains(queued.Text, "1") {
		t.Errorf("no place in the queue:\n%s", queued.Text)
	}
	card := waitCard(t, tg, "Personne", true)
	if !strings.Contains(card.Text, "arabe") {
		t.Errorf("the card does not say the language:\n%s", card.Text)
	}
	vera.take(card)
	waitFor(t, tg, "the person is told someone is there", func() bool { return f.last().Text != queued.Text }, f.chat)
	tg.SendText(f.chat, "السلام عليكم، أحتاج إلى المساعدة", f.opts...)
	waitFor(t, tg, "the Arabic text reaches the volunteer", func() bool {
		for _, m := range tg.BotMessages(vera.id) {
			if m.IsCopy() && strings.Contains(m.Text, "السلام") {
				return true
			}
		}
		return false
	}, vera.id)
	mark := len(tg.BotMessages(vera.id))
	f.say("/fin", 1)
	got := vera.await(mark + 1)
	if !strings.Contains(got[len(got)-1].Text, "Personne") {
		t.Errorf("the volunteer is not told the person ended it: %q", got[len(got)-1].Text)
	}
	waitCard(t, tg, "Personne", false)
	t.Logf("person:\n%s", transcript(tg.Chat(f.chat)))
}
