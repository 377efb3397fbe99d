package publish

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// testDB is this package's database on a shared test server.
const testDB = redistest.DBVersions

// channel is where redisstore announces the versions on testDB.
const channel = "bsl:{flows}:published:db11"

// The French sentence the tests change for new versions.
const sentence = "Vous pourrez revenir à ce menu à tout moment."

// syncBuf is a log sink the tests read while replicas write to it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func shippedDocs(t *testing.T) Docs {
	t.Helper()
	d, err := ReadDocs(flows.FS, "orientation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// edited is d with the French sentence replaced by with.
func edited(t *testing.T, d Docs, with string) Docs {
	t.Helper()
	if !bytes.Contains(d.Flow, []byte(sentence)) {
		t.Fatalf("the shipped flow no longer says %q", sentence)
	}
	d.Flow = bytes.Replace(d.Flow, []byte(sentence), []byte(with), 1)
	return d
}

func draft(d Docs, base int64) redisstore.Draft {
	return redisstore.Draft{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile, Base: base, What: "texte du menu"}
}

// replica is one Library on its own client of the test server.
type replica struct {
	lib *Library
	vs  *redisstore.Versions
	log *syncBuf
}

func newReplica(t *testing.T, rdb *redis.Client, prepare func(*flow.Flow) *flow.Flow) replica {
	t.Helper()
	o := rdb.Options()
	c := redis.NewClient(&redis.Options{Addr: o.Addr, DB: o.DB, Username: o.Username, Password: o.Password,
		TLSConfig: o.TLSConfig, DisableIdentity: o.DisableIdentity})
	t.Cleanup(func() { _ = c.Close() })
	vs := redisstore.NewVersions(c)
	buf := &syncBuf{}
	lib, err := New(vs, shippedDocs(t), prepare, zerolog.New(buf))
	if err != nil {
		t.Fatal(err)
	}
	return replica{lib: lib, vs: vs, log: buf}
}

// hashOf is the version hash of d.
func hashOf(t *testing.T, d Docs) string {
	t.Helper()
	f, probs := flow.Load(flow.Source{Name: d.FlowFile, Data: d.Flow}, flow.Source{Name: flows.ResourcesFile, Data: d.Resources})
	if f == nil {
		t.Fatalf("invalid test documents: %v", probs)
	}
	return f.Version
}

// eventually waits until cond holds, failing the test after a deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not so after 5s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestShippedIsVersionZero(t *testing.T) {
	rdb := redistest.New(t, testDB)
	r := newReplica(t, rdb, nil)
	ship := shippedDocs(t)
	want := hashOf(t, ship)
	if f := r.lib.Live(); f == nil || f.Version != want || f.ID != "orientation" {
		t.Fatalf("Live = %+v", f)
	}
	cur := r.lib.Current()
	if cur.N != 0 || cur.Hash != want || !bytes.Equal(cur.Flow, ship.Flow) || !bytes.Equal(cur.Resources, ship.Resources) ||
		cur.FlowFile != "orientation.yaml" {
		t.Errorf("Current = %d %s %s", cur.N, cur.Hash, cur.FlowFile)
	}
	cur.Flow[0] = 'X' // a copy
	if r.lib.Current().Flow[0] == 'X' {
		t.Error("Current shares the documents")
	}
	if err := r.lib.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.lib.Live().Version != want || r.lib.Held(want) != r.lib.Live() || r.lib.Held("deadbeef") != nil {
		t.Error("nothing published: the shipped flow is not the one served and held")
	}

	// Invalid shipped documents: no Library.
	bad := edited(t, ship, sentence)
	bad.Flow = bytes.Replace(bad.Flow, []byte("goto: besoin"), []byte("goto: nulle_part"), 1)
	if _, err := New(r.vs, bad, nil, zerolog.Nop()); err == nil {
		t.Error("New accepted an invalid shipped flow")
	}
}

// A publish on one replica makes the other switch through pub/sub, well
// before its periodic check.
func TestPublishSwitchesEveryReplica(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	b := newReplica(t, rdb, (*flow.Flow).WithoutDesk)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, r := range []replica{a, b} {
		wg.Go(func() { r.lib.Run(ctx, time.Hour) })
	}
	defer func() { cancel(); wg.Wait() }()
	eventually(t, "both replicas listen", func() bool { return rdb.PubSubNumSub(ctx, channel).Val()[channel] == 2 })
	var switched []int64
	var mu sync.Mutex
	b.lib.OnSwitch(func(v redisstore.Version) { mu.Lock(); switched = append(switched, v.N); mu.Unlock() })

	ship := shippedDocs(t)
	shipHash := hashOf(t, ship)
	v1 := edited(t, ship, "Vous pouvez revenir à ce menu quand vous voulez.")
	n, err := a.lib.Publish(ctx, draft(v1, 0), "Samia B.", 7, "menu : formulation")
	if err != nil || n != 1 {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	h1 := hashOf(t, v1)
	if a.lib.Live().Version != h1 {
		t.Error("the publishing replica does not serve its own version at once")
	}
	eventually(t, "the other replica serves version 1", func() bool { return b.lib.Live().Version == h1 })
	if !b.lib.Live().Deskless() {
		t.Error("replica b's prepare (WithoutDesk) was not applied to the published flow")
	}
	cur := b.lib.Current()
	if cur.N != 1 || cur.Hash != h1 || cur.Author != "Samia B." || cur.AuthorID != 7 || cur.Summary != "menu : formulation" ||
		cur.Base != 0 || !bytes.Equal(cur.Flow, v1.Flow) {
		t.Errorf("Current on b = %+v", cur)
	}
	// Those mid-conversation on the shipped version keep it.
	if f := b.lib.Held(shipHash); f == nil || f.Version != shipHash || !f.Deskless() {
		t.Error("the shipped version is not held")
	}

	// A second version; the first stays held.
	v2 := edited(t, ship, "Ce menu reste accessible à tout moment.")
	h2 := hashOf(t, v2)
	if _, err := b.lib.Publish(ctx, draft(v2, 1), "Karim", 8, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "replica a serves version 2", func() bool { return a.lib.Live().Version == h2 })
	for _, r := range []replica{a, b} {
		if f := r.lib.Held(h1); f == nil || f.Version != h1 {
			t.Error("version 1 is no longer held after version 2")
		}
		if r.lib.Held(shipHash) == nil {
			t.Error("the shipped version is no longer held")
		}
	}
	if c := a.lib.Current(); c.Summary != "texte du menu" {
		t.Errorf("empty summary: %q, want the draft's What", c.Summary)
	}
	mu.Lock()
	if len(switched) != 2 || switched[0] != 1 || switched[1] != 2 {
		t.Errorf("OnSwitch saw %v", switched)
	}
	mu.Unlock()

	// A draft made from version 1 is refused now.
	_, err = a.lib.Publish(ctx, draft(edited(t, ship, "Autre phrase."), 1), "Samia B.", 7, "")
	var moved *redisstore.BaseMovedError
	if !errors.As(err, &moved) || moved.Head != 2 {
		t.Errorf("publish from a stale base: %v", err)
	}
}

// Without Run, the periodic Refresh alone catches a publish.
func TestRefreshCatchesAMissedAnnouncement(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	b := newReplica(t, rdb, nil)
	ctx := context.Background()
	v1 := edited(t, shippedDocs(t), "Revenez à ce menu quand vous voulez.")
	if _, err := a.lib.Publish(ctx, draft(v1, 0), "Samia B.", 7, "x"); err != nil {
		t.Fatal(err)
	}
	if b.lib.Live().Version == hashOf(t, v1) {
		t.Fatal("b switched without a refresh")
	}
	if err := b.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if b.lib.Live().Version != hashOf(t, v1) || b.lib.Current().N != 1 {
		t.Error("Refresh did not switch")
	}
}

func TestInvalidDraftIsNeverStored(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	ctx := context.Background()
	bad := shippedDocs(t)
	bad.Flow = bytes.Replace(bad.Flow, []byte("goto: besoin"), []byte("goto: nulle_part"), 1)

	f, probs := a.lib.Check(bad)
	if f != nil || len(probs.Errors()) == 0 {
		t.Fatalf("Check of an invalid flow: %v, %v", f, probs)
	}
	_, err := a.lib.Publish(ctx, draft(bad, 0), "Samia B.", 7, "cassé")
	var got flow.Problems
	if !errors.As(err, &got) || len(got.Errors()) == 0 || got.Errors()[0].File != "orientation.yaml" {
		t.Fatalf("Publish of an invalid draft: %v", err)
	}
	// Resources that break the flow are refused the same way.
	badRes := shippedDocs(t)
	badRes.Resources = []byte("{")
	if _, err := a.lib.Publish(ctx, draft(badRes, 0), "Samia B.", 7, ""); !errors.As(err, &got) {
		t.Fatalf("Publish with broken resources: %v", err)
	}
	// Another flow id is refused too.
	other := shippedDocs(t)
	other.Flow = bytes.Replace(other.Flow, []byte("id: orientation"), []byte("id: autre"), 1)
	if f, _ := a.lib.Check(other); f == nil {
		t.Fatal("the renamed flow does not validate")
	}
	if _, err := a.lib.Publish(ctx, draft(other, 0), "Samia B.", 7, ""); !errors.Is(err, ErrOtherFlow) {
		t.Fatalf("Publish of another flow: %v", err)
	}
	if keys := rdb.Keys(ctx, "*").Val(); len(keys) != 0 {
		t.Errorf("refused drafts left keys: %v", keys)
	}
	if h, _ := a.vs.Head(ctx); h != 0 {
		t.Errorf("head %d", h)
	}
}

func TestRestore(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	b := newReplica(t, rdb, nil)
	ctx := context.Background()
	ship := shippedDocs(t)
	v1 := edited(t, ship, "Première version.")
	v2 := edited(t, ship, "Deuxième version.")
	for i, d := range []Docs{v1, v2} {
		if _, err := a.lib.Publish(ctx, draft(d, int64(i)), "Samia B.", 7, ""); err != nil {
			t.Fatal(err)
		}
	}

	n, err := b.lib.Restore(ctx, 1, "Karim", 8, "retour à la 1")
	if err != nil || n != 3 {
		t.Fatalf("Restore(1) = %d, %v", n, err)
	}
	if err := a.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range []replica{a, b} {
		cur := r.lib.Current()
		if r.lib.Live().Version != hashOf(t, v1) || cur.N != 3 || cur.Restores != 1 || cur.Shipped || cur.Base != 2 ||
			cur.Author != "Karim" || !bytes.Equal(cur.Flow, v1.Flow) {
			t.Errorf("after Restore(1): %s, %+v", r.lib.Live().Version, cur)
		}
	}

	n, err = a.lib.Restore(ctx, 0, "Samia B.", 7, "retour au fichier livré")
	if err != nil || n != 4 {
		t.Fatalf("Restore(0) = %d, %v", n, err)
	}
	stored, err := a.vs.Get(ctx, 4)
	if err != nil || !stored.Shipped || stored.Restores != 0 || stored.Flow != nil || stored.Resources != nil ||
		stored.Hash != hashOf(t, ship) || stored.Base != 3 {
		t.Errorf("stored restore of 0 = %+v, %v", stored, err)
	}
	if err := b.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range []replica{a, b} {
		cur := r.lib.Current()
		if r.lib.Live().Version != hashOf(t, ship) || cur.N != 4 || !cur.Shipped || !bytes.Equal(cur.Flow, ship.Flow) ||
			!bytes.Equal(cur.Resources, ship.Resources) || cur.FlowFile != "orientation.yaml" {
			t.Errorf("after Restore(0): %+v", cur)
		}
		if r.lib.Held(hashOf(t, v2)) == nil || r.lib.Held(hashOf(t, v1)) == nil {
			t.Error("a kept version is not held")
		}
	}
	// Restoring the restore of 0 goes back to the shipped documents too.
	if _, err := a.lib.Restore(ctx, 4, "Samia B.", 7, ""); err != nil {
		t.Fatal(err)
	}
	if cur := a.lib.Current(); !cur.Shipped || cur.Restores != 4 || a.lib.Live().Version != hashOf(t, ship) {
		t.Errorf("after Restore(4): %+v", cur)
	}

	if _, err := a.lib.Restore(ctx, 99, "Samia B.", 7, ""); !errors.Is(err, redisstore.ErrNoVersion) {
		t.Errorf("Restore(99): %v", err)
	}
	if _, err := a.lib.Restore(ctx, -1, "Samia B.", 7, ""); !errors.Is(err, redisstore.ErrNoVersion) {
		t.Errorf("Restore(-1): %v", err)
	}
}

// What comes out of Redis is validated again: a version stored invalid, or
// with documents that do not match their hash, is never served, and the
// log says so without quoting them.
func TestCorruptVersionIsNotServed(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	ctx := context.Background()
	ship := shippedDocs(t)
	v1 := edited(t, ship, "Version saine.")
	if _, err := a.lib.Publish(ctx, draft(v1, 0), "Samia B.", 7, ""); err != nil {
		t.Fatal(err)
	}
	h1 := hashOf(t, v1)

	// Stored past the Library: invalid documents.
	const secret = "Texte confidentiel à ne jamais journaliser."
	broken := edited(t, ship, secret)
	broken.Flow = bytes.Replace(broken.Flow, []byte("goto: besoin"), []byte("goto: nulle_part"), 1)
	if _, err := a.vs.Publish(ctx, redisstore.Version{Flow: broken.Flow, Resources: broken.Resources,
		FlowFile: "orientation.yaml", Hash: "00000000", Base: 1}); err != nil {
		t.Fatal(err)
	}
	if err := a.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if a.lib.Live().Version != h1 || a.lib.Current().N != 1 {
		t.Errorf("an invalid stored version is served: %s, %d", a.lib.Live().Version, a.lib.Current().N)
	}

	// Valid documents that are not what their hash says.
	v3 := edited(t, ship, secret)
	if _, err := a.vs.Publish(ctx, redisstore.Version{Flow: v3.Flow, Resources: v3.Resources,
		FlowFile: "orientation.yaml", Hash: h1, Base: 2}); err != nil {
		t.Fatal(err)
	}
	if err := a.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if a.lib.Live().Version != h1 || a.lib.Current().N != 1 || a.lib.Held(hashOf(t, v3)) != nil {
		t.Error("a version whose documents do not match their hash is served or held")
	}

	// Each refused version is logged once, not at every refresh.
	v4 := edited(t, ship, "Quatrième version.")
	if _, err := a.lib.Publish(ctx, draft(v4, 3), "Samia B.", 7, ""); err != nil {
		t.Fatal(err)
	}
	if a.lib.Live().Version != hashOf(t, v4) {
		t.Fatal("a valid version after corrupt ones is not served")
	}
	const refused = "a stored flow version is not served"
	if n := strings.Count(a.log.String(), refused); n != 2 {
		t.Errorf("%d refusals logged, want 2 (versions 2 and 3, once each)", n)
	}

	// A version changed in place after it was published: a replica
	// starting now keeps the shipped version rather than serve it.
	rdb.HSet(ctx, "bsl:{flows}:v:4", "flow", []byte("nodes: ["))
	b := newReplica(t, rdb, nil)
	if err := b.lib.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if b.lib.Live().Version != hashOf(t, ship) || b.lib.Current().N != 0 || b.lib.Held(h1) == nil {
		t.Errorf("a fresh replica serves %d %s: want the shipped version, version 1 held", b.lib.Current().N, b.lib.Live().Version)
	}
	if !strings.Contains(b.log.String(), "the last published flow version is not served") {
		t.Errorf("the refused head is not logged:\n%s", b.log.String())
	}

	for _, r := range []replica{a, b} {
		log := r.log.String()
		if strings.Contains(log, "confidentiel") || strings.Contains(log, "nulle_part") || strings.Contains(log, "nodes: [") {
			t.Errorf("the log quotes a document:\n%s", log)
		}
	}
}

func TestRunEndsWithContext(t *testing.T) {
	rdb := redistest.New(t, testDB)
	a := newReplica(t, rdb, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.lib.Run(ctx, 10*time.Millisecond); close(done) }()
	eventually(t, "the replica listens", func() bool { return rdb.PubSubNumSub(context.Background(), channel).Val()[channel] == 1 })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end with its context")
	}
}
