package conversation_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// fakeAteliers records what the conversation asks of the sessions.
type fakeAteliers struct {
	mu       sync.Mutex
	cards    []string // asked: "chat lang need"
	buttons  []string // asked: "chat lang data"
	forgot   []int64
	cardsErr error
	forgetEr error
}

func (a *fakeAteliers) Cards(_ context.Context, chat int64, lang, need string, _ time.Time) ([]conversation.Reply, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cards = append(a.cards, strconv.FormatInt(chat, 10)+" "+lang+" "+need)
	if a.cardsErr != nil {
		return nil, a.cardsErr
	}
	return []conversation.Reply{
		{Text: "card K7F2 " + lang, Lang: lang, Buttons: [][]flow.Button{{{Label: "S'inscrire", Data: "at:in:K7F2"}}}},
		{Text: "card Q3PX " + lang, Lang: lang},
	}, nil
}

func (a *fakeAteliers) Button(_ context.Context, chat int64, lang, data string, _ time.Time) ([]conversation.Reply, bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.buttons = append(a.buttons, strconv.FormatInt(chat, 10)+" "+lang+" "+data)
	if !strings.HasPrefix(data, "at:in:") {
		return nil, false, nil
	}
	return []conversation.Reply{{Text: "signed " + strings.TrimPrefix(data, "at:in:"), Lang: lang}}, true, nil
}

func (a *fakeAteliers) Forget(_ context.Context, chat int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forgot = append(a.forgot, chat)
	return a.forgetEr
}

func bundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toAteliers walks a French-speaking person to the sessions by way of the
// need deuil, and returns how many messages were sent before them.
func toAteliers(t *testing.T, fx *fixture) (int, conversation.Result) {
	t.Helper()
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.tap(t, "Oui")
	fx.tap(t, "J'ai perdu un proche")
	fx.tap(t, "Soutien pour moi, ma famille")
	n := len(fx.out.sent)
	return n, fx.tap(t, "Ateliers et groupes de parole")
}

func TestAteliersCardsFollowTheNode(t *testing.T) {
	fx := newFixture(t)
	at := &fakeAteliers{}
	fx.svc.Ateliers = at
	n, res := toAteliers(t, fx)
	if res.Node != "ateliers" {
		t.Fatalf("node %q", res.Node)
	}
	got := fx.out.sent[n:]
	node := fx.svc.Flow().Nodes["ateliers"].Rendered("fr")
	if len(got) != 3 || got[0].Text != node || got[1].Text != "card K7F2 fr" || got[2].Text != "card Q3PX fr" {
		t.Fatalf("sent %+v", got)
	}
	if len(got[0].Buttons) == 0 || got[0].Buttons[0][0].Label != "Revenir au menu" {
		t.Errorf("the node keeps its buttons: %+v", got[0].Buttons)
	}
	if len(got[1].Buttons) != 1 || got[1].Buttons[0][0].Data != "at:in:K7F2" {
		t.Errorf("a card keeps its buttons: %+v", got[1].Buttons)
	}
	if len(at.cards) != 1 || at.cards[0] != "42 fr deuil" {
		t.Errorf("cards asked %q, want the chat, its language and its need", at.cards)
	}
}

func TestAteliersCardsErrorIsAKindLine(t *testing.T) {
	fx := newFixture(t)
	fx.svc.Ateliers = &fakeAteliers{cardsErr: errors.New("redis down")}
	n, res := toAteliers(t, fx)
	if res.Node != "ateliers" || res.Outcome != "ok" {
		t.Fatalf("result %+v", res)
	}
	got := fx.out.sent[n:]
	b := bundle(t)
	if len(got) != 2 || got[0].Text != fx.svc.Flow().Nodes["ateliers"].Rendered("fr") ||
		got[1].Text != b.T("fr", "ateliers_node_failed", nil) {
		t.Fatalf("sent %+v", got)
	}
}

func TestAteliersNoneWithoutSessions(t *testing.T) {
	fx := newFixture(t) // Ateliers nil: the bot has no sessions to show
	n, res := toAteliers(t, fx)
	if res.Node != "ateliers" {
		t.Fatalf("node %q", res.Node)
	}
	got := fx.out.sent[n:]
	want := fx.svc.Flow().Nodes["ateliers"].Rendered("fr") + "\n\n" + bundle(t).T("fr", "ateliers_node_none", nil)
	if len(got) != 1 || got[0].Text != want || len(got[0].Buttons) == 0 {
		t.Fatalf("sent %+v", got)
	}
}

func TestAteliersButtonReachesTheSessions(t *testing.T) {
	fx := newFixture(t)
	at := &fakeAteliers{}
	fx.svc.Ateliers = at
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "ar"})
	fx.tap(t, "نعم")
	fx.tap(t, "ورشات ومجموعات حوار")
	n := len(fx.out.sent)
	res := fx.handle(t, conversation.Update{Kind: conversation.KindButton, Data: "at:in:K7F2", CallbackID: "cb"})
	if res.Node != "ateliers" {
		t.Fatalf("the step moved: node %q", res.Node)
	}
	got := fx.out.sent[n:]
	if len(got) != 1 || got[0].Text != "signed K7F2" {
		t.Fatalf("sent %+v", got)
	}
	if len(at.buttons) != 1 || at.buttons[0] != "42 ar at:in:K7F2" {
		t.Errorf("button asked %q, want the chat, the person's language and the data", at.buttons)
	}
	if len(at.cards) != 1 || at.cards[0] != "42 ar " {
		t.Errorf("cards asked %q, want no need from the menu", at.cards)
	}

	// Data the sessions do not know: the current step again, as a stale button.
	n = len(fx.out.sent)
	res = fx.handle(t, conversation.Update{Kind: conversation.KindButton, Data: "at:zz", CallbackID: "cb"})
	got = fx.out.sent[n:]
	if res.Node != "ateliers" || len(got) == 0 ||
		!strings.HasPrefix(got[0].Text, bundle(t).T("ar", "notice_menu_changed", nil)) {
		t.Fatalf("node %q, sent %+v", res.Node, got)
	}
}

func TestAteliersForgedButtonWithoutSessions(t *testing.T) {
	fx := newFixture(t) // Ateliers nil
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.tap(t, "Oui")
	n := len(fx.out.sent)
	res := fx.handle(t, conversation.Update{Kind: conversation.KindButton, Data: "at:zz", CallbackID: "cb"})
	got := fx.out.sent[n:]
	b := bundle(t)
	want := b.T("fr", "notice_menu_changed", nil) + "\n\n" + fx.svc.Flow().Nodes["besoin"].Rendered("fr")
	if res.Node != "besoin" || len(got) != 1 || got[0].Text != want || len(got[0].Buttons) == 0 {
		t.Fatalf("node %q, sent %+v", res.Node, got)
	}
}

func TestAteliersForgottenWithTheConversation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		erase   func(t *testing.T, fx *fixture) conversation.Result
		outcome string
	}{
		{"oubli", func(t *testing.T, fx *fixture) conversation.Result {
			fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/oubli", MsgID: 5})
			for _, row := range fx.out.last().Buttons {
				for _, btn := range row {
					if strings.HasPrefix(btn.Data, "forget:yes:") {
						return fx.handle(t, conversation.Update{Kind: conversation.KindButton, Data: btn.Data, CallbackID: "cb"})
					}
				}
			}
			t.Fatal("no confirmation button")
			return conversation.Result{}
		}, "forgotten"},
		{"effacer", func(t *testing.T, fx *fixture) conversation.Result {
			return fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/effacer", MsgID: 5})
		}, "erased"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			// Forget fails: the erasing goes on all the same.
			at := &fakeAteliers{forgetEr: errors.New("redis down")}
			fx.svc.Ateliers = at
			toAteliers(t, fx)
			if len(at.forgot) != 0 {
				t.Fatalf("forgotten before asking: %v", at.forgot)
			}
			res := tc.erase(t, fx)
			if res.Outcome != tc.outcome {
				t.Fatalf("outcome %q, want %q", res.Outcome, tc.outcome)
			}
			if len(at.forgot) == 0 || at.forgot[0] != 42 {
				t.Fatalf("Forget calls %v, want chat 42", at.forgot)
			}
		})
	}
}
