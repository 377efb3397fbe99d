package jobs

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/redistest"
)

// Two replicas fire the reminder job at the same time on one Redis: each
// person who asked gets one reminder, and nobody else.
func TestAteliersRemindOnceAcrossReplicasOnRedis(t *testing.T) {
	rdb := redistest.New(t, testDB)
	ctx := context.Background()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	store := redisstore.NewAteliers(rdb)
	day := time.Now().In(paris).AddDate(0, 0, 3)
	start := time.Date(day.Year(), day.Month(), day.Day(), 18, 0, 0, 0, paris)
	s, err := store.Save(ctx, atelier(start))
	if err != nil {
		t.Fatal(err)
	}
	for _, sg := range []ateliers.Sign{{Chat: 801, Lang: "fr", Remind: true}, {Chat: 802, Lang: "ar", Remind: true}, {Chat: 803, Lang: "fr"}} {
		if _, err := store.SignUp(ctx, s.ID, sg); err != nil {
			t.Fatal(err)
		}
	}
	n := &fakeNotifier{}
	eve := time.Date(day.Year(), day.Month(), day.Day()-1, 10, 5, 0, 0, paris)
	replicas := []*AteliersRemind{NewAteliersRemind(redisstore.NewAteliers(rdb), n, b),
		NewAteliersRemind(redisstore.NewAteliers(rdb), n, b)}
	var wg sync.WaitGroup
	for range 3 {
		for _, j := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := j.Run(ctx, eve); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	got := map[int64]int{}
	for _, o := range n.out {
		got[o.chat]++
	}
	if len(n.out) != 2 || got[801] != 1 || got[802] != 1 {
		t.Errorf("reminders sent %+v, want one each to 801 and 802", n.out)
	}
}
