package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/redistest"
)

func setupVersions(t *testing.T) (*redis.Client, *Versions) {
	t.Helper()
	rdb := redistest.New(t, testDB)
	v := NewVersions(rdb)
	if err := v.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rdb, v
}

// testVersion is the version made from base by admin 7.
func testVersion(base int64) Version {
	return Version{
		Flow:      []byte(fmt.Sprintf("id: orientation # %d\n", base+1)),
		Resources: []byte("resources: {}\n"),
		FlowFile:  "orientation.yaml",
		Hash:      fmt.Sprintf("h%07d", base+1),
		Author:    "Samia B.",
		AuthorID:  7,
		At:        t0.Add(time.Duration(base) * time.Minute),
		Summary:   fmt.Sprintf("change %d", base+1),
		Base:      base,
	}
}

func mustPublish(t *testing.T, v *Versions, ver Version) int64 {
	t.Helper()
	n, err := v.Publish(context.Background(), ver)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVersionsPublishAndGet(t *testing.T) {
	_, v := setupVersions(t)
	ctx := context.Background()
	if h, err := v.Head(ctx); err != nil || h != 0 {
		t.Fatalf("Head of nothing = %d, %v", h, err)
	}
	if _, err := v.Get(ctx, 1); !errors.Is(err, ErrNoVersion) {
		t.Fatalf("Get(1) of nothing: %v", err)
	}
	if _, err := v.Get(ctx, 0); !errors.Is(err, ErrNoVersion) {
		t.Fatalf("Get(0): %v, want ErrNoVersion (the shipped version is not stored)", err)
	}
	if l, err := v.List(ctx); err != nil || len(l) != 0 {
		t.Fatalf("List of nothing = %v, %v", l, err)
	}

	want := testVersion(0)
	want.N = 99 // ignored
	if n := mustPublish(t, v, want); n != 1 {
		t.Fatalf("first publish: %d", n)
	}
	want.N = 1
	got, err := v.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !got.At.Equal(want.At) {
		t.Errorf("At %v, want %v", got.At, want.At)
	}
	got.At = want.At
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Get(1) = %+v\nwant %+v", got, want)
	}

	// Published from the same base twice: the second is refused.
	_, err = v.Publish(ctx, testVersion(0))
	var moved *BaseMovedError
	if !errors.As(err, &moved) || moved.Head != 1 {
		t.Fatalf("second publish from base 0: %v, want *BaseMovedError{1}", err)
	}
	if !strings.Contains(err.Error(), "another version was published") {
		t.Errorf("error %q", err)
	}
	if h, _ := v.Head(ctx); h != 1 {
		t.Errorf("head %d after a refused publish", h)
	}
	// A base from the future is refused the same way.
	if _, err := v.Publish(ctx, testVersion(5)); !errors.As(err, &moved) || moved.Head != 1 {
		t.Fatalf("publish from base 5: %v", err)
	}
	// A restore of the shipped version: no documents.
	n := mustPublish(t, v, Version{Hash: "shipped0", Base: 1, Shipped: true, Summary: "retour", AuthorID: 8})
	got, err = v.Get(ctx, n)
	if err != nil || n != 2 || !got.Shipped || got.Flow != nil || got.Resources != nil || got.Restores != 0 {
		t.Errorf("restore of 0 = %d %+v, %v", n, got, err)
	}
}

func TestVersionsKeepTheLast20(t *testing.T) {
	rdb, v := setupVersions(t)
	ctx := context.Background()
	for base := range int64(25) {
		if n := mustPublish(t, v, testVersion(base)); n != base+1 {
			t.Fatalf("publish from %d: %d", base, n)
		}
	}
	if h, _ := v.Head(ctx); h != 25 {
		t.Fatalf("head %d", h)
	}
	list, err := v.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ns []int64
	for _, ver := range list {
		ns = append(ns, ver.N)
		if want := fmt.Sprintf("id: orientation # %d\n", ver.N); string(ver.Flow) != want {
			t.Errorf("version %d: flow %q", ver.N, ver.Flow)
		}
	}
	if want := []int64{25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6}; !slices.Equal(ns, want) {
		t.Errorf("List: %v, want %v", ns, want)
	}
	for n := int64(1); n <= 5; n++ {
		if _, err := v.Get(ctx, n); !errors.Is(err, ErrNoVersion) {
			t.Errorf("Get(%d): %v, want ErrNoVersion", n, err)
		}
	}
	if _, err := v.Get(ctx, 6); err != nil {
		t.Errorf("Get(6): %v", err)
	}
	keys := rdb.Keys(ctx, "*").Val()
	if len(keys) != 22 { // head, journal, 20 versions
		t.Errorf("%d keys: %v", len(keys), keys)
	}

	// The journal has all 25, newest first, without documents.
	j, err := v.Journal(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(j) != 25 {
		t.Fatalf("journal of %d", len(j))
	}
	for i, e := range j {
		if e.N != int64(25-i) || e.Flow != nil || e.Resources != nil || e.Summary != fmt.Sprintf("change %d", e.N) ||
			e.Author != "Samia B." || e.AuthorID != 7 || e.Base != e.N-1 || !e.At.Equal(t0.Add(time.Duration(e.N-1)*time.Minute)) {
			t.Errorf("journal[%d] = %+v", i, e)
		}
	}
	if j, _ := v.Journal(ctx, 3); len(j) != 3 || j[0].N != 25 || j[2].N != 23 {
		t.Errorf("Journal(3) = %+v", j)
	}
}

func TestVersionsJournalCap(t *testing.T) {
	rdb, v := setupVersions(t)
	ctx := context.Background()
	// Fill the journal near its cap without publishing 500 times.
	for i := range JournalKept {
		rdb.RPush(ctx, "bsl:{flows}:journal", fmt.Sprintf(`{"n":%d}`, 1000-i))
	}
	rdb.RPush(ctx, "bsl:{flows}:journal", "not json")
	mustPublish(t, v, testVersion(0))
	if n := rdb.LLen(ctx, "bsl:{flows}:journal").Val(); n != JournalKept {
		t.Errorf("journal of %d entries, want %d", n, JournalKept)
	}
	j, err := v.Journal(ctx, 2)
	if err != nil || len(j) != 2 || j[0].N != 1 || j[1].N != 1000 {
		t.Errorf("Journal(2) = %+v, %v", j, err)
	}
}

func TestVersionsEveryKeyExpires(t *testing.T) {
	rdb, v := setupVersions(t)
	ctx := context.Background()
	for base := range int64(22) {
		mustPublish(t, v, testVersion(base))
	}
	if err := v.SaveDraft(ctx, 7, Draft{Flow: []byte("x"), Base: 22}); err != nil {
		t.Fatal(err)
	}
	for _, k := range rdb.Keys(ctx, "*").Val() {
		if tag := hashTag(k); tag != "flows" {
			t.Errorf("key %s hashes on %q, not on flows", k, tag)
		}
		want := VersionsTTL
		if strings.Contains(k, ":draft:") {
			want = DraftTTL
		}
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= want-time.Minute || ttl > want {
			t.Errorf("%s: PTTL %v, want %v", k, ttl, want)
		}
	}
	// A publish refreshes the expiry of every version kept.
	rdb.PExpire(ctx, "bsl:{flows}:v:10", time.Hour)
	mustPublish(t, v, testVersion(22))
	if ttl := rdb.PTTL(ctx, "bsl:{flows}:v:10").Val(); ttl <= VersionsTTL-time.Minute {
		t.Errorf("v:10 PTTL %v after a publish", ttl)
	}
}

func TestVersionsDrafts(t *testing.T) {
	rdb, v := setupVersions(t)
	ctx := context.Background()
	if _, ok, err := v.LoadDraft(ctx, 7); ok || err != nil {
		t.Fatalf("LoadDraft of nothing: %v %v", ok, err)
	}
	d := Draft{Flow: []byte("flow: é\n"), Resources: []byte("res\n"), FlowFile: "orientation.yaml", Base: 3,
		What: "numéro du CMP", Trial: []byte(`{"node":"accueil"}`)}
	if err := v.SaveDraft(ctx, 7, d); err != nil {
		t.Fatal(err)
	}
	if err := v.SaveDraft(ctx, 8, Draft{What: "other"}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := v.LoadDraft(ctx, 7)
	if err != nil || !ok || fmt.Sprint(got) != fmt.Sprint(d) {
		t.Fatalf("LoadDraft = %+v %v %v", got, ok, err)
	}
	if ttl := rdb.PTTL(ctx, "bsl:{flows}:draft:7").Val(); ttl <= DraftTTL-time.Minute || ttl > DraftTTL {
		t.Errorf("draft PTTL %v", ttl)
	}
	if err := v.DropDraft(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := v.LoadDraft(ctx, 7); ok {
		t.Error("draft still there after DropDraft")
	}
	if _, ok, _ := v.LoadDraft(ctx, 8); !ok {
		t.Error("another admin's draft went too")
	}
	rdb.Set(ctx, "bsl:{flows}:draft:9", "{", time.Hour)
	if _, _, err := v.LoadDraft(ctx, 9); !errors.Is(err, ErrCorrupt) {
		t.Errorf("corrupt draft: %v", err)
	}
}

func TestVersionsCorrupt(t *testing.T) {
	rdb, v := setupVersions(t)
	ctx := context.Background()
	mustPublish(t, v, testVersion(0))
	mustPublish(t, v, testVersion(1))
	rdb.HSet(ctx, "bsl:{flows}:v:1", "meta", "{")
	if _, err := v.Get(ctx, 1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Get of a corrupt version: %v", err)
	}
	if l, err := v.List(ctx); err != nil || len(l) != 1 || l[0].N != 2 {
		t.Errorf("List with a corrupt version = %+v, %v", l, err)
	}
	rdb.Set(ctx, "bsl:{flows}:head", "x", time.Hour)
	if _, err := v.Head(ctx); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Head corrupt: %v", err)
	}
	if _, err := v.Publish(ctx, testVersion(2)); err == nil {
		t.Error("publish over a corrupt head")
	}
}

func TestVersionsWatch(t *testing.T) {
	rdb, v := setupVersions(t)
	o := rdb.Options()
	other := redis.NewClient(&redis.Options{Addr: o.Addr, DB: o.DB, Username: o.Username, Password: o.Password,
		TLSConfig: o.TLSConfig, DisableIdentity: o.DisableIdentity})
	defer other.Close()
	publisher := NewVersions(other)

	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan int64, 10)
	done := make(chan error, 1)
	go func() { done <- v.Watch(ctx, func(n int64) { got <- n }) }()
	waitSubscribed(t, v)

	mustPublish(t, publisher, testVersion(0))
	mustPublish(t, publisher, testVersion(1))
	for _, want := range []int64{1, 2} {
		select {
		case n := <-got:
			if n != want {
				t.Errorf("announced %d, want %d", n, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("version %d never announced", want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not end with its context")
	}
}

// Pub/sub ignores the database: each database has its own channel.
func TestVersionsChannelOfDatabase(t *testing.T) {
	for db, want := range map[int]string{0: "bsl:{flows}:published", 11: "bsl:{flows}:published:db11"} {
		c := redis.NewClient(&redis.Options{DB: db})
		if ch := NewVersions(c).channel; ch != want {
			t.Errorf("channel on db %d: %s, want %s", db, ch, want)
		}
		_ = c.Close()
	}
}

// waitSubscribed waits until someone listens to v's announcements.
func waitSubscribed(t *testing.T, v *Versions) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		m, err := v.c.PubSubNumSub(context.Background(), v.channel).Result()
		if err != nil {
			t.Fatal(err)
		}
		if m[v.channel] > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nobody subscribed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
