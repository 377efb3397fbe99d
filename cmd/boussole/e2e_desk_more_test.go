package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// More of the desk, end to end on the fake Telegram: every kind of message
// both ways, albums, a volunteer with two people, /modele, /alerte,
// /dispo and /file, a volunteer without a private chat, the reminder, and
// the group's pace. Every test ends with the privacy scan.

// mediaSender sends one kind of message from a chat and returns its id.
type mediaSender struct {
	kind telegramtest.Kind
	send func(tg *telegramtest.Server, chat int64, opts []telegramtest.UserOpt) int
}

var everyMedium = []mediaSender{
	{telegramtest.KindPhoto, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendPhoto(c, "la photo", o...)
		return id
	}},
	{telegramtest.KindVideo, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendVideo(c, "la vidéo", o...)
		return id
	}},
	{telegramtest.KindVoice, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendVoice(c, 5, o...)
		return id
	}},
	{telegramtest.KindAudio, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendAudio(c, "", o...)
		return id
	}},
	{telegramtest.KindDocument, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendDocument(c, "certificat.pdf", "le certificat", o...)
		return id
	}},
	{telegramtest.KindSticker, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendSticker(c, "🙏", o...)
		return id
	}},
	{telegramtest.KindAnimation, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendAnimation(c, "", o...)
		return id
	}},
	{telegramtest.KindVideoNote, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendVideoNote(c, 7, o...)
		return id
	}},
	{telegramtest.KindLocation, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendLocation(c, 43.29, 5.37, o...)
		return id
	}},
	{telegramtest.KindVenue, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendVenue(c, 43.30, 5.38, "Maison des familles", "1 rue de la Paix", o...)
		return id
	}},
	{telegramtest.KindPoll, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendPoll(c, "Quel jour vous convient ?", []string{"Lundi", "Mardi"}, o...)
		return id
	}},
	{telegramtest.KindDice, func(tg *telegramtest.Server, c int64, o []telegramtest.UserOpt) int {
		_, id := tg.SendDice(c, "🎲", o...)
		return id
	}},
}

// sendEveryMedium sends every kind from chat and waits until each reached
// chat to as a copy of the same kind.
func sendEveryMedium(t *testing.T, tg *telegramtest.Server, from, to int64, opts []telegramtest.UserOpt) map[int]telegramtest.Message {
	t.Helper()
	ids := map[int]telegramtest.Kind{}
	for _, m := range everyMedium {
		ids[m.send(tg, from, opts)] = m.kind
	}
	var copies map[int]telegramtest.Message
	waitFor(t, tg, "every kind copied", func() bool {
		copies = copiesOf(tg, to, from)
		for id := range ids {
			if _, ok := copies[id]; !ok {
				return false
			}
		}
		return true
	}, to, from)
	for id, kind := range ids {
		if c := copies[id]; c.Kind != kind {
			t.Errorf("a %s from %d arrived in %d as a %s", kind, from, to, c.Kind)
		}
	}
	return copies
}

func TestDeskEveryMediumBothWays(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1101, "fr")
	askForSomeone(t, f, "fr")
	code := takeTicket(t, tg, vera, waitCard(t, tg, "En attente", true))

	// Person → volunteer: every kind, as a copy of the same kind.
	sendEveryMedium(t, tg, f.chat, vera.id, f.opts)
	// Volunteer → person: the same, and protected on the person's side.
	for _, c := range sendEveryMedium(t, tg, vera.id, f.chat, vera.opts) {
		if !c.Protected {
			t.Errorf("a %s copied to the person is not protected", c.Kind)
		}
	}

	// A quiz whose answer the bot can't know, from the person: not copied;
	// the person is told it can't be passed on, the volunteer what was not.
	fMark, vMark := len(tg.BotMessages(f.chat)), len(tg.BotMessages(vera.id))
	_, quiz := tg.SendPoll(f.chat, "Devinette ?", []string{"A", "B"}, append(f.opts, telegramtest.Quiz(-1))...)
	botSaid(t, tg, f.chat, fMark, "ne peut pas être transmis", "un sondage")
	botSaid(t, tg, vera.id, vMark, "Personne "+code+" a envoyé un sondage", "ne peut pas être transmis")
	if _, ok := copiesOf(tg, vera.id, f.chat)[quiz]; ok {
		t.Error("the person's quiz was copied")
	}

	// A quiz from the volunteer: not copied; the volunteer is told what,
	// the person that something could not be passed on (never what it was).
	fMark, vMark = len(tg.BotMessages(f.chat)), len(tg.BotMessages(vera.id))
	_, vquiz := tg.SendPoll(vera.id, "Devinette ?", []string{"A", "B"}, append(vera.opts, telegramtest.Quiz(-1))...)
	botSaid(t, tg, vera.id, vMark, "Votre message (un sondage) n'a pas pu être transmis à Personne "+code)
	// A contact card from the volunteer: refused the same way (it shows a
	// phone number).
	_, vcard := tg.SendContact(vera.id, "+33611111111", "Jean", vera.opts...)
	botSaid(t, tg, vera.id, vMark, "Votre message (une fiche de contact) n'a pas pu être transmis à Personne "+code)
	_, after := tg.SendText(vera.id, "Je reste avec vous.", vera.opts...)
	waitFor(t, tg, "the text after the quiz and the card reaches the person", func() bool {
		_, ok := copiesOf(tg, f.chat, vera.id)[after]
		return ok
	}, f.chat)
	if told := strings.Count(transcript(since(tg, f.chat, fMark)), "ne peut pas être transmis ici"); told != 2 {
		t.Errorf("the person was told %d times that a volunteer's message could not be passed on, want 2", told)
	}
	toPerson := copiesOf(tg, f.chat, vera.id)
	if _, ok := toPerson[vquiz]; ok {
		t.Error("the volunteer's quiz was copied")
	}
	if _, ok := toPerson[vcard]; ok {
		t.Error("the volunteer's contact card was copied")
	}
	for _, m := range since(tg, f.chat, fMark) {
		if m.Kind == telegramtest.KindContact || m.Kind == telegramtest.KindPoll || strings.Contains(m.Text, "+33611111111") ||
			strings.Contains(m.Text, "sondage") || strings.Contains(m.Text, "fiche de contact") {
			t.Errorf("the person was shown something of the refused quiz or card: %s", m)
		}
	}

	checkPrivacy(t, tg, []*family{f}, map[int64]string{vera.id: "Vera"})
	noIdentity(t, tg, vera.id, []string{"+33611111111", "Jean"}, f.chat)
}

// An album of three reaches the other side as one album of three, both ways.
func TestDeskAlbumAsAlbum(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1102, "fr")
	askForSomeone(t, f, "fr")
	takeTicket(t, tg, vera, waitCard(t, tg, "En attente", true))

	oneAlbum := func(what string, from, to int64, ids []int) {
		t.Helper()
		var parts []telegramtest.Message
		waitFor(t, tg, what, func() bool {
			parts = parts[:0]
			copies := copiesOf(tg, to, from)
			for _, id := range ids {
				if c, ok := copies[id]; ok {
					parts = append(parts, c)
				}
			}
			return len(parts) == len(ids)
		}, to)
		albums := map[string]int{}
		for _, p := range parts {
			albums[p.Album]++
		}
		if len(albums) != 1 || parts[0].Album == "" {
			t.Errorf("%s: the copies are not one album: %v", what, albums)
		}
		if parts[0].Caption != "trois photos" {
			t.Errorf("%s: the album's caption is %q", what, parts[0].Caption)
		}
	}
	_, ids := tg.SendAlbum(f.chat, 3, "trois photos")
	oneAlbum("the person's album reaches the volunteer", f.chat, vera.id, ids)
	_, ids = tg.SendAlbum(vera.id, 3, "trois photos")
	oneAlbum("the volunteer's album reaches the person", vera.id, f.chat, ids)
	checkPrivacy(t, tg, []*family{f}, map[int64]string{vera.id: "Vera"})
}

// A volunteer with two people: a reply goes to the person replied to, a
// message without a reply to the one answered last (and the volunteer is
// told which), and a third ticket is refused.
func TestDeskTwoTickets(t *testing.T) {
	tg, _, _, _ := startDesk(t, map[string]string{"VOLUNTEER_CAPACITY": "2"})
	vera := newVolunteer(t, tg, 501, "Vera")
	marc := newVolunteer(t, tg, 502, "Marc")
	a, b, c := newFamily(t, tg, 1103, "fr"), newFamily(t, tg, 1104, "fr"), newFamily(t, tg, 1105, "fr")
	askForSomeone(t, a, "fr")
	codeA := takeTicket(t, tg, vera, waitCard(t, tg, "En attente", true))
	askForSomeone(t, b, "fr")
	codeB := takeTicket(t, tg, vera, waitNewCard(t, tg, codeA))

	_, fromA := tg.SendText(a.chat, "Ici A.", a.opts...)
	_, fromB := tg.SendText(b.chat, "Ici B.", b.opts...)
	var copyA, copyB telegramtest.Message
	waitFor(t, tg, "both people's messages reach Vera", func() bool {
		var okA, okB bool
		copyA, okA = copiesOf(tg, vera.id, a.chat)[fromA]
		copyB, okB = copiesOf(tg, vera.id, b.chat)[fromB]
		return okA && okB
	}, vera.id)

	// To B by replying to B's message, then to A by replying to A's.
	_, toB := tg.SendText(vera.id, "Réponse pour B.", append(vera.opts, telegramtest.ReplyTo(copyB.ID))...)
	waitFor(t, tg, "the reply to B reaches B", func() bool { _, ok := copiesOf(tg, b.chat, vera.id)[toB]; return ok }, b.chat)
	_, toA := tg.SendText(vera.id, "Réponse pour A.", append(vera.opts, telegramtest.ReplyTo(copyA.ID))...)
	waitFor(t, tg, "the reply to A reaches A", func() bool { _, ok := copiesOf(tg, a.chat, vera.id)[toA]; return ok }, a.chat)
	if _, ok := copiesOf(tg, a.chat, vera.id)[toB]; ok {
		t.Error("the reply to B reached A")
	}
	if _, ok := copiesOf(tg, b.chat, vera.id)[toA]; ok {
		t.Error("the reply to A reached B")
	}

	// Without a reply: to A, answered last, and Vera is told.
	vMark := len(tg.BotMessages(vera.id))
	_, plain := tg.SendText(vera.id, "Sans répondre à un message.", vera.opts...)
	waitFor(t, tg, "the plain message reaches A", func() bool { _, ok := copiesOf(tg, a.chat, vera.id)[plain]; return ok }, a.chat)
	botSaid(t, tg, vera.id, vMark, "→ à Personne "+codeA)
	if _, ok := copiesOf(tg, b.chat, vera.id)[plain]; ok {
		t.Error("the plain message reached B too")
	}
	for _, m := range since(tg, vera.id, vMark) {
		if strings.Contains(m.Text, "→ à Personne "+codeB) {
			t.Errorf("Vera is told the plain message went to B: %q", m.Text)
		}
	}

	// A third ticket: Vera is full; Marc can take it.
	askForSomeone(t, c, "fr")
	card := waitNewCard(t, tg, codeA, codeB)
	if got := answerOf(t, tg, vera.take(card)); !strings.Contains(got.Text, "nombre maximum de conversations en même temps (2)") {
		t.Errorf("a third tap is answered %q", got.Text)
	}
	takeTicket(t, tg, marc, card)
	checkPrivacy(t, tg, []*family{a, b, c}, map[int64]string{vera.id: "Vera", marc.id: "Marc"})
}

// /modele lists the canned replies, sends one in the person's language,
// and answers an unknown name with the list.
func TestDeskTemplates(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	vera := newVolunteer(t, tg, 501, "Vera")
	marc := newVolunteer(t, tg, 502, "Marc")
	fr, ar := newFamily(t, tg, 1106, "fr"), newFamily(t, tg, 1107, "ar")
	askForSomeone(t, fr, "fr")
	codeFR := takeTicket(t, tg, vera, waitCard(t, tg, "En attente", true))
	askForSomeone(t, ar, "ar")
	codeAR := takeTicket(t, tg, marc, waitNewCard(t, tg, codeFR))

	names := "bonjour, fin, france_victimes, idees_noires, plainte, psychologue, reformuler, securite"
	got := vera.say("/modele", 1)
	if !strings.Contains(got[0].Text, "/modele NOM") || !strings.Contains(got[0].Text, "Modèles : "+names+".") {
		t.Errorf("/modele alone: %q", got[0].Text)
	}
	frMark := len(tg.BotMessages(fr.chat))
	got = vera.say("/modele inconnu", 1)
	if !strings.Contains(got[0].Text, "Ce modèle n'existe pas. Modèles : "+names+".") {
		t.Errorf("/modele inconnu: %q", got[0].Text)
	}

	vera.say("/modele bonjour", 1)
	botSaid(t, tg, vera.id, vera.mark, "→ à Personne "+codeFR)
	m := botSaid(t, tg, fr.chat, frMark, "Bonjour, je fais partie de l'équipe de bénévoles")
	if strings.Contains(m.Text, "مرحبا") {
		t.Errorf("the French person got Arabic: %q", m.Text)
	}
	for _, m := range since(tg, fr.chat, frMark) {
		if strings.Contains(m.Text, "inconnu") || strings.Contains(m.Text, "Modèles") {
			t.Errorf("the person saw the volunteer's command: %q", m.Text)
		}
	}

	arMark := len(tg.BotMessages(ar.chat))
	marc.say("/modele BONJOUR", 1) // names are not case-sensitive
	botSaid(t, tg, marc.id, marc.mark, "→ à Personne "+codeAR)
	m = botSaid(t, tg, ar.chat, arMark, "مرحبا، أنا من فريق المتطوعين")
	if strings.Contains(m.Text, "Bonjour") {
		t.Errorf("the Arabic-speaking person got French: %q", m.Text)
	}
	checkPrivacy(t, tg, []*family{fr, ar}, map[int64]string{vera.id: "Vera", marc.id: "Marc"})
}

// /alerte reaches every coordinator with the ticket's code and nothing of
// the person; the volunteer is told it was sent.
func TestDeskAlert(t *testing.T) {
	const coord1, coord2 = 9001, 9002
	tg, _, _, _ := startDesk(t, map[string]string{"ADMIN_IDS": "9001,9002"})
	tg.AddChat(coord1, telegramtest.FirstName("Coordinatrice"), telegramtest.Lang("fr"))
	tg.AddChat(coord2, telegramtest.FirstName("Coordinateur"), telegramtest.Lang("fr"))
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1108, "fr")
	askForSomeone(t, f, "fr")
	code := takeTicket(t, tg, vera, waitCard(t, tg, "En attente", true))
	tg.SendText(f.chat, "Ils sont devant ma porte.", f.opts...)
	fMark := len(tg.BotMessages(f.chat))

	got := vera.say("/alerte", 1)
	if !strings.Contains(got[0].Text, "Alerte envoyée aux coordinateurs pour Personne "+code) {
		t.Errorf("Vera is told %q", got[0].Text)
	}
	for _, c := range []int64{coord1, coord2} {
		m := botSaid(t, tg, c, 0, "🚨 Alerte", "Personne "+code)
		if strings.Contains(m.Text, "devant ma porte") {
			t.Errorf("the alert quotes the person: %q", m.Text)
		}
	}
	for _, m := range since(tg, f.chat, fMark) {
		if strings.Contains(m.Text, "Alerte") || strings.Contains(m.Text, "coordinat") {
			t.Errorf("the person is shown the alert: %q", m.Text)
		}
	}
	checkPrivacy(t, tg, []*family{f}, map[int64]string{vera.id: "Vera"}, coord1, coord2)
	noIdentity(t, tg, vera.id, []string{"Vera", "vera_vol"}, coord1, coord2)
}

// Off duty, a tap is refused; back on duty it is taken. /file lists what
// waits, by code, in private, whether asked in private or in the group.
func TestDeskDispoAndQueue(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	vera := newVolunteer(t, tg, 501, "Vera")
	got := vera.say("/dispo off", 1)
	if !strings.Contains(got[0].Text, "hors permanence") {
		t.Errorf("/dispo off: %q", got[0].Text)
	}
	got = vera.say("/file", 1)
	if !strings.Contains(got[0].Text, "Aucune demande en attente") {
		t.Errorf("/file on an empty queue: %q", got[0].Text)
	}
	f1, f2 := newFamily(t, tg, 1109, "fr"), newFamily(t, tg, 1110, "ar")
	askForSomeone(t, f1, "fr")
	card1 := waitCard(t, tg, "En attente", true)
	askForSomeone(t, f2, "ar")
	code1 := codeOf(card1.Text)
	card2 := waitNewCard(t, tg, code1)
	code2 := codeOf(card2.Text)

	if a := answerOf(t, tg, vera.take(card1)); !strings.Contains(a.Text, "Vous êtes hors permanence") || !a.ShowAlert {
		t.Errorf("an off-duty tap is answered %+v", a)
	}
	got = vera.say("/file", 1)
	lines := strings.Split(got[0].Text, "\n")
	if !strings.Contains(lines[0], "2 demandes en attente") || len(lines) != 3 ||
		!strings.HasPrefix(lines[1], "• Personne "+code1+" ") || !strings.HasPrefix(lines[2], "• Personne "+code2+" ") ||
		!strings.Contains(lines[2], "arabe") {
		t.Errorf("/file lists:\n%s", got[0].Text)
	}
	// /file in the group is answered in private, not in the group.
	groupBefore := len(tg.BotMessages(deskGroup))
	vera.mark = len(tg.BotMessages(vera.id))
	tg.SendText(deskGroup, "/file", append(vera.opts, telegramtest.From(vera.id))...)
	got = vera.await(vera.mark + 1)
	if !strings.Contains(got[0].Text, "2 demandes en attente") {
		t.Errorf("/file from the group: %q", got[0].Text)
	}
	got = vera.say("/dispo on", 1)
	if !strings.Contains(got[0].Text, "Vous êtes disponible") {
		t.Errorf("/dispo on: %q", got[0].Text)
	}
	takeTicket(t, tg, vera, card1)
	got = vera.say("/file", 1)
	if !strings.Contains(got[0].Text, "1 demande en attente") || !strings.Contains(got[0].Text, "Personne "+code2) ||
		strings.Contains(got[0].Text, code1) {
		t.Errorf("/file after the take:\n%s", got[0].Text)
	}
	for _, m := range since(tg, deskGroup, groupBefore) {
		if strings.Contains(m.Text, "demandes en attente") {
			t.Errorf("the queue was listed in the group: %q", m.Text)
		}
	}
	checkPrivacy(t, tg, []*family{f1, f2}, map[int64]string{vera.id: "Vera"})
}

// A member who never opened a private chat with the bot taps a card: told
// how (answer and group message, with the link), the ticket stays queued;
// once they sent /start benevole they take it.
func TestDeskVolunteerWithoutPrivateChat(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	nadia := newcomer(t, tg, 503, "Nadia")
	f := newFamily(t, tg, 1111, "fr")
	askForSomeone(t, f, "fr")
	card := waitCard(t, tg, "En attente", true)
	groupMark := len(tg.BotMessages(deskGroup))

	const link = "https://t.me/test_bot?start=benevole"
	a := answerOf(t, tg, nadia.take(card))
	if !strings.Contains(a.Text, "ouvrez d'abord une discussion privée avec le bot ("+link+")") || !a.ShowAlert {
		t.Errorf("the tap is answered %+v", a)
	}
	m := botSaid(t, tg, deskGroup, groupMark, "ouvrez d'abord une discussion privée", link)
	if len(m.Buttons) != 0 || !strings.HasPrefix(m.Text, "Bénévole ") {
		t.Errorf("the group is told: %s", m)
	}
	waitCard(t, tg, "Personne "+codeOf(card.Text), true) // still queued, still takeable
	for _, r := range tg.RequestsTo(nadia.id) {
		t.Errorf("the bot wrote to a chat Nadia never opened: %s", r.Method)
	}
	if strings.Contains(f.last().Text, "vous répond maintenant") {
		t.Error("the person is told someone answers")
	}

	nadia.say("/start benevole", 1)
	takeTicket(t, tg, nadia, card)
	waitFor(t, tg, "the person is told someone is there", func() bool {
		return strings.Contains(f.last().Text, "vous répond maintenant")
	}, f.chat)
	checkPrivacy(t, tg, []*family{f}, map[int64]string{nadia.id: "Nadia"})
}

// A ticket nobody takes is announced again in the group after
// REMINDER_AFTER, once, with its take button.
//
// The board looks for tickets to announce at its first tick, then every
// 30 s (internal/handoff/board.go, remindEvery): to see it without waiting
// 30 s, the bot is restarted once the ticket is older than REMINDER_AFTER,
// and a third start checks it is not announced twice.
func TestDeskReminderOnce(t *testing.T) {
	env := map[string]string{"REMINDER_AFTER": "2s"}
	tg, redisURL, logs, bot := startDesk(t, env)
	rdb := redisFor(t, redisURL)
	restart := func() {
		t.Helper()
		// Once the board wrote all it had: a stop in the middle of a write
		// repeats it (TestDeskCleanStopWritesOnce).
		waitBoardEmpty(t, rdb)
		bot.stop(t)
		// A clean stop leaves the board's lock to expire (10 s): the new
		// poller, under a new name, would wait for it.
		if err := rdb.Del(ctxFor(5*time.Second), "bsl:lock:{board}").Err(); err != nil {
			t.Fatal(err)
		}
		env["SEND_RATE_GROUP"] = "10/s"
		bot = startBot(t, tg, redisURL, logs, deskEnv(env))
	}
	f := newFamily(t, tg, 1112, "fr")
	askForSomeone(t, f, "fr")
	queued := time.Now() // the ticket was queued a moment before
	card := waitCard(t, tg, "En attente", true)
	code := codeOf(card.Text)
	reminders := func() []telegramtest.Message {
		var out []telegramtest.Message
		for _, m := range tg.BotMessages(deskGroup) {
			if strings.HasPrefix(m.Text, "⏰ Personne "+code+" attend depuis") {
				out = append(out, m)
			}
		}
		return out
	}
	if len(reminders()) != 0 {
		t.Fatal("announced again at once")
	}
	time.Sleep(until(queued, 2*time.Second)) // REMINDER_AFTER, the product's own delay
	restart()
	var reminder telegramtest.Message
	waitFor(t, tg, "the ticket announced again", func() bool {
		if r := reminders(); len(r) > 0 {
			reminder = r[0]
			return true
		}
		return false
	}, deskGroup)
	if data, ok := reminder.Data("Prendre en charge"); !ok || data != mustData(t, card) {
		t.Errorf("the reminder has no take button for the ticket: %s", reminder)
	}

	// Started again, the board looks at once: not announced a second time.
	// Another person's card, written after the board looked, marks it.
	restart()
	f2 := newFamily(t, tg, 1113, "fr")
	askForSomeone(t, f2, "fr")
	waitNewCard(t, tg, code)
	if n := len(reminders()); n != 1 {
		t.Errorf("announced again %d times", n)
	}

	// The reminder's button takes the ticket.
	vera := newVolunteer(t, tg, 501, "Vera")
	takeTicket(t, tg, vera, reminder)
	waitFor(t, tg, "the person is told someone is there", func() bool {
		return strings.Contains(f.last().Text, "vous répond maintenant")
	}, f.chat)
	checkPrivacy(t, tg, []*family{f, f2}, map[int64]string{vera.id: "Vera"})
}

func mustData(t *testing.T, m telegramtest.Message) string {
	t.Helper()
	data, ok := m.Data("Prendre en charge")
	if !ok {
		t.Fatalf("no take button: %s", m)
	}
	return data
}

// askAll walks people from /start to their ticket, all at once: each step
// is taken by everyone before waiting for the answers.
func askAll(t *testing.T, tg *telegramtest.Server, fams []*family) {
	t.Helper()
	for _, label := range []string{"", "Oui", "Parler à quelqu'un", "Oui, écrire à une personne bénévole"} {
		for _, f := range fams {
			f.mark = len(tg.BotMessages(f.chat))
			if label == "" {
				tg.SendText(f.chat, "/start", f.opts...)
				continue
			}
			last := f.last()
			data, ok := last.Data(label)
			if !ok {
				t.Fatalf("person %d: no button %q on %q", f.chat, label, last.Text)
			}
			tg.Tap(f.chat, last.ID, data, f.opts...)
		}
		for _, f := range fams {
			f.await(f.mark + 1)
		}
	}
}

// groupPace runs ten people asking at once, with Telegram's group limit
// enforced by the fake (2 a second, bursts of 3, edits included) and the
// bot told the same (SEND_RATE_GROUP=2/s); Vera takes each card as soon as
// it shows and each person ends as soon as Vera is there: two changes a
// card. It returns the cards sent and edited, and the group calls refused
// with 429.
func groupPace(t *testing.T) (sends, edits int, refused []telegramtest.Call) {
	t.Helper()
	tg := telegramtest.New(telegramtest.WithRateLimitConfig(telegramtest.RateLimits{PerGroup: 2, PerGroupBurst: 3}))
	t.Cleanup(tg.Close)
	redisURL, _ := testRedis(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, &syncBuffer{}, deskEnv(map[string]string{"SEND_RATE_GROUP": "2/s", "VOLUNTEER_CAPACITY": "10"}))
	vera := newVolunteer(t, tg, 501, "Vera")
	const n = 10
	fams := make([]*family, n)
	for i := range fams {
		fams[i] = newFamily(t, tg, int64(1200+i), "fr")
	}
	askAll(t, tg, fams)

	tapped, ended := map[int]bool{}, map[int64]bool{}
	waitFor(t, tg, "every ticket taken and ended", func() bool {
		for _, m := range tg.BotMessages(deskGroup) {
			if data, ok := m.Data("Prendre en charge"); ok && !tapped[m.ID] {
				tapped[m.ID] = true
				tg.Tap(deskGroup, m.ID, data, append(vera.opts, telegramtest.From(vera.id))...)
			}
		}
		for _, f := range fams {
			if !ended[f.chat] && strings.Contains(f.last().Text, "vous répond maintenant") {
				ended[f.chat] = true
				tg.SendText(f.chat, "/fin", f.opts...)
			}
		}
		return len(ended) == n
	}, deskGroup)
	done := func() map[string]bool {
		codes := map[string]bool{}
		for _, m := range tg.BotMessages(deskGroup) {
			if _, take := m.Data("Prendre en charge"); strings.Contains(m.Text, "✅ Terminée") && !take {
				codes[codeOf(m.Text)] = true
			}
		}
		return codes
	}
	waitFor(t, tg, "every card in the group, ended", func() bool { return len(done()) == n }, deskGroup)

	var t0 time.Time
	var timeline strings.Builder
	for _, c := range groupCalls(tg, "") {
		if c.Method == "getChatMember" {
			continue
		}
		if t0.IsZero() {
			t0 = c.Time
		}
		fmt.Fprintf(&timeline, "%8.3f s %s %d\n", c.Time.Sub(t0).Seconds(), c.Method, c.Code)
		if c.Code == 429 {
			refused = append(refused, c)
		}
		if !c.OK() {
			continue
		}
		switch c.Method {
		case "sendMessage":
			sends++
		case "editMessageText", "editMessageReplyMarkup":
			edits++
		}
	}
	if len(refused) > 0 {
		t.Logf("the group's calls:\n%s", timeline.String())
	}
	checkPrivacy(t, tg, fams, map[int64]string{vera.id: "Vera"})
	return sends, edits, refused
}

// Every card reaches the group, and a card changed twice while its edit
// waited is edited once.
func TestDeskGroupPace(t *testing.T) {
	sends, edits, refused := groupPace(t)
	const n, changes = 10, 20 // taken, then ended
	t.Logf("%d cards sent, %d edits for %d changes, %d refused with 429", sends, edits, changes, len(refused))
	if sends != n {
		t.Errorf("%d messages sent to the group for %d tickets", sends, n)
	}
	if edits >= changes {
		t.Errorf("%d edits for %d changes: the card's changes were not coalesced", edits, changes)
	}
	// The bot's pace in the group keeps under Telegram's: no 429.
	for _, c := range refused {
		t.Errorf("Telegram answered 429 to the bot's %s in the group: %s", c.Method, c.Error)
	}
}

// A clean stop (SIGTERM) while the board writes a card: restarted, the bot
// must not write the card a second time.
func TestDeskCleanStopWritesOnce(t *testing.T) {
	tg, redisURL, logs, bot := startDesk(t, nil)
	rdb := redisFor(t, redisURL)
	f := newFamily(t, tg, 1114, "fr")
	askForSomeone(t, f, "fr")
	code := codeOf(waitCard(t, tg, "En attente", true).Text)
	bot.stop(t) // as the card is written: before the board recorded it
	if err := rdb.Del(ctxFor(5*time.Second), "bsl:lock:{board}").Err(); err != nil {
		t.Fatal(err)
	}
	startBot(t, tg, redisURL, logs, deskEnv(map[string]string{"SEND_RATE_GROUP": "10/s"}))
	f2 := newFamily(t, tg, 1115, "fr")
	askForSomeone(t, f2, "fr")
	waitNewCard(t, tg, code)
	waitBoardEmpty(t, rdb)
	cards := 0
	for _, m := range tg.BotMessages(deskGroup) {
		if codeOf(m.Text) == code {
			cards++
		}
	}
	if cards != 1 {
		t.Errorf("%d cards for Personne %s in the group:\n%s", cards, code, transcript(tg.Chat(deskGroup)))
	}
}

// Telegram answers 429 to a card's edit with retry_after: the board waits
// that long before writing to the group again.
func TestDeskGroupHonoursRetryAfter(t *testing.T) {
	tg, _, _, _ := startDesk(t, nil)
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, 1116, "fr")
	askForSomeone(t, f, "fr")
	card := waitCard(t, tg, "En attente", true)
	const retryAfter = 4
	tg.Fail("editMessageText", 1, 429, retryAfter) // only the board edits here
	takeTicket(t, tg, vera, card)
	waitCard(t, tg, "Prise en charge par", false)
	var refused, next time.Time
	for _, c := range groupCalls(tg, "") {
		switch {
		case c.Method == "getChatMember":
		case c.Code == 429 && refused.IsZero():
			refused = c.Time
		case !refused.IsZero() && next.IsZero():
			next = c.Time
		}
	}
	if refused.IsZero() {
		t.Fatal("the fault did not catch the card's edit")
	}
	// (no write after the 429 at all: the refused edit was a repeat of one
	// already shown, and nothing else had to be written)
	if wait := next.Sub(refused); !next.IsZero() && wait < retryAfter*time.Second {
		t.Errorf("the group was written to again %v after a 429 with retry_after %d s", wait.Round(time.Millisecond), retryAfter)
	}
}
