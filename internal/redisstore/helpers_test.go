package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/redistest"
)

// farFuture as the start of a refused send: everything queued was before it.
var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// testDB is this package's database on a shared test server.
const testDB = redistest.DBStore

// t0 is the clock of the tests: windows and paces are computed from the
// times passed in, never by sleeping.
var t0 = time.Unix(1_750_000_000, 0)

const retention = 30 * 24 * time.Hour

// The replicas of the tests.
const (
	ownerA = "replica-a"
	ownerB = "replica-b"
)

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

// texts are replaceable replies (screens) with buttons.
func texts(ts ...string) []delivery.Item {
	var o []delivery.Item
	for _, t := range ts {
		o = append(o, delivery.Item{
			Text:    t,
			Buttons: [][]flow.Button{{{Label: "Oui", Data: "o:1"}, {Label: "Non", Data: "o:2"}}},
			Lang:    "fr",
			At:      t0.UnixMilli(),
		})
	}
	return o
}

// musts are replies never superseded by a newer screen.
func musts(ts ...string) []delivery.Item {
	o := texts(ts...)
	for i := range o {
		o[i].Must = true
	}
	return o
}

// commit makes a step's Commit for ownerA with sensible defaults.
func commit(chat, rev, update int64, st flow.State, ob []delivery.Item) conversation.Commit {
	return conversation.Commit{
		Chat:     chat,
		Rev:      rev,
		UpdateID: update,
		State:    st,
		Outbox:   ob,
		Owner:    ownerA,
		TTL:      retention,
		Now:      t0,
	}
}

// mustCommit commits and fails the test unless it was written.
func mustCommit(t *testing.T, s *Store, c conversation.Commit) conversation.CommitResult {
	t.Helper()
	res, err := s.Commit(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != conversation.Committed {
		t.Fatalf("commit of chat %d from rev %d: status %v, want Committed", c.Chat, c.Rev, res.Status)
	}
	return res
}

func mustLoad(t *testing.T, s *Store, chat int64) conversation.Record {
	t.Helper()
	r, err := s.Load(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustAck(t *testing.T, s *Store, chat int64, owner, raw string, sent []int, pace delivery.Pace, now time.Time) delivery.AckResult {
	t.Helper()
	r, err := s.Ack(context.Background(), chat, owner, raw, sent, pace, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// queue reads a chat's outbox as stored, raw.
func queue(t *testing.T, f fixture, chat int64) []string {
	t.Helper()
	raws, err := f.rdb.LRange(context.Background(), f.store.key("out", chat), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	return raws
}

// decoded reads a chat's outbox as items.
func decoded(t *testing.T, f fixture, chat int64) []delivery.Item {
	t.Helper()
	var items []delivery.Item
	for _, raw := range queue(t, f, chat) {
		it, err := delivery.Decode(raw)
		if err != nil {
			t.Fatalf("queued entry %q: %v", raw, err)
		}
		items = append(items, it)
	}
	return items
}

// textsOf lists what the items say ("del:<ids>" for a delete).
func textsOf(items []delivery.Item) []string {
	var out []string
	for _, it := range items {
		if it.Kind == delivery.KindDelete {
			out = append(out, "del")
			continue
		}
		out = append(out, it.Text)
	}
	return out
}

func journal(t *testing.T, f fixture, chat int64, now time.Time) []int {
	t.Helper()
	ids, err := f.store.Journal(context.Background(), chat, now)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func allKeys(t *testing.T, f fixture) []string {
	t.Helper()
	var keys []string
	iter := f.rdb.Scan(context.Background(), 0, "*", 1000).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}
