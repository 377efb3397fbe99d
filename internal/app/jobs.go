package app

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/jobs"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/scheduler"
	"github.com/boussole/boussole/internal/telegram"
)

// newScheduler registers the scheduled jobs; each firing runs on one
// replica, under a lock in Redis.
func newScheduler(cfg config.Config, rdb redis.UniversalClient, owner string, desk *handoff.Desk,
	sender *telegram.Sender, live func() *flow.Flow, obs observer, ses sessions, bundle *i18n.Bundle,
	observe func(job, outcome string, d time.Duration), log zerolog.Logger) (*scheduler.Scheduler, error) {
	lock := func(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
		return redisstore.Lock(ctx, rdb, name, owner, ttl)
	}
	s := scheduler.New(scheduler.Config{Owner: owner, Observe: observe}, lock, log)
	// The schedules were read and checked with the configuration.
	getenv := func(k string) string {
		if n, ok := strings.CutPrefix(k, "JOB_"); ok {
			return cfg.Jobs[strings.ReplaceAll(strings.ToLower(n), "_", "-")]
		}
		return ""
	}
	if _, err := jobs.Register(s, getenv, jobs.Deps{
		Redis: rdb, Purge: jobs.PurgeConfig{Retention: cfg.Retention}, Observatory: obs.rec,
		Sender: adminSender{sender}, Admins: func() []int64 { return cfg.AdminIDs }, Flow: live,
		Ateliers: ses.store, Notifier: ses.notify, Bundle: bundle,
	}); err != nil {
		return nil, err
	}
	if desk != nil {
		if err := s.Add(cfg.Jobs["idle-tickets"], handoff.IdleJob{Desk: desk, After: cfg.TicketIdle}, 5*time.Minute); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// adminSender is the Bot API as the jobs write to coordinators.
type adminSender struct{ *telegram.Sender }

func (a adminSender) SendText(ctx context.Context, chat int64, text string) error {
	_, err := a.SendNow(ctx, chat, delivery.Item{Kind: delivery.KindText, Text: text, At: time.Now().UnixMilli()})
	return err
}
