package admin

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/i18n"
)

const coordinator = int64(4242)

type textSender struct {
	mu  sync.Mutex
	out []string
}

func (f *textSender) SendNow(_ context.Context, _ int64, it delivery.Item) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out = append(f.out, it.Text)
	return len(f.out), nil
}

func (f *textSender) take() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := strings.Join(f.out, "\n---\n")
	f.out = nil
	return s
}

type notice struct {
	chat       int64
	lang, text string
}

type fakeNotifier struct {
	out     []notice
	blocked int64
}

func (f *fakeNotifier) Notify(_ context.Context, chat int64, lang, text string) error {
	if chat == f.blocked {
		return errors.New("Forbidden: bot was blocked by the user")
	}
	f.out = append(f.out, notice{chat, lang, text})
	return nil
}

func newSessions(t *testing.T) (*Sessions, *ateliers.Memory, *textSender, *fakeNotifier) {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, loc)
	m := ateliers.NewMemory()
	m.Now = func() time.Time { return now }
	snd, ntf := &textSender{}, &fakeNotifier{}
	return &Sessions{Admins: []int64{coordinator}, Store: m, Notifier: ntf, Sender: snd, Bundle: b, Loc: loc,
		Log: zerolog.Nop(), Now: func() time.Time { return now }}, m, snd, ntf
}

func (s *Sessions) run(t *testing.T, text, lang string) {
	t.Helper()
	u := conversation.Update{Chat: coordinator, From: coordinator, Private: true, Kind: conversation.KindText, Text: text, Lang: lang}
	if !s.Owns(u) {
		t.Fatalf("%q not owned", text)
	}
	if _, err := s.Handle(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

const adminForm = `/ateliers ajouter
type: groupe
titre fr: Groupe des parents
titre ar: مجموعة الأولياء
langues: fr, ar
date: 2026-12-03 18:00
durée: 90
lieu fr: 12 rue Abc
lieu ar: 12 شارع Abc`

func TestSessionsOwns(t *testing.T) {
	s, _, _, _ := newSessions(t)
	for _, u := range []conversation.Update{
		{Chat: 9, From: 9, Private: true, Kind: conversation.KindText, Text: "/ateliers"},                       // not an admin
		{Chat: -100, From: coordinator, Private: false, Kind: conversation.KindText, Text: "/ateliers"},         // a group
		{Chat: coordinator, From: coordinator, Private: true, Kind: conversation.KindText, Text: "/atelierss"},  // another word
		{Chat: coordinator, From: coordinator, Private: true, Kind: conversation.KindButton, Data: "/ateliers"}, // a button
	} {
		if s.Owns(u) {
			t.Errorf("owns %+v", u)
		}
	}
	var nilSessions *Sessions
	if nilSessions.Owns(conversation.Update{Private: true, From: coordinator, Kind: conversation.KindText, Text: "/ateliers"}) {
		t.Error("nil owns")
	}
}

func TestSessionsAddListChangeCancel(t *testing.T) {
	s, m, snd, ntf := newSessions(t)
	ctx := context.Background()

	// Problems, with their line in the message.
	s.run(t, strings.Replace(adminForm, "durée: 90", "durée: 9000", 1), "fr")
	if got := snd.take(); !strings.Contains(got, "Rien n'est enregistré") || !strings.Contains(got, "Ligne 7 (durée)") {
		t.Errorf("problems: %q", got)
	}
	s.run(t, "/ateliers ajouter", "fr")
	if got := snd.take(); !strings.Contains(got, "Écrivez le formulaire") {
		t.Errorf("no form: %q", got)
	}
	// Saved, shown in French and Arabic.
	s.run(t, adminForm, "fr")
	got := snd.take()
	coming, _ := m.Coming(ctx, s.Now())
	if len(coming) != 1 {
		t.Fatalf("saved %d", len(coming))
	}
	id := coming[0].ID
	if !strings.Contains(got, "Enregistré sous le code "+id) || !strings.Contains(got, "jeudi 3 décembre, 18 h – 19 h 30") ||
		!strings.Contains(got, "الخميس 3 ديسمبر") {
		t.Errorf("saved: %q", got)
	}
	m.SignUp(ctx, id, ateliers.Sign{Chat: 501, Lang: "fr", Remind: true})
	m.SignUp(ctx, id, ateliers.Sign{Chat: 502, Lang: "ar"})
	m.SignUp(ctx, id, ateliers.Sign{Chat: 503, Lang: "fr"})
	ntf.blocked = 503

	// The list, in Arabic for an Arabic-speaking coordinator.
	s.run(t, "/ateliers", "ar")
	if got := snd.take(); !strings.Contains(got, id) || !strings.Contains(got, "مجموعة الأولياء") ||
		!strings.Contains(got, "المسجلون: 3") || !strings.Contains(got, "/ateliers ajouter") {
		t.Errorf("list: %q", got)
	}
	// A change of title only: nobody told.
	s.run(t, "/ateliers modifier "+strings.ToLower(id)+"\ntitre fr: Parents ensemble", "fr")
	if got := snd.take(); !strings.Contains(got, "Prévenus du changement : 0 sur 3") || len(ntf.out) != 0 {
		t.Errorf("title change: %q %v", got, ntf.out)
	}
	// A change of time: each told in their language, in neutral words.
	s.run(t, "/ateliers modifier "+id+"\ndate: 2026-12-03 18:30", "fr")
	if got := snd.take(); !strings.Contains(got, "Prévenus du changement : 2 sur 3") {
		t.Errorf("time change: %q", got)
	}
	if len(ntf.out) != 2 || ntf.out[0].chat != 501 || !strings.Contains(ntf.out[0].text, "déplacé au jeudi 3 décembre à 18 h 30") ||
		ntf.out[1].lang != "ar" || !strings.Contains(ntf.out[1].text, "18:30") || strings.Contains(ntf.out[0].text, "Parents") {
		t.Errorf("notices %+v", ntf.out)
	}
	ntf.out = nil
	// Problems in a change.
	s.run(t, "/ateliers modifier "+id+"\ndate: hier", "fr")
	if got := snd.take(); !strings.Contains(got, "Ligne 2 (date)") {
		t.Errorf("change problems: %q", got)
	}
	s.run(t, "/ateliers modifier ZZZZ\ntitre fr: X", "fr")
	if got := snd.take(); !strings.Contains(got, "Aucun rendez-vous n'a le code « ZZZZ »") {
		t.Errorf("unknown: %q", got)
	}
	// Cancelled: told, sign-ups gone.
	s.run(t, "/ateliers annuler "+id, "fr")
	if got := snd.take(); !strings.Contains(got, id+" annulé. Prévenus : 2 sur 3") {
		t.Errorf("cancel: %q", got)
	}
	if len(ntf.out) != 2 || !strings.Contains(ntf.out[0].text, "est annulé") {
		t.Errorf("cancel notices %+v", ntf.out)
	}
	if signed, _ := m.Signed(ctx, id); len(signed) != 0 {
		t.Errorf("still signed %v", signed)
	}
	s.run(t, "/ateliers annuler "+id, "fr")
	if got := snd.take(); !strings.Contains(got, "déjà annulé") {
		t.Errorf("again: %q", got)
	}
	s.run(t, "/ateliers", "fr")
	if got := snd.take(); !strings.Contains(got, "ANNULÉ") {
		t.Errorf("list after cancel: %q", got)
	}
}

func TestSessionsCame(t *testing.T) {
	s, m, snd, _ := newSessions(t)
	s.run(t, adminForm, "fr")
	snd.take()
	coming, _ := m.Coming(context.Background(), s.Now())
	id := coming[0].ID
	s.run(t, "/ateliers venus "+id+" 6", "fr")
	if got := snd.take(); !strings.Contains(got, "pas encore eu lieu") {
		t.Errorf("before: %q", got)
	}
	later := coming[0].End().Add(time.Hour)
	s.Now = func() time.Time { return later }
	s.run(t, "/ateliers venus "+id+" 6", "fr")
	if got := snd.take(); !strings.Contains(got, id+" : 6 venus") {
		t.Errorf("came: %q", got)
	}
	if ss, _ := m.Get(context.Background(), id); ss.Came != 6 {
		t.Errorf("came %d", ss.Came)
	}
	s.run(t, "/ateliers venus "+id+" beaucoup", "fr")
	if got := snd.take(); !strings.Contains(got, "/ateliers venus CODE NOMBRE") {
		t.Errorf("usage: %q", got)
	}
	// A session over can no longer be changed.
	s.run(t, "/ateliers annuler "+id, "fr")
	if got := snd.take(); !strings.Contains(got, "déjà passé") {
		t.Errorf("cancel after: %q", got)
	}
}
