package handoff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// people records what the desk asks of persons' conversations.
type people struct {
	events map[int64][]conversation.Event
	active map[int64]time.Time
}

func (p *people) Handle(context.Context, conversation.Update) (conversation.Result, error) {
	return conversation.Result{}, nil
}
func (p *people) Apply(_ context.Context, chat int64, ev conversation.Event) error {
	p.events[chat] = append(p.events[chat], ev)
	return nil
}
func (p *people) LastActive(_ context.Context, chat int64) (time.Time, error) {
	return p.active[chat], nil
}

type hold struct{}

func (hold) Hold(int64, delivery.Claim) {}
func (hold) Waiting(int64) bool         { return false }
func (hold) Backlog() int               { return 0 }

// Tickets where nothing happened for TICKET_IDLE are closed with a kind word
// to the person; a conversation still going is left alone, and so is a
// ticket younger than that.
func TestIdleTicketsClosedKindly(t *testing.T) {
	rdb := redistest.New(t, redistest.DBHandoff)
	ctx := context.Background()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	store := redisstore.NewDesk(rdb, redisstore.DeskOptions{CodeKey: []byte("k")})
	ppl := &people{events: map[int64][]conversation.Event{}, active: map[int64]time.Time{}}
	d := handoff.New(handoff.Config{Key: []byte("k")}, handoff.Deps{Store: store, People: ppl,
		Outbox: redisstore.New(rdb, redisstore.Options{}), Hold: hold{}, Bundle: b})
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	old, _, _ := store.Open(ctx, handoff.Ticket{Chat: 1, Category: "psy", Lang: "fr"}, t0)
	talking, _, _ := store.Open(ctx, handoff.Ticket{Chat: 2, Category: "psy", Lang: "fr"}, t0)
	young, _, _ := store.Open(ctx, handoff.Ticket{Chat: 3, Category: "psy", Lang: "ar"}, t0.Add(47*time.Hour))
	now := t0.Add(49 * time.Hour)
	ppl.active[2] = now.Add(-time.Hour) // the person of ticket 2 wrote an hour ago

	summary, err := handoff.IdleJob{Desk: d, After: 48 * time.Hour}.Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "closed 1") {
		t.Errorf("summary %q", summary)
	}
	if evs := ppl.events[1]; len(evs) != 1 || evs[0].Kind != conversation.EvClosed || evs[0].Key != "handoff_idle_closed" {
		t.Errorf("the idle person was told %+v", evs)
	}
	if len(ppl.events[2]) != 0 || len(ppl.events[3]) != 0 {
		t.Errorf("a live or young ticket was closed: %+v", ppl.events)
	}
	for id, want := range map[int64]handoff.Status{old.ID: handoff.Closed, talking.ID: handoff.Queued, young.ID: handoff.Queued} {
		if tk, _ := store.Get(ctx, id); tk.Status != want {
			t.Errorf("ticket %d is %s, want %s", id, tk.Status, want)
		}
	}
}
