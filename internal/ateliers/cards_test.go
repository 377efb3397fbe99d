package ateliers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
)

func newCards(t *testing.T) (*Cards, *Memory) {
	t.Helper()
	m := NewMemory()
	m.Now = func() time.Time { return now }
	return &Cards{Store: m, Bundle: bundle(t), Loc: paris}, m
}

func save(t *testing.T, m *Memory, s Session) Session {
	t.Helper()
	s, err := m.Save(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func datas(r conversation.Reply) []string {
	var out []string
	for _, row := range r.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

func TestCards(t *testing.T) {
	c, m := newCards(t)
	ctx := context.Background()
	// None yet: one kind reply.
	got, err := c.Cards(ctx, 5, "fr", "", now)
	if err != nil || len(got) != 1 || !strings.Contains(got[0].Text, "Aucun rendez-vous") || len(got[0].Buttons) != 0 {
		t.Fatalf("none: %+v %v", got, err)
	}
	th := save(t, m, thursday())
	frOnly := thursday()
	frOnly.Langs, frOnly.Needs, frOnly.Start = []string{"fr"}, nil, now.Add(48*time.Hour)
	frOnly = save(t, m, frOnly)
	legal := thursday()
	legal.Needs, legal.Start = []string{"legal"}, now.Add(24*time.Hour)
	save(t, m, legal)
	cancelled := thursday()
	cancelled.Cancelled = true
	save(t, m, cancelled)
	over := thursday()
	over.Start = now.Add(-2 * time.Hour)
	save(t, m, over)

	got, _ = c.Cards(ctx, 5, "fr", "deuil", now)
	if len(got) != 2 || !strings.Contains(got[0].Text, "Groupe d'entraide") || got[1].Text == got[0].Text {
		t.Fatalf("fr deuil: %+v", got)
	}
	if got[0].Text != c.Card(frOnly, "fr", nil, now).Text {
		t.Errorf("soonest first: %q", got[0].Text)
	}
	card := got[1]
	for _, want := range []string{"Groupe d'entraide : Groupe des parents", "Pour : Parents et proches",
		"jeudi 3 décembre, 18 h – 19 h 30", "📍 Maison des familles, 12 rue Abc"} {
		if !strings.Contains(card.Text, want) {
			t.Errorf("card %q lacks %q", card.Text, want)
		}
	}
	if d := datas(card); strings.Join(d, " ") != "at:in:"+th.ID+" at:rem:"+th.ID {
		t.Errorf("buttons %v", d)
	}
	// Arabic: only the sessions held in Arabic, in Arabic.
	got, _ = c.Cards(ctx, 5, "ar", "deuil", now)
	if len(got) != 1 || !strings.Contains(got[0].Text, "الخميس 3 ديسمبر، من 18:00 إلى 19:30") ||
		!strings.Contains(got[0].Text, "مجموعة الأولياء") || got[0].Buttons[0][0].Label != "سأحضر" {
		t.Errorf("ar: %+v", got)
	}
	// Every need: all four coming, at most MaxCards.
	for range 6 {
		save(t, m, thursday())
	}
	if got, _ = c.Cards(ctx, 5, "fr", "", now); len(got) != MaxCards {
		t.Errorf("%d cards, want %d", len(got), MaxCards)
	}
}

func TestButton(t *testing.T) {
	c, m := newCards(t)
	ctx := context.Background()
	th := save(t, m, thursday())
	if _, ok, _ := c.Button(ctx, 5, "fr", "o:1", now); ok {
		t.Error("not a card's data taken")
	}
	got, ok, err := c.Button(ctx, 5, "fr", "at:in:"+th.ID, now)
	if err != nil || !ok || len(got) != 1 || !strings.HasPrefix(got[0].Text, "C'est noté. Vous pouvez changer d'avis") ||
		!strings.Contains(got[0].Text, "Groupe des parents") {
		t.Fatalf("in: %+v %v %v", got, ok, err)
	}
	if d := strings.Join(datas(got[0]), " "); d != "at:rem:"+th.ID+" at:out:"+th.ID {
		t.Errorf("signed up, buttons %s", d)
	}
	c.Button(ctx, 5, "fr", "at:rem:"+th.ID, now)
	signed, _ := m.Signed(ctx, th.ID)
	if len(signed) != 1 || signed[0] != (Sign{Chat: 5, Lang: "fr", Remind: true}) {
		t.Errorf("signed %+v", signed)
	}
	// The cards show it: only "I won't come".
	cards, _ := c.Cards(ctx, 5, "fr", "", now)
	if d := strings.Join(datas(cards[0]), " "); d != "at:out:"+th.ID {
		t.Errorf("signed with reminder, buttons %s", d)
	}
	// "I'll come" again keeps the reminder.
	c.Button(ctx, 5, "fr", "at:in:"+th.ID, now)
	if signed, _ = m.Signed(ctx, th.ID); !signed[0].Remind {
		t.Error("reminder lost")
	}
	got, _, _ = c.Button(ctx, 5, "fr", "at:out:"+th.ID, now)
	if n, _ := m.Count(ctx, th.ID); n != 0 || !strings.Contains(got[0].Text, "votre place est libérée") {
		t.Errorf("out: %d %+v", n, got)
	}
	// Forged, stale, cancelled, over: a kind word, never an error.
	cancelled := thursday()
	cancelled.Cancelled = true
	cancelled = save(t, m, cancelled)
	over := thursday()
	over.Start = now.Add(-3 * time.Hour)
	over = save(t, m, over)
	for data, want := range map[string]string{
		"at:in:ZZZZ":             "n'est plus disponible",
		"at:xx:" + th.ID:         "n'est plus disponible",
		"at:":                    "n'est plus disponible",
		"at:in:" + cancelled.ID:  "a été annulé",
		"at:rem:" + over.ID:      "déjà passé",
		"at:in:" + th.ID + ":zz": "n'est plus disponible",
	} {
		got, ok, err := c.Button(ctx, 5, "fr", data, now)
		if err != nil || !ok || len(got) != 1 || !strings.Contains(got[0].Text, want) {
			t.Errorf("%q: %+v %v %v", data, got, ok, err)
		}
	}
	// Forget.
	c.Button(ctx, 5, "ar", "at:in:"+th.ID, now)
	if err := c.Forget(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if mine, _ := m.Mine(ctx, 5); len(mine) != 0 {
		t.Errorf("after Forget: %v", mine)
	}
}

// A place given the day before shows as such, then to those signed up.
func TestCardPlaceLater(t *testing.T) {
	c, _ := newCards(t)
	s := thursday()
	s.PlaceLater = true
	if txt := c.Card(s, "fr", nil, now).Text; strings.Contains(txt, "rue Abc") || !strings.Contains(txt, "le lieu vous sera envoyé la veille") {
		t.Errorf("place shown: %q", txt)
	}
	eve := time.Date(2026, 12, 2, 10, 0, 0, 0, paris)
	sg := &Sign{Chat: 5, Lang: "fr"}
	if txt := c.Card(s, "fr", sg, eve.Add(-time.Minute)).Text; strings.Contains(txt, "rue Abc") {
		t.Errorf("place shown before the eve: %q", txt)
	}
	if txt := c.Card(s, "fr", sg, eve).Text; !strings.Contains(txt, "rue Abc") {
		t.Errorf("place not shown to one signed up on the eve: %q", txt)
	}
	if txt := c.Card(s, "fr", nil, eve).Text; strings.Contains(txt, "rue Abc") {
		t.Errorf("place shown to one not signed up: %q", txt)
	}
}
