package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// sessionCode finds the code the bot gives a session ("K7F2").
var sessionCode = regexp.MustCompile(`\b[2-9A-HJ-NP-Z]{4}\b`)

// sessionForm is what a coordinator types on a phone to announce a session
// days days from now.
func sessionForm(days int) string {
	when := time.Now().In(parisTime).AddDate(0, 0, days).Format("2006-01-02") + " 18:00"
	return strings.Join([]string{
		"/ateliers ajouter",
		"type: groupe",
		"titre fr: Groupe des parents",
		"titre ar: مجموعة الآباء والأمهات",
		"pour fr: Parents et proches",
		"pour ar: الآباء والأمهات والأقارب",
		"besoins: psy, deuil",
		"langues: fr, ar",
		"date: " + when,
		"durée: 90",
		"lieu fr: Maison des familles, 12 rue Exemple, 13003 Marseille",
		"lieu ar: دار العائلات، 12 شارع المثال، مرسيليا 13003",
		"lieu la veille: non",
	}, "\n")
}

var parisTime = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// A coordinator announces a session in both languages from their phone; a
// family finds it from the menu, signs up without a name and asks for the
// reminder; the coordinator sees the count; the session is cancelled and
// the family is told, in their language, in neutral words.
func TestAteliersFromAnnouncementToCancellation(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "fr")
	admin.say(sessionForm(5), 1)
	waitSaid(t, admin, "Enregistré sous le code")
	code := sessionCode.FindString(admin.last().Text)
	if code == "" {
		t.Fatalf("no session code in %q", admin.last().Text)
	}
	waitFor(t, tg, "the cards in French and Arabic", func() bool {
		all := transcript(tg.Chat(admin.chat))
		return strings.Contains(all, "Groupe des parents") && strings.Contains(all, "مجموعة الآباء والأمهات")
	}, admin.chat)

	f := newFamily(t, tg, 1060, "ar")
	f.say("/start", 1)
	f.tap("نعم", 1)
	f.tap("ورشات ومجموعات حوار", 2)
	waitFor(t, tg, "the session's card", func() bool {
		_, ok := f.last().Data("ذكّروني قبلها بيوم")
		return ok && strings.Contains(f.last().Text, "مجموعة الآباء والأمهات")
	}, f.chat)
	card := f.last()
	f.tapOn(card, "ذكّروني قبلها بيوم", 1)
	waitFor(t, tg, "the sign-up confirmed", func() bool {
		return strings.Contains(transcript(tg.Chat(f.chat)), "تم التسجيل")
	}, f.chat)

	admin.say("/ateliers", 1)
	if !strings.Contains(admin.last().Text, code) || !strings.Contains(admin.last().Text, "inscrits : 1") {
		t.Errorf("/ateliers does not count the sign-up:\n%s", admin.last().Text)
	}

	admin.say("/ateliers annuler "+code, 1)
	waitSaid(t, admin, "annulé")
	if !strings.Contains(admin.last().Text, "1 sur 1") {
		t.Errorf("the coordinator is not told how many were told: %q", admin.last().Text)
	}
	waitFor(t, tg, "the family told in Arabic", func() bool { return strings.Contains(f.last().Text, "أُلغي") }, f.chat)
	notice := f.last().Text
	for _, word := range []string{"عنف", "ضحية", "مخدرات", "مجموعة الآباء"} {
		if strings.Contains(notice, word) {
			t.Errorf("the cancellation notice names %q: %q", word, notice)
		}
	}
	checkLogsArePrivate(t, logs.String(), f.chat, "Samira", "samira_13")
	t.Logf("the family's chat (dates vary, so no golden file):\n%s", transcript(tg.Chat(f.chat)))
}

// /oubli removes a family from the sessions they signed up for.
func TestAteliersForgetRemovesTheSignUp(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "fr")
	admin.say(sessionForm(6), 1)
	waitSaid(t, admin, "Enregistré sous le code")
	code := sessionCode.FindString(admin.last().Text)

	f := newFamily(t, tg, 1061, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	f.tap("Ateliers et groupes de parole", 2)
	waitFor(t, tg, "the card", func() bool { _, ok := f.last().Data("Je viendrai"); return ok }, f.chat)
	f.tap("Je viendrai", 1)
	admin.say("/ateliers", 1)
	if !strings.Contains(admin.last().Text, "inscrits : 1") {
		t.Fatalf("the sign-up is not counted:\n%s", admin.last().Text)
	}
	f.say("/oubli", 1)
	data, _ := f.last().Data("Oui, tout effacer")
	tg.Tap(f.chat, f.last().ID, data, f.opts...)
	waitFor(t, tg, "the chat emptied", func() bool { return len(tg.Chat(f.chat)) == 0 }, f.chat)
	admin.say("/ateliers", 1)
	if !strings.Contains(admin.last().Text, code) || !strings.Contains(admin.last().Text, "inscrits : 0") {
		t.Errorf("/oubli left the sign-up:\n%s", admin.last().Text)
	}
}
