package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the bot token a Server accepts unless [WithToken] says
// otherwise. The number before the colon is the bot's user id.
const DefaultToken = "123456:TEST-token"

// ErrClosed is returned by the wait helpers when the Server was closed.
var ErrClosed = errors.New("telegramtest: server closed")

// Server is a fake Telegram Bot API server. Create it with [New] and release
// it with [Server.Close].
type Server struct {
	hs  *httptest.Server
	cfg config

	botID int64

	baseCtx   context.Context
	cancel    context.CancelFunc
	closed    chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change

	// updates
	lastUpdateID int64
	queue        []*queuedUpdate
	history      map[int64]*queuedUpdate
	allowed      map[string]bool // nil means Telegram's default set
	poller       *poller

	// webhook
	webhook     *webhookConfig
	lastErrDate int64
	lastErrMsg  string
	deliveries  []Delivery

	// chats and bot-side state
	chats        map[int64]*chatState
	users        map[int64]*apiUser
	blocked      map[int64]bool
	callbacks    map[string]*callbackState
	nextCallback int64
	nextFileID   int64
	files        map[string]*storedFile // by file_id: photos and documents
	pathOf       map[string]string      // file_id → the file_path getFile gave
	pathFiles    map[string]string      // file_path → file_id
	commands     map[commandKey][]models.BotCommand
	calls        []Call
	faults       []*fault
	hangs        []*hang
	hanging      int
	limiter      *rateLimiter
}

type config struct {
	token          string
	botFirstName   string
	botUsername    string
	clock          func() time.Time
	firstUpdateID  int64
	webhookClient  *http.Client
	ownClient      bool
	backoffMin     time.Duration
	backoffMax     time.Duration
	webhookTimeout time.Duration
	parallelHook   bool
	rateLimits     *RateLimits
	maxCalls       int
	onCall         func(Call)
}

// Option configures a Server.
type Option func(*config)

// WithToken sets the token the Server accepts (default [DefaultToken]). The
// number before the colon becomes the bot's user id.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithBotName sets the bot's first name and username as returned by getMe
// and shown in the "from" field of its messages.
func WithBotName(firstName, username string) Option {
	return func(c *config) { c.botFirstName, c.botUsername = firstName, username }
}

// WithClock replaces time.Now for message dates, the 48-hour deletion limit
// and the rate limiter. Long-poll timeouts and webhook backoff always use
// real time.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithFirstUpdateID sets the update_id of the first update (default 1).
func WithFirstUpdateID(id int64) Option {
	return func(c *config) { c.firstUpdateID = id }
}

// WithWebhookClient sets the HTTP client used to deliver updates to the
// webhook, e.g. the Client() of an httptest TLS server.
func WithWebhookClient(client *http.Client) Option {
	return func(c *config) { c.webhookClient = client }
}

// WithWebhookRetry sets the backoff between failed webhook deliveries: it
// starts at min and doubles up to max (defaults 10ms and 200ms).
func WithWebhookRetry(minDelay, maxDelay time.Duration) Option {
	return func(c *config) { c.backoffMin, c.backoffMax = minDelay, maxDelay }
}

// WithWebhookTimeout sets how long a webhook delivery may take before it
// counts as failed (default 10s).
func WithWebhookTimeout(d time.Duration) Option {
	return func(c *config) { c.webhookTimeout = d }
}

// WithParallelWebhook delivers webhook updates as Telegram does: up to the
// webhook's max_connections at once, but one update at a time per chat, in
// order within a chat. A failed update holds back only its own chat. Without
// it, updates go one at a time for the whole bot.
func WithParallelWebhook() Option {
	return func(c *config) { c.parallelHook = true }
}

// WithCallLogLimit keeps only the n most recent calls in [Server.Calls]
// (default: unlimited). Useful for long benchmarks.
func WithCallLogLimit(n int) Option {
	return func(c *config) { c.maxCalls = n }
}

// WithCallHook calls fn with every recorded call, as it is recorded and
// before its answer is written, outside the server's lock. It sees every
// call even when [WithCallLogLimit] keeps few: load tools use it to time
// replies without scanning the log. fn must be quick and must not block.
func WithCallHook(fn func(Call)) Option {
	return func(c *config) { c.onCall = fn }
}

// New starts a fake Bot API server.
func New(opts ...Option) *Server {
	cfg := config{
		token:          DefaultToken,
		botFirstName:   "Test Bot",
		botUsername:    "test_bot",
		clock:          time.Now,
		firstUpdateID:  1,
		backoffMin:     10 * time.Millisecond,
		backoffMax:     200 * time.Millisecond,
		webhookTimeout: 10 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.webhookClient == nil {
		cfg.webhookClient = &http.Client{Transport: &http.Transport{}}
		cfg.ownClient = true
	}
	if cfg.backoffMin <= 0 {
		cfg.backoffMin = time.Millisecond
	}
	if cfg.backoffMax < cfg.backoffMin {
		cfg.backoffMax = cfg.backoffMin
	}
	s := &Server{
		cfg:          cfg,
		closed:       make(chan struct{}),
		changed:      make(chan struct{}),
		lastUpdateID: cfg.firstUpdateID - 1,
		history:      map[int64]*queuedUpdate{},
		chats:        map[int64]*chatState{},
		users:        map[int64]*apiUser{},
		blocked:      map[int64]bool{},
		callbacks:    map[string]*callbackState{},
		commands:     map[commandKey][]models.BotCommand{},
	}
	if i := strings.IndexByte(cfg.token, ':'); i > 0 {
		s.botID, _ = strconv.ParseInt(cfg.token[:i], 10, 64)
	}
	if cfg.rateLimits != nil {
		s.limiter = newRateLimiter(*cfg.rateLimits)
	}
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.wg.Add(1)
	go s.webhookLoop()
	return s
}

// URL returns the base URL of the server, for bot.WithServerURL.
func (s *Server) URL() string { return s.hs.URL }

// Token returns the bot token the server accepts.
func (s *Server) Token() string { return s.cfg.token }

// BotID returns the bot's user id (the number before the colon of the token).
func (s *Server) BotID() int64 { return s.botID }

// Close ends pending long polls and webhook deliveries, shuts the HTTP server
// down and waits for its goroutines. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		close(s.closed)
		s.hs.Close()
		s.wg.Wait()
		if s.cfg.ownClient {
			s.cfg.webhookClient.CloseIdleConnections()
		}
	})
}

func (s *Server) now() time.Time { return s.cfg.clock() }

// bumpLocked wakes up everybody waiting for a state change. s.mu must be held.
func (s *Server) bumpLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// result is the outcome of one Bot API call.
type result struct {
	code        int // 200 on success
	value       any
	desc        string
	retryAfter  int
	rawBody     []byte // non-JSON answer (e.g. nginx's 502 page)
	contentType string
}

func okResult(v any) *result { return &result{code: http.StatusOK, value: v} }

func okDesc(v any, desc string) *result {
	return &result{code: http.StatusOK, value: v, desc: desc}
}

func errResult(code int, desc string) *result { return &result{code: code, desc: desc} }

func badRequest(desc string) *result {
	return errResult(http.StatusBadRequest, "Bad Request: "+desc)
}

func tooManyRequests(retryAfter int) *result {
	if retryAfter < 1 {
		retryAfter = 1
	}
	return &result{
		code:       http.StatusTooManyRequests,
		desc:       "Too Many Requests: retry after " + strconv.Itoa(retryAfter),
		retryAfter: retryAfter,
	}
}

type okEnvelope struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	Description string `json:"description,omitempty"`
}

type errEnvelope struct {
	OK          bool            `json:"ok"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

// body renders the HTTP body and content type of a result.
func (r *result) body() ([]byte, string) {
	if r.rawBody != nil {
		return r.rawBody, r.contentType
	}
	var v any
	if r.code == http.StatusOK {
		v = okEnvelope{OK: true, Result: r.value, Description: r.desc}
	} else {
		e := errEnvelope{ErrorCode: r.code, Description: r.desc}
		if r.retryAfter > 0 {
			e.Parameters = &responseParams{RetryAfter: r.retryAfter}
		}
		v = e
	}
	return marshal(v), "application/json"
}

// marshal encodes v like Telegram: no HTML escaping, no trailing newline.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("telegramtest: cannot encode JSON: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
	start := s.now()
	token, method, ok := splitPath(r.URL.Path)
	var res *result
	var p params
	var fs files
	name := method
	if h, found := lookupMethod(method); found {
		name = h.name
	}
	switch {
	case !ok:
		res = errResult(http.StatusNotFound, "Not Found")
	case token != s.cfg.token:
		res = errResult(http.StatusUnauthorized, "Unauthorized")
	default:
		var perr *result
		if p, fs, perr = parseParams(r); perr != nil {
			res = perr
		} else {
			name, res = s.invoke(r.Context(), method, p, fs)
		}
	}
	if name != "" {
		s.record(name, p, start, res)
	}
	body, ctype := res.body()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(res.code)
	_, _ = w.Write(body)
}

// invoke runs a Bot API method: hangs and fault injection first, then the
// handler.
// It returns the canonical method name.
func (s *Server) invoke(ctx context.Context, method string, p params, fs files) (string, *result) {
	h, found := lookupMethod(method)
	if !found {
		return method, errResult(http.StatusNotFound, "Not Found")
	}
	if d := s.takeHang(h.name); d > 0 {
		if res := s.waitHang(ctx, d); res != nil {
			return h.name, res
		}
	}
	if res := s.takeFault(h.name); res != nil {
		return h.name, res
	}
	return h.name, h.fn(s, &request{ctx: ctx, p: p, files: fs})
}

// splitPath parses /bot<token>/<method> (and /bot<token>/test/<method>).
func splitPath(path string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(path, "/bot")
	if !found {
		return "", "", false
	}
	token, method, found = strings.Cut(rest, "/")
	if !found || token == "" {
		return "", "", false
	}
	method = strings.TrimPrefix(method, "test/")
	if method == "" || strings.Contains(method, "/") {
		return token, "", false
	}
	return token, method, true
}
