// Package config reads the bot's settings from the environment and checks
// them, with messages an operator understands. There is no global config:
// Load returns a value that is passed to what needs it.
package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/handoff"
	"github.com/boussole/boussole/internal/scheduler"
)

// Config is every setting of `boussole serve`.
type Config struct {
	TelegramToken  string        // TELEGRAM_TOKEN
	TelegramAPIURL string        // TELEGRAM_API_URL
	RedisURL       string        // REDIS_URL; empty: embedded in-process store
	Mode           string        // MODE: polling or webhook
	WebhookURL     string        // WEBHOOK_URL
	WebhookSecret  string        // WEBHOOK_SECRET
	ListenAddr     string        // LISTEN_ADDR
	MetricsAddr    string        // METRICS_ADDR; empty: /healthz, /readyz and /metrics on LISTEN_ADDR
	FlowsDir       string        // FLOWS_DIR; empty: the flows shipped in the binary
	Retention      time.Duration // RETENTION
	LogLevel       string        // LOG_LEVEL
	LogKey         string        // LOG_KEY: key of the chat pseudonyms in logs
	ProtectContent bool          // PROTECT_CONTENT
	PollTimeout    time.Duration // POLL_TIMEOUT
	SendRateGlobal float64       // SEND_RATE_GLOBAL, messages a second, shared by all replicas
	SendRateChat   float64       // SEND_RATE_CHAT, messages a second to one private chat
	SendRateGroup  float64       // SEND_RATE_GROUP, messages a second to one group

	VolunteerChatID   int64         // VOLUNTEER_CHAT_ID: the volunteers' supergroup; 0: no desk
	VolunteerHours    handoff.Hours // VOLUNTEER_HOURS, Europe/Paris
	ReminderAfter     time.Duration // REMINDER_AFTER
	VolunteerCapacity int           // VOLUNTEER_CAPACITY
	AdminIDs          []int64       // ADMIN_IDS: the coordinators' Telegram user ids
	TemplatesFile     string        // TEMPLATES_FILE; empty: the canned replies shipped in the binary
	TicketIdle        time.Duration // TICKET_IDLE
	// Jobs are the scheduled jobs' schedules (JOB_<NAME>), Europe/Paris,
	// by job name.
	Jobs map[string]string
}

// redisSchemes are the schemes REDIS_URL may have: one server, Sentinel,
// Cluster, each in plain TCP or TLS.
var redisSchemes = []string{"redis", "rediss", "redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster"}

// Var documents one environment variable, for the README and --help.
type Var struct {
	Name, Default, Meaning string
}

// Vars lists the environment variables in the order of the README table.
var Vars = []Var{
	{"TELEGRAM_TOKEN", "", "the bot's token from @BotFather (required)"},
	{"TELEGRAM_API_URL", "https://api.telegram.org", "the Bot API server (a self-hosted one, or a fake in tests)"},
	{"REDIS_URL", "", "redis://host:6379/0; Sentinel: redis+sentinel://[:password@]host1:26379,host2:26379/mymaster/0; Cluster: redis+cluster://[:password@]host1:7000,host2:7001,host3:7002 (rediss… for TLS); empty: an in-process store that loses everything on restart"},
	{"MODE", "polling", "polling (one replica) or webhook (several replicas)"},
	{"WEBHOOK_URL", "", "public https URL Telegram posts to (webhook mode)"},
	{"WEBHOOK_SECRET", "", "secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token (webhook mode; 1–256 of A-Z a-z 0-9 _ -)"},
	{"LISTEN_ADDR", ":8080", "address the webhook server listens on, and /healthz, /readyz and /metrics (in polling mode too) unless METRICS_ADDR is set"},
	{"METRICS_ADDR", "", "separate address for /healthz, /readyz and /metrics (e.g. 127.0.0.1:9090, kept off the public proxy); empty: on LISTEN_ADDR"},
	{"FLOWS_DIR", "", "folder of flows and resources.yaml; empty: the flows shipped in the binary"},
	{"RETENTION", "720h", "how long an inactive conversation is kept (Go duration)"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_KEY", "", "key of the chat pseudonyms in logs; empty: a random key per start"},
	{"PROTECT_CONTENT", "true", "forbid forwarding and saving the bot's messages"},
	{"POLL_TIMEOUT", "25s", "long-polling timeout"},
	{"SEND_RATE_GLOBAL", "30/s", "messages a second across all chats, shared by every replica through Redis (raise it only for a local Bot API server or paid broadcasts)"},
	{"SEND_RATE_CHAT", "1/s", "messages to one private chat (after a burst of 3)"},
	{"SEND_RATE_GROUP", "20/min", "messages to one group, such as the volunteers' group"},
	{"VOLUNTEER_CHAT_ID", "", "id of the volunteers' supergroup (-100…), where requests for a person are dispatched; empty: no volunteer is offered, the lines that answer now are"},
	{"VOLUNTEER_HOURS", "mon-fri 09:00-19:00", "when volunteers are on duty, Europe/Paris: rules like \"mon-fri 09:00-19:00; sat 10:00-13:00\""},
	{"REMINDER_AFTER", "10m", "a request waiting longer is announced again in the volunteers' group (once)"},
	{"VOLUNTEER_CAPACITY", "1", "conversations a volunteer holds at once"},
	{"ADMIN_IDS", "", "Telegram user ids of the coordinators, comma-separated: they are told of /alerte, get /stats and the weekly report, and edit, publish and roll back the flows from Telegram (docs/guide-admin.fr.md §10)"},
	{"TEMPLATES_FILE", "", "YAML file of the volunteers' canned replies (/modele); empty: the ones shipped in the binary"},
	{"TICKET_IDLE", "48h", "a request with nothing new for that long is closed, with a kind word to the person"},
	{"JOB_PURGE", "30 3 * * *", "when keys are checked for an expiry (cron, Europe/Paris; never 02:00–03:00, which daylight saving skips or repeats)"},
	{"JOB_IDLE_TICKETS", "15 0-1,3-23 * * *", "when idle requests are closed (cron, Europe/Paris)"},
	{"JOB_WEEKLY_REPORT", "0 8 * * 1", "when the coordinators get the week's charts and CSV (cron, Europe/Paris)"},
	{"JOB_VERIFY_SERVICES", "0 9 1 * *", "when the coordinators get the services to verify again (cron, Europe/Paris)"},
	{"JOB_ATELIERS_REMIND", "0 0-1,3-23 * * *", "when the reminders of the association's sessions are checked: from 10:00 the day before a session, each person signed up who asked gets one (cron, Europe/Paris)"},
}

// Load reads the configuration through getenv (os.Getenv, or a map in tests)
// and validates it.
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	dur := func(name string) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q is not a duration like 720h or 30s", name, get(name)))
		}
		return d
	}
	c := Config{
		TelegramToken:  get("TELEGRAM_TOKEN"),
		TelegramAPIURL: get("TELEGRAM_API_URL"),
		RedisURL:       get("REDIS_URL"),
		Mode:           strings.ToLower(get("MODE")),
		WebhookURL:     get("WEBHOOK_URL"),
		WebhookSecret:  get("WEBHOOK_SECRET"),
		ListenAddr:     get("LISTEN_ADDR"),
		MetricsAddr:    get("METRICS_ADDR"),
		FlowsDir:       get("FLOWS_DIR"),
		Retention:      dur("RETENTION"),
		LogLevel:       strings.ToLower(get("LOG_LEVEL")),
		LogKey:         get("LOG_KEY"),
		PollTimeout:    dur("POLL_TIMEOUT"),
	}
	rateOf := func(name string) float64 {
		r, ok := parseRate(get(name))
		if !ok {
			errs = append(errs, fmt.Errorf("%s=%q is not a rate like 30/s, 20/min or 0.5", name, get(name)))
		}
		return r
	}
	c.SendRateGlobal = rateOf("SEND_RATE_GLOBAL")
	c.SendRateChat = rateOf("SEND_RATE_CHAT")
	c.SendRateGroup = rateOf("SEND_RATE_GROUP")
	if s := get("VOLUNTEER_CHAT_ID"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id >= 0 {
			errs = append(errs, fmt.Errorf("VOLUNTEER_CHAT_ID=%q: the id of a supergroup is a negative number like -1001234567890 (add the bot to the group, then read the id from getUpdates)", s))
		}
		c.VolunteerChatID = id
	}
	var err error
	if c.VolunteerHours, err = handoff.ParseHours(get("VOLUNTEER_HOURS")); err != nil {
		errs = append(errs, fmt.Errorf("VOLUNTEER_HOURS: %w", err))
	}
	c.ReminderAfter = dur("REMINDER_AFTER")
	if n, err := strconv.Atoi(get("VOLUNTEER_CAPACITY")); err != nil || n < 1 || n > 20 {
		errs = append(errs, fmt.Errorf("VOLUNTEER_CAPACITY=%q: a number of conversations from 1 to 20", get("VOLUNTEER_CAPACITY")))
	} else {
		c.VolunteerCapacity = n
	}
	for _, f := range strings.FieldsFunc(get("ADMIN_IDS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 || id == 1087968824 || id == 777000 {
			// 1087968824 and 777000 stand for an anonymous admin and for
			// Telegram itself: anyone could hide behind them.
			errs = append(errs, fmt.Errorf("ADMIN_IDS: %q is not a person's Telegram user id", f))
			continue
		}
		c.AdminIDs = append(c.AdminIDs, id)
	}
	c.TemplatesFile = get("TEMPLATES_FILE")
	c.TicketIdle = dur("TICKET_IDLE")
	c.Jobs = map[string]string{}
	for _, v := range Vars {
		if name, ok := strings.CutPrefix(v.Name, "JOB_"); ok {
			spec := get(v.Name)
			if _, err := scheduler.Parse(spec); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", v.Name, err))
			}
			c.Jobs[strings.ReplaceAll(strings.ToLower(name), "_", "-")] = spec
		}
	}
	switch strings.ToLower(get("PROTECT_CONTENT")) {
	case "true", "1", "yes":
		c.ProtectContent = true
	case "false", "0", "no":
	default:
		errs = append(errs, fmt.Errorf("PROTECT_CONTENT=%q: say true or false", get("PROTECT_CONTENT")))
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks each setting and the ones that go together.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.TelegramToken == "" {
		add("TELEGRAM_TOKEN is missing: create a bot with @BotFather and copy its token")
	} else if id, _, ok := strings.Cut(c.TelegramToken, ":"); !ok || id == "" || strings.ContainsAny(c.TelegramToken, " /") {
		add("TELEGRAM_TOKEN does not look like a token from @BotFather (123456:ABC…)")
	}
	if u, err := url.Parse(c.TelegramAPIURL); err != nil || u.Scheme == "" || u.Host == "" {
		add("TELEGRAM_API_URL=%q is not a URL like https://api.telegram.org", c.TelegramAPIURL)
	}
	if c.RedisURL != "" {
		// Several hosts (Sentinel, Cluster) are not a URL net/url reads:
		// only the scheme is checked here, the rest when the bot connects.
		if scheme, _, _ := strings.Cut(c.RedisURL, "://"); !slices.Contains(redisSchemes, scheme) {
			add("REDIS_URL must look like redis://host:6379/0, redis+sentinel://host1:26379,host2:26379/mymaster/0 or redis+cluster://host1:7000,host2:7001 (rediss… for TLS)")
		}
	}
	switch c.Mode {
	case "polling":
	case "webhook":
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Host == "" || u.Scheme != "https" && !loopback(u.Hostname()) {
			add("MODE=webhook needs WEBHOOK_URL, the public https:// address Telegram will post to")
		}
		if !validSecret(c.WebhookSecret) {
			add("MODE=webhook needs WEBHOOK_SECRET: 1 to 256 characters among A-Z a-z 0-9 _ -")
		}
		if c.ListenAddr == "" {
			add("MODE=webhook needs LISTEN_ADDR, e.g. :8080")
		}
	default:
		add("MODE=%q: choose polling or webhook", c.Mode)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			add("METRICS_ADDR=%q is not an address like 127.0.0.1:9090 or :9090", c.MetricsAddr)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("LOG_LEVEL=%q: choose debug, info, warn or error", c.LogLevel)
	}
	return errors.Join(errs...)
}

// parseRate reads "30", "30/s", "20/min" or "600/h" as messages a second.
func parseRate(s string) (float64, bool) {
	num, unit, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(s, " ", "")), "/")
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	switch unit {
	case "", "s", "sec", "second":
		return n, true
	case "m", "min", "minute":
		return n / 60, true
	case "h", "hour":
		return n / 3600, true
	}
	return 0, false
}

func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// loopback hosts may use plain http: a local TLS proxy, or a test.
func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
