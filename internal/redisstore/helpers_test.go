package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's database on a shared test server.
const testDB = 1

// t0 is the clock of the tests: journal windows are computed from the
// times passed in, never by sleeping.
var t0 = time.Unix(1_750_000_000, 0)

const retention = 30 * 24 * time.Hour

type fixture struct {
	rdb   *redis.Client
	trips *redistest.Counter
	store *Store
}

// setup returns an empty database, a round-trip counter on its client and
// a store with opts, scripts preloaded.
func setup(t *testing.T, opts Options) fixture {
	t.Helper()
	rdb := redistest.New(t, testDB)
	trips := &redistest.Counter{}
	rdb.AddHook(trips)
	s := New(rdb, opts)
	if err := s.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fixture{rdb: rdb, trips: trips, store: s}
}

// typicalState is a person five steps into the orientation flow.
func typicalState() flow.State {
	return flow.State{
		Flow:    "orientation",
		Version: "2025-06-01.3",
		Node:    "aide_psy_arrondissement",
		History: []string{"accueil", "qui", "besoin", "aide_psy"},
		Vars:    map[string]string{"qui": "famille", "besoin": "psy", "arr": "11"},
		Lang:    "fr",
		Steps:   5,
		At:      t0.Unix(),
	}
}

func outbox(texts ...string) []conversation.Outgoing {
	var o []conversation.Outgoing
	for _, t := range texts {
		o = append(o, conversation.Outgoing{
			Text:    t,
			Buttons: [][]flow.Button{{{Label: "Oui", Data: "o:1"}, {Label: "Non", Data: "o:2"}}},
			Lang:    "fr",
		})
	}
	return o
}

// commit makes a Commit with sensible defaults.
func commit(chat, rev, update int64, st flow.State, ob []conversation.Outgoing) conversation.Commit {
	return conversation.Commit{
		Chat:     chat,
		Rev:      rev,
		UpdateID: update,
		Record:   conversation.Record{State: st, Outbox: ob},
		TTL:      retention,
		Now:      t0,
	}
}

// mustCommit commits and fails the test unless it was written.
func mustCommit(t *testing.T, s *Store, c conversation.Commit) int64 {
	t.Helper()
	res, err := s.Commit(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != conversation.Committed {
		t.Fatalf("commit of chat %d from rev %d: status %v, want Committed", c.Chat, c.Rev, res.Status)
	}
	return res.Rev
}

func mustLoad(t *testing.T, s *Store, chat int64) conversation.Record {
	t.Helper()
	r, err := s.Load(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
