// Package publish is what this replica serves, and publishing.
//
// A Library holds the flow the bot walks people through: the version the
// binary (or FLOWS_DIR) ships, version 0, until an admin publishes another
// one from Telegram (redisstore.Versions). Every replica switches within a
// second of a publish (pub/sub), or at its next periodic check when it
// missed the announcement. A person mid-conversation keeps the version
// their state names while it is held: the live one, the shipped one and
// every version kept in Redis (the last 20 published).
//
// Whatever comes out of Redis is validated again before it is served: a
// stored version that fails the validator is logged (its number and the
// problems' codes, never the documents' content) and never served.
package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/redisstore"
)

// Docs are the two documents of a version: the flow and the directory of
// services.
type Docs struct {
	Flow, Resources []byte
	FlowFile        string // the flow document's file name, e.g. "orientation.yaml"
}

// ErrOtherFlow refuses a version whose flow has another id than the shipped
// one: everybody mid-conversation would start over.
var ErrOtherFlow = errors.New("publish: the flow's id is not the one the bot serves")

// ReadDocs reads flowFile and flows.ResourcesFile from the root of fsys
// (flows.FS, or os.DirFS(FLOWS_DIR)).
func ReadDocs(fsys fs.FS, flowFile string) (Docs, error) {
	f, err := fs.ReadFile(fsys, flowFile)
	if err != nil {
		return Docs{}, err
	}
	r, err := fs.ReadFile(fsys, flows.ResourcesFile)
	if err != nil {
		return Docs{}, err
	}
	return Docs{Flow: f, Resources: r, FlowFile: flowFile}, nil
}

// Library is what this replica serves. It is safe for concurrent use; Live,
// Held and Current take no lock.
type Library struct {
	vs      *redisstore.Versions
	shipped Docs
	ship    *flow.Flow // the shipped flow, prepared
	prepare func(*flow.Flow) *flow.Flow
	log     zerolog.Logger
	now     func() time.Time

	cur atomic.Pointer[served]

	mu   sync.Mutex // serialises Refresh; guards what follows
	seen int64      // the head the last Refresh dealt with; -1 before the first
	// cache holds the flows of the versions kept, prepared, by docsKey;
	// nil for a version refused (and logged) already.
	cache map[[32]byte]*flow.Flow
	hooks []func(redisstore.Version)
}

// served is one immutable snapshot of what the replica serves.
type served struct {
	live *flow.Flow
	ver  redisstore.Version // a shipped one's documents empty: Current fills them
	held map[string]*flow.Flow
}

// New loads the shipped documents as version 0 (they must be valid) and
// applies prepare (e.g. WithoutDesk when there is no volunteer desk; nil is
// the identity) to every flow it serves; prepare must keep the flow's
// Version. It reads nothing from Redis: call
// Refresh, or Run, to serve what was published.
func New(vs *redisstore.Versions, shipped Docs, prepare func(*flow.Flow) *flow.Flow, log zerolog.Logger) (*Library, error) {
	if prepare == nil {
		prepare = func(f *flow.Flow) *flow.Flow { return f }
	}
	if shipped.FlowFile == "" {
		return nil, errors.New("publish: the shipped flow has no file name")
	}
	l := &Library{vs: vs, shipped: shipped, prepare: prepare, log: log, now: time.Now, seen: -1,
		cache: map[[32]byte]*flow.Flow{}}
	f, probs := l.Check(shipped)
	if f == nil {
		return nil, fmt.Errorf("publish: the shipped flow %s is not valid: %w", shipped.FlowFile, errorOf(probs))
	}
	l.ship = f
	l.cur.Store(&served{live: f, ver: l.shippedVersion(), held: map[string]*flow.Flow{f.Version: f}})
	return l, nil
}

// Shipped returns the flow of version 0 (FLOWS_DIR or the binary's), prepared.
func (l *Library) Shipped() *flow.Flow { return l.ship }

// Live returns the flow to walk people through now.
func (l *Library) Live() *flow.Flow { return l.cur.Load().live }

// Held returns the flow of that version hash (flow.Flow.Version) if it is
// held (the live one, the shipped one or one of the versions kept), else
// nil.
func (l *Library) Held(hash string) *flow.Flow { return l.cur.Load().held[hash] }

// Current returns the live version's record, N 0 for the shipped one, its
// documents filled either way (copies: the caller may keep or change
// them).
func (l *Library) Current() redisstore.Version {
	v := l.cur.Load().ver
	if v.N == 0 || v.Shipped {
		v.Flow, v.Resources, v.FlowFile = l.shipped.Flow, l.shipped.Resources, l.shipped.FlowFile
	}
	v.Flow, v.Resources = bytes.Clone(v.Flow), bytes.Clone(v.Resources)
	return v
}

// Check validates d as `boussole flows check` does (flow.Load, with d's
// flow file name, the shipped one when empty, and flows.ResourcesFile): the
// flow, prepared as the replica would serve it, or nil when any problem is
// an error.
func (l *Library) Check(d Docs) (*flow.Flow, flow.Problems) {
	if d.FlowFile == "" {
		d.FlowFile = l.shipped.FlowFile
	}
	f, probs := flow.Load(flow.Source{Name: d.FlowFile, Data: d.Flow},
		flow.Source{Name: flows.ResourcesFile, Data: d.Resources})
	if f == nil {
		return nil, probs
	}
	return l.prepare(f), probs
}

// OnSwitch adds fn to what is called after each switch of the live version
// (metrics, logs), with the new version's record, as Current gives it. fn
// runs within Refresh: it must not call Refresh, Publish nor Restore.
func (l *Library) OnSwitch(fn func(v redisstore.Version)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hooks = append(l.hooks, fn)
}

// Refresh reads the head; if it changed since the last Refresh, it loads
// the versions kept, validates those it does not hold yet, holds the valid
// ones and serves the head. A head that cannot be read or fails validation
// is logged and never served: the version served before stays live.
func (l *Library) Refresh(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	head, err := l.vs.Head(ctx)
	if err != nil {
		return fmt.Errorf("refresh the flow: %w", err)
	}
	if head == l.seen {
		return nil
	}
	kept, err := l.vs.List(ctx)
	if err != nil {
		return fmt.Errorf("refresh the flow: %w", err)
	}
	if len(kept) > 0 && kept[0].N > head {
		head = kept[0].N // published between Head and List
	}

	prev := l.cur.Load()
	next := &served{held: map[string]*flow.Flow{l.ship.Version: l.ship}}
	if head == 0 {
		next.live, next.ver = l.ship, l.shippedVersion()
	}
	cache := map[[32]byte]*flow.Flow{}
	for _, v := range kept {
		f := l.load(v, cache)
		if f == nil {
			continue
		}
		next.held[f.Version] = f
		if v.N == head {
			if v.Shipped {
				v.Hash = f.Version
			}
			next.live, next.ver = f, v
		}
	}
	if next.live == nil {
		l.log.Error().Int64("version", head).Int64("served", prev.ver.N).
			Msg("the last published flow version is not served; the version served before stays live")
		next.live, next.ver = prev.live, prev.ver
	}
	next.held[next.live.Version] = next.live
	l.cache, l.seen = cache, head
	l.cur.Store(next)

	if next.ver.N != prev.ver.N || next.live.Version != prev.live.Version {
		l.log.Info().Int64("version", next.ver.N).Str("hash", next.live.Version).Int64("previous", prev.ver.N).
			Msg("flow version switched")
		for _, fn := range l.hooks {
			fn(l.Current())
		}
	}
	return nil
}

// load returns the flow of a stored version, prepared, from the cache or
// validated now, or nil (logged once) when it must not be served. What it
// finds goes into cache.
func (l *Library) load(v redisstore.Version, cache map[[32]byte]*flow.Flow) *flow.Flow {
	if v.Shipped {
		return l.ship
	}
	key := docsKey(v)
	f, known := l.cache[key]
	if !known {
		var probs flow.Problems
		f, probs = l.Check(Docs{Flow: v.Flow, Resources: v.Resources, FlowFile: v.FlowFile})
		why := ""
		switch {
		case f == nil:
			why = "it fails validation"
		case f.Version != v.Hash:
			why, f = "its documents do not match their hash", nil
		case f.ID != l.ship.ID:
			why, f = "its flow has another id", nil
		}
		if f == nil {
			ev := l.log.Error().Int64("version", v.N).Str("reason", why)
			if errs := probs.Errors(); len(errs) > 0 {
				ev = ev.Int("errors", len(errs)).Strs("codes", codes(errs))
			}
			ev.Msg("a stored flow version is not served")
		}
	}
	cache[key] = f
	return f
}

// Run serves what is published until ctx ends: it refreshes at once, on
// each announcement (within a second of a publish) and every `every` (1
// minute when 0 or less), in case an announcement was missed.
func (l *Library) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	kick := make(chan struct{}, 1)
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		for ctx.Err() == nil {
			err := l.vs.Watch(ctx, func(int64) {
				select {
				case kick <- struct{}{}:
				default:
				}
			})
			if err != nil {
				l.log.Warn().Err(err).Msg("watching for published flow versions")
			}
			select { // Watch ended before ctx: try again shortly
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	defer func() { <-watching }()
	refresh := func() {
		if err := l.Refresh(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn().Err(err).Msg("could not check the published flow version")
		}
	}
	refresh()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			refresh()
		case <-kick:
			refresh()
		}
	}
}

// Publish validates d again (an invalid draft is never stored: the error is
// its flow.Problems), publishes it as the version after d.Base (else
// *redisstore.BaseMovedError), then serves it. summary empty, d.What is the
// summary.
func (l *Library) Publish(ctx context.Context, d redisstore.Draft, author string, authorID int64, summary string) (int64, error) {
	docs := Docs{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile}
	if docs.FlowFile == "" {
		docs.FlowFile = l.shipped.FlowFile
	}
	f, err := l.valid(docs)
	if err != nil {
		return 0, err
	}
	if summary == "" {
		summary = d.What
	}
	return l.publish(ctx, redisstore.Version{Flow: docs.Flow, Resources: docs.Resources, FlowFile: docs.FlowFile,
		Hash: f.Version, Author: author, AuthorID: authorID, At: l.now(), Summary: summary, Base: d.Base})
}

// Restore publishes a new version copying version n (redisstore.ErrNoVersion
// when it is not kept), validated again, made from the current head; n 0
// goes back to the shipped documents (Shipped true).
func (l *Library) Restore(ctx context.Context, n int64, author string, authorID int64, summary string) (int64, error) {
	if n < 0 {
		return 0, redisstore.ErrNoVersion
	}
	head, err := l.vs.Head(ctx)
	if err != nil {
		return 0, err
	}
	v := redisstore.Version{Restores: n, Shipped: true, Hash: l.ship.Version, FlowFile: l.shipped.FlowFile}
	if n > 0 {
		old, err := l.vs.Get(ctx, n)
		if err != nil {
			return 0, err
		}
		if !old.Shipped {
			f, err := l.valid(Docs{Flow: old.Flow, Resources: old.Resources, FlowFile: old.FlowFile})
			if err != nil {
				return 0, err
			}
			v = redisstore.Version{Restores: n, Flow: old.Flow, Resources: old.Resources, FlowFile: old.FlowFile,
				Hash: f.Version}
		}
	}
	v.Author, v.AuthorID, v.At, v.Summary, v.Base = author, authorID, l.now(), summary, head
	return l.publish(ctx, v)
}

// valid is Check as an error: flow.Problems, or ErrOtherFlow.
func (l *Library) valid(d Docs) (*flow.Flow, error) {
	f, probs := l.Check(d)
	if f == nil {
		return nil, errorOf(probs)
	}
	if f.ID != l.ship.ID {
		return nil, ErrOtherFlow
	}
	return f, nil
}

func (l *Library) publish(ctx context.Context, v redisstore.Version) (int64, error) {
	n, err := l.vs.Publish(ctx, v)
	if err != nil {
		return 0, err
	}
	if err := l.Refresh(ctx); err != nil {
		// Published all the same: the next check serves it.
		l.log.Warn().Err(err).Int64("version", n).Msg("published, but could not switch to it yet")
	}
	return n, nil
}

func (l *Library) shippedVersion() redisstore.Version {
	return redisstore.Version{FlowFile: l.shipped.FlowFile, Hash: l.ship.Version}
}

// errorOf makes a refusal of flow.Load an error: its problems, when they
// hold an error.
func errorOf(probs flow.Problems) error {
	if len(probs.Errors()) > 0 {
		return probs
	}
	return errors.New("publish: the flow could not be loaded")
}

func codes(ps flow.Problems) []string {
	out := make([]string, 0, min(len(ps), 10))
	for _, p := range ps {
		if len(out) == cap(out) {
			break
		}
		out = append(out, fmt.Sprintf("%s:%d %s", p.File, p.Line, p.Code))
	}
	return out
}

// docsKey identifies what the validation of a stored version depends on:
// its file name, its hash and its documents (whole, unlike
// flow.Flow.Version).
func docsKey(v redisstore.Version) [32]byte {
	h := sha256.New()
	for _, b := range [][]byte{[]byte(v.FlowFile), []byte(v.Hash), v.Flow, v.Resources} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}
