package observatory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Key is one counter of a Table: an ISO week ("2026-W48"), a language, a
// need, an arrondissement and a kind, with the values of Event.
type Key struct {
	Week, Lang, Need, Arrondissement, Kind string
}

// field is the key's field in a day's hash (the week is in the hash's name).
func (k Key) field() string {
	return k.Lang + "|" + k.Need + "|" + k.Arrondissement + "|" + k.Kind
}

// Table is what the observatory counted over a period, raw: it must never
// leave the program as it is. Protect makes of it what may be published.
type Table struct {
	// From and To are the first and the last day counted (Paris midnight).
	From, To time.Time
	// Weeks are the ISO weeks the period touches, in order.
	Weeks []string
	// Counts are the events of the period by week, language, need,
	// arrondissement and kind.
	Counts map[Key]int64
	// Times are the histograms of the period, by timer: one count per
	// bucket (len(Buckets)+1).
	Times map[string][]int64
	// People are the estimates of the people seen, by week (the whole
	// week, even when the period holds only part of it).
	People map[string]int64
}

// MaxDays is the longest period Read sums.
const MaxDays = 800

// Read sums the counters of the days from from to to, both included (their
// Paris dates), in one round trip.
func (r *Recorder) Read(ctx context.Context, from, to time.Time) (Table, error) {
	from, to = midnight(from), midnight(to)
	if to.Before(from) {
		return Table{}, fmt.Errorf("observatory: read: %s is before %s", dayOf(to), dayOf(from))
	}
	var days []time.Time
	for d := from; !d.After(to); d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, paris) {
		if len(days) == MaxDays {
			return Table{}, fmt.Errorf("observatory: read: more than %d days", MaxDays)
		}
		days = append(days, d)
	}
	t := Table{From: from, To: to, Counts: map[Key]int64{}, Times: map[string][]int64{}, People: map[string]int64{}}
	for _, name := range Timers {
		t.Times[name] = make([]int64, len(bucketCodes))
	}
	weekOfDay := make([]string, len(days))
	for i, d := range days {
		w, _ := weekOf(d)
		weekOfDay[i] = w
		if len(t.Weeks) == 0 || t.Weeks[len(t.Weeks)-1] != w {
			t.Weeks = append(t.Weeks, w)
		}
	}
	var counts, times []*redis.MapStringStringCmd
	var people []*redis.IntCmd
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, d := range days {
			counts = append(counts, p.HGetAll(ctx, prefix+"d:"+dayOf(d)))
			times = append(times, p.HGetAll(ctx, prefix+"h:"+dayOf(d)))
		}
		for _, w := range t.Weeks {
			people = append(people, p.PFCount(ctx, prefix+"u:"+w))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return Table{}, fmt.Errorf("observatory: read: %w", err)
	}
	for i := range days {
		for f, v := range counts[i].Val() {
			parts := strings.Split(f, "|")
			if len(parts) != 4 {
				continue // not a field the recorder writes
			}
			k, err := normalize(Event{Lang: parts[0], Need: parts[1], Arrondissement: parts[2], Kind: parts[3]})
			if err != nil {
				continue
			}
			k.Week = weekOfDay[i]
			t.Counts[k] += atoi(v)
		}
		for f, v := range times[i].Val() {
			name, code, ok := strings.Cut(f, "|")
			if !ok || t.Times[name] == nil {
				continue
			}
			for b, c := range bucketCodes {
				if c == code {
					t.Times[name][b] += atoi(v)
				}
			}
		}
	}
	for i, w := range t.Weeks {
		t.People[w] = people[i].Val()
	}
	return t, nil
}

func midnight(t time.Time) time.Time {
	t = t.In(paris)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, paris)
}

// atoi reads a counter; anything that is not a positive count is none.
func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<50 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// sum adds the counts matching k, where "*" matches anything.
func (t Table) sum(k Key) int64 {
	var n int64
	for c, v := range t.Counts {
		if match(k.Week, c.Week) && match(k.Lang, c.Lang) && match(k.Need, c.Need) &&
			match(k.Arrondissement, c.Arrondissement) && match(k.Kind, c.Kind) {
			n += v
		}
	}
	return n
}

func match(pattern, v string) bool { return pattern == "*" || pattern == v }
