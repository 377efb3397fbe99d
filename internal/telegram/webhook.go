package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"time"
)

// SecretHeader carries the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// MaxUpdateBytes caps a webhook body: an update is a few kilobytes at most.
const MaxUpdateBytes = 1 << 20

// SetWebhook registers url with Telegram, with the secret it must send back.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	return b.client.Call(ctx, "setWebhook", &setWebhook{URL: url, SecretToken: secret, AllowedUpdates: allowedUpdates}, nil)
}

// Webhook answers Telegram's deliveries: 403 at once without the right secret
// (the body is never read, and the connection is closed), 2xx only once the
// update's effects are durable (sending is not waited for), 500 otherwise so
// that Telegram delivers it again.
func (b *Bot) Webhook(secret string, wait time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			refuse(w, http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(SecretHeader)
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			refuse(w, http.StatusForbidden)
			return
		}
		var u update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxUpdateBytes)).Decode(&u); err != nil {
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

// refuse answers without reading the body and closes the connection, so a
// client that sends headers and no body cannot hold it: net/http would
// otherwise try to drain the unread body before answering.
func refuse(w http.ResponseWriter, code int) {
	w.Header().Set("Connection", "close")
	w.WriteHeader(code)
}

// Drain waits for updates in flight; call it after the HTTP server stopped.
func (b *Bot) Drain() { b.drain() }

// NewServer is the webhook's HTTP server, with every timeout set: a client
// that sends slowly, or not at all, is cut off.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}
