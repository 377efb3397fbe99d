package app

import (
	"crypto/sha256"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/config"
	"github.com/boussole/boussole/internal/observatory"
)

// observer counts for the observatory through a buffer flushed every few
// seconds: a step pays no round trip for it.
type observer struct {
	b   *observatory.Buffer
	rec *observatory.Recorder
}

// observeEvery is how often the counts reach Redis.
const observeEvery = 5 * time.Second

func newObserver(rdb redis.UniversalClient, cfg config.Config) observer {
	key := sha256.Sum256([]byte("boussole observatory\x00" + cfg.TelegramToken))
	rec := observatory.NewRecorder(rdb, key[:])
	return observer{b: observatory.NewBuffer(rec), rec: rec}
}

func (o observer) Count(now time.Time, kind, lang, need, arrondissement string) {
	o.b.Record(observatory.Event{Day: now, Lang: lang, Need: need, Arrondissement: arrondissement, Kind: kind})
}

func (o observer) Seen(now time.Time, chat int64) { o.b.Seen(now, chat) }

func (o observer) Observe(now time.Time, name string, d time.Duration) { o.b.Observe(now, name, d) }
