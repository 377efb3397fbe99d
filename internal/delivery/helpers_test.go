package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's database on a shared test server.
const testDB = redistest.DBDelivery

// deadline bounds every wait on a condition.
const deadline = 5 * time.Second

// env is a real store on an empty database, with the revision of each chat
// it committed to.
type env struct {
	t     *testing.T
	rdb   *redis.Client
	store *redisstore.Store
	lease time.Duration

	mu   sync.Mutex
	revs map[int64]int64
}

func newEnv(t *testing.T, leaseTTL time.Duration) *env {
	t.Helper()
	rdb := redistest.New(t, testDB)
	s := redisstore.New(rdb, redisstore.Options{LeaseTTL: leaseTTL})
	if err := s.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, rdb: rdb, store: s, lease: leaseTTL, revs: map[int64]int64{}}
}

// commit appends items to the chat's outbox as a step of owner does, and
// returns the claim the commit made.
func (e *env) commit(owner string, chat int64, items ...delivery.Item) delivery.Claim {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	res, err := e.store.Commit(context.Background(), conversation.Commit{
		Chat:   chat,
		Rev:    e.revs[chat],
		State:  flow.State{Flow: "test", Node: "n"},
		Outbox: items,
		Owner:  owner,
		TTL:    time.Hour,
		Now:    time.Now(),
	})
	if err != nil {
		e.t.Errorf("commit chat %d: %v", chat, err)
		return delivery.Claim{}
	}
	if res.Status != conversation.Committed {
		e.t.Errorf("commit chat %d: status %v, want Committed", chat, res.Status)
		return delivery.Claim{}
	}
	e.revs[chat] = res.Rev
	return res.Claim
}

// erase commits an /effacer of the chat with the engine as owner and hands
// the claim to the engine.
func (e *env) erase(eng *delivery.Engine, chat int64) {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	res, err := e.store.Commit(context.Background(), conversation.Commit{
		Chat:  chat,
		Rev:   e.revs[chat],
		State: flow.State{Flow: "test", Node: "n"},
		Erase: conversation.EraseChat,
		Owner: eng.Owner(),
		TTL:   time.Hour,
		Now:   time.Now(),
	})
	if err != nil || res.Status != conversation.Committed {
		e.t.Fatalf("erase chat %d: %v %v", chat, res.Status, err)
	}
	e.revs[chat] = res.Rev
	eng.Hold(chat, res.Claim)
}

// put commits items with the engine as owner and hands the claim to the
// engine, as the conversation does.
func (e *env) put(eng *delivery.Engine, chat int64, items ...delivery.Item) delivery.Claim {
	e.t.Helper()
	c := e.commit(eng.Owner(), chat, items...)
	eng.Hold(chat, c)
	return c
}

func (e *env) key(kind string, chat int64) string {
	return "bsl:" + kind + ":{" + strconv.FormatInt(chat, 10) + "}"
}

func (e *env) exists(key string) bool {
	e.t.Helper()
	n, err := e.rdb.Exists(context.Background(), key).Result()
	if err != nil {
		e.t.Fatal(err)
	}
	return n == 1
}

func (e *env) get(key string) string {
	e.t.Helper()
	v, err := e.rdb.Get(context.Background(), key).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) queued(chat int64) []string {
	e.t.Helper()
	v, err := e.rdb.LRange(context.Background(), e.key("out", chat), 0, -1).Result()
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// expireLease waits out a lease: a real Redis expires the key on its own;
// miniredis only moves its clock when told, so the key is deleted there
// once the lease's time has passed.
func (e *env) expireLease(chat int64) {
	e.t.Helper()
	if os.Getenv("TEST_REDIS_URL") != "" {
		return
	}
	time.Sleep(e.lease) // stands for the clock of the server, not a synchronisation
	if err := e.rdb.Del(context.Background(), e.key("lease", chat)).Err(); err != nil {
		e.t.Fatal(err)
	}
}

// text is an item that is never superseded by a newer screen (the store
// keeps only a few replaceable ones), queued now.
func text(s string) delivery.Item {
	return delivery.Item{Kind: delivery.KindText, Text: s, Must: true, At: time.Now().UnixMilli()}
}

func texts(prefix string, n int) []delivery.Item {
	var items []delivery.Item
	for i := range n {
		items = append(items, text(fmt.Sprintf("%s%d", prefix, i)))
	}
	return items
}

func names(items []delivery.Item) []string {
	var s []string
	for _, it := range items {
		s = append(s, it.Text)
	}
	return s
}

// call is one attempt at the API.
type call struct {
	chat int64
	text string // "del" for a delete
	ids  []int  // a delete's, or a copy's sources
	at   time.Time
	err  error
}

// fakeAPI records every call; an item's text picks what it answers.
type fakeAPI struct {
	mu      sync.Mutex
	calls   []call
	sent    map[int64][]string // accepted, per chat, in order
	order   []string           // accepted, "chat:text", in order
	id      int
	fail    map[string][]error // by text: what the next attempts return
	gates   map[string]chan struct{}
	entered map[string]chan struct{}
	// onSend, when set, is called at the start of every Send, outside the
	// fake's lock (a test hook: it may commit, or call the engine).
	onSend func(chat int64, it delivery.Item)
}

func newAPI() *fakeAPI {
	return &fakeAPI{sent: map[int64][]string{}, fail: map[string][]error{},
		gates: map[string]chan struct{}{}, entered: map[string]chan struct{}{}}
}

// failWith makes the next attempts at text return errs, one each.
func (a *fakeAPI) failWith(text string, errs ...error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fail[text] = append(a.fail[text], errs...)
}

// gate makes a send of text block until release is called; entered is
// closed when the send has started.
func (a *fakeAPI) gate(text string) (entered <-chan struct{}, release func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, in := make(chan struct{}), make(chan struct{})
	a.gates[text], a.entered[text] = g, in
	var once sync.Once
	return in, func() { once.Do(func() { close(g) }) }
}

func (a *fakeAPI) Send(ctx context.Context, chat int64, it delivery.Item) ([]int, error) {
	a.mu.Lock()
	hook := a.onSend
	a.mu.Unlock()
	if hook != nil {
		hook(chat, it)
	}
	a.mu.Lock()
	g, in := a.gates[it.Text], a.entered[it.Text]
	delete(a.gates, it.Text)
	delete(a.entered, it.Text)
	a.mu.Unlock()
	if g != nil {
		close(in)
		select {
		case <-g:
		case <-ctx.Done():
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var err error
	if errs := a.fail[it.Text]; len(errs) > 0 {
		err, a.fail[it.Text] = errs[0], errs[1:]
	}
	a.calls = append(a.calls, call{chat: chat, text: it.Text, ids: slices.Clone(it.IDs), at: time.Now(), err: err})
	if err != nil {
		return nil, err
	}
	a.sent[chat] = append(a.sent[chat], it.Text)
	a.order = append(a.order, fmt.Sprintf("%d:%s", chat, it.Text))
	n := 1
	if it.Kind == delivery.KindCopy {
		n = len(it.IDs) // copyMessages: one message per source
	}
	ids := make([]int, n)
	for i := range ids {
		a.id++
		ids[i] = a.id
	}
	return ids, nil
}

// setOnSend installs the Send hook.
func (a *fakeAPI) setOnSend(f func(chat int64, it delivery.Item)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.onSend = f
}

func (a *fakeAPI) Delete(_ context.Context, chat int64, ids []int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, call{chat: chat, text: "del", ids: slices.Clone(ids), at: time.Now()})
	a.sent[chat] = append(a.sent[chat], "del")
	a.order = append(a.order, fmt.Sprintf("%d:del", chat))
	return nil
}

func (a *fakeAPI) sentTo(chat int64) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.sent[chat])
}

func (a *fakeAPI) globalOrder() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.order)
}

func (a *fakeAPI) attempts(text string) []call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var cs []call
	for _, c := range a.calls {
		if c.text == text {
			cs = append(cs, c)
		}
	}
	return cs
}

func (a *fakeAPI) callCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.calls)
}

// fakeLimiter counts what it is asked; it refuses with a wait while closed,
// and grants at most one message per every when every is set.
type fakeLimiter struct {
	takes, granted atomic.Int64
	closed         atomic.Bool
	mu             sync.Mutex
	every          time.Duration
	last           time.Time
}

func (l *fakeLimiter) Take(context.Context) (time.Duration, error) {
	l.takes.Add(1)
	if l.closed.Load() {
		return time.Millisecond, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.every > 0 {
		if next := l.last.Add(l.every); time.Now().Before(next) {
			return time.Until(next), nil
		}
		l.last = time.Now()
	}
	l.granted.Add(1)
	return 0, nil
}

// config is fast: 1 ms per message per chat, no burst, no sweep to speak of
// (tests that sweep say so).
func config(owner string) delivery.Config {
	p := delivery.Pace{Interval: time.Millisecond, Burst: 1}
	return delivery.Config{Owner: owner, Chat: p, Group: p, MaxAge: time.Minute,
		LeaseTTL: 3 * time.Second, Sweep: time.Hour, Parallel: 8}
}

func newEngine(e *env, cfg delivery.Config, api delivery.API, lim delivery.Limiter) *delivery.Engine {
	return newEngineOn(e.store, cfg, api, lim)
}

// newEngineOn is newEngine on another queue (a hookQueue around the store).
func newEngineOn(q delivery.Queue, cfg delivery.Config, api delivery.API, lim delivery.Limiter) *delivery.Engine {
	return delivery.New(cfg, q, api, lim, zerolog.Nop(), func(c int64) string { return strconv.FormatInt(c, 10) })
}

// hookQueue is the engine's queue with test hooks: it counts the calls the
// engine makes, and calls before and after (when set) around each Claim
// and Ack, outside any lock of the engine.
type hookQueue struct {
	delivery.Queue
	claims, acks  atomic.Int64
	sweeps        atomic.Int64 // Queued calls answered
	before, after func(op string, chat int64)
}

func (q *hookQueue) hook(f func(string, int64), op string, chat int64) {
	if f != nil {
		f(op, chat)
	}
}

func (q *hookQueue) Claim(ctx context.Context, chat int64, owner string) (delivery.Claim, error) {
	q.claims.Add(1)
	q.hook(q.before, "claim", chat)
	defer q.hook(q.after, "claim", chat)
	return q.Queue.Claim(ctx, chat, owner)
}

func (q *hookQueue) Queued(ctx context.Context, limit int) ([]int64, error) {
	defer q.sweeps.Add(1)
	return q.Queue.Queued(ctx, limit)
}

func (q *hookQueue) Ack(ctx context.Context, chat int64, owner, raw string, sent []int, pace delivery.Pace, now time.Time) (delivery.AckResult, error) {
	q.acks.Add(1)
	q.hook(q.before, "ack", chat)
	defer q.hook(q.after, "ack", chat)
	return q.Queue.Ack(ctx, chat, owner, raw, sent, pace, now)
}

// run runs the engine until the test ends or stop is called; stop cancels
// and waits for Run to return.
func run(t *testing.T, eng *delivery.Engine, drain time.Duration) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); eng.Run(ctx, drain) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(drain + 10*time.Second):
				t.Errorf("Run did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds, failing the test after the deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}
