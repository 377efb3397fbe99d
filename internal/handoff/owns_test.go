package handoff_test

import (
	"context"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// A volunteer met by another replica a moment ago (this one's periodic
// RefreshKnown has not run) still reaches the desk here: their private
// message must never become a person's conversation. Someone who is not a
// volunteer goes to their conversation, and is not asked about again at
// each message.
func TestOwnsVolunteerMetByAnotherReplica(t *testing.T) {
	rdb := redistest.New(t, redistest.DBHandoff)
	ctx := context.Background()
	store := redisstore.NewDesk(rdb, redisstore.DeskOptions{CodeKey: []byte("k")})
	var reads redistest.Counter
	rdb.AddHook(&reads)
	d := handoff.New(handoff.Config{Key: []byte("k"), Group: -100}, handoff.Deps{Store: store,
		People: &people{}, Outbox: redisstore.New(rdb, redisstore.Options{}), Hold: hold{}, Now: time.Now})
	if err := store.SetVolunteer(ctx, handoff.Volunteer{ID: 501, Pseudonym: "Mer", Private: true}); err != nil {
		t.Fatal(err) // as the other replica did at "/start benevole"
	}
	vol := conversation.Update{Chat: 501, From: 501, Private: true, Kind: conversation.KindText, Text: "bonjour"}
	if !d.Owns(vol) {
		t.Fatal("a volunteer's private message went to a person's conversation")
	}
	person := conversation.Update{Chat: 1001, From: 1001, Private: true, Kind: conversation.KindText, Text: "bonjour"}
	if d.Owns(person) {
		t.Fatal("a person's message went to the desk")
	}
	reads.Reset()
	for range 3 {
		if d.Owns(person) || !d.Owns(vol) {
			t.Fatal("Owns changed its mind")
		}
	}
	if n := reads.N(); n != 0 {
		t.Errorf("%d round trips for users already known, want 0", n)
	}
}
