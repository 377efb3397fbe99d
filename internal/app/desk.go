package app

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/admin"
	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/redisstore"
	"github.com/boussole/boussole/internal/telegram"
)

// router sends each update to the desk or to the person's conversation.
// Updates from other groups are the bot's business nowhere: they are
// acknowledged and dropped.
type router struct {
	desk     *handoff.Desk
	people   *conversation.Service
	stats    *admin.Stats
	editor   *admin.Editor
	sessions *admin.Sessions
}

func (r router) Handle(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	if r.stats != nil && r.stats.Owns(u) {
		return r.stats.Handle(ctx, u)
	}
	if r.sessions.Owns(u) {
		return r.sessions.Handle(ctx, u)
	}
	if r.editor.Owns(u) && !r.relayed(u) { // after the other commands: it may be waiting for a text
		return r.editor.Handle(ctx, u)
	}
	if r.desk != nil && r.desk.Owns(u) {
		return r.desk.Handle(ctx, u)
	}
	if u.Chat < 0 {
		return conversation.Result{Outcome: "ignored"}, nil
	}
	return r.people.Handle(ctx, u)
}

// relayed reports whether a coordinator's document is a volunteer's message
// to relay (a coordinator may volunteer too): only a YAML file is an upload.
func (r router) relayed(u conversation.Update) bool {
	return u.Media == "document" && !admin.IsYAML(u.FileName) && r.desk != nil && r.desk.Owns(u)
}

// newDesk assembles the volunteer desk when VOLUNTEER_CHAT_ID is set.
func newDesk(ctx context.Context, cfg config.Config, rdb redis.UniversalClient, store *redisstore.Store,
	engine *delivery.Engine, sender *telegram.Sender, svc *conversation.Service, bundle *i18n.Bundle,
	owner string, key []byte, counter handoff.Counter, log zerolog.Logger, opts Options) (*handoff.Desk, error) {
	tpl, err := loadTemplates(cfg.TemplatesFile)
	if err != nil {
		return nil, err
	}
	botName := ""
	mctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	if name, err := sender.Me(mctx); err == nil {
		botName = name
	} else {
		log.Warn().Str("error", errClass(err)).Msg("getMe failed: volunteers get /start benevole instead of a link")
	}
	cancel()
	// A tenth under Telegram's pace, in bursts of 2: Redis's clock and
	// Telegram's are not the same, and a 429 in the group stops the board.
	var lim handoff.Limiter = redisstore.NewLimiter(rdb, "bsl:group", cfg.SendRateGroup*0.9, 2)
	if opts.Unlimited {
		lim = unlimited{}
	}
	desk := handoff.New(handoff.Config{
		Group: cfg.VolunteerChatID, Hours: cfg.VolunteerHours, Reminder: cfg.ReminderAfter,
		Capacity: cfg.VolunteerCapacity, Admins: cfg.AdminIDs, BotName: botName, Owner: owner, Key: key,
		Templates: tpl,
	}, handoff.Deps{
		Store:  redisstore.NewDesk(rdb, redisstore.DeskOptions{Retention: cfg.Retention, CodeKey: key}),
		People: svc, Outbox: store, Hold: engine, Bot: sender, Bundle: bundle, Log: log, Limiter: lim,
		Lock: func(ctx context.Context, ttl time.Duration) (bool, error) {
			return redisstore.Lock(ctx, rdb, "board", owner, ttl)
		},
		Now: time.Now, Counter: counter,
	})
	svc.Desk = desk
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	desk.RefreshKnown(rctx) // before receiving: a volunteer's message never goes to the menu
	cancel()
	return desk, nil
}

// deskKey keys the tickets' codes and the volunteers' pseudonyms: the same
// on every replica and across restarts (a code must not change under a
// volunteer), secret (derived from the bot's token), and useless outside.
func deskKey(cfg config.Config) []byte {
	sum := sha256.Sum256([]byte("boussole desk codes\x00" + cfg.TelegramToken))
	return sum[:]
}

// loadTemplates reads the canned replies: TEMPLATES_FILE, or the shipped ones.
func loadTemplates(file string) (map[string]map[string]string, error) {
	if file == "" {
		return flows.DefaultTemplates()
	}
	return flows.LoadTemplates(os.DirFS(filepath.Dir(file)), filepath.Base(file))
}
