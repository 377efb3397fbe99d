// Package observatory counts what Boussole does for people, never who they
// are, and publishes those counts so that no one can be picked out: the
// association's "observatoire local du narcotrafic".
//
// Nothing finer than the day is stored, and no chat id, name or text: an
// event adds one to a counter of its day, language, need, arrondissement and
// kind; a duration adds one to a bucket of its day's histogram; a person
// seen adds a keyed hash to the week's HyperLogLog, whose key is random,
// lives one week (plus a day) and is then gone for good. All keys share the
// hash tag {obs}, so one Redis Cluster slot holds them (the traffic is small):
//
//	bsl:{obs}:d:<yyyy-mm-dd>  hash: "<lang>|<need>|<arr>|<kind>" -> count
//	bsl:{obs}:h:<yyyy-mm-dd>  hash: "<timer>|<bucket>" -> count
//	bsl:{obs}:u:<yyyy-Www>    HyperLogLog: the week's people (keyed hashes)
//	bsl:{obs}:k:<yyyy-Www>    string: the week's random key (32 bytes)
//
// Days and ISO weeks are those of Europe/Paris. The counters and the
// HyperLogLog expire 400 days after their last write; the week's key at the
// end of its week plus one day. The HyperLogLog is never exported: Read asks
// only its estimate (PFCOUNT), and Protect publishes that estimate under the
// same small-count rule as every other figure.
package observatory

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // the observatory's days are Paris days, wherever it runs

	"github.com/redis/go-redis/v9"
)

// TTL is how long counters and estimates are kept after their last write:
// long enough for a year-on-year comparison.
const TTL = 400 * 24 * time.Hour

// prefix starts every key.
const prefix = "bsl:{obs}:"

// paris is the association's time zone: a day or a week is a Paris one.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("observatory: " + err.Error())
	}
	return l
}()

// Event is one thing that happened, with the little the observatory keeps
// of it. Day is when (only its Paris date is kept); Lang is "fr", "ar" or
// anything else (kept as ""); Need one of Needs (anything else is kept as
// "other"); Arrondissement "1" to "16" (anything else is kept as ""); Kind
// one of Kinds (anything else is an error).
type Event struct {
	Day                              time.Time
	Lang, Need, Arrondissement, Kind string
}

// Recorder writes the observatory's counters. It is safe for concurrent use.
type Recorder struct {
	c   redis.UniversalClient
	key []byte
}

// NewRecorder returns a recorder on c. key is a secret of the deployment,
// mixed with each week's random key before it hashes a person: someone
// holding a copy of Redis but not key cannot test whether a given person
// was seen this week. It may be empty (then only the week's key protects
// the hashes); changing it mid-week counts this week's people anew.
func NewRecorder(c redis.UniversalClient, key []byte) *Recorder {
	return &Recorder{c: c, key: append([]byte(nil), key...)}
}

func dayOf(t time.Time) string { return t.In(paris).Format("2006-01-02") }

// weekOf returns the ISO week label of t in Paris ("2026-W48") and the
// moment that week ends (the next Monday, 00:00, Paris).
func weekOf(t time.Time) (string, time.Time) {
	t = t.In(paris)
	y, w := t.ISOWeek()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, paris)
	wd := (int(d.Weekday()) + 6) % 7 // Monday 0
	end := time.Date(d.Year(), d.Month(), d.Day()-wd+7, 0, 0, 0, 0, paris)
	return fmt.Sprintf("%04d-W%02d", y, w), end
}

// Record adds one to the event's counter of its day, in one round trip.
func (r *Recorder) Record(ctx context.Context, e Event) error {
	k, err := normalize(e)
	if err != nil {
		return err
	}
	if e.Day.IsZero() {
		return fmt.Errorf("observatory: record: no day")
	}
	key := prefix + "d:" + dayOf(e.Day)
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HIncrBy(ctx, key, k.field(), 1)
		p.PExpire(ctx, key, TTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("observatory: record: %w", err)
	}
	return nil
}

// Observe adds one to the bucket of d in the day's histogram of the timer
// name ("wait": queued to taken; "handling": taken to closed), in one round
// trip.
func (r *Recorder) Observe(ctx context.Context, day time.Time, name string, d time.Duration) error {
	if !contains(Timers, name) {
		return fmt.Errorf("observatory: unknown timer %q", name)
	}
	if day.IsZero() {
		return fmt.Errorf("observatory: observe: no day")
	}
	if d < 0 {
		return fmt.Errorf("observatory: negative duration %v for %s", d, name)
	}
	key := prefix + "h:" + dayOf(day)
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HIncrBy(ctx, key, name+"|"+bucketCodes[bucketOf(d)], 1)
		p.PExpire(ctx, key, TTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("observatory: observe: %w", err)
	}
	return nil
}

// weekKeyScript returns the week's key, storing ARGV[1] as that key, to
// expire in ARGV[2] ms, when there is none yet: every replica then hashes
// with the same key, and none can ever extend its life.
var weekKeyScript = redis.NewScript(`
local k = redis.call('GET', KEYS[1])
if k then return k end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
return redis.call('GET', KEYS[1])`)

// Seen counts person among the week's people. day is the moment of the call
// (the week key's expiry is counted from it): the person's id is hashed with
// the week's key, and only the hash goes into the week's HyperLogLog. Once
// the week's key has expired, nobody can tell whether a given person is in
// that week's HyperLogLog; its estimate stays.
func (r *Recorder) Seen(ctx context.Context, day time.Time, person int64) error {
	return r.seen(ctx, day, []int64{person})
}

// seen counts people seen in the week of day: one round trip for the week's
// key, one for the HyperLogLog, however many people.
func (r *Recorder) seen(ctx context.Context, day time.Time, people []int64) error {
	if day.IsZero() {
		return fmt.Errorf("observatory: seen: no day")
	}
	week, end := weekOf(day)
	ttl := end.Add(24 * time.Hour).Sub(day)
	if ttl <= 0 { // a day after its own week's end: impossible for a real time
		return fmt.Errorf("observatory: seen: day %v outside its week", day)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return fmt.Errorf("observatory: seen: %w", err)
	}
	wk, err := weekKeyScript.Run(ctx, r.c, []string{prefix + "k:" + week}, fresh, ttl.Milliseconds()).Text()
	if err != nil {
		return fmt.Errorf("observatory: seen: week key: %w", err)
	}
	if len(wk) != len(fresh) {
		return fmt.Errorf("observatory: seen: week key of %d bytes", len(wk))
	}
	mk := hmac.New(sha256.New, r.key)
	mk.Write([]byte("boussole/observatory/week/" + week + "/"))
	mk.Write([]byte(wk))
	hk := mk.Sum(nil)
	elems := make([]any, len(people))
	for i, person := range people {
		h := hmac.New(sha256.New, hk)
		h.Write([]byte(strconv.FormatInt(person, 10)))
		elems[i] = h.Sum(nil)[:16]
	}
	hll := prefix + "u:" + week
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.PFAdd(ctx, hll, elems...)
		p.PExpire(ctx, hll, TTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("observatory: seen: %w", err)
	}
	return nil
}
