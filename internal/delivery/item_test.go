package delivery_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

func TestItemRoundTrip(t *testing.T) {
	items := []delivery.Item{
		{Text: "Bonjour", Lang: "fr", At: 1_750_000_000_123,
			Buttons: [][]flow.Button{{{Label: "Oui", Data: "o:1"}, {Label: "Non", Data: "o:2"}}}},
		{Text: "tout | avec des | barres", At: 1, Urgent: true, Must: true},
		{Text: "premier", At: 2, First: true},
		{Text: "tout", At: 3, Urgent: true, First: true, Must: true},
		{Kind: delivery.KindDelete, IDs: []int{4, 5, 6}, At: 7, Must: true},
	}
	for _, it := range items {
		body, err := it.Body()
		if err != nil {
			t.Fatal(err)
		}
		it.Seq, it.Era = 42, 1_750_000_000_000
		got, err := delivery.Decode("42|1750000000000|" + body)
		if err != nil {
			t.Fatalf("Decode(%q): %v", body, err)
		}
		if !reflect.DeepEqual(got, it) {
			t.Errorf("round trip of %q:\n got %+v\nwant %+v", body, got, it)
		}
	}
}

func TestItemFlags(t *testing.T) {
	for _, c := range []struct {
		it   delivery.Item
		flag string
	}{
		{delivery.Item{Text: "a", At: 1}, "-|"},
		{delivery.Item{Text: "a", At: 1, Urgent: true}, "u|"},
		{delivery.Item{Text: "a", At: 1, First: true, Must: true}, "fm|"},
	} {
		body, err := c.it.Body()
		if err != nil {
			t.Fatal(err)
		}
		if len(body) < len(c.flag) || body[:len(c.flag)] != c.flag {
			t.Errorf("Body() = %q, want it to start with %q", body, c.flag)
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for _, raw := range []string{
		"",
		"garbage",
		"1|2|-",
		"x|2|-|{\"t\":\"a\",\"a\":1}",
		"1|x|-|{\"t\":\"a\",\"a\":1}",
		"1|2|-|{\"t\":\"a\"",
		"1|2|-|not json",
		"1|2|-|{\"k\":7,\"t\":\"a\",\"a\":1}", // unknown kind
		"1|2|-|{\"a\":1}",                     // a text without text
		"1|2|-|{\"k\":1,\"a\":1}",             // a delete without ids
		"1|2|-|[1,2]",
	} {
		if it, err := delivery.Decode(raw); !errors.Is(err, delivery.ErrCorruptItem) {
			t.Errorf("Decode(%q) = %+v, %v; want ErrCorruptItem", raw, it, err)
		}
	}
}

func TestSendAll(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	ctx := context.Background()

	const chat = 3001
	del := delivery.Item{Kind: delivery.KindDelete, IDs: []int{11, 12}, At: time.Now().UnixMilli(), Must: true}
	c := e.commit("preview", chat, text("a"), del, text("b"))
	if err := e.rdb.RPush(ctx, e.key("out", chat), "garbage").Err(); err != nil {
		t.Fatal(err)
	}
	c2 := e.commit("preview", chat, text("c"))
	if !c.Held || !c2.Held {
		t.Fatalf("claims %+v %+v, want held", c, c2)
	}
	if err := delivery.SendAll(ctx, e.store, api, chat, "preview", c, time.Now); err != nil {
		t.Fatal(err)
	}
	equal(t, "sent", api.sentTo(chat), []string{"a", "del", "b", "c"})
	if ids := api.attempts("del")[0].ids; !reflect.DeepEqual(ids, []int{11, 12}) {
		t.Errorf("deleted %v, want [11 12]", ids)
	}
	if e.exists(e.key("out", chat)) || e.exists(e.key("lease", chat)) {
		t.Errorf("outbox %q or lease left after SendAll", e.queued(chat))
	}
	// What was sent is journaled for erasing.
	journal, err := e.rdb.ZRange(ctx, e.key("msgs", chat), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(journal) != 3 {
		t.Errorf("journal %q, want the 3 messages sent", journal)
	}
}

func TestSendAllWithoutLease(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	const chat = 3101
	e.commit("other", chat, text("x"))
	c := e.commit("preview", chat, text("y")) // the lease is other's
	if c.Held {
		t.Fatal("a second owner took a held lease")
	}
	if err := delivery.SendAll(context.Background(), e.store, api, chat, "preview", c, time.Now); err != nil {
		t.Fatal(err)
	}
	if n := api.callCount(); n != 0 {
		t.Errorf("%d calls without the lease", n)
	}
	if q := e.queued(chat); len(q) != 2 {
		t.Errorf("outbox %q, want it untouched", q)
	}
}

func TestSendAllStopsOnError(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	const chat = 3201
	boom := errors.New("boom")
	api.failWith("q1", boom)
	c := e.commit("preview", chat, texts("q", 3)...)
	err := delivery.SendAll(context.Background(), e.store, api, chat, "preview", c, time.Now)
	if !errors.Is(err, boom) {
		t.Fatalf("SendAll = %v, want the API's error", err)
	}
	equal(t, "sent", api.sentTo(chat), []string{"q0"})
	if q := e.queued(chat); len(q) != 2 {
		t.Errorf("outbox %q, want the two entries not sent", q)
	}
}
