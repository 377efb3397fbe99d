package observatory

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's database on a shared test server.
const testDB = redistest.DBObservatory

// wed is a Wednesday afternoon in Paris, in ISO week 2026-W48.
var wed = time.Date(2026, 11, 25, 15, 30, 0, 0, paris)

// chat is a chat id that must never be found in the database.
const chat int64 = 7_312_456_789

type fixture struct {
	rdb   *redis.Client
	trips *redistest.Counter
	rec   *Recorder
}

func setup(t *testing.T) fixture {
	t.Helper()
	rdb := redistest.New(t, testDB)
	trips := &redistest.Counter{}
	rdb.AddHook(trips)
	// Open the connection (HELLO, SELECT): not the operations' cost.
	if _, err := rdb.TxPipelined(context.Background(), func(p redis.Pipeliner) error {
		p.Ping(context.Background())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return fixture{rdb: rdb, trips: trips, rec: NewRecorder(rdb, []byte("test secret"))}
}

func allKeys(t *testing.T, c *redis.Client) []string {
	t.Helper()
	var keys []string
	iter := c.Scan(context.Background(), 0, "*", 1000).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestRecordAndRead(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	mon := time.Date(2026, 11, 23, 9, 0, 0, 0, paris)
	events := []Event{
		{Day: mon, Lang: "fr", Need: "psy", Arrondissement: "13", Kind: "conversation"},
		{Day: mon, Lang: "fr", Need: "psy", Arrondissement: "13", Kind: "conversation"},
		{Day: wed, Lang: "fr", Need: "psy", Arrondissement: "13", Kind: "conversation"},
		{Day: wed, Lang: "ar", Need: "menace", Arrondissement: "3", Kind: "emergency"},
		// Folded into the catch-alls.
		{Day: wed, Lang: "en", Need: "quelque chose", Arrondissement: "13e", Kind: "resources"},
		{Day: wed, Lang: "fr", Need: "", Arrondissement: "017", Kind: "resources"},
		{Day: wed, Lang: "fr", Need: "legal", Arrondissement: "0", Kind: "resources"},
		// The next ISO week, in the period.
		{Day: time.Date(2026, 11, 30, 23, 59, 0, 0, paris), Lang: "fr", Need: "deuil", Arrondissement: "16", Kind: "ticket_taken"},
	}
	for _, e := range events {
		f.trips.Reset()
		if err := f.rec.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
		if n := f.trips.N(); n != 1 {
			t.Fatalf("Record: %d round trips, want 1", n)
		}
	}
	if err := f.rec.Record(ctx, Event{Day: wed, Kind: "chat"}); err == nil {
		t.Fatal("Record of an unknown kind: no error")
	}
	if f.rec.Record(ctx, Event{Kind: "conversation"}) == nil || f.rec.Observe(ctx, time.Time{}, "wait", 0) == nil || f.rec.Seen(ctx, time.Time{}, chat) == nil {
		t.Fatal("no day: no error")
	}
	f.trips.Reset()
	if err := f.rec.Observe(ctx, wed, "wait", 7*time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := f.trips.N(); n != 1 {
		t.Fatalf("Observe: %d round trips, want 1", n)
	}
	for _, d := range []time.Duration{0, 4*time.Minute + 59*time.Second, 5 * time.Hour} {
		if err := f.rec.Observe(ctx, wed, "wait", d); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.rec.Observe(ctx, wed, "handling", 90*time.Minute); err != nil {
		t.Fatal(err)
	}
	if f.rec.Observe(ctx, wed, "lunch", time.Minute) == nil || f.rec.Observe(ctx, wed, "wait", -time.Second) == nil {
		t.Fatal("Observe of an unknown timer or a negative duration: no error")
	}

	f.trips.Reset()
	tab, err := f.rec.Read(ctx, time.Date(2026, 11, 22, 0, 0, 0, 0, paris), time.Date(2026, 12, 1, 0, 0, 0, 0, paris))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.trips.N(); n != 1 {
		t.Fatalf("Read: %d round trips, want 1", n)
	}
	if got := strings.Join(tab.Weeks, ","); got != "2026-W47,2026-W48,2026-W49" {
		t.Fatalf("weeks %s", got)
	}
	want := map[Key]int64{
		{"2026-W48", "fr", "psy", "13", "conversation"}:   3,
		{"2026-W48", "ar", "menace", "3", "emergency"}:    1,
		{"2026-W48", "", "other", "", "resources"}:        1,
		{"2026-W48", "fr", "other", "", "resources"}:      1,
		{"2026-W48", "fr", "legal", "", "resources"}:      1,
		{"2026-W49", "fr", "deuil", "16", "ticket_taken"}: 1,
	}
	if len(tab.Counts) != len(want) {
		t.Errorf("counts %v, want %v", tab.Counts, want)
	}
	for k, v := range want {
		if tab.Counts[k] != v {
			t.Errorf("count %+v = %d, want %d", k, tab.Counts[k], v)
		}
	}
	if got := tab.Times["wait"]; got[0] != 2 || got[1] != 1 || got[6] != 1 {
		t.Errorf("wait histogram %v", got)
	}
	if got := tab.Times["handling"]; got[4] != 1 {
		t.Errorf("handling histogram %v", got)
	}
	if tab.sum(Key{"*", "*", "psy", "*", "conversation"}) != 3 || tab.sum(Key{"*", "*", "*", "*", "*"}) != 8 {
		t.Error("sums")
	}

	// A day outside the period is not counted.
	tab, err = f.rec.Read(ctx, wed, wed)
	if err != nil {
		t.Fatal(err)
	}
	if n := tab.sum(Key{"*", "*", "*", "*", "*"}); n != 5 {
		t.Errorf("one day: %d events, want 5", n)
	}
	if _, err := f.rec.Read(ctx, wed, mon); err == nil {
		t.Error("Read of a period ending before it starts: no error")
	}
}

func TestDaysAreParisDays(t *testing.T) {
	// 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
	if d := dayOf(time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)); d != "2026-12-01" {
		t.Errorf("day %s", d)
	}
	w, end := weekOf(wed)
	if w != "2026-W48" || !end.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, paris)) {
		t.Errorf("week %s ends %v", w, end)
	}
	// A Sunday belongs to the week that started the Monday before.
	w, end = weekOf(time.Date(2026, 11, 29, 23, 0, 0, 0, paris))
	if w != "2026-W48" || !end.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, paris)) {
		t.Errorf("Sunday: week %s ends %v", w, end)
	}
	// ISO week 1 of 2027 starts on Monday 4 January 2027; 1 January 2027 is
	// in 2026-W53.
	if w, _ := weekOf(time.Date(2027, 1, 1, 12, 0, 0, 0, paris)); w != "2026-W53" {
		t.Errorf("1 January 2027: week %s", w)
	}
}

// TestEveryKeyExpires scans the database after every kind of write.
func TestEveryKeyExpires(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	writeAll(t, f.rec)
	keys := allKeys(t, f.rdb)
	if len(keys) != 4 {
		t.Errorf("keys %v, want 4 (day counters, day histogram, week HyperLogLog, week key)", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "bsl:{obs}:") {
			t.Errorf("key %q outside bsl:{obs}:", k)
		}
		ttl, err := f.rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= 0 || ttl > TTL {
			t.Errorf("key %q: TTL %v", k, ttl)
		}
		if strings.Contains(k, ":k:") {
			// Wednesday 15:30 to Tuesday 00:00: 5 days 8.5 hours.
			// (a real Redis counts down while the test reads: a second's slack)
			if want := 5*24*time.Hour + 8*time.Hour + 30*time.Minute; ttl > want || ttl < want-time.Second {
				t.Errorf("week key: TTL %v, want %v", ttl, want)
			}
		}
	}
}

// TestNoIdentity: no chat id, no text in any key or value.
func TestNoIdentity(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	writeAll(t, f.rec)
	// A text in an event's free fields is folded, never stored.
	text := "Ils ont menacé mon fils rue de Lyon"
	if err := f.rec.Record(ctx, Event{Day: wed, Lang: text, Need: text, Arrondissement: text, Kind: "conversation"}); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(chat, 10)
	for _, k := range allKeys(t, f.rdb) {
		var values []string
		switch typ := f.rdb.Type(ctx, k).Val(); typ {
		case "hash":
			for field, v := range f.rdb.HGetAll(ctx, k).Val() {
				values = append(values, field, v)
			}
		case "hll": // miniredis's name for a HyperLogLog: its bytes cannot be read
		case "string":
			values = append(values, f.rdb.Get(ctx, k).Val())
		default:
			t.Fatalf("key %q of type %s", k, typ)
		}
		for _, s := range append(values, k) {
			if strings.Contains(s, id) || strings.Contains(s, "menac") || strings.Contains(s, "Lyon") {
				t.Errorf("key %q holds %q", k, s)
			}
		}
	}
}

func writeAll(t *testing.T, rec *Recorder) {
	t.Helper()
	ctx := context.Background()
	if err := rec.Record(ctx, Event{Day: wed, Lang: "fr", Need: "psy", Arrondissement: "13", Kind: "conversation"}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Observe(ctx, wed, "wait", 20*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := rec.Seen(ctx, wed, chat); err != nil {
		t.Fatal(err)
	}
}
