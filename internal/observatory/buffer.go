package observatory

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Buffer gathers the counts of a replica in memory and writes them every
// few seconds in one pipeline, so counting costs a conversation's step no
// round trip. What a crash loses is at most one interval of counts: these
// are statistics, not the conversation. The people of the week are kept as
// chat ids only until the next flush, then hashed with the week's key.
type Buffer struct {
	rec *Recorder

	mu     sync.Mutex
	counts map[string]map[string]int64 // day key → field → count
	people map[int64]time.Time         // person → a moment of the week they were seen
}

// NewBuffer buffers the writes of rec.
func NewBuffer(rec *Recorder) *Buffer {
	return &Buffer{rec: rec, counts: map[string]map[string]int64{}, people: map[int64]time.Time{}}
}

// Record counts an event at the next flush; an invalid one is dropped.
func (b *Buffer) Record(e Event) {
	k, err := normalize(e)
	if err != nil || e.Day.IsZero() {
		return
	}
	b.add(prefix+"d:"+dayOf(e.Day), k.field())
}

// Observe counts a duration in the day's histogram of the timer name.
func (b *Buffer) Observe(day time.Time, name string, d time.Duration) {
	if !contains(Timers, name) || day.IsZero() || d < 0 {
		return
	}
	b.add(prefix+"h:"+dayOf(day), name+"|"+bucketCodes[bucketOf(d)])
}

// Seen counts a person among the week's people.
func (b *Buffer) Seen(day time.Time, person int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.people[person] = day
}

func (b *Buffer) add(key, field string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := b.counts[key]
	if m == nil {
		m = map[string]int64{}
		b.counts[key] = m
	}
	m[field]++
}

// Flush writes what was gathered: the counts in one pipeline, the people
// through the week's key. What could not be written is kept for the next.
func (b *Buffer) Flush(ctx context.Context) error {
	b.mu.Lock()
	counts, people := b.counts, b.people
	b.counts, b.people = map[string]map[string]int64{}, map[int64]time.Time{}
	b.mu.Unlock()
	if len(counts) > 0 {
		_, err := b.rec.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for key, fields := range counts {
				for f, n := range fields {
					p.HIncrBy(ctx, key, f, n)
				}
				p.PExpire(ctx, key, TTL)
			}
			return nil
		})
		if err != nil {
			b.restore(counts, people)
			return err
		}
	}
	byWeek := map[string][]int64{}
	days := map[string]time.Time{}
	for person, day := range people {
		w, _ := weekOf(day)
		byWeek[w] = append(byWeek[w], person)
		if d, ok := days[w]; !ok || day.After(d) {
			days[w] = day
		}
	}
	for w, ps := range byWeek {
		if err := b.rec.seen(ctx, days[w], ps); err != nil {
			b.restore(nil, people)
			return err
		}
		for _, p := range ps {
			delete(people, p)
		}
	}
	return nil
}

// restore puts back what a failed flush did not write.
func (b *Buffer) restore(counts map[string]map[string]int64, people map[int64]time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for key, fields := range counts {
		for f, n := range fields {
			if b.counts[key] == nil {
				b.counts[key] = map[string]int64{}
			}
			b.counts[key][f] += n
		}
	}
	for p, d := range people {
		if _, ok := b.people[p]; !ok {
			b.people[p] = d
		}
	}
}

// Run flushes every interval until ctx is done, then once more.
func (b *Buffer) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_ = b.Flush(fctx)
			cancel()
			return
		case <-t.C:
			_ = b.Flush(ctx)
		}
	}
}
