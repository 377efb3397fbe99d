package conversation_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// recorder is a Sender that keeps what the person would receive.
type recorder struct {
	mu       sync.Mutex
	sent     []conversation.Outgoing
	calls    int
	answered int
	deleted  []int
	typing   int
	fail     error // returned by Send while set (a temporary failure)
	nextID   int
}

func (r *recorder) Send(_ context.Context, _ int64, m conversation.Outgoing) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.fail != nil {
		return 0, r.fail
	}
	r.nextID++
	r.sent = append(r.sent, m)
	return r.nextID, nil
}

func (r *recorder) Delete(_ context.Context, _ int64, ids []int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.deleted = append(r.deleted, ids...)
	return nil
}

func (r *recorder) AnswerButton(context.Context, string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.answered++
	return nil
}

func (r *recorder) Typing(context.Context, int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.typing++
	return nil
}

func (r *recorder) last() conversation.Outgoing {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent[len(r.sent)-1]
}

type fixture struct {
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
	c := redistest.New(t, 2)
	rtt := &redistest.Counter{}
	c.AddHook(rtt)
	store := redisstore.New(c, redisstore.Options{CacheSize: 100})
	if err := store.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := &recorder{}
	f := set["orientation"]
	return &fixture{out: out, rtt: rtt, store: store, svc: &conversation.Service{
		Flow: func() *flow.Flow { return f }, Bundle: b, Store: store, Sender: out,
		Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }, Retention: time.Hour,
	}}
}

func (fx *fixture) handle(t *testing.T, u conversation.Update) conversation.Result {
	t.Helper()
	fx.update++
	u.ID = fx.update
	if u.Chat == 0 {
		u.Chat = 42
	}
	durable := false
	res, err := fx.svc.Handle(context.Background(), u, func() { durable = true })
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	if !durable {
		t.Fatal("handled without becoming durable")
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

// An ordinary step — a family taps a button — costs at most 2 Redis round
// trips (commit, ack) and 2 Bot API calls (answer the button, send).
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
	if fx.out.calls > 2 {
		t.Errorf("a button tap cost %d Bot API calls, want ≤ 2", fx.out.calls)
	}
}

// A reply stored with its step but never sent (the process died, or Telegram
// refused) goes out with the chat's next update, or at start-up.
func TestUnsentReplyIsSentLater(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.out.fail = errors.New("network down")
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/aide", MsgID: 2})
	fx.out.fail = nil
	pending, err := fx.store.Pending(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0] != 42 {
		t.Fatalf("pending after a failed send: %v", pending)
	}
	// A fresh process (new service, same store) resumes it.
	fresh := &conversation.Service{Flow: fx.svc.Flow, Bundle: fx.svc.Bundle, Store: fx.store, Sender: fx.out,
		Now: fx.svc.Now, Retention: time.Hour}
	if err := fresh.Resume(context.Background(), 42); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fx.out.last().Text, "/effacer") {
		t.Fatalf("the help was not re-sent: %q", fx.out.last().Text)
	}
	if pending, _ := fx.store.Pending(context.Background(), 0); len(pending) != 0 {
		t.Errorf("still pending after resume: %v", pending)
	}
}

func TestDuplicateUpdateRepliesOnce(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "ar"})
	n := len(fx.out.sent)
	res, err := fx.svc.Handle(context.Background(), conversation.Update{ID: fx.update, Chat: 42,
		Kind: conversation.KindText, Text: "/start", MsgID: 1}, func() {})
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
	res := fx.tap(t, "Parler à quelqu'un maintenant")
	text := fx.out.last().Text
	if res.Node != "ecoute" || !strings.Contains(text, "116\u00a0006") || !strings.Contains(text, "3114") ||
		!strings.Contains(text, "Personne ne lit") {
		t.Errorf("talk to someone now should give the lines that answer now: %q", text)
	}
	for id, n := range fx.svc.Flow().Nodes {
		if n.Kind == flow.KindHandoff {
			t.Errorf("node %s offers a volunteer, and no volunteer desk answers", id)
		}
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
	durable := false
	_, err := fx.svc.Handle(context.Background(), conversation.Update{ID: 1, Chat: 7, Kind: conversation.KindText,
		Text: "/start", Lang: "ar"}, func() { durable = true })
	var se *conversation.StoreError
	if !errors.As(err, &se) || durable {
		t.Fatalf("err %v durable %v", err, durable)
	}
	if !strings.Contains(fx.out.last().Text, "17") || !strings.Contains(fx.out.last().Text, "114") {
		t.Errorf("degraded answer lacks the emergency numbers: %q", fx.out.last().Text)
	}
	n := len(fx.out.sent)
	_, _ = fx.svc.Handle(context.Background(), conversation.Update{ID: 2, Chat: 7, Kind: conversation.KindText,
		Text: "allo", Lang: "ar"}, func() {})
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
func (brokenStore) Ack(context.Context, int64, int64, []int, time.Time) error { return errDown }
func (brokenStore) Journal(context.Context, int64, time.Time) ([]int, error)  { return nil, errDown }
func (brokenStore) Forget(context.Context, int64) error                       { return errDown }
func (brokenStore) Pending(context.Context, int) ([]int64, error)             { return nil, errDown }

// slowStore answers like the real one, late.
type slowStore struct {
	conversation.Store
	delay time.Duration
}

func (s slowStore) Load(ctx context.Context, chat int64) (conversation.Record, error) {
	time.Sleep(s.delay)
	return s.Store.Load(ctx, chat)
}

// A reply that takes time shows "typing…", once.
func TestTypingWhenSlow(t *testing.T) {
	fx := newFixture(t)
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/start", MsgID: 1, Lang: "fr"})
	fx.svc.TypingAfter = 20 * time.Millisecond
	fx.svc.Store = slowStore{Store: fx.store, delay: 100 * time.Millisecond}
	fx.handle(t, conversation.Update{Kind: conversation.KindText, Text: "/aide", MsgID: 2})
	fx.out.mu.Lock()
	defer fx.out.mu.Unlock()
	if fx.out.typing != 1 {
		t.Errorf("typing shown %d times for a slow reply, want 1", fx.out.typing)
	}
}
