package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Purge gives an expiry to every key of the bot that has none (DESIGN §10:
// every stored key expires). Each writer sets its keys' expiry itself; this
// is the safety net for a key that lost it (a bug, a manual write, a
// restored dump). It SCANs the keys "<prefix>:*" and "rate:<prefix>:*" in
// batches, asks their PTTL in one pipeline per batch, and sets an expiry on
// those that have none with PEXPIRE … NX, so a key that was given one in
// between keeps its own. It never deletes a key and never changes an
// expiry that exists.
type Purge struct {
	c   redis.UniversalClient
	cfg PurgeConfig
}

// PurgeConfig tunes Purge. The zero value is usable.
type PurgeConfig struct {
	// Prefix starts the bot's keys; default "bsl" (redisstore's default).
	Prefix string
	// Retention is the expiry given to a key about a person: a
	// conversation, its messages and deliveries, a ticket, a volunteer
	// (see IsPersonal); default 30 days (config RETENTION).
	Retention time.Duration
	// Default is the expiry given to any other key; default 400 days, the
	// observatory's and the ticket counter's own, so that a counter that
	// lost its expiry is not cut short.
	Default time.Duration
	// Families overrides the expiry of a key family (see Family), matched
	// by the longest prefix; defaults in DefaultFamilyTTL.
	Families map[string]time.Duration
	// Count is the SCAN COUNT; default 500.
	Count int64
}

// Default expiries.
const (
	DefaultRetention = 30 * 24 * time.Hour
	DefaultKeyTTL    = 400 * 24 * time.Hour
	DefaultScanCount = 500
)

// DefaultFamilyTTL are expiries for families that must not get Default,
// with "bsl" as the prefix (it is replaced by PurgeConfig.Prefix): the
// observatory's weekly key must be gone a day after its week (8 days from
// any moment of it is at most that), the sending rate's state is worth
// nothing after a minute, an admin's draft of a flow version is kept a
// day (redisstore.DraftTTL).
var DefaultFamilyTTL = map[string]time.Duration{
	"bsl:{obs}:k":       8 * 24 * time.Hour,
	"rate:bsl":          time.Hour,
	"bsl:{flows}:draft": 24 * time.Hour,
}

// personalFamilies are the families about one person, after the prefix.
var personalFamilies = []string{"conv", "msgs", "out", "copy", "lease", "pace", "{desk}:t", "{desk}:open", "{desk}:v", "{desk}:vols", "{desk}:queue", "{desk}:board",
	"{ateliers}:sg", "{ateliers}:me"}

// NewPurge returns the purge job on c.
func NewPurge(c redis.UniversalClient, cfg PurgeConfig) *Purge {
	if cfg.Prefix == "" {
		cfg.Prefix = "bsl"
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Default <= 0 {
		cfg.Default = DefaultKeyTTL
	}
	if cfg.Count <= 0 {
		cfg.Count = DefaultScanCount
	}
	fams := map[string]time.Duration{}
	for f, d := range DefaultFamilyTTL {
		fams[strings.Replace(f, "bsl", cfg.Prefix, 1)] = d
	}
	for f, d := range cfg.Families {
		fams[f] = d
	}
	cfg.Families = fams
	return &Purge{c: c, cfg: cfg}
}

// Name is "purge".
func (*Purge) Name() string { return "purge" }

// Family is a key's family, what its name says of its kind without the id
// it is about: the segments (split on ":") up to the first one that holds
// a digit (a chat, a ticket, a day, a week), at most three. So
// "bsl:conv:{24}" is "bsl:conv", "bsl:{desk}:t:7" is "bsl:{desk}:t",
// "bsl:{obs}:d:2026-11-23" is "bsl:{obs}:d", "rate:bsl:send" is
// "rate:bsl:send". (Cutting at the first "{" would make every desk and
// observatory key one family, "bsl:".)
func Family(key string) string {
	segs := strings.Split(key, ":")
	var out []string
	for _, s := range segs {
		if len(out) == 3 || strings.ContainsAny(s, "0123456789") {
			break
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "?"
	}
	return strings.Join(out, ":")
}

// IsPersonal reports whether a family (of prefix) holds what is about one
// person, to keep for Retention at most.
func IsPersonal(prefix, family string) bool {
	for _, f := range personalFamilies {
		if family == prefix+":"+f {
			return true
		}
	}
	return false
}

// ttlOf is the expiry Purge gives a key of family fam.
func (p *Purge) ttlOf(fam string) time.Duration {
	best, ttl := -1, time.Duration(0)
	for f, d := range p.cfg.Families {
		if (fam == f || strings.HasPrefix(fam, f+":")) && len(f) > best {
			best, ttl = len(f), d
		}
	}
	if best >= 0 {
		return ttl
	}
	if IsPersonal(p.cfg.Prefix, fam) {
		return p.cfg.Retention
	}
	return p.cfg.Default
}

// PurgeResult is what a run did.
type PurgeResult struct {
	Scanned, Fixed int
	ByFamily       map[string]int // keys given an expiry, by family
}

// Summary says it in one line: "scanned 1234, fixed 2 (bsl:conv 2)".
func (r PurgeResult) Summary() string {
	s := fmt.Sprintf("scanned %d, fixed %d", r.Scanned, r.Fixed)
	if len(r.ByFamily) == 0 {
		return s
	}
	fams := make([]string, 0, len(r.ByFamily))
	for f := range r.ByFamily {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	for i, f := range fams {
		fams[i] = fmt.Sprintf("%s %d", f, r.ByFamily[f])
	}
	return s + " (" + strings.Join(fams, ", ") + ")"
}

// Run scans and fixes; see Purge.
func (p *Purge) Run(ctx context.Context, _ time.Time) (string, error) {
	res, err := p.Purge(ctx)
	return res.Summary(), err
}

// Purge does the work of Run and returns its counts.
func (p *Purge) Purge(ctx context.Context) (PurgeResult, error) {
	res := PurgeResult{ByFamily: map[string]int{}}
	walk := func(ctx context.Context, c redis.UniversalClient, res *PurgeResult) error {
		for _, match := range []string{p.cfg.Prefix + ":*", "rate:" + p.cfg.Prefix + ":*"} {
			if err := p.scan(ctx, c, match, res); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if cc, ok := p.c.(*redis.ClusterClient); ok {
		// SCAN walks one node: walk every primary, each into its own
		// counts, added up under mu.
		var mu sync.Mutex
		err = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			local := PurgeResult{ByFamily: map[string]int{}}
			e := walk(ctx, node, &local)
			mu.Lock()
			defer mu.Unlock()
			res.Scanned += local.Scanned
			res.Fixed += local.Fixed
			for f, n := range local.ByFamily {
				res.ByFamily[f] += n
			}
			return e
		})
	} else {
		err = walk(ctx, p.c, &res)
	}
	if err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	return res, nil
}

// scan walks the keys matching match on c, batch by batch.
func (p *Purge) scan(ctx context.Context, c redis.UniversalClient, match string, res *PurgeResult) error {
	var cursor uint64
	for {
		keys, next, err := c.Scan(ctx, cursor, match, p.cfg.Count).Result()
		if err != nil {
			return fmt.Errorf("scan %s: %w", match, err)
		}
		if err := p.batch(ctx, c, keys, res); err != nil {
			return err
		}
		if next == 0 {
			return nil
		}
		cursor = next
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// batch asks the PTTL of keys in one pipeline, then sets an expiry on
// those without one in another.
func (p *Purge) batch(ctx context.Context, c redis.UniversalClient, keys []string, res *PurgeResult) error {
	if len(keys) == 0 {
		return nil
	}
	ttls := make([]*redis.DurationCmd, len(keys))
	_, err := c.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, k := range keys {
			ttls[i] = pl.PTTL(ctx, k)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pttl: %w", err)
	}
	res.Scanned += len(keys)
	var fix []string
	seen := map[string]bool{}
	for i, k := range keys {
		// -1: no expiry (go-redis gives it as -1 ns); -2: gone meanwhile.
		// SCAN may return a key twice: fix it once.
		if ttls[i].Val() == -1 && !seen[k] {
			seen[k] = true
			fix = append(fix, k)
		}
	}
	if len(fix) == 0 {
		return nil
	}
	sets := make([]*redis.Cmd, len(fix))
	_, err = c.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, k := range fix {
			sets[i] = pl.Do(ctx, "PEXPIRE", k, p.ttlOf(Family(k)).Milliseconds(), "NX")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pexpire: %w", err)
	}
	for i, k := range fix {
		if n, _ := sets[i].Int(); n == 1 {
			res.Fixed++
			res.ByFamily[Family(k)]++
		}
	}
	return nil
}
