package handoff

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// What volunteers read names nobody: the card shows the code, language,
// need, the choices made in the menu and the wait; never the chat, and
// never an answer the person typed.
func TestCardShowsChoicesNeverIdentity(t *testing.T) {
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	d := New(Config{Key: []byte("k")}, Deps{Bundle: b})
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	sum := summary(map[string]string{"need": "menace", "arrondissement": "13", "prenom": "Samira", "note": "j'habite rue X"})
	tk := Ticket{ID: 7, Code: "7UN", Chat: 987654321, Status: Queued, Category: "menace", Rank: RankAlarm, Lang: "ar",
		Summary: sum, Opened: now.Add(-12 * time.Minute), Queued: now.Add(-12 * time.Minute)}
	text, buttons := d.card(tk, now)
	for _, want := range []string{"7UN", "arabe", "13", "12"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card does not say %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"987654321", "Samira", "rue X"} {
		if strings.Contains(text, never) {
			t.Errorf("the card shows %q:\n%s", never, text)
		}
	}
	if len(buttons) != 1 || buttons[0][0].Data != "tk:7" {
		t.Errorf("a queued card's button: %v", buttons)
	}
	tk.Status, tk.Pseudonym = Claimed, d.pseudonym(501)
	text, buttons = d.card(tk, now)
	if buttons != nil || !strings.Contains(text, tk.Pseudonym) {
		t.Errorf("a taken card says who, without a button:\n%s %v", text, buttons)
	}
}

// A volunteer's pseudonym is stable, differs between volunteers, and does
// not carry their id.
func TestPseudonymIsStableAndOpaque(t *testing.T) {
	d := New(Config{Key: []byte("k")}, Deps{})
	seen := map[string]int64{}
	for id := int64(100000); id < 100200; id++ {
		p := d.pseudonym(id)
		if p != d.pseudonym(id) {
			t.Fatal("pseudonym not stable")
		}
		if strings.Contains(p, strconv.FormatInt(id, 10)) {
			t.Fatalf("pseudonym %q carries the id", p)
		}
		seen[p] = id
	}
	if len(seen) < 195 {
		t.Errorf("only %d pseudonyms for 200 volunteers", len(seen))
	}
	if New(Config{Key: []byte("other")}, Deps{}).pseudonym(100000) == d.pseudonym(100000) {
		t.Error("the pseudonym does not depend on the key")
	}
}

// The queue's order follows the issue: the emergency path, then a threat,
// then the rest; categories outside the six are "general".
func TestRankAndCategoryOfARequest(t *testing.T) {
	if rankOf(flow.PriorityUrgent) != RankUrgent || rankOf(flow.PriorityHigh) != RankAlarm || rankOf(flow.PriorityNormal) != RankNormal {
		t.Error("ranks")
	}
	if category("psy") != "psy" || category("autre") != "general" {
		t.Error("categories")
	}
}
