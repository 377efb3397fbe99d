package app

import (
	"context"
	"time"
	_ "time/tzdata" // the sessions are on Paris time, wherever the bot runs

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/admin"
	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// sessions assembles the association's ateliers: the store, the cards
// families see, and the coordinators' /ateliers.
type sessions struct {
	store  *redisstore.Ateliers
	cards  *ateliers.Cards
	admin  *admin.Sessions
	notify outboxNotifier
}

func newSessions(ctx context.Context, cfg config.Config, rdb redis.UniversalClient, store *redisstore.Store,
	engine *delivery.Engine, sender *telegram.Sender, bundle *i18n.Bundle, owner string, log zerolog.Logger) sessions {
	st := redisstore.NewAteliers(rdb)
	if err := st.Preload(ctx); err != nil {
		log.Warn().Str("error", "store unavailable").Msg("the sessions' scripts are not loaded yet")
	}
	notify := outboxNotifier{store: store, engine: engine, owner: owner}
	return sessions{
		store:  st,
		cards:  &ateliers.Cards{Store: st, Bundle: bundle, Loc: paris},
		notify: notify,
		admin: &admin.Sessions{Admins: cfg.AdminIDs, Store: st, Notifier: notify, Sender: sender, Bundle: bundle,
			Loc: paris, Log: log, Now: time.Now},
	}
}

// paris is the association's clock.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata is embedded: it cannot be missing
	}
	return l
}()

// outboxNotifier sends reminders and notices through the person's outbox,
// like every reply: paced, sent once, and journaled so that /effacer deletes
// them from the phone too.
type outboxNotifier struct {
	store  *redisstore.Store
	engine *delivery.Engine
	owner  string
}

func (n outboxNotifier) Notify(ctx context.Context, chat int64, lang, text string) error {
	now := time.Now()
	it := delivery.Item{Kind: delivery.KindText, Text: text, Lang: lang, At: now.UnixMilli()}
	c, err := n.store.Enqueue(ctx, chat, []delivery.Item{it}, n.owner, now)
	if err != nil {
		return err
	}
	n.engine.Hold(chat, c)
	return nil
}
