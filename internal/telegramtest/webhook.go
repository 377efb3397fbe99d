package telegramtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

const (
	defaultMaxConnections = 40
	maxSecretTokenLength  = 256
)

type webhookConfig struct {
	url            string
	secret         string
	maxConnections int
}

// Delivery records one attempt to deliver an update to the webhook.
type Delivery struct {
	UpdateID int64
	URL      string
	Time     time.Time
	// Status is the HTTP status the bot answered, 0 on connection errors.
	Status int
	// Err is Telegram's last_error_message for a failed attempt, "" on 2xx.
	Err string
}

func validSecretToken(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

func (s *Server) handleSetWebhook(r *request) *result {
	rawURL := r.p.str("url")
	secret := r.p.str("secret_token")
	if rawURL != "" {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return badRequest("bad webhook: invalid webhook URL specified")
		}
		if len(secret) > maxSecretTokenLength {
			return badRequest("secret token is too long")
		}
		if !validSecretToken(secret) {
			return badRequest("secret token contains unallowed characters")
		}
	}
	maxConn := r.p.int("max_connections")
	if maxConn <= 0 {
		maxConn = defaultMaxConnections
	}
	maxConn = min(maxConn, 100)

	s.mu.Lock()
	defer s.mu.Unlock()
	if r.p.has("allowed_updates") {
		if res := s.setAllowedLocked(r.p.str("allowed_updates")); res != nil {
			return res
		}
	}
	if r.p.bool("drop_pending_updates") {
		s.queue = nil
	}
	defer s.bumpLocked()
	if rawURL == "" {
		return s.deleteWebhookLocked()
	}
	next := &webhookConfig{url: rawURL, secret: secret, maxConnections: maxConn}
	if s.webhook != nil && *s.webhook == *next {
		return okDesc(true, "Webhook is already set")
	}
	s.abortPollLocked(conflictSetHook)
	s.webhook = next
	s.lastErrDate, s.lastErrMsg = 0, ""
	return okDesc(true, "Webhook was set")
}

func (s *Server) deleteWebhookLocked() *result {
	if s.webhook == nil {
		return okDesc(true, "Webhook is already deleted")
	}
	s.webhook = nil
	return okDesc(true, "Webhook was deleted")
}

func (s *Server) handleDeleteWebhook(r *request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.p.bool("drop_pending_updates") {
		s.queue = nil
	}
	defer s.bumpLocked()
	return s.deleteWebhookLocked()
}

func (s *Server) handleGetWebhookInfo(*request) *result {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := apiWebhookInfo{PendingUpdateCount: len(s.queue)}
	if s.webhook != nil {
		info.URL = s.webhook.url
		info.IPAddress = "127.0.0.1"
		info.MaxConnections = s.webhook.maxConnections
		info.LastErrorDate = s.lastErrDate
		info.LastErrorMessage = s.lastErrMsg
		info.AllowedUpdates = s.allowedListLocked()
	}
	return okResult(info)
}

// Deliveries returns every webhook delivery attempt so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// nextWebhookUpdateLocked returns the update to deliver next, if any.
func (s *Server) nextWebhookUpdateLocked() *queuedUpdate {
	if s.webhook == nil {
		return nil
	}
	s.dropUnwantedLocked()
	if len(s.queue) == 0 {
		return nil
	}
	return s.queue[0]
}

// webhookLoop delivers updates to the webhook one at a time, in update_id
// order. A failed update blocks the ones behind it until it succeeds, like
// Telegram's per-bot delivery queue.
func (s *Server) webhookLoop() {
	defer s.wg.Done()
	if s.cfg.parallelHook {
		s.parallelWebhookLoop()
		return
	}
	backoff := time.Duration(0)
	for {
		s.mu.Lock()
		u := s.nextWebhookUpdateLocked()
		var hook webhookConfig
		if s.webhook != nil {
			hook = *s.webhook
		}
		changed := s.changed
		s.mu.Unlock()
		if u == nil {
			select {
			case <-changed:
				continue
			case <-s.closed:
				return
			}
		}

		status, errMsg, answer := s.post(hook, u.raw)
		if s.baseCtx.Err() != nil {
			return
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, Delivery{
			UpdateID: u.id, URL: hook.url, Time: s.now(), Status: status, Err: errMsg,
		})
		if errMsg == "" {
			s.removeQueuedLocked(u)
			backoff = 0
		} else if s.webhook != nil && s.webhook.url == hook.url {
			s.lastErrDate = s.now().Unix()
			s.lastErrMsg = errMsg
		}
		s.bumpLocked()
		s.mu.Unlock()

		if errMsg == "" {
			s.runWebhookAnswer(answer)
			continue
		}
		if backoff == 0 {
			backoff = s.cfg.backoffMin
		} else {
			backoff = min(backoff*2, s.cfg.backoffMax)
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.closed:
			t.Stop()
			return
		}
	}
}

// post sends one update. It returns the HTTP status, Telegram's error
// message for a failure ("" on 2xx) and the body of a 2xx answer.
func (s *Server) post(hook webhookConfig, raw []byte) (int, string, []byte) {
	ctx, cancel := context.WithTimeout(s.baseCtx, s.cfg.webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(raw))
	if err != nil {
		return 0, "Invalid webhook URL", nil
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := s.cfg.webhookClient.Do(req)
	if err != nil {
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			return 0, "Read timeout expired", nil
		case errors.Is(err, syscall.ECONNREFUSED):
			return 0, "Connection refused", nil
		default:
			return 0, "Connection error: " + err.Error(), nil
		}
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Sprintf("Wrong response from the webhook: %d %s",
			resp.StatusCode, http.StatusText(resp.StatusCode)), nil
	}
	return resp.StatusCode, "", body
}

// runWebhookAnswer executes a method call returned in the body of a webhook
// answer ({"method":"sendMessage",...}), as Telegram does. Its result is not
// reported to anybody, but it shows in Calls and in the chat view.
func (s *Server) runWebhookAnswer(body []byte) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return
	}
	p, res := jsonObjectParams(body)
	if res != nil || p.str("method") == "" {
		return
	}
	method := p.str("method")
	delete(p, "method")
	start := s.now()
	name, out := s.invoke(s.baseCtx, method, p, nil)
	s.record(name, p, start, out)
}

// WebhookURL returns the URL set by setWebhook, "" when polling.
func (s *Server) WebhookURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return ""
	}
	return s.webhook.url
}
