package observatory

import (
	"context"
	"testing"
	"time"
)

// Counts gathered in memory reach Redis in one flush, as if each had been
// recorded; people are counted once however often they were seen.
func TestBufferFlushesWhatItGathered(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	b := NewBuffer(f.rec)
	wed := time.Date(2026, 11, 25, 10, 0, 0, 0, paris)
	// A first flush loads the week key's script: not the cost of a flush.
	b.Seen(wed, 4999)
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b.Record(Event{Day: wed, Lang: "fr", Need: "psy", Arrondissement: "13", Kind: "conversation"})
	}
	b.Record(Event{Day: wed, Kind: "no such kind"}) // dropped, never an error on the step
	b.Observe(wed, "wait", 3*time.Minute)
	for i := range 20 {
		b.Seen(wed, int64(5000+i%7))
	}
	f.trips.Reset()
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.trips.N(); n != 3 {
		t.Errorf("a flush took %d round trips, want 3 (the counts, the week's key, its people)", n)
	}
	tab, err := f.rec.Read(ctx, wed, wed)
	if err != nil {
		t.Fatal(err)
	}
	if n := tab.Counts[Key{"2026-W48", "fr", "psy", "13", "conversation"}]; n != 3 {
		t.Errorf("conversations %d, want 3", n)
	}
	if got := tab.Times["wait"]; got[0] != 1 {
		t.Errorf("wait histogram %v", got)
	}
	if n := tab.People["2026-W48"]; n != 8 {
		t.Errorf("people %d, want 8", n)
	}
	if err := b.Flush(ctx); err != nil { // nothing left: nothing written twice
		t.Fatal(err)
	}
	tab, _ = f.rec.Read(ctx, wed, wed)
	if n := tab.Counts[Key{"2026-W48", "fr", "psy", "13", "conversation"}]; n != 3 {
		t.Errorf("after a second flush, conversations %d, want 3", n)
	}
}
