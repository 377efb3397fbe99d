package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// The admins' words never reach anybody else: a family who types their
// commands or sends a YAML file gets the ordinary answers, and learns
// nothing of a publishing tool.
func TestAdminCommandsAnswerNobodyElse(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	f := newFamily(t, tg, 1040, "fr")
	f.say("/start", 1)
	for _, cmd := range []string{"/flux", "/versions", "/restaurer 0", "/journal", "/modifier", "/traductions", "/ressources", "/verifie police_17"} {
		got := f.say(cmd, 1)
		for _, m := range got {
			for _, word := range []string{"version", "Brouillon", "publi", "Parcours", "admin"} {
				if strings.Contains(m.Text, word) {
					t.Errorf("%s from a family answered with %q", cmd, m.Text)
				}
			}
		}
	}
	f.mark = len(tg.BotMessages(f.chat))
	tg.SendDocumentData(f.chat, "orientation.yaml", "application/x-yaml", shipped(t, "orientation.yaml"), f.opts...)
	got := f.await(f.mark + 1)
	if strings.Contains(got[0].Text, "YAML") || strings.Contains(got[0].Text, "Brouillon") {
		t.Errorf("a family's YAML file is read as an upload: %q", got[0].Text)
	}
	for _, m := range tg.BotMessages(f.chat) {
		if m.Kind == "document" {
			t.Errorf("a family was sent a document")
		}
	}
}

// A broken upload is refused with its line and column and what to do;
// nothing live changes. Oversized, binary, non-YAML and alias-bomb
// documents get a clear refusal, and the bot goes on.
func TestAdminBrokenAndHostileUploads(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "fr")

	broken := bytes.Replace(shipped(t, "orientation.yaml"), []byte("goto: besoin"), []byte("goto: nulle_part"), 1)
	admin.upload("orientation.yaml", broken, "ligne")
	refusal := admin.last().Text
	for _, want := range []string{"nulle_part", "colonne", "Rien n'a changé"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("the refusal of a broken flow does not say %q:\n%s", want, refusal)
		}
	}
	t.Logf("refusal:\n%s", refusal)

	admin.upload("photo.yaml", append([]byte("\x89PNG\r\n\x1a\n\x00\x00"), make([]byte, 64)...), "pas du texte")
	admin.upload("notes.txt", []byte("nodes: {}"), "pas un document YAML")
	admin.upload("orientation.yaml", bytes.Repeat([]byte("# commentaire\n"), 60<<10), "trop gros")
	bomb := "id: orientation\nlanguages: [fr]\nstart: a\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
	for i, prev := 0, "a"; i < 9; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
		prev = name
	}
	bomb += "nodes:\n  a:\n    text: {fr: *j}\n"
	admin.upload("bombe.yaml", []byte(bomb), "Rien n'a changé")
	admin.upload("vide.yaml", []byte("resources: [\n"), "Rien n'a changé")

	// Nothing changed for families.
	f := newFamily(t, tg, 1041, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	if !strings.Contains(f.last().Text, "De quoi avez-vous besoin") {
		t.Errorf("the live flow changed after refused uploads: %q", f.last().Text)
	}
	admin.say("/flux", 1)
	if !strings.Contains(admin.last().Text, "version 0") {
		t.Errorf("/flux after refused uploads: %q", admin.last().Text)
	}
	checkLogsArePrivate(t, logs.String(), f.chat, "Samira", "samira_13", "nulle_part")
}

// An admin with only a phone changes an Arabic text, tries it in their own
// chat (nobody else sees it), publishes it, and undoes it.
func TestAdminEditsArabicFromPhone(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "ar")
	fam := newFamily(t, tg, 1042, "ar")
	const newText = "كيف يمكننا مساعدتك اليوم؟ يمكنك الرجوع إلى هذه القائمة متى شئت."

	admin.say("/modifier", 1)
	admin.tap("شاشة من المسار", 1)
	var screen string
	waitFor(t, tg, "the screens listed", func() bool {
		for _, row := range admin.last().Buttons {
			if strings.HasPrefix(row[0].Text, "بماذا يمكننا مساعدتك") {
				screen = row[0].Text
			}
		}
		return screen != ""
	}, admin.chat)
	admin.tap(screen, 1)
	admin.tap("العربية", 3)
	if !strings.Contains(tg.BotMessages(admin.chat)[len(tg.BotMessages(admin.chat))-2].Text, "بماذا يمكننا مساعدتك") {
		t.Errorf("the current text is not shown before the new one is asked")
	}
	admin.say(newText, 1)
	waitSaid(t, admin, "besoin")
	offer := admin.last()
	t.Logf("offer:\n%s", offer.Text)

	// Trying it: the admin sees the new text; a family does not.
	admin.tapOn(offer, "🧪 تجربة", 2)
	admin.tap("نعم", 1)
	waitSaid(t, admin, newText)
	if !strings.Contains(admin.last().Text, "🧪") {
		t.Errorf("a trial screen is not marked as a trial: %q", admin.last().Text)
	}
	fam.say("/start", 1)
	fam.tap("نعم", 1)
	if strings.Contains(fam.last().Text, newText) {
		t.Fatal("a draft under trial reached a family")
	}
	admin.say("/quitter_essai", 2)
	waitFor(t, tg, "the draft offered again", func() bool { _, ok := admin.last().Data("✅ نشر"); return ok }, admin.chat)

	admin.tap("✅ نشر", 1)
	waitSaid(t, admin, "تم نشر النسخة 1")
	fam.say("/start", 1) // on the menu already: the same step, in the new version
	waitFor(t, tg, "the family reads the new text", func() bool { return strings.Contains(fam.last().Text, newText) }, fam.chat)

	admin.say("/versions", 1)
	if !strings.Contains(admin.last().Text, "v1") {
		t.Errorf("/versions does not list v1: %q", admin.last().Text)
	}
	admin.say("/restaurer 0", 1)
	waitSaid(t, admin, "النسخة 2")
	fam.say("/start", 1)
	waitFor(t, tg, "the family reads the old text again", func() bool {
		return strings.Contains(fam.last().Text, "بماذا يمكننا مساعدتك")
	}, fam.chat)
	admin.say("/journal", 1)
	for _, want := range []string{"v1", "v2"} {
		if !strings.Contains(admin.last().Text, want) {
			t.Errorf("/journal misses %s: %q", want, admin.last().Text)
		}
	}
	writeTranscript(t, "admin_edit_ar", tg.Chat(admin.chat))
	checkLogsArePrivate(t, logs.String(), fam.chat, "Samira", "samira_13", newText)
}

// Two admins start from the same version; the second to publish is shown
// what the first changed, and decides.
func TestAdminsPublishingFromTheSameBase(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	nadia := newAdmin(t, tg, 9001, "fr")
	karim := newAdmin(t, tg, 9002, "fr")
	one := bytes.Replace(shipped(t, "orientation.yaml"), []byte("Vous pourrez revenir à ce menu à tout moment."),
		[]byte("Vous pouvez revenir ici quand vous voulez."), 1)
	two := bytes.Replace(shipped(t, "orientation.yaml"), []byte("Vous pourrez revenir à ce menu à tout moment."),
		[]byte("Ce menu reste là pour vous."), 1)
	nadia.upload("orientation.yaml", one, "Brouillon")
	karim.upload("orientation.yaml", two, "Brouillon")
	nadia.tap("✅ Publier", 1)
	waitSaid(t, nadia, "Version 1 publiée")
	karim.tap("✅ Publier", 1)
	waitSaid(t, karim, "Une autre version (1)")
	warning := karim.last()
	if !strings.Contains(warning.Text, "besoin") {
		t.Errorf("the second admin is not shown what the first changed:\n%s", warning.Text)
	}
	karim.tapOn(warning, "Publier mon brouillon quand même", 1)
	waitSaid(t, karim, "Version 2 publiée")
	f := newFamily(t, tg, 1043, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	if !strings.Contains(f.last().Text, "Ce menu reste là pour vous.") {
		t.Errorf("the version published last is not live: %q", f.last().Text)
	}
}

// Two replicas: a version published through one is served by both within
// seconds (pub/sub; a periodic check as a safety net).
func TestPublishReachesEveryReplica(t *testing.T) {
	tg, redisURL, logs := setupDelivery(t)
	startReplicas(t, 2, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "fr")
	changed := bytes.Replace(shipped(t, "orientation.yaml"), []byte("Vous pourrez revenir à ce menu à tout moment."),
		[]byte("Ce menu vous attend."), 1)
	admin.upload("orientation.yaml", changed, "Brouillon")
	start := time.Now()
	admin.tap("✅ Publier", 1)
	waitSaid(t, admin, "Version 1 publiée")
	within(t, "both replicas serve version 1", 20*time.Second, func() bool {
		n := 0
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "flows: version live") && strings.Contains(line, `"version":1,`) {
				n++
			}
		}
		return n >= 2
	})
	t.Logf("both replicas switched %v after the tap", time.Since(start).Round(time.Millisecond))
	// Families answered by either replica read the new text.
	for i := int64(0); i < 4; i++ {
		f := newFamily(t, tg, 1050+i, "fr")
		f.say("/start", 1)
		f.tap("Oui", 1)
		if !strings.Contains(f.last().Text, "Ce menu vous attend.") {
			t.Errorf("family %d reads the old version: %q", i, f.last().Text)
		}
	}
}

// Someone mid-way when a version is published finishes the path they
// started; once back at the menu they are on the new version.
func TestMidConversationFinishesOnItsVersion(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	admin := newAdmin(t, tg, coordinator, "fr")
	f := newFamily(t, tg, 1044, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	f.tap("Mes droits, porter plainte", 1)
	onScreen := f.last()

	doc := shipped(t, "orientation.yaml")
	doc = bytes.Replace(doc, []byte("Vous pourrez revenir à ce menu à tout moment."), []byte("Menu, version nouvelle."), 1)
	doc = bytes.Replace(doc, []byte("Vous pouvez porter plainte dans n'importe quel commissariat"), []byte("Nouveau : vous pouvez porter plainte dans n'importe quel commissariat"), 1)
	admin.upload("orientation.yaml", doc, "Brouillon")
	admin.tap("✅ Publier", 1)
	waitSaid(t, admin, "Version 1 publiée")

	// A tap on the screen shown before the publication still works.
	f.tapOn(onScreen, "Porter plainte", 1)
	if strings.Contains(f.last().Text, "menu a changé") || strings.Contains(f.last().Text, "endroit sûr") {
		t.Errorf("a person mid-way was interrupted by the publication: %q", f.last().Text)
	}
	if !strings.Contains(f.last().Text, "Vous pouvez porter plainte") {
		t.Errorf("the step after the publication is not the one tapped: %q", f.last().Text)
	}
	f.say("/start", 1) // /start goes on the live version, at the same step
	waitFor(t, tg, "the new version's text at the same step", func() bool {
		return strings.Contains(f.last().Text, "Nouveau : vous pouvez porter plainte")
	}, f.chat)
	writeTranscript(t, "admin_mid_conversation", tg.Chat(f.chat))
}

// A person whose step no longer exists in any version the bot holds (here:
// the operator deployed other flows) lands on the new menu with a word of
// apology: never a dead end, never the start-up questions again.
func TestStepGoneLandsOnTheMenu(t *testing.T) {
	tg, redisURL, logs := setup(t)
	bot := startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1045, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	f.tap("Mes droits, porter plainte", 1)
	f.tap("Porter plainte", 1)
	onScreen := f.last()
	bot.stop(t)

	dir := t.TempDir()
	doc := bytes.ReplaceAll(shipped(t, "orientation.yaml"), []byte("goto: plainte\n"), []byte("goto: plainte_nouvelle\n"))
	doc = bytes.Replace(doc, []byte("\n  plainte:\n"), []byte("\n  plainte_nouvelle:\n"), 1)
	for name, data := range map[string][]byte{"orientation.yaml": doc, "resources.yaml": shipped(t, "resources.yaml")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	startBot(t, tg, redisURL, logs, map[string]string{"FLOWS_DIR": dir})
	label := onScreen.Buttons[0][0].Text
	f.tapOn(onScreen, label, 1)
	got := f.last().Text
	if !strings.Contains(got, "Voici le menu") || !strings.Contains(got, "De quoi avez-vous besoin") {
		t.Errorf("a person whose step is gone does not land on the menu with an apology:\n%s", got)
	}
	if strings.Contains(got, "endroit sûr") {
		t.Errorf("a person whose step is gone is asked the start-up question again:\n%s", got)
	}
	writeTranscript(t, "step_gone", tg.Chat(f.chat))
}

// Each coordinator's own menu lists their commands; the menu everyone else
// sees does not.
func TestAdminMenuIsTheirsAlone(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, adminEnv(nil))
	scope := &models.BotCommandScopeChat{ChatID: coordinator}
	waitFor(t, tg, "the coordinator's menu", func() bool { return len(tg.ScopedCommands(scope, "ar")) > 0 })
	for _, lang := range []string{"", "fr", "ar"} {
		names := map[string]bool{}
		for _, c := range tg.ScopedCommands(scope, lang) {
			names[c.Command] = true
		}
		for _, want := range []string{"start", "effacer", "flux", "modifier", "restaurer", "ateliers", "stats"} {
			if !names[want] {
				t.Errorf("the coordinator's menu %q lacks /%s", lang, want)
			}
		}
		for _, c := range tg.Commands(lang) {
			if c.Command == "flux" || c.Command == "ateliers" || c.Command == "stats" {
				t.Errorf("everyone's menu %q shows /%s", lang, c.Command)
			}
		}
	}
}

// A coordinator who also volunteers relays a document to the person they
// answer; only a YAML file is read as an upload.
func TestCoordinatorVolunteerRelaysADocument(t *testing.T) {
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil)) // ADMIN_IDS 9001
	nadia := newVolunteer(t, tg, coordinator, "Nadia")
	f := newFamily(t, tg, 1070, "fr")
	askForSomeone(t, f, "fr")
	nadia.take(waitCard(t, tg, "En attente", true))
	waitFor(t, tg, "Nadia has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)

	tg.SendDocumentData(coordinator, "formulaire.pdf", "application/pdf", []byte("%PDF-1.4 formulaire"), nadia.opts...)
	waitFor(t, tg, "the document relayed", func() bool {
		for _, m := range tg.BotMessages(f.chat) {
			if m.IsCopy() {
				return true
			}
		}
		return false
	}, f.chat, coordinator)
	for _, m := range tg.BotMessages(coordinator) {
		if strings.Contains(m.Text, "YAML") {
			t.Errorf("the coordinator's document was read as an upload: %q", m.Text)
		}
	}
}
