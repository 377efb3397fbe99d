package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

func TestOrderWithinAChat(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const chat = 101
	all := texts("m", 12)
	e.put(eng, chat, all[:4]...)
	e.put(eng, chat, all[4:5]...)
	e.put(eng, chat, all[5:]...)

	waitFor(t, "every item sent", func() bool { return len(api.sentTo(chat)) >= len(all) })
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
	equal(t, "sent", api.sentTo(chat), names(all))
	if n := api.callCount(); n != len(all) {
		t.Errorf("%d calls, want %d", n, len(all))
	}
	if got := eng.Stats.Sent.Load(); got != int64(len(all)) {
		t.Errorf("Stats.Sent = %d, want %d", got, len(all))
	}
	if e.exists(e.key("out", chat)) {
		t.Errorf("outbox left: %q", e.queued(chat))
	}
}

func TestAllChatsServed(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	want := map[int64][]string{}
	for i := range 30 {
		chat := int64(1000 + i)
		if i%5 == 0 {
			chat = -chat // groups too
		}
		items := texts(fmt.Sprintf("c%d-", i), 3)
		want[chat] = names(items)
		e.put(eng, chat, items...)
	}
	waitFor(t, "every chat served", func() bool {
		for chat, w := range want {
			if len(api.sentTo(chat)) < len(w) {
				return false
			}
		}
		return true
	})
	for chat, w := range want {
		equal(t, fmt.Sprintf("chat %d", chat), api.sentTo(chat), w)
	}
	if got, want := lim.granted.Load(), int64(90); got != want {
		t.Errorf("limiter granted %d messages, want %d", got, want)
	}
}

// A chat with a long queue takes its turn like the others: a chat that
// arrives later gets its first reply before the flooder's later ones.
func TestRoundRobin(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	lim := &fakeLimiter{every: 4 * time.Millisecond} // the global rate is the bottleneck
	cfg := config("A")
	cfg.Parallel = 1
	eng := newEngine(e, cfg, api, lim)
	run(t, eng, time.Second)

	const flooder, late = 200, 201
	flood := texts("f", 40)
	e.put(eng, flooder, flood...)
	waitFor(t, "the flooder under way", func() bool { return len(api.sentTo(flooder)) >= 3 })
	before := len(api.globalOrder())
	e.put(eng, late, text("hello"))

	waitFor(t, "everything sent", func() bool {
		return len(api.sentTo(flooder)) == len(flood) && len(api.sentTo(late)) == 1
	})
	order := api.globalOrder()
	at := slices.Index(order, fmt.Sprintf("%d:hello", late))
	// The flooder may have one message on its way and win one tie.
	if at > before+2 {
		t.Errorf("the new chat's reply went %d messages after it was queued, want at most 2: %q", at-before, order)
	}
	equal(t, "flooder", api.sentTo(flooder), names(flood))
}

// Once several chats are ready, an urgent reply goes first, then a
// conversation's first reply, then older ordinary ones.
func TestUrgentAndFirstGoFirst(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	lim.closed.Store(true)
	cfg := config("A")
	cfg.Parallel = 1
	eng := newEngine(e, cfg, api, lim)
	run(t, eng, time.Second)

	old := time.Now().Add(-5 * time.Second).UnixMilli()
	plain := text("plain")
	plain.At = old
	older := text("older")
	older.At = old - 1000
	first := delivery.Item{Text: "first", First: true, At: time.Now().UnixMilli()}
	urgent := delivery.Item{Text: "urgent", Urgent: true, At: time.Now().UnixMilli()}

	e.put(eng, 301, older)
	e.put(eng, 302, plain)
	e.put(eng, 303, first)
	e.put(eng, 304, urgent)
	waitFor(t, "four chats ready", func() bool { return eng.Backlog() == 4 })
	lim.closed.Store(false)

	waitFor(t, "everything sent", func() bool { return len(api.globalOrder()) == 4 })
	equal(t, "order", api.globalOrder(), []string{"304:urgent", "303:first", "301:older", "302:plain"})
}

// A chat told to wait (Telegram's 429) does not hold back the others, and
// its reply goes later, once, in order.
func TestRetryAfterIsPerChat(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const slow, other = 401, 402
	const wait = 400 * time.Millisecond
	api.failWith("s0", &delivery.RetryAfter{Wait: wait})
	slowItems, otherItems := texts("s", 3), texts("o", 5)
	start := time.Now()
	e.put(eng, slow, slowItems...)
	e.put(eng, other, otherItems...)

	waitFor(t, "the other chat served", func() bool { return len(api.sentTo(other)) == len(otherItems) })
	if len(api.sentTo(slow)) != 0 {
		t.Errorf("slow chat sent %q before its wait was over", api.sentTo(slow))
	}
	if d := time.Since(start); d >= wait {
		t.Errorf("the other chat took %v, as long as the slow chat's wait", d)
	}
	waitFor(t, "the slow chat served", func() bool { return len(api.sentTo(slow)) == len(slowItems) })
	equal(t, "slow chat", api.sentTo(slow), names(slowItems))
	tries := api.attempts("s0")
	if len(tries) != 2 {
		t.Fatalf("%d attempts at s0, want 2", len(tries))
	}
	if gap := tries[1].at.Sub(tries[0].at); gap < wait-20*time.Millisecond {
		t.Errorf("retried after %v, want at least %v", gap, wait)
	}
	if n := len(api.attempts("s1")); n != 1 {
		t.Errorf("%d attempts at s1, want 1", n)
	}
}

func TestTemporaryErrorIsRetried(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const chat = 501
	api.failWith("t0", errors.New("connection reset"))
	items := texts("t", 2)
	e.put(eng, chat, items...)

	waitFor(t, "delivered after the error", func() bool { return len(api.sentTo(chat)) == 2 })
	equal(t, "sent", api.sentTo(chat), names(items))
	tries := api.attempts("t0")
	if len(tries) != 2 {
		t.Fatalf("%d attempts, want 2", len(tries))
	}
	if gap := tries[1].at.Sub(tries[0].at); gap < 200*time.Millisecond {
		t.Errorf("retried after %v, want a backoff (the first is 250 ms)", gap)
	}
	if eng.Stats.Dropped.Load() != 0 || eng.Stats.Sent.Load() != 2 {
		t.Errorf("stats: sent %d dropped %d, want 2 and 0", eng.Stats.Sent.Load(), eng.Stats.Dropped.Load())
	}
}

func TestRejectedIsDropped(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const chat = 601
	api.failWith("r0", fmt.Errorf("bad markup: %w", delivery.ErrRejected))
	e.put(eng, chat, texts("r", 3)...)

	waitFor(t, "the rest sent", func() bool { return len(api.sentTo(chat)) == 2 })
	equal(t, "sent", api.sentTo(chat), []string{"r1", "r2"})
	if n := len(api.attempts("r0")); n != 1 {
		t.Errorf("rejected item tried %d times, want 1", n)
	}
	if got := eng.Stats.Dropped.Load(); got != 1 {
		t.Errorf("Stats.Dropped = %d, want 1", got)
	}
}

func TestBlockedEmptiesOutbox(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const chat = 701
	api.failWith("b0", fmt.Errorf("forbidden: %w", delivery.ErrBlocked))
	e.put(eng, chat, texts("b", 4)...)

	waitFor(t, "the block recorded", func() bool { return eng.Stats.Blocked.Load() == 1 })
	waitFor(t, "the outbox emptied and the lease handed back", func() bool {
		return !e.exists(e.key("out", chat)) && !e.exists(e.key("lease", chat))
	})
	if blk, err := e.rdb.HGet(context.Background(), e.key("conv", chat), "blk").Result(); err != nil || blk != "1" {
		t.Errorf("blocked flag = %q (%v), want 1", blk, err)
	}
	if n := api.callCount(); n != 1 {
		t.Errorf("%d calls, want only the one that found the block", n)
	}
	if s := api.sentTo(chat); len(s) != 0 {
		t.Errorf("sent %q to a person who blocked the bot", s)
	}
	// Nothing more is queued for them until they write again.
	e.commit(eng.Owner(), chat, text("b9"))
	if q := e.queued(chat); len(q) != 0 {
		t.Errorf("queued for a blocked person: %q", q)
	}
}

func TestExpiredIsDroppedWithoutACall(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim) // MaxAge: a minute
	run(t, eng, time.Second)

	const chat = 801
	stale := text("stale")
	stale.At = time.Now().Add(-2 * time.Minute).UnixMilli()
	e.put(eng, chat, stale, text("fresh"))

	waitFor(t, "the fresh reply sent", func() bool { return len(api.sentTo(chat)) == 1 })
	equal(t, "sent", api.sentTo(chat), []string{"fresh"})
	if n := len(api.attempts("stale")); n != 0 {
		t.Errorf("expired reply tried %d times", n)
	}
	if got := eng.Stats.Expired.Load(); got != 1 {
		t.Errorf("Stats.Expired = %d, want 1", got)
	}
}

func TestCorruptEntryIsDropped(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	ctx := context.Background()

	const chat = 901
	out := e.key("out", chat)
	// Garbage at the head, and between two good entries.
	if err := e.rdb.RPush(ctx, out, "garbage").Err(); err != nil {
		t.Fatal(err)
	}
	c := e.commit(eng.Owner(), chat, text("c0"))
	if !c.Held || c.Head != "garbage" {
		t.Fatalf("claim %+v, want the garbage at the head", c)
	}
	eng.Hold(chat, c)
	if err := e.rdb.RPush(ctx, out, `7|1|-|{"t":""`).Err(); err != nil {
		t.Fatal(err)
	}
	e.put(eng, chat, text("c1"))
	run(t, eng, time.Second)

	waitFor(t, "the good entries sent", func() bool { return len(api.sentTo(chat)) == 2 })
	waitFor(t, "the outbox emptied", func() bool { return !e.exists(out) })
	equal(t, "sent", api.sentTo(chat), []string{"c0", "c1"})
	if got := eng.Stats.Dropped.Load(); got != 2 {
		t.Errorf("Stats.Dropped = %d, want 2", got)
	}
	if got := lim.takes.Load(); got != 2 {
		t.Errorf("%d messages of the global budget taken, want 2 (a corrupt entry costs none)", got)
	}
}

// Two replicas on one store: each chat is sent by one of them at a time,
// every reply exactly once, in order.
func TestTwoEnginesShareTheStore(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api := newAPI()
	engines := []*delivery.Engine{
		newEngine(e, config("A"), api, &fakeLimiter{}),
		newEngine(e, config("B"), api, &fakeLimiter{}),
	}
	for _, eng := range engines {
		run(t, eng, time.Second)
	}

	const chats, commits, per = 12, 5, 3
	want := map[int64][]string{}
	var wg sync.WaitGroup
	for c := range chats {
		chat := int64(2000 + c)
		var all []delivery.Item
		for k := range commits {
			all = append(all, texts(fmt.Sprintf("c%d-%d-", c, k), per)...)
		}
		want[chat] = names(all)
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(chat), 1))
			for k := range commits {
				eng := engines[r.IntN(2)]
				e.put(eng, chat, all[k*per:(k+1)*per]...)
				time.Sleep(time.Duration(r.IntN(3)) * time.Millisecond) // interleaving, not synchronisation
			}
		})
	}
	wg.Wait()
	waitFor(t, "every reply sent", func() bool {
		for chat, w := range want {
			if len(api.sentTo(chat)) < len(w) {
				return false
			}
		}
		return true
	})
	for chat, w := range want {
		equal(t, fmt.Sprintf("chat %d", chat), api.sentTo(chat), w)
	}
	if n, w := api.callCount(), chats*commits*per; n != w {
		t.Errorf("%d calls, want %d (each reply once)", n, w)
	}
	sent := engines[0].Stats.Sent.Load() + engines[1].Stats.Sent.Load()
	if sent != chats*commits*per {
		t.Errorf("engines counted %d sent, want %d", sent, chats*commits*per)
	}
}

// A replica that dies leaves its chats to the others once its leases
// expire.
func TestSweepTakesOverADeadReplica(t *testing.T) {
	const lease = 300 * time.Millisecond
	e := newEnv(t, lease)
	api := newAPI()
	cfg := config("live")
	cfg.LeaseTTL, cfg.Sweep = lease, 20*time.Millisecond
	eng := newEngine(e, cfg, api, &fakeLimiter{})

	const chat = 1001
	items := texts("d", 4)
	c := e.commit("dead", chat, items...) // its engine never runs
	if !c.Held {
		t.Fatal("the dead replica's commit did not take the lease")
	}
	committed := time.Now()
	run(t, eng, time.Second)

	e.expireLease(chat)
	waitFor(t, "the outbox taken over", func() bool { return len(api.sentTo(chat)) == len(items) })
	equal(t, "sent", api.sentTo(chat), names(items))
	first := api.attempts("d0")[0].at
	if d := first.Sub(committed); d < lease-50*time.Millisecond {
		t.Errorf("sent %v after the commit, before the dead replica's lease of %v expired", d, lease)
	}
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
}

// The lease of a chat held by a running replica is renewed: a sweeping
// replica never takes it, however long the chat waits.
func TestRenewKeepsTheLease(t *testing.T) {
	const lease = 150 * time.Millisecond
	e := newEnv(t, lease)
	api := newAPI()
	cfgA, cfgB := config("A"), config("B")
	cfgA.LeaseTTL, cfgB.LeaseTTL = lease, lease
	cfgB.Sweep = 10 * time.Millisecond
	a := newEngine(e, cfgA, api, &fakeLimiter{})
	b := newEngine(e, cfgB, api, &fakeLimiter{})
	run(t, a, time.Second)
	run(t, b, time.Second)

	const chat = 1101
	api.failWith("w0", &delivery.RetryAfter{Wait: 4 * lease})
	e.put(a, chat, texts("w", 2)...)
	waitFor(t, "both sent", func() bool { return len(api.sentTo(chat)) == 2 })
	equal(t, "sent", api.sentTo(chat), []string{"w0", "w1"})
	if n := len(api.attempts("w0")); n != 2 {
		t.Errorf("%d attempts at w0, want 2", n)
	}
	if got := b.Stats.Sent.Load(); got != 0 {
		t.Errorf("the other replica sent %d of a chat whose lease was held", got)
	}
}

// A stop lets the held outboxes empty, then returns.
func TestStopDrainsHeldOutboxes(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	cfg := config("A")
	cfg.Chat = delivery.Pace{Interval: 5 * time.Millisecond, Burst: 1}
	eng := newEngine(e, cfg, api, lim)
	stop := run(t, eng, 5*time.Second)

	const chat = 1201
	items := texts("s", 10)
	e.put(eng, chat, items...)
	waitFor(t, "sending under way", func() bool { return len(api.sentTo(chat)) >= 1 })
	stop()

	equal(t, "sent by the time Run returned", api.sentTo(chat), names(items))
	if e.exists(e.key("lease", chat)) || e.exists(e.key("out", chat)) {
		t.Errorf("lease or outbox left after a drained stop")
	}
}

// A stop that cannot drain in time hands its leases back, so another
// replica takes the chats at once.
func TestStopReleasesLeases(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	stop := run(t, eng, 100*time.Millisecond)

	const chat = 1301
	api.failWith("h0", &delivery.RetryAfter{Wait: time.Hour})
	e.put(eng, chat, texts("h", 2)...)
	waitFor(t, "the first attempt", func() bool { return len(api.attempts("h0")) == 1 })
	if got := e.get(e.key("lease", chat)); got != "A" {
		t.Fatalf("lease held by %q, want A", got)
	}
	start := time.Now()
	stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run took %v to return with a drain of 100ms", d)
	}
	if e.exists(e.key("lease", chat)) {
		t.Errorf("lease still held by %q after Run returned", e.get(e.key("lease", chat)))
	}
	if q := e.queued(chat); len(q) != 2 {
		t.Errorf("outbox %q, want both entries kept for the next replica", q)
	}

	// The next replica takes it at once (no lease to wait for).
	next := newEngine(e, func() delivery.Config { c := config("B"); c.Sweep = 10 * time.Millisecond; return c }(), api, lim)
	run(t, next, time.Second)
	waitFor(t, "the next replica sends", func() bool { return len(api.sentTo(chat)) == 2 })
	equal(t, "sent", api.sentTo(chat), []string{"h0", "h1"})
}

// A send still in flight when a stop gives up must keep its lease: handing
// it back lets another replica send the same entry again.
func TestStopKeepsLeaseOfSendInFlight(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	stop := run(t, eng, 50*time.Millisecond)

	const chat = 1401
	entered, release := api.gate("g0")
	defer release()
	e.put(eng, chat, texts("g", 2)...)
	select {
	case <-entered:
	case <-time.After(deadline):
		t.Fatal("the send never started")
	}
	stop() // gives up on the send in flight after the drain

	if got := e.get(e.key("lease", chat)); got != "A" {
		t.Errorf("lease of a chat whose send is still in flight: %q, want still A's", got)
	}
	// Another replica must not get the entry that is on its way.
	if c, err := e.store.Claim(context.Background(), chat, "B"); err != nil {
		t.Fatal(err)
	} else if c.Held {
		t.Errorf("another replica claimed the chat while g0 was on its way: head %q would be sent twice", c.Head)
	}
	release()
	waitFor(t, "the send in flight ends", func() bool { return len(api.sentTo(chat)) == 1 })
}

// A relayed message on its way during an erase is deleted at once in the
// chat it went to, not in the outbox's own.
func TestEscapedRelayDeletedInItsChat(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	const chat, volunteer = 77, 9077
	entered, release := api.gate("") // a copy has no text
	e.put(eng, chat, delivery.Item{Kind: delivery.KindCopy, IDs: []int{5}, To: volunteer, Must: true, At: time.Now().UnixMilli()})
	<-entered
	e.erase(eng, chat)
	release()

	waitFor(t, "the escaped copy deleted", func() bool { return len(api.attempts("del")) > 0 })
	waitFor(t, "the lease handed back", func() bool { return !e.exists(e.key("lease", chat)) })
	dels := api.attempts("del")
	if len(dels) != 1 || dels[0].chat != volunteer || len(dels[0].ids) != 1 {
		t.Fatalf("deletes %+v, want one, of the copy, in the volunteer's chat", dels)
	}
	if sent := api.sentTo(volunteer); len(sent) != 2 || sent[0] != "" {
		t.Fatalf("the volunteer's chat got %q, want the copy then its deletion", sent)
	}
	if got := eng.Stats.Escaped.Load(); got != 1 {
		t.Errorf("Stats.Escaped = %d, want 1", got)
	}
}

// The head copy of an album waits AlbumWait after it was queued, for the
// later parts to join the entries behind it; other chats go meanwhile.
func TestAlbumHeadWaits(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	run(t, eng, time.Second)

	album := delivery.Item{Kind: delivery.KindCopy, IDs: []int{5}, To: 9078, Album: "g", Must: true, At: time.Now().UnixMilli()}
	e.put(eng, 78, album)
	e.put(eng, 79, text("ailleurs"))

	waitFor(t, "the album sent", func() bool { return len(api.attempts("")) == 1 })
	sent := api.attempts("")[0].at
	if early := time.UnixMilli(album.At).Add(delivery.AlbumWait).Sub(sent); early > 0 {
		t.Errorf("the album went %v before its wait was over", early)
	}
	other := api.attempts("ailleurs")
	if len(other) != 1 || !other[0].at.Before(time.UnixMilli(album.At).Add(delivery.AlbumWait/2)) {
		t.Errorf("another chat's reply went at %+v: held by the album's wait", other)
	}
	equal(t, "order", api.globalOrder(), []string{"79:ailleurs", "9078:"})
}
