package redisstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/handoff"
)

// Of 50 volunteers claiming one ticket at once, exactly one wins and the
// others learn who: 100 times over.
func TestDeskConcurrentClaims(t *testing.T) {
	const rounds, claimers = 100, 50
	f := setupDesk(t)
	ctx := context.Background()
	start := time.Now()
	for round := range rounds {
		tk := mustOpen(t, f.desk, int64(10_000+round), handoff.RankNormal, t0)
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			won     []int64
			taken   int
			holders = map[string]int{}
			failed  error
		)
		gate := make(chan struct{})
		for i := range claimers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := deskVolunteer(int64(100+i), "V"+string(rune('A'+i%26))+string(rune('a'+i/26)))
				<-gate
				st, got, err := f.desk.Claim(ctx, tk.ID, v, t0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					failed = err
				case st == handoff.Won:
					won = append(won, v.ID)
				case st == handoff.Taken:
					taken++
					holders[got.Pseudonym]++
				}
			}()
		}
		close(gate)
		wg.Wait()
		if failed != nil {
			t.Fatalf("round %d: %v", round, failed)
		}
		if len(won) != 1 || taken != claimers-1 || len(holders) != 1 {
			t.Fatalf("round %d: won by %v, %d taken, holders %v", round, won, taken, holders)
		}
		got := mustGetTicket(t, f.desk, tk.ID)
		if got.Volunteer != won[0] || holders[got.Pseudonym] != claimers-1 || got.Version != tk.Version+1 {
			t.Fatalf("round %d: ticket %+v, won by %d", round, got, won[0])
		}
		// Closed, so the winner can take the next one.
		if _, err := f.desk.Close(ctx, tk.ID, won[0], "closed", t0); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d rounds of %d claimers in %v", rounds, claimers, time.Since(start))
}
