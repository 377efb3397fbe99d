package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// SecretHeader carries the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// SetWebhook registers url with Telegram, with the secret it must send back.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	return b.client.Call(ctx, "setWebhook", &setWebhook{URL: url, SecretToken: secret, AllowedUpdates: allowedUpdates}, nil)
}

// Webhook answers Telegram's deliveries: 403 without the right secret, 2xx
// only once the update's effects are durable, 500 otherwise so that Telegram
// delivers it again.
func (b *Bot) Webhook(secret string, wait time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(SecretHeader)
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		var u update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil {
			// Telegram would deliver the same bytes forever: accept and drop.
			b.log.Warn().Str("type", "malformed").Msg("update")
			w.WriteHeader(http.StatusOK)
			return
		}
		o := b.process(&u, false)
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-o.durable:
			w.WriteHeader(http.StatusOK)
		case <-o.failed:
			w.WriteHeader(http.StatusInternalServerError)
		case <-timer.C:
			w.WriteHeader(http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	})
}

// Drain waits for updates in flight; call it after the HTTP server stopped.
func (b *Bot) Drain() { b.drain() }
