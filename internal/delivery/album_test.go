package delivery_test

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// albumPart is part id of album g, copied to chat to, queued now.
func albumPart(g string, id int, to int64) delivery.Item {
	return delivery.Item{Kind: delivery.KindCopy, IDs: []int{id}, To: to, Album: g, Must: true, At: time.Now().UnixMilli()}
}

// copies lists the ids of every copy sent, call by call.
func copies(api *fakeAPI) [][]int {
	var ids [][]int
	for _, c := range api.attempts("") {
		ids = append(ids, c.ids)
	}
	return ids
}

// An album committed part by part on an empty outbox goes as one copy:
// the parts merge into the head while it waits, and the engine reads the
// head again before sending it (one round trip more than an ordinary reply).
func TestAlbumOnEmptyOutbox(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	q := &hookQueue{Queue: e.store}
	eng := newEngineOn(q, config("A"), api, lim)
	run(t, eng, time.Second)
	waitFor(t, "the first sweep", func() bool { return q.sweeps.Load() > 0 }) // it claims too

	const chat, volunteer = 80, 9080
	for id := 1; id <= 3; id++ {
		e.put(eng, chat, albumPart("g", id, volunteer))
	}
	waitFor(t, "the album sent", func() bool { return len(api.attempts("")) > 0 })
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
	sends := api.attempts("")
	if len(sends) != 1 || sends[0].chat != volunteer || !slices.Equal(sends[0].ids, []int{1, 2, 3}) {
		t.Fatalf("sends %+v, want one copy of 1, 2, 3 to the volunteer", sends)
	}
	if e.exists(e.key("out", chat)) {
		t.Fatalf("outbox left: %q", e.queued(chat))
	}
	if c, a := q.claims.Load(), q.acks.Load(); c != 1 || a != 1 {
		t.Errorf("the album cost %d claims and %d acks, want 1 (its second read) and 1", c, a)
	}

	// An ordinary reply costs its ack alone.
	q.claims.Store(0)
	q.acks.Store(0)
	e.put(eng, chat, text("ensuite"))
	waitFor(t, "the reply sent", func() bool { return len(api.attempts("ensuite")) == 1 })
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
	if c, a := q.claims.Load(), q.acks.Load(); c != 0 || a != 1 {
		t.Errorf("a reply cost %d claims and %d acks, want 0 and 1", c, a)
	}

	// The ten parts of a full album, from two replicas: one copy.
	const other = 81
	for id := 1; id <= 10; id++ {
		owner := "A"
		if id%2 == 0 {
			owner = "B" // no engine: its commits only queue
		}
		c := e.commit(owner, other, albumPart("h", 100+id, volunteer))
		eng.Hold(other, c)
	}
	waitFor(t, "the album of ten sent", func() bool { return len(api.attempts("")) == 2 })
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", other)) })
	want := []int{101, 102, 103, 104, 105, 106, 107, 108, 109, 110}
	if got := copies(api); len(got) != 2 || !slices.Equal(got[1], want) {
		t.Fatalf("copies %v, want the ten parts at once", got)
	}
}

// Parts that race with the send (committed by two replicas just before and
// after the engine reads the head again, during the call to Telegram, and
// around its ack) are each sent once, in order: a part too late for the
// head starts the next entry, which takes the parts after it, also once it
// is the head itself.
func TestAlbumPartsRaceTheSend(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	qa, qb := &hookQueue{Queue: e.store}, &hookQueue{Queue: e.store}
	a := newEngineOn(qa, config("A"), api, lim)
	b := newEngineOn(qb, config("B"), api, lim)

	const chat, volunteer, parts = 82, 9082, 10
	engines := []*delivery.Engine{a, b}
	var mu sync.Mutex
	var committed []string // "<id>@<event>", in order
	next := func(event string) {
		mu.Lock()
		defer mu.Unlock()
		id := len(committed) + 1
		if id > parts {
			return
		}
		committed = append(committed, fmt.Sprintf("%d@%s", id, event))
		e.put(engines[id%2], chat, albumPart("g", id, volunteer))
	}
	onChat := func(op string, c int64) {
		if c == chat {
			next(op)
		}
	}
	qa.before = func(op string, c int64) { onChat("before "+op, c) }
	qa.after = func(op string, c int64) { onChat("after "+op, c) }
	qb.before, qb.after = qa.before, qa.after
	api.setOnSend(func(c int64, it delivery.Item) {
		if c == volunteer {
			next("send")
		}
	})
	run(t, a, time.Second)
	run(t, b, time.Second)
	// The sweeps at start-up claim too: they are over before the first part.
	waitFor(t, "the first sweeps", func() bool { return qa.sweeps.Load() > 0 && qb.sweeps.Load() > 0 })

	next("start")
	next("start")
	next("start")
	waitFor(t, "every part committed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(committed) == parts
	})
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
	got := copies(api)
	var all []int
	for _, ids := range got {
		all = append(all, ids...)
	}
	want := make([]int, parts)
	for i := range want {
		want[i] = i + 1
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(all, want) {
		t.Fatalf("sent %v (parts committed %q), want each of 1..%d once, in order", got, committed, parts)
	}
	if e.exists(e.key("out", chat)) {
		t.Fatalf("outbox left: %q", e.queued(chat))
	}
	// 1-3 merge into the young head; 4 comes after its second read began and
	// starts an entry that takes 5-7, then 8 once it is the head (young);
	// 9 is too late for it, and 10 joins 9.
	if exp := [][]int{{1, 2, 3}, {4, 5, 6, 7, 8}, {9, 10}}; !reflect.DeepEqual(got, exp) {
		t.Errorf("copies %v, want %v (parts committed %q)", got, exp, committed)
	}
	t.Logf("parts committed %q, copies %v", committed, got)
	if s := a.Stats.Sent.Load() + b.Stats.Sent.Load(); s != int64(len(got)) {
		t.Errorf("Stats.Sent %d, want %d", s, len(got))
	}
}
