package redisstore

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/redistest"
)

// deskTestDB is the desk tests' database on a shared test server.
const deskTestDB = redistest.DBDesk

// deskFixture is an empty database and a desk on it.
type deskFixture struct {
	rdb  *redis.Client
	desk *Desk
}

func setupDesk(t *testing.T) deskFixture {
	t.Helper()
	rdb := redistest.New(t, deskTestDB)
	d := NewDesk(rdb, DeskOptions{CodeKey: []byte("test key"), Clock: func() time.Time { return t0 }})
	if err := d.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return deskFixture{rdb: rdb, desk: d}
}

// request is a person's ticket as the conversation asks for it.
func deskRequest(chat int64, rank handoff.Rank) handoff.Ticket {
	return handoff.Ticket{
		Chat:     chat,
		Category: "psy",
		Rank:     rank,
		Lang:     "fr",
		Summary:  map[string]string{"besoin": "psy", "arr": "11"},
	}
}

// volunteer is a volunteer on duty who opened a private chat.
func deskVolunteer(id int64, pseudonym string) handoff.Volunteer {
	return handoff.Volunteer{ID: id, Pseudonym: pseudonym, Private: true}
}

func mustOpen(t *testing.T, d *Desk, chat int64, rank handoff.Rank, now time.Time) handoff.Ticket {
	t.Helper()
	tk, existing, err := d.Open(context.Background(), deskRequest(chat, rank), now)
	if err != nil {
		t.Fatal(err)
	}
	if existing {
		t.Fatalf("open for chat %d: an existing ticket %d", chat, tk.ID)
	}
	return tk
}

func mustClaim(t *testing.T, d *Desk, id int64, v handoff.Volunteer, want handoff.ClaimStatus) handoff.Ticket {
	t.Helper()
	st, tk, err := d.Claim(context.Background(), id, v, t0)
	if err != nil {
		t.Fatal(err)
	}
	if st != want {
		t.Fatalf("claim of ticket %d by %d: status %v, want %v", id, v.ID, st, want)
	}
	return tk
}

func mustGetTicket(t *testing.T, d *Desk, id int64) handoff.Ticket {
	t.Helper()
	tk, err := d.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// queueIDs lists the queue's ticket ids, next first.
func queueIDs(t *testing.T, d *Desk) []int64 {
	t.Helper()
	ts, err := d.Queue(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, tk := range ts {
		ids = append(ids, tk.ID)
	}
	return ids
}

func boardOf(t *testing.T, d *Desk) []string {
	t.Helper()
	es, err := d.Board(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// deskKeys lists every key of the database.
func deskKeys(t *testing.T, rdb *redis.Client) []string {
	t.Helper()
	ctx := context.Background()
	var keys []string
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// deskValues reads what a key holds, whatever its type, as strings.
func deskValues(t *testing.T, f deskFixture, key string) []string {
	t.Helper()
	ctx := context.Background()
	switch typ := f.rdb.Type(ctx, key).Val(); typ {
	case "string":
		return []string{f.rdb.Get(ctx, key).Val()}
	case "hash":
		var out []string
		for k, v := range f.rdb.HGetAll(ctx, key).Val() {
			out = append(out, k, v)
		}
		return out
	case "set":
		return f.rdb.SMembers(ctx, key).Val()
	case "zset":
		return f.rdb.ZRange(ctx, key, 0, -1).Val()
	default:
		t.Fatalf("key %s of type %s", key, typ)
		return nil
	}
}

// sameTicket compares tickets, times by instant.
func sameTicket(a, b handoff.Ticket) bool {
	for _, p := range [][2]*time.Time{{&a.Opened, &b.Opened}, {&a.Queued, &b.Queued}, {&a.Closed, &b.Closed}} {
		if !p[0].Equal(*p[1]) {
			return false
		}
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(a, b)
}
