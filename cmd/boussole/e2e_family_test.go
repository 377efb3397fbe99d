package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// The journeys below run the whole program (`boussole serve`, long polling)
// against the fake Bot API and Redis, and read what the person sees.

func newFamily(t *testing.T, tg *telegramtest.Server, chat int64, lang string) *family {
	return &family{t: t, tg: tg, chat: chat, opts: []telegramtest.UserOpt{
		telegramtest.Lang(lang), telegramtest.FirstName("Samira"), telegramtest.Username("samira_13"),
	}}
}

func setup(t *testing.T) (*telegramtest.Server, string, *syncBuffer) {
	t.Helper()
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	url, _ := testRedis(t)
	return tg, url, &syncBuffer{}
}

func TestFamilyJourneyFrench(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1001, "fr")

	got := f.say("/start", 1)
	if !strings.Contains(got[0].Text, "Êtes-vous dans un endroit sûr pour lire ces messages ?") {
		t.Fatalf("first message: %q", got[0].Text)
	}
	if !got[0].Protected {
		t.Error("protect_content is not set")
	}
	if _, ok := got[0].Data("العربية"); !ok {
		t.Error("the first message offers no switch to Arabic")
	}
	got = f.tap("Oui", 1)
	if !strings.Contains(got[0].Text, "De quoi avez-vous besoin") {
		t.Fatalf("the need comes first: %q", got[0].Text)
	}
	f.tap("Soutien psychologique", 1)
	got = f.tap("Pour moi", 1)
	if !strings.Contains(got[0].Text, "116\u00a0006") {
		t.Errorf("psychological support shows no service card:\n%s", got[0].Text)
	}
	f.say("/retour", 1)
	if !strings.Contains(f.last().Text, "C'est pour qui ?") {
		t.Errorf("/retour did not go back: %q", f.last().Text)
	}
	f.say("/recommencer", 1)
	if !strings.Contains(f.last().Text, "endroit sûr") {
		t.Errorf("/recommencer did not restart: %q", f.last().Text)
	}
	got = f.say("/aide", 1)
	if !strings.Contains(got[0].Text, "/effacer") {
		t.Errorf("/aide does not explain /effacer: %q", got[0].Text)
	}
	writeTranscript(t, "family_fr", tg.Chat(f.chat))
	checkLogsArePrivate(t, logs.String(), f.chat, "Samira", "samira_13", "13")
}

func TestFamilyJourneyArabic(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1002, "ar")

	got := f.say("/start", 1)
	if !strings.Contains(got[0].Text, "هل أنت في مكان آمن لقراءة هذه الرسائل؟") {
		t.Fatalf("an Arabic phone is greeted in Arabic; got %q", got[0].Text)
	}
	f.tap("نعم", 1)
	f.tap("حقوقي وتقديم شكوى", 1)
	f.tap("تقديم شكوى", 1)
	if !strings.Contains(f.last().Text, "▪️") || !strings.Contains(f.last().Text, "116") {
		t.Errorf("filing a complaint shows no service card:\n%s", f.last().Text)
	}
	// Switching language keeps the place.
	f.say("/langue fr", 1)
	if !strings.Contains(f.last().Text, "Vous pouvez porter plainte") {
		t.Errorf("/langue fr did not show the same step in French: %q", f.last().Text)
	}
	writeTranscript(t, "family_ar", tg.Chat(f.chat))
}

func TestEmergencyKeywordWinsAnywhere(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1003, "fr")
	f.say("/start", 1)
	f.tap("Oui", 1)
	got := f.say("ils ont une ARME devant chez moi", 1)
	if !strings.Contains(got[0].Text, "17") || !strings.Contains(got[0].Text, "114") {
		t.Errorf("emergency keyword at the needs menu did not show the emergency numbers:\n%s", got[0].Text)
	}
	if strings.Contains(logs.String(), "ARME") {
		t.Error("the message text reached the logs")
	}
}

func TestStaleButtonShowsCurrentStep(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1004, "fr")
	first := f.say("/start", 1)[0]
	f.tap("Oui", 1)
	current := f.last()
	got := f.tapOn(first, "Non, je suis en danger", 1)
	if !strings.Contains(got[0].Text, "Ce menu a changé") && !strings.Contains(got[0].Text, "menu") {
		t.Errorf("stale button: %q", got[0].Text)
	}
	if !strings.Contains(got[0].Text, "De quoi avez-vous besoin") {
		t.Errorf("stale button did not show the current step again: %q", got[0].Text)
	}
	_ = current
	// A forged button does not move the person either.
	f.mark = len(tg.BotMessages(f.chat))
	_, cb := tg.Tap(f.chat, current.ID, "deadbeef:urgence:0", f.opts...)
	f.await(f.mark + 1)
	f.waitAnswered(cb)
	if !strings.Contains(f.last().Text, "De quoi avez-vous besoin") {
		t.Errorf("forged button moved the person: %q", f.last().Text)
	}
}

func TestMediaGetsAKindAnswer(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1005, "fr")
	f.say("/start", 1)
	for _, send := range []func(){
		func() { tg.SendSticker(f.chat, "😢", f.opts...) },
		func() { tg.SendVoice(f.chat, 12, f.opts...) },
		func() { tg.SendPhoto(f.chat, "", f.opts...) },
	} {
		f.mark = len(tg.BotMessages(f.chat))
		send()
		got := f.await(f.mark + 1)
		if !strings.Contains(got[0].Text, "endroit sûr") || len(got[0].Buttons) == 0 {
			t.Errorf("media answer should keep the current step and its buttons: %q", got[0].Text)
		}
	}
}

func TestSameUpdateTwiceRepliesOnce(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1006, "fr")
	f.say("/start", 1)
	id, _ := tg.SendText(f.chat, "/aide", f.opts...)
	f.await(2)
	if !tg.Redeliver(id) {
		t.Fatal("redeliver failed")
	}
	// Let the redelivered update go through, then send another message: if
	// the duplicate had produced a reply, it would come before this one.
	f.say("/recommencer", 1)
	msgs := tg.BotMessages(f.chat)
	if len(msgs) != 3 {
		t.Fatalf("want 3 bot messages (start, help, restart), got %d:\n%s", len(msgs), transcript(msgs))
	}
}

func TestBlockedUserIsLeftAlone(t *testing.T) {
	tg, redisURL, logs := setup(t)
	startBot(t, tg, redisURL, logs, nil)
	f := newFamily(t, tg, 1007, "fr")
	f.say("/start", 1)
	tg.Block(f.chat)
	tg.SendText(f.chat, "/aide", f.opts...)
	tg.SendText(f.chat, "/aide", f.opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = tg.WaitFor(ctx, func() bool { return tg.CallCount("sendMessage") >= 2 })
	time.Sleep(300 * time.Millisecond)
	n := 0
	for _, c := range tg.Calls("sendMessage") {
		if c.Code == 403 {
			n++
		}
	}
	if n > 2 {
		t.Errorf("kept writing to a chat that blocked the bot: %d refused sends", n)
	}
}

var update = flag.Bool("update", false, "rewrite the transcripts in testdata/transcripts")

// writeTranscript compares what the person saw with testdata/transcripts,
// which a human reads (regenerate with -update).
func writeTranscript(t *testing.T, name string, msgs []telegramtest.Message) {
	t.Helper()
	path := filepath.Join("testdata", "transcripts", name+".txt")
	got := stableTranscript(transcript(msgs))
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("what the person sees changed (%s); check it and run with -update:\n%s", path, got)
	}
}

// Dates, and the services due for a check (they depend on the day), are
// written as placeholders, so that a transcript reads the same any day.
var (
	dateTime = regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2}`)
	toVerify = regexp.MustCompile(`(?m)^(\s*🔎).*$`)
)

func stableTranscript(s string) string {
	s = dateTime.ReplaceAllString(s, "JJ/MM/AAAA hh:mm")
	return toVerify.ReplaceAllString(s, "$1 …")
}

// checkLogsArePrivate fails if the logs hold anything that identifies the
// person or repeats what they wrote.
func checkLogsArePrivate(t *testing.T, logs string, chat int64, secrets ...string) {
	t.Helper()
	if !strings.Contains(logs, `"message":"update"`) {
		t.Fatalf("no update log line at all:\n%s", logs)
	}
	for _, s := range append(secrets, strconv.FormatInt(chat, 10)) {
		if strings.Contains(logs, `"`+s+`"`) || strings.Contains(logs, s+" ") || strings.Contains(logs, ":"+s+",") {
			t.Errorf("logs contain %q:\n%s", s, logs)
		}
	}
}
