package redisstore

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Versions keeps the versions of the decision tree the admins publish: one
// flow document and the directory of services (resources.yaml) each. Their
// traffic is tiny (a publish now and then, a read when one is announced), so
// all their keys share one hash tag, {flows}, and one Redis Cluster slot:
//
//	bsl:{flows}:head        string: the number of the last version published
//	bsl:{flows}:v:<n>       hash: version n: meta (JSON, without the
//	                        documents), flow, res
//	bsl:{flows}:journal     list: the meta of every version published (a
//	                        restore is one), newest first, JournalKept at most
//	bsl:{flows}:draft:<id>  string: an admin's draft (JSON)
//
// Every key expires: the head, the versions kept and the journal
// VersionsTTL after the last publish (each publish refreshes them all), a
// draft DraftTTL after it was last saved. Versions older than the last
// VersionsKept are deleted by the publish that pushes them out.
//
// A publish is announced on the pub/sub channel "bsl:{flows}:published"
// (with ":db<n>" appended on a database other than 0: pub/sub ignores
// SELECT), its payload the version's number.

// VersionsKept is how many published versions are kept, the head included.
const VersionsKept = 20

// JournalKept bounds the journal.
const JournalKept = 500

// VersionsTTL is how long the versions, the head and the journal outlive
// the last publish.
const VersionsTTL = 400 * 24 * time.Hour

// DraftTTL is how long an admin's draft outlives its last save.
const DraftTTL = 24 * time.Hour

// ErrNoVersion means the version asked for is not kept (or never was).
var ErrNoVersion = errors.New("redisstore: no such version")

// Version is one published version of the flow, or (N 0) what the binary or
// FLOWS_DIR ships.
type Version struct {
	N         int64     // 1, 2, … ; 0 is what the binary (or FLOWS_DIR) ships
	Flow      []byte    // the flow's YAML
	Resources []byte    // resources.yaml
	FlowFile  string    // the flow document's file name, e.g. "orientation.yaml"
	Hash      string    // flow.Flow.Version of these documents
	Author    string    // the admin's name as Telegram gives it
	AuthorID  int64     // the admin's Telegram id
	At        time.Time // when it was published
	Summary   string    // one line, for /versions and /journal
	Base      int64     // the version this one was made from
	// Restores > 0: this version restores that one. Restoring the shipped
	// version 0 is Restores 0 with Shipped true.
	Restores int64
	// Shipped: this version goes back to what the binary ships (Flow and
	// Resources empty).
	Shipped bool
}

// BaseMovedError refuses a publish whose base is no longer the head:
// another version was published since the draft was started.
type BaseMovedError struct{ Head int64 }

func (e *BaseMovedError) Error() string {
	return fmt.Sprintf("redisstore: another version was published since the draft's base (head is now %d)", e.Head)
}

// Draft is an admin's work in progress, one per admin.
type Draft struct {
	Flow, Resources []byte
	FlowFile        string
	Base            int64  // the version it was made from
	What            string // one line: what the admin changed
	Trial           []byte // the admin's trial state, opaque JSON
}

// Versions is the Redis store of published flow versions and drafts. It is
// safe for concurrent use.
type Versions struct {
	c       redis.UniversalClient
	base    string // "bsl:{flows}:"
	channel string
	now     func() time.Time
}

var (
	//go:embed lua/versions_publish.lua
	versionsPublishLua    string
	versionsPublishScript = redis.NewScript(versionsPublishLua)
)

// NewVersions returns the versions' store on c.
func NewVersions(c redis.UniversalClient) *Versions {
	ch := "bsl:{flows}:published"
	if rc, ok := c.(*redis.Client); ok && rc.Options().DB != 0 {
		ch += ":db" + strconv.Itoa(rc.Options().DB)
	}
	return &Versions{c: c, base: "bsl:{flows}:", channel: ch, now: time.Now}
}

// Preload loads the publish script into Redis (on every primary of a
// cluster).
func (v *Versions) Preload(ctx context.Context) error {
	if err := versionsPublishScript.Load(ctx, v.c).Err(); err != nil {
		return fmt.Errorf("load script versions_publish: %w", err)
	}
	return nil
}

func (v *Versions) key(name string) string { return v.base + name }

func (v *Versions) versionKey(n int64) string { return v.key("v:" + strconv.FormatInt(n, 10)) }

func (v *Versions) draftKey(admin int64) string {
	return v.key("draft:" + strconv.FormatInt(admin, 10))
}

// Head returns the number of the last version published, 0 when nothing
// was ever published (or everything expired).
func (v *Versions) Head(ctx context.Context) (int64, error) {
	s, err := v.c.Get(ctx, v.key("head")).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("flow versions head: %w", err)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("flow versions head: %w", ErrCorrupt)
	}
	return n, nil
}

// Get returns version n with its documents; ErrNoVersion when it is not
// kept (version 0, the shipped one, is never stored).
func (v *Versions) Get(ctx context.Context, n int64) (Version, error) {
	if n <= 0 {
		return Version{}, ErrNoVersion
	}
	m, err := v.c.HGetAll(ctx, v.versionKey(n)).Result()
	if err != nil {
		return Version{}, fmt.Errorf("flow version %d: %w", n, err)
	}
	if len(m) == 0 {
		return Version{}, ErrNoVersion
	}
	ver, err := decodeVersion(m)
	if err != nil || ver.N != n {
		return Version{}, fmt.Errorf("flow version %d: %w", n, ErrCorrupt)
	}
	return ver, nil
}

// List returns the versions kept, newest first, with their documents. A
// version that cannot be read is left out (Get tells why).
func (v *Versions) List(ctx context.Context) ([]Version, error) {
	head, err := v.Head(ctx)
	if err != nil {
		return nil, err
	}
	if head == 0 {
		return nil, nil
	}
	var cmds []*redis.MapStringStringCmd
	_, err = v.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := head; n > 0 && n > head-VersionsKept; n-- {
			cmds = append(cmds, p.HGetAll(ctx, v.versionKey(n)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("flow versions: %w", err)
	}
	out := make([]Version, 0, len(cmds))
	for i, c := range cmds {
		m := c.Val()
		if len(m) == 0 {
			continue
		}
		ver, err := decodeVersion(m)
		if err != nil || ver.N != head-int64(i) {
			continue
		}
		out = append(out, ver)
	}
	return out, nil
}

// Publish stores ver as the next version, atomically: ver.Base must be the
// head, else it returns *BaseMovedError with the head. It assigns N =
// head+1 (ver.N is ignored; a zero ver.At is now), stores the version,
// never to change again, deletes the one the last VersionsKept push out,
// appends to the journal, refreshes every key's expiry and announces N on
// the channel.
func (v *Versions) Publish(ctx context.Context, ver Version) (int64, error) {
	if ver.Base < 0 {
		return 0, fmt.Errorf("publish flow version: negative base %d", ver.Base)
	}
	n := ver.Base + 1
	ver.N = n
	if ver.At.IsZero() {
		ver.At = v.now()
	}
	meta, err := json.Marshal(metaOf(ver))
	if err != nil {
		return 0, fmt.Errorf("publish flow version: %w", err)
	}
	keys := []string{v.key("head"), v.key("journal"), v.versionKey(n)}
	older := 0
	for m := n - 1; m > 0 && m > n-VersionsKept; m-- {
		keys = append(keys, v.versionKey(m))
		older++
	}
	if drop := n - VersionsKept; drop > 0 {
		keys = append(keys, v.versionKey(drop))
	}
	res, err := versionsPublishScript.Run(ctx, v.c, keys, ver.Base, VersionsTTL.Milliseconds(), meta,
		ver.Flow, ver.Resources, v.channel, JournalKept, older).Int64Slice()
	if err != nil {
		return 0, fmt.Errorf("publish flow version: %w", err)
	}
	if len(res) != 2 {
		return 0, fmt.Errorf("publish flow version: reply: %w", ErrCorrupt)
	}
	if res[0] == 0 {
		return 0, &BaseMovedError{Head: res[1]}
	}
	return res[1], nil
}

// Journal returns every version published (a restore is one), newest
// first, without their documents: limit of them at most (limit <= 0: all
// those kept, JournalKept at most). An entry that cannot be read is left
// out.
func (v *Versions) Journal(ctx context.Context, limit int) ([]Version, error) {
	if limit <= 0 || limit > JournalKept {
		limit = JournalKept
	}
	raw, err := v.c.LRange(ctx, v.key("journal"), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("flow versions journal: %w", err)
	}
	out := make([]Version, 0, len(raw))
	for _, s := range raw {
		var m versionMeta
		if json.Unmarshal([]byte(s), &m) != nil || m.N <= 0 {
			continue
		}
		out = append(out, m.version())
	}
	return out, nil
}

// Watch subscribes to the announcements of new versions until ctx ends and
// calls fn with each version's number, one call at a time. go-redis
// reconnects and subscribes again on its own when the connection drops: an
// announcement made meanwhile is lost, so whoever relies on Watch checks
// the head now and then too. It returns nil once ctx ends.
func (v *Versions) Watch(ctx context.Context, fn func(n int64)) error {
	ps := v.c.Subscribe(ctx, v.channel)
	defer ps.Close()
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case msg, ok := <-ch:
			if !ok {
				return nil
			}
			n, err := strconv.ParseInt(msg.Payload, 10, 64)
			if err != nil || n <= 0 {
				continue
			}
			fn(n)
		}
	}
}

// SaveDraft stores admin's draft, replacing the one before, for DraftTTL.
func (v *Versions) SaveDraft(ctx context.Context, admin int64, d Draft) error {
	b, err := json.Marshal(draftJSON{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile, Base: d.Base,
		What: d.What, Trial: d.Trial})
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if err := v.c.Set(ctx, v.draftKey(admin), b, DraftTTL).Err(); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// LoadDraft returns admin's draft; false when there is none (or it
// expired).
func (v *Versions) LoadDraft(ctx context.Context, admin int64) (Draft, bool, error) {
	b, err := v.c.Get(ctx, v.draftKey(admin)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, fmt.Errorf("load draft: %w", err)
	}
	var d draftJSON
	if json.Unmarshal(b, &d) != nil {
		return Draft{}, false, fmt.Errorf("load draft: %w", ErrCorrupt)
	}
	return Draft{Flow: d.Flow, Resources: d.Resources, FlowFile: d.FlowFile, Base: d.Base, What: d.What,
		Trial: d.Trial}, true, nil
}

// DropDraft deletes admin's draft, if any.
func (v *Versions) DropDraft(ctx context.Context, admin int64) error {
	if err := v.c.Del(ctx, v.draftKey(admin)).Err(); err != nil {
		return fmt.Errorf("drop draft: %w", err)
	}
	return nil
}

// versionMeta is a version without its documents, as stored in its hash's
// meta field and in the journal.
type versionMeta struct {
	N        int64     `json:"n"`
	FlowFile string    `json:"file"`
	Hash     string    `json:"hash"`
	Author   string    `json:"by,omitempty"`
	AuthorID int64     `json:"byid,omitempty"`
	At       time.Time `json:"at"`
	Summary  string    `json:"sum,omitempty"`
	Base     int64     `json:"base"`
	Restores int64     `json:"rst,omitempty"`
	Shipped  bool      `json:"shp,omitempty"`
}

func metaOf(v Version) versionMeta {
	return versionMeta{N: v.N, FlowFile: v.FlowFile, Hash: v.Hash, Author: v.Author, AuthorID: v.AuthorID,
		At: v.At.UTC(), Summary: v.Summary, Base: v.Base, Restores: v.Restores, Shipped: v.Shipped}
}

func (m versionMeta) version() Version {
	return Version{N: m.N, FlowFile: m.FlowFile, Hash: m.Hash, Author: m.Author, AuthorID: m.AuthorID, At: m.At,
		Summary: m.Summary, Base: m.Base, Restores: m.Restores, Shipped: m.Shipped}
}

// decodeVersion reads a version's hash.
func decodeVersion(h map[string]string) (Version, error) {
	var m versionMeta
	raw, ok := h["meta"]
	if !ok || json.Unmarshal([]byte(raw), &m) != nil || m.N <= 0 {
		return Version{}, ErrCorrupt
	}
	ver := m.version()
	if s := h["flow"]; s != "" {
		ver.Flow = []byte(s)
	}
	if s := h["res"]; s != "" {
		ver.Resources = []byte(s)
	}
	return ver, nil
}

type draftJSON struct {
	Flow      []byte `json:"flow,omitempty"`
	Resources []byte `json:"res,omitempty"`
	FlowFile  string `json:"file,omitempty"`
	Base      int64  `json:"base"`
	What      string `json:"what,omitempty"`
	Trial     []byte `json:"trial,omitempty"`
}
