package redisstore

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
)

// The volunteer of the relay tests.
const volunteer = 9001

// relay is a person's message copied to the volunteer.
func relay(ids ...int) delivery.Item {
	return delivery.Item{Kind: delivery.KindCopy, IDs: ids, To: volunteer, Must: true, At: t0.UnixMilli()}
}

// relayBack is a volunteer's message copied to the person.
func relayBack(ids ...int) delivery.Item {
	return delivery.Item{Kind: delivery.KindCopy, IDs: ids, From: volunteer, Must: true, At: t0.UnixMilli()}
}

// albumPart is part id of album g, copied to the volunteer.
func albumPart(g string, id int) delivery.Item {
	it := relay(id)
	it.Album = g
	return it
}

// members reads a chat's journal as stored, sorted.
func members(t *testing.T, f fixture, chat int64) []string {
	t.Helper()
	m, err := f.rdb.ZRange(context.Background(), f.store.key("msgs", chat), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(m)
	return m
}

func link() conversation.Link {
	return conversation.Link{Ticket: 12, Code: "T-12", Volunteer: volunteer, Pending: []int{3, 4}, Told: t0.Unix()}
}

// The link is stored with the state, in the same write, and read back with
// it, from Redis, from the cache and in a conflict.
func TestCommitStoresLink(t *testing.T) {
	for _, cacheSize := range []int{0, 10} {
		f := setup(t, Options{CacheSize: cacheSize})
		ctx := context.Background()
		c := commit(80, 0, 1, typicalState(), nil)
		c.Link = link()
		rev := mustCommit(t, f.store, c).Rev
		if got := mustLoad(t, f.store, 80).Link; !reflect.DeepEqual(got, link()) {
			t.Fatalf("cache %d: link %+v, want %+v", cacheSize, got, link())
		}
		f.store.cache.evict(80)
		if got := mustLoad(t, f.store, 80).Link; !reflect.DeepEqual(got, link()) {
			t.Fatalf("cache %d: link from Redis %+v", cacheSize, got)
		}
		res, err := f.store.Commit(ctx, commit(80, rev-1, 2, typicalState(), nil))
		if err != nil || res.Status != conversation.Conflict || !reflect.DeepEqual(res.Current.Link, link()) {
			t.Fatalf("cache %d: conflict %v %+v %v, want the stored link", cacheSize, res.Status, res.Current.Link, err)
		}

		// A step without a link removes it.
		mustCommit(t, f.store, commit(80, rev, 3, typicalState(), nil))
		if f.rdb.HExists(ctx, "bsl:conv:{80}", "lk").Val() {
			t.Fatalf("cache %d: lk kept by a commit without a link", cacheSize)
		}
		if got := mustLoad(t, f.store, 80).Link; got.Open() || got.Pending != nil {
			t.Fatalf("cache %d: link %+v after it was removed", cacheSize, got)
		}
	}
}

// A forget deletes the link with the state.
func TestForgetDeletesLink(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	c := commit(81, 0, 1, typicalState(), nil)
	c.Link = link()
	c = commit(81, mustCommit(t, f.store, c).Rev, 2, typicalState(), nil)
	c.Link = link() // what the step had: a forget keeps nothing all the same
	c.Erase = conversation.EraseForget
	mustCommit(t, f.store, c)
	if r := mustLoad(t, f.store, 81); r.Rev != 0 || r.Link.Open() {
		t.Fatalf("record after a forget %+v", r)
	}
	if f.rdb.Exists(context.Background(), "bsl:conv:{81}").Val() != 0 {
		t.Fatal("conv left after a forget")
	}
}

// What is relayed to another chat is journaled as "<chat>:<id>", a
// volunteer's message relayed here likewise, and an erase deletes each in
// its chat, this one first, Must, in batches of DeleteBatch.
func TestEraseDeletesRelayedInTheirChat(t *testing.T) {
	for _, mode := range []conversation.EraseMode{conversation.EraseChat, conversation.EraseForget} {
		f := setup(t, Options{})
		ctx := context.Background()
		const chat = 82

		// The person writes (10), it is copied to the volunteer (500).
		c := commit(chat, 0, 1, typicalState(), []delivery.Item{relay(10)})
		c.IncomingID = 10
		res := mustCommit(t, f.store, c)
		mustAck(t, f.store, chat, ownerA, res.Claim.Head, []int{500}, delivery.Pace{}, t0)

		// The volunteer answers (600), copied to the person (11); many more
		// copies to the volunteer, past a batch.
		c = commit(chat, res.Rev, 2, typicalState(), []delivery.Item{relayBack(600), relay(12)})
		c.IncomingID, c.IncomingChat = 600, volunteer
		res = mustCommit(t, f.store, c)
		ack := mustAck(t, f.store, chat, ownerA, res.Claim.Head, []int{11}, delivery.Pace{}, t0)
		many := make([]int, delivery.DeleteBatch)
		for i := range many {
			many[i] = 1000 + i
		}
		mustAck(t, f.store, chat, ownerA, ack.Next, many, delivery.Pace{}, t0)

		got := members(t, f, chat)
		for _, m := range []string{"10", "11", "9001:500", "9001:600", "9001:1000", "9001:1099"} {
			if !slices.Contains(got, m) {
				t.Fatalf("mode %d: journal %v lacks %q", mode, got, m)
			}
		}
		if own := journal(t, f, chat, t0); !slices.Equal(own, []int{10, 11}) {
			t.Fatalf("mode %d: Journal %v, want this chat's ids only", mode, own)
		}

		c = commit(chat, res.Rev, 3, typicalState(), musts("effacé"))
		c.IncomingID = 13
		c.Erase = mode
		mustCommit(t, f.store, c)
		items := decoded(t, f, chat)
		if got := textsOf(items); !slices.Equal(got, []string{"del", "del", "del", "effacé"}) {
			t.Fatalf("mode %d: outbox after the erase %q", mode, got)
		}
		if it := items[0]; it.To != 0 || !slices.Equal(it.IDs, []int{10, 11, 13}) || !it.Must {
			t.Fatalf("mode %d: first delete %+v, want this chat's 10 11 13", mode, it)
		}
		var there []int
		for _, it := range items[1:3] {
			if it.To != volunteer || !it.Must || len(it.IDs) > delivery.DeleteBatch {
				t.Fatalf("mode %d: delete %+v, want Must, to the volunteer, at most a batch", mode, it)
			}
			there = append(there, it.IDs...)
		}
		slices.Sort(there)
		if len(there) != 102 || there[0] != 500 || there[1] != 600 || there[101] != 1099 {
			t.Fatalf("mode %d: deleted in the volunteer's chat %v", mode, there)
		}
		for i, raw := range queue(t, f, chat)[:3] {
			want := "|m|"
			if i > 0 {
				want = "|mx|"
			}
			if !strings.Contains(raw, want) {
				t.Fatalf("mode %d: delete entry %q, want flags %q", mode, raw, want)
			}
		}
		if n := f.rdb.Exists(ctx, "bsl:msgs:{82}", "bsl:copy:{82}").Val(); n != 0 {
			t.Fatalf("mode %d: %d of msgs, copy left after the erase", mode, n)
		}
	}
}

// An entry to another chat on its way during an erase is escaped, and
// journaled (in case its deletion fails) under its chat.
func TestAckEscapedRelay(t *testing.T) {
	f := setup(t, Options{})
	res := mustCommit(t, f.store, commit(83, 0, 1, typicalState(), []delivery.Item{relay(5)}))
	c := commit(83, res.Rev, 2, typicalState(), nil)
	c.Erase = conversation.EraseChat
	mustCommit(t, f.store, c)
	ack := mustAck(t, f.store, 83, ownerA, res.Claim.Head, []int{700}, delivery.Pace{}, t0)
	if !ack.Escaped {
		t.Fatalf("ack %+v, want Escaped", ack)
	}
	if got := members(t, f, 83); !slices.Equal(got, []string{"9001:700"}) {
		t.Fatalf("journal %v", got)
	}
	if _, _, ok, _ := f.store.Copy(context.Background(), 83, 83, 5); ok {
		t.Fatal("an escaped copy was mapped: it is deleted at once")
	}
}

// The ack of a copy maps each source message to its copy; Copy reads it in
// one round trip, until 48 h have passed.
func TestCopyMap(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	f.store.now = func() time.Time { return t0 }
	album := relay(20, 21, 22)
	album.Album = "g"
	res := mustCommit(t, f.store, commit(84, 0, 1, typicalState(), []delivery.Item{relay(10), album, relayBack(600), musts("texte")[0]}))
	ack := mustAck(t, f.store, 84, ownerA, res.Claim.Head, []int{500}, delivery.Pace{}, t0)
	ack = mustAck(t, f.store, 84, ownerA, ack.Next, []int{501, 502, 503}, delivery.Pace{}, t0)
	ack = mustAck(t, f.store, 84, ownerA, ack.Next, []int{11}, delivery.Pace{}, t0)
	mustAck(t, f.store, 84, ownerA, ack.Next, []int{12}, delivery.Pace{}, t0)

	for _, tc := range []struct {
		src   int64
		id    int
		dst   int64
		dstID int
	}{{84, 10, volunteer, 500}, {84, 20, volunteer, 501}, {84, 22, volunteer, 503}, {volunteer, 600, 84, 11},
		// and back: a reply to a copy finds the message it copies
		{volunteer, 500, 84, 10}, {volunteer, 503, 84, 22}, {84, 11, volunteer, 600}} {
		f.trips.Reset()
		dst, id, ok, err := f.store.Copy(ctx, 84, tc.src, tc.id)
		if err != nil || !ok || dst != tc.dst || id != tc.dstID {
			t.Errorf("Copy(%d:%d) = %d:%d %v %v, want %d:%d", tc.src, tc.id, dst, id, ok, err, tc.dst, tc.dstID)
		}
		if n := f.trips.N(); n != 1 {
			t.Errorf("Copy in %d round trips, want 1", n)
		}
	}
	if n := f.rdb.HLen(ctx, "bsl:copy:{84}").Val(); n != 10 {
		t.Errorf("copy map of %d, want 10, 5 each way (a text is not a copy)", n)
	}
	if _, _, ok, err := f.store.Copy(ctx, 84, 84, 12); ok || err != nil {
		t.Errorf("Copy of a message never copied: %v %v", ok, err)
	}
	if ttl := f.rdb.PTTL(ctx, "bsl:copy:{84}").Val(); ttl <= 0 || ttl > JournalWindow {
		t.Errorf("copy PTTL %v, want (0, %v]", ttl, JournalWindow)
	}
	f.store.now = func() time.Time { return t0.Add(JournalWindow + time.Minute) }
	if _, _, ok, _ := f.store.Copy(ctx, 84, 84, 10); ok {
		t.Error("a copy of over 48 h ago was found")
	}
	f.store.now = func() time.Time { return t0 }

	// A corrupt value is an error, not a copy.
	f.rdb.HSet(ctx, "bsl:copy:{84}", "84:99", "n'importe")
	if _, _, ok, err := f.store.Copy(ctx, 84, 84, 99); ok || !errors.Is(err, conversation.ErrCorrupt) {
		t.Errorf("corrupt copy: %v %v, want ErrCorrupt", ok, err)
	}
}

// However much one person relays, the copy map keeps at most JournalCap,
// the newest.
func TestCopyMapIsBounded(t *testing.T) {
	f := setup(t, Options{})
	f.store.now = func() time.Time { return t0.Add(time.Hour) }
	var rev int64
	now := t0
	const n = JournalCap + 30
	for i := 1; i <= n; i++ {
		c := commit(85, rev, int64(i), typicalState(), []delivery.Item{relay(i)})
		c.Now = now
		res := mustCommit(t, f.store, c)
		rev = res.Rev
		mustAck(t, f.store, 85, ownerA, res.Claim.Head, []int{10_000 + i}, delivery.Pace{}, now)
		now = now.Add(time.Second)
	}
	size := f.rdb.HLen(t.Context(), "bsl:copy:{85}").Val()
	if size > JournalCap || size < JournalCap*4/5 {
		t.Fatalf("copy map of %d after %d copies, want at most %d", size, n, JournalCap)
	}
	if _, id, ok, _ := f.store.Copy(t.Context(), 85, 85, n); !ok || id != 10_000+n {
		t.Fatalf("the newest copy is gone: %d %v", id, ok)
	}
	if _, _, ok, _ := f.store.Copy(t.Context(), 85, 85, 1); ok {
		t.Fatal("the oldest copy is kept past the bound")
	}
}

// Enqueue appends without a step: no revision, no update id, the state and
// link untouched, the chat's era and seq followed, the lease taken when free.
func TestEnqueue(t *testing.T) {
	f := setup(t, Options{CacheSize: 10})
	ctx := context.Background()

	// A chat with a conversation.
	c := commit(86, 0, 1, typicalState(), texts("r"))
	c.Link = link()
	res := mustCommit(t, f.store, c)
	stored := f.rdb.HGetAll(ctx, "bsl:conv:{86}").Val()
	ttl := f.rdb.PTTL(ctx, "bsl:conv:{86}").Val()
	f.trips.Reset()
	claim, err := f.store.Enqueue(ctx, 86, musts("a", "b"), ownerA, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.trips.N(); n != 1 {
		t.Errorf("Enqueue in %d round trips, want 1", n)
	}
	items := decoded(t, f, 86)
	if got := textsOf(items); !slices.Equal(got, []string{"r", "a", "b"}) {
		t.Fatalf("outbox %q", got)
	}
	for i, it := range items {
		if it.Seq != int64(i+1) || it.Era != items[0].Era {
			t.Fatalf("entry %d: seq %d era %d, want seq %d era %d", i, it.Seq, it.Era, i+1, items[0].Era)
		}
	}
	if !claim.Held || claim.Head != queue(t, f, 86)[0] || claim.Queued != 3 {
		t.Fatalf("claim %+v", claim)
	}
	after := f.rdb.HGetAll(ctx, "bsl:conv:{86}").Val()
	if after["seq"] != "3" {
		t.Fatalf("seq %q, want 3", after["seq"])
	}
	delete(after, "seq")
	delete(stored, "seq")
	if !reflect.DeepEqual(after, stored) {
		t.Fatalf("Enqueue changed the conversation:\n%v\nwas %v", after, stored)
	}
	if got := f.rdb.PTTL(ctx, "bsl:conv:{86}").Val(); got > ttl || got < ttl-time.Minute {
		t.Fatalf("conv PTTL %v after Enqueue, was %v", got, ttl)
	}
	// The record is still current: the next step commits from it.
	r := mustLoad(t, f.store, 86)
	if r.Rev != res.Rev || !reflect.DeepEqual(r.Link, link()) {
		t.Fatalf("record after Enqueue %+v", r)
	}
	mustCommit(t, f.store, commit(86, r.Rev, 2, typicalState(), nil))

	// Another replica holds the lease: queued, not held.
	claim, err = f.store.Enqueue(ctx, 86, musts("c"), ownerB, t0)
	if err != nil || claim.Held || claim.Head != "" || claim.Queued != 4 {
		t.Fatalf("claim by another owner %+v %v", claim, err)
	}

	// After an erase, entries carry the new era.
	c = commit(86, r.Rev+1, 3, typicalState(), nil)
	c.Erase = conversation.EraseChat
	c.Now = t0.Add(time.Second)
	mustCommit(t, f.store, c)
	if _, err := f.store.Enqueue(ctx, 86, musts("d"), ownerA, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	items = decoded(t, f, 86)
	era, _ := strconv.ParseInt(stored["era"], 10, 64)
	if last := items[len(items)-1]; last.Text != "d" || last.Era <= era || last.Era != items[0].Era {
		t.Fatalf("entry after an erase: era %d, want the erase's %d", last.Era, items[0].Era)
	}
}

// Enqueue to a chat without a conversation (a volunteer's) keeps an era for
// the acks, in a hash that expires, and that a first step still sees as no
// conversation.
func TestEnqueueNewChat(t *testing.T) {
	f := setup(t, Options{})
	ctx := context.Background()
	claim, err := f.store.Enqueue(ctx, volunteer, musts("Nouveau ticket"), ownerA, t0)
	if err != nil || !claim.Held {
		t.Fatalf("claim %+v %v", claim, err)
	}
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{9001}").Val(); ttl <= 0 || ttl > OutboxTTL {
		t.Fatalf("conv PTTL %v, want (0, %v]", ttl, OutboxTTL)
	}
	if r := mustLoad(t, f.store, volunteer); r.Rev != 0 {
		t.Fatalf("record after Enqueue %+v, want none", r)
	}
	ack := mustAck(t, f.store, volunteer, ownerA, claim.Head, []int{40}, delivery.Pace{}, t0)
	if ack.Escaped {
		t.Fatal("an enqueued entry acked as escaped")
	}
	if got := journal(t, f, volunteer, t0); !slices.Equal(got, []int{40}) {
		t.Fatalf("journal %v", got)
	}
	res := mustCommit(t, f.store, commit(volunteer, 0, 1, typicalState(), texts("r")))
	if it := decoded(t, f, volunteer); len(it) != 1 || it[0].Seq != 2 {
		t.Fatalf("outbox after a first step %+v, want seq 2", it)
	}
	if ttl := f.rdb.PTTL(ctx, "bsl:conv:{9001}").Val(); ttl <= OutboxTTL || res.Rev == 0 {
		t.Fatalf("conv PTTL %v after a step, want the retention", ttl)
	}

	// A person who blocked the bot is sent nothing.
	if _, err := f.store.Block(ctx, volunteer, ownerA, farFuture); err != nil {
		t.Fatal(err)
	}
	claim, err = f.store.Enqueue(ctx, volunteer, musts("x"), ownerA, t0)
	if err != nil || claim.Held || len(queue(t, f, volunteer)) != 0 {
		t.Fatalf("enqueue to a blocked chat: %+v %v, %d queued", claim, err, len(queue(t, f, volunteer)))
	}
}

// Parts of an album merge into the entry before them when it is the same
// album: the last entry behind the head, or the head itself while it is
// young (see TestAlbumHeadWindow).
func TestAlbumMerge(t *testing.T) {
	f := setup(t, Options{})
	res := mustCommit(t, f.store, commit(87, 0, 1, typicalState(), musts("tête")))
	head := res.Claim.Head
	rev := res.Rev
	step := func(u int64, it delivery.Item) {
		t.Helper()
		rev = mustCommit(t, f.store, commit(87, rev, u, typicalState(), []delivery.Item{it})).Rev
	}
	step(2, albumPart("g1", 30))
	step(3, albumPart("g1", 31))
	step(4, albumPart("g1", 33))
	step(5, albumPart("g1", 32)) // out of order: not merged
	step(6, albumPart("g2", 40)) // another album
	other := albumPart("g2", 41)
	other.To = 0 // another destination
	step(7, other)

	items := decoded(t, f, 87)
	if queue(t, f, 87)[0] != head {
		t.Fatal("the head changed")
	}
	var got [][]int
	for _, it := range items[1:] {
		got = append(got, it.IDs)
	}
	want := [][]int{{30, 31, 33}, {32}, {40}, {41}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	if it := items[1]; it.Album != "g1" || it.To != volunteer || !it.Must || it.Seq != 2 {
		t.Fatalf("merged entry %+v", it)
	}

	// At most DeleteBatch ids in one copy.
	res = mustCommit(t, f.store, commit(89, 0, 1, typicalState(), musts("tête")))
	rev = res.Rev
	var parts []delivery.Item
	for i := range delivery.DeleteBatch + 1 {
		parts = append(parts, albumPart("g", 100+i))
	}
	mustCommit(t, f.store, commit(89, rev, 2, typicalState(), parts))
	items = decoded(t, f, 89)
	if len(items) != 3 || len(items[1].IDs) != delivery.DeleteBatch || !slices.Equal(items[2].IDs, []int{100 + delivery.DeleteBatch}) {
		t.Fatalf("%d entries after %d parts", len(items), len(parts))
	}
}

// An album arriving on an empty outbox becomes one entry: its parts merge
// into the head while the head is young, AlbumWait less AlbumMargin after
// it was queued (its sender reads it again once AlbumWait is over). A part
// later than that starts a new entry, and the next parts join that one.
func TestAlbumHeadWindow(t *testing.T) {
	f := setup(t, Options{})
	window := delivery.AlbumWait - delivery.AlbumMargin
	rev := int64(0)
	step := func(u int64, id int, at time.Duration) {
		t.Helper()
		it := albumPart("g", id)
		it.At = t0.Add(at).UnixMilli()
		c := commit(88, rev, u, typicalState(), []delivery.Item{it})
		c.Now = t0.Add(at)
		rev = mustCommit(t, f.store, c).Rev
	}
	step(1, 1, 0)
	head := queue(t, f, 88)[0]
	step(2, 2, 0)
	step(3, 3, window-time.Millisecond) // the last moment the head takes a part
	items := decoded(t, f, 88)
	if len(items) != 1 || !slices.Equal(items[0].IDs, []int{1, 2, 3}) || items[0].Seq != 1 ||
		items[0].At != t0.UnixMilli() || items[0].Album != "g" || items[0].To != volunteer || !items[0].Must {
		t.Fatalf("an album of 3 on an empty outbox: %+v", items)
	}
	if queue(t, f, 88)[0] == head {
		t.Fatal("the head was not rewritten")
	}

	step(4, 4, window) // the head's sender may read it from now on
	step(5, 5, window+time.Millisecond)
	items = decoded(t, f, 88)
	var got [][]int
	for _, it := range items {
		got = append(got, it.IDs)
	}
	if want := [][]int{{1, 2, 3}, {4, 5}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("entries %v, want %v", got, want)
	}

	// Two parts in one commit on an empty outbox: one entry.
	c := commit(86, 0, 1, typicalState(), []delivery.Item{albumPart("h", 7), albumPart("h", 8)})
	mustCommit(t, f.store, c)
	if items := decoded(t, f, 86); len(items) != 1 || !slices.Equal(items[0].IDs, []int{7, 8}) {
		t.Fatalf("two parts in one commit: %+v", items)
	}

	// A head of another album, or a text, takes nothing.
	mustCommit(t, f.store, commit(85, 0, 1, typicalState(), musts("tête")))
	c = commit(84, 0, 1, typicalState(), []delivery.Item{albumPart("x", 1)})
	rev = mustCommit(t, f.store, c).Rev
	mustCommit(t, f.store, commit(84, rev, 2, typicalState(), []delivery.Item{albumPart("y", 2)}))
	if n := len(queue(t, f, 84)); n != 2 {
		t.Fatalf("another album merged into the head: %q", queue(t, f, 84))
	}
}

// Should a part be merged into a head its sender had already read (clocks
// apart by more than the margin), the ack of what was sent removes those
// parts only: the others go next, none twice.
func TestAckOfARewrittenAlbumHead(t *testing.T) {
	f := setup(t, Options{})
	f.store.now = func() time.Time { return t0 }
	res := mustCommit(t, f.store, commit(83, 0, 1, typicalState(), []delivery.Item{albumPart("g", 1), albumPart("g", 2)}))
	read := res.Claim.Head
	mustCommit(t, f.store, commit(83, res.Rev, 2, typicalState(), []delivery.Item{albumPart("g", 3), musts("après")[0]}))
	if items := decoded(t, f, 83); len(items) != 2 || !slices.Equal(items[0].IDs, []int{1, 2, 3}) {
		t.Fatalf("setup: %+v", items)
	}
	ack := mustAck(t, f.store, 83, ownerA, read, []int{501, 502}, delivery.Pace{}, t0)
	next, err := delivery.Decode(ack.Next)
	if err != nil || !slices.Equal(next.IDs, []int{3}) || next.Seq != 1 || ack.Lost {
		t.Fatalf("next after the stale ack: %+v %v (%q)", next, err, ack.Next)
	}
	if items := decoded(t, f, 83); len(items) != 2 || !slices.Equal(items[0].IDs, []int{3}) || items[1].Text != "après" {
		t.Fatalf("outbox after the stale ack: %+v", items)
	}
	if _, id, ok, _ := f.store.Copy(context.Background(), 83, 83, 2); !ok || id != 502 {
		t.Errorf("the parts sent not mapped: %d %v", id, ok)
	}
	// Every part sent: the entry goes.
	ack = mustAck(t, f.store, 83, ownerA, ack.Next, []int{503}, delivery.Pace{}, t0)
	if it, _ := delivery.Decode(ack.Next); it.Text != "après" {
		t.Fatalf("next %q", ack.Next)
	}
}

// The outbox is bounded: replaceable screens make room first, and what must
// arrive is never dropped once queued: what does not fit is refused, and the
// caller told.
func TestOutboxBound(t *testing.T) {
	f := setup(t, Options{})
	var ob []delivery.Item
	for range 200 {
		ob = append(ob, relay(1))
	}
	res := mustCommit(t, f.store, commit(90, 0, 1, typicalState(), ob))
	if res.Claim.Queued != 200 || res.Claim.Refused != 0 {
		t.Fatalf("claim %+v", res.Claim)
	}
	res = mustCommit(t, f.store, commit(90, res.Rev, 2, typicalState(), texts("s1", "s2", "s3", "s4", "s5")))
	before := queue(t, f, 90)

	ob = nil
	for i := range 60 {
		ob = append(ob, relay(1000+i))
	}
	res = mustCommit(t, f.store, commit(90, res.Rev, 3, typicalState(), ob))
	if res.Claim.Queued != OutboxCap || res.Claim.Refused != 4 {
		t.Fatalf("claim %+v, want %d queued, 4 refused", res.Claim, OutboxCap)
	}
	items := decoded(t, f, 90)
	if len(items) != OutboxCap {
		t.Fatalf("%d entries, want %d", len(items), OutboxCap)
	}
	if got := queue(t, f, 90)[:200]; !slices.Equal(got, before[:200]) {
		t.Fatal("relayed entries already queued were dropped")
	}
	for _, it := range items {
		if !it.Must {
			t.Fatalf("a screen kept in a full outbox: %+v", it)
		}
	}
	if last := items[len(items)-1]; last.IDs[0] != 1055 {
		t.Fatalf("last entry %+v, want the 56th of the step", last)
	}
}

// Relayed entries are kept like Must ones, even when the caller did not
// say so.
func TestRelayNeverSuperseded(t *testing.T) {
	f := setup(t, Options{})
	ob := texts("head")
	for i := range 2 * replaceableKept {
		it := relay(i + 1)
		it.Must = false
		ob = append(ob, it)
	}
	ob = append(ob, texts("s1", "s2")...)
	mustCommit(t, f.store, commit(91, 0, 1, typicalState(), ob))
	if n := len(queue(t, f, 91)); n != len(ob) {
		t.Fatalf("%d of %d entries kept: relayed ones were superseded", n, len(ob))
	}
}
