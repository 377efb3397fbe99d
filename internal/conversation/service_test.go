package conversation_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// recorder is the channel, the API and the outbox of a test: what the outbox
// holds is sent at once, in order, through the real store, and kept as the
// person would receive it.
type recorder struct {
	mu       sync.Mutex
	store    *redisstore.Store
	sent     []delivery.Item
	calls    int
	answered []string // texts of the callback answers
	deleted  []int
	typing   int
	fail     error // returned by Send while set (a temporary failure)
	nextID   int
	waiting  bool // what Waiting reports
	now      func() time.Time
}

const owner = "test"

func (r *recorder) Send(ctx context.Context, chat int64, it delivery.Item) ([]int, error) {
	id, err := r.SendNow(ctx, chat, it)
	if err != nil {
		return nil, err
	}
	return []int{id}, nil
}

func (r *recorder) SendNow(_ context.Context, _ int64, it delivery.Item) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.fail != nil {
		return 0, r.fail
	}
	r.nextID++
	r.sent = append(r.sent, it)
	return r.nextID, nil
}

func (r *recorder) Delete(_ context.Context, _ int64, ids []int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.deleted = append(r.deleted, ids...)
	return nil
}

func (r *recorder) AnswerButton(_ context.Context, _, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.answered = append(r.answered, text)
	return nil
}

func (r *recorder) Typing(context.Context, int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.typing++
	return nil
}

func (r *recorder) Hold(chat int64, c delivery.Claim) {
	_ = delivery.SendAll(context.Background(), r.store, r, chat, owner, c, r.now)
}

func (r *recorder) Waiting(int64) bool { return r.waiting }

func (r *recorder) Backlog() int { return 0 }

func (r *recorder) last() delivery.Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent[len(r.sent)-1]
}

type fixture struct {
	rdb    *redis.Client
	svc    *conversation.Service
	out    *recorder
	rtt    *redistest.Counter
	store  *redisstore.Store
	update int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	set, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	c := redistest.New(t, redistest.DBConversation)
	rtt := &redistest.Counter{}
	c.AddHook(rtt)
	store := redisstore.New(c, redisstore.Options{CacheSize: 100})
	if err := store.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	// One clock for the steps and the acks: the journal keeps 48 h from it.
	now := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	out := &recorder{store: store, now: now}
	f := set["orientation"].WithoutDesk()
	return &fixture{rdb: c, out: out, rtt: rtt, store: store, svc: &conversation.Service{
		Flow: func() *flow.Flow { return f }, Bundle: b, Store: store, Outbox: out, Channel: out, Owner: owner,
		Now: now, Retention: time.Hour,
	}}
}

func (fx *fixture) handle(t *testing.T, u conversation.Update) conversation.Result {
	t.Helper()
	fx.update++
	u.ID = fx.update
	if u.Chat == 0 {
		u.Chat = 42
	}
	res, err := fx.svc.Handle(context.Background(), u)
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	return res
}

func (fx *fixture) tap(t *testing.T, label string) conversation.Result {
	t.Helper()
	for _, row := range fx.out.last().Buttons {
		for _, b := range row {
			if b.Label == label {
				return fx.handle(t, conversation.Update{Kind: conversation.KindButton, Data: b.Data, CallbackID: "cb"})
			}
		}
	}
	t.Fatalf("no button %q in %q", label, fx.out.last().Text)
	return conversation.Result{}
}

// An ordinary step — a family taps a button — costs one Redis round trip to
// be stored (the cache spares the load), and one to acknowledge its reply.
func TestOrdinaryStepCosts(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.tap(t, "Oui")
	fx.rtt.Reset()
	fx.out.calls = 0
	res := fx.tap(t, "Soutien psychologique")
	if res.Node != "psy" {
		t.Fatalf("node %q", res.Node)
	}
	if n := fx.rtt.N(); n > 2 {
		t.Errorf("a button tap cost %d Redis round trips, want ≤ 2", n)
	}
	if fx.out.calls > 1 {
		t.Errorf("a button tap cost %d message calls, want 1", fx.out.calls)
	}
}

// A reply Telegram could not take stays queued; the person's next step is
// appended behind it, never in its place, and both go out in order.
func TestFailedReplyStaysQueuedBehindNothing(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.out.fail = errors.New("telegram 500")
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/aide", MsgID: 2})
	n := len(fx.out.sent)
	fx.out.fail = nil
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/langue", MsgID: 3})
	got := fx.out.sent[n:]
	if len(got) != 2 || !strings.Contains(got[0].Text, "/effacer") || !strings.Contains(got[1].Text, "langue") {
		var texts []string
		for _, it := range got {
			texts = append(texts, it.Text)
		}
		t.Fatalf("after the failure, want the help then the language menu, got %q", texts)
	}
}

// An unreadable stored record is set aside: the person starts afresh with a
// word of apology, and nobody else is affected.
func TestCorruptRecordRestartsWithApology(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fresh := redisstore.New(fx.rdb, redisstore.Options{}) // no cache: reads what is stored
	fx.svc.Store = fresh
	fx.out.store = fresh
	rdb := fx.rdb
	if err := rdb.HSet(context.Background(), "bsl:conv:{42}", "st", `{"n":`).Err(); err != nil {
		t.Fatal(err)
	}
	res := fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "bonjour", MsgID: 2})
	if res.Outcome != "reset" || res.Node != "securite" {
		t.Fatalf("outcome %q at %q", res.Outcome, res.Node)
	}
	if txt := fx.out.last().Text; !strings.Contains(txt, "Désolés") || len(fx.out.last().Buttons) == 0 {
		t.Errorf("a reset should apologise and show the first screen: %q", txt)
	}
	if n, _ := rdb.Exists(context.Background(), "bsl:bad:{42}").Result(); n != 1 {
		t.Error("the unreadable record was not kept aside for an operator")
	}
	if ttl, _ := rdb.PTTL(context.Background(), "bsl:bad:{42}").Result(); ttl <= 0 {
		t.Errorf("the record set aside does not expire (ttl %v)", ttl)
	}
}

// A tapped button is always answered at once; with "one moment" when the
// reply will wait.
func TestButtonAnsweredAtOnceWithOneMomentWhenQueued(t *testing.T) {
	fx := newFixture(t)
	fx.svc.Start()
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.tap(t, "Oui")
	fx.out.waiting = true
	fx.tap(t, "Soutien psychologique")
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "bonjour", MsgID: 3})
	deadline := time.Now().Add(5 * time.Second)
	for {
		fx.out.mu.Lock()
		answered, typing := append([]string(nil), fx.out.answered...), fx.out.typing
		fx.out.mu.Unlock()
		if len(answered) == 2 && typing == 1 {
			if answered[0] != "" || answered[1] != "Un instant…" {
				t.Errorf("callback answers %q, want none then one moment", answered)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("answers %q, typing %d", answered, typing)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The person blocks the bot: what is queued is dropped, nothing more is
// queued for them; once they unblock, their next step is answered.
func TestBlockThenUnblock(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	if res := fx.handle(t, conversation.Update{Kind: conversation.KindMember, Blocked: true}); res.Outcome != "blocked" {
		t.Fatalf("outcome %q", res.Outcome)
	}
	fx.handle(t, conversation.Update{Kind: conversation.KindMember})
	n := len(fx.out.sent)
	fx.tap(t, "Oui")
	if len(fx.out.sent) != n+1 {
		t.Errorf("after unblocking, a tap got %d replies", len(fx.out.sent)-n)
	}
}

func TestDuplicateUpdateRepliesOnce(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "ar"})
	n := len(fx.out.sent)
	res, err := fx.svc.Handle(context.Background(), conversation.Update{ID: fx.update, Chat: 42,
		Kind: conversation.KindText, Text: "/start", MsgID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != "duplicate" || len(fx.out.sent) != n {
		t.Errorf("a redelivered update produced a reply (%s, %d → %d messages)", res.Outcome, n, len(fx.out.sent))
	}
}

func TestEraseDeletesJournalAndState(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 10, Lang: "fr"})
	fx.tap(t, "Oui")
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "3", MsgID: 12})
	sent := len(fx.out.sent)
	res := fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/effacer", MsgID: 13})
	if res.Outcome != "erased" {
		t.Fatalf("outcome %q", res.Outcome)
	}
	want := map[int]bool{10: true, 12: true, 13: true, 1: true, 2: true, 3: true}
	for _, id := range fx.out.deleted {
		delete(want, id)
	}
	if len(want) > 0 {
		t.Errorf("not deleted: %v (deleted %v)", want, fx.out.deleted)
	}
	if len(fx.out.sent) != sent {
		t.Errorf("/effacer left a message behind: %q", fx.out.last().Text)
	}
	res = fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "bonjour", MsgID: 14})
	if res.Node != "securite" {
		t.Errorf("after erase the person should start again, at %q", res.Node)
	}
}

// While no volunteer desk exists, no screen offers a person who will answer
// here: "talk to someone now" gives the lines that answer, by day and night.
func TestNoScreenOffersAVolunteer(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.tap(t, "Oui")
	res := fx.tap(t, "Parler à quelqu'un")
	text := fx.out.last().Text
	if res.Node != "ecoute" || !strings.Contains(text, "116\u00a0006") || !strings.Contains(text, "3114") ||
		!strings.Contains(text, "Personne ne lit") {
		t.Errorf("talk to someone now should give the lines that answer now: %q", text)
	}
	if !fx.svc.Flow().Deskless() {
		t.Error("the service runs a flow that offers volunteers, and no desk answers")
	}
}

// The discretion buttons erase, as /effacer does, and leave nothing on screen.
func TestDiscretionButtonsErase(t *testing.T) {
	for name, taps := range map[string][]string{
		"not now":           {"Pas maintenant"},
		"emergency screen":  {"Non, je suis en danger", "Effacer nos échanges"},
		"discretion screen": {"Oui", "Discrétion, effacer", "Effacer maintenant"},
	} {
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t)
			fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 10, Lang: "fr"})
			var res conversation.Result
			sent := 0
			for _, label := range taps {
				sent = len(fx.out.sent)
				res = fx.tap(t, label)
			}
			if res.Outcome != "erased" {
				t.Fatalf("outcome %q after %v", res.Outcome, taps)
			}
			if len(fx.out.sent) != sent {
				t.Errorf("erasing left a message on screen: %q", fx.out.last().Text)
			}
			deleted := map[int]bool{}
			for _, id := range fx.out.deleted {
				deleted[id] = true
			}
			if !deleted[10] || !deleted[1] {
				t.Errorf("the /start message and the first reply were not deleted: %v", fx.out.deleted)
			}
			res = fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "bonjour", MsgID: 20})
			if res.Node != "securite" {
				t.Errorf("after erasing the person starts again, at %q", res.Node)
			}
		})
	}
}

// With the store unreachable, the person gets the emergency numbers from
// memory and the update is not acknowledged.
func TestStoreDownAnswersFromMemory(t *testing.T) {
	fx := newFixture(t)
	fx.svc.Store = brokenStore{}
	_, err := fx.svc.Handle(context.Background(), conversation.Update{ID: 1, Chat: 7, Kind: conversation.KindText,
		Text: "/start", Lang: "ar"})
	var se *conversation.StoreError
	if !errors.As(err, &se) {
		t.Fatalf("err %v, want a store error (the update is not acknowledged)", err)
	}
	if !strings.Contains(fx.out.last().Text, "17") || !strings.Contains(fx.out.last().Text, "114") {
		t.Errorf("degraded answer lacks the emergency numbers: %q", fx.out.last().Text)
	}
	n := len(fx.out.sent)
	_, _ = fx.svc.Handle(context.Background(), conversation.Update{ID: 2, Chat: 7, Kind: conversation.KindText,
		Text: "allo", Lang: "ar"})
	if len(fx.out.sent) != n {
		t.Error("the outage notice was repeated at once")
	}
}

type brokenStore struct{}

var errDown = errors.New("connection refused")

func (brokenStore) Load(context.Context, int64) (conversation.Record, error) {
	return conversation.Record{}, errDown
}
func (brokenStore) Commit(context.Context, conversation.Commit) (conversation.CommitResult, error) {
	return conversation.CommitResult{}, errDown
}
func (brokenStore) SetAside(context.Context, int64) error { return errDown }
func (brokenStore) Reload(context.Context, int64) (conversation.Record, error) {
	return conversation.Record{}, errDown
}
func (brokenStore) Enqueue(context.Context, int64, []delivery.Item, string, time.Time) (delivery.Claim, error) {
	return delivery.Claim{}, errDown
}
func (brokenStore) Copy(context.Context, int64, int64, int) (int64, int, bool, error) {
	return 0, 0, false, errDown
}
