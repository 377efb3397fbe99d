// Package ops is what an operator watches: /healthz, /readyz and /metrics
// (Prometheus). Nothing here may name a person: no label carries a chat id,
// a user id, a name, a username, a phone number or what anyone wrote. Every
// label value comes from a short closed set (an update's kind, a step's
// outcome, a Bot API method, an HTTP status, a job's name); a value outside
// the expected shape is counted as "other".
package ops

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the bot's metrics in a registry of its own (several bots
// may run in one process: tests, the load tool).
type Metrics struct {
	reg *prometheus.Registry

	updates     *prometheus.CounterVec
	step        *prometheus.HistogramVec
	apiCalls    *prometheus.CounterVec
	apiSeconds  *prometheus.HistogramVec
	events      *prometheus.CounterVec
	emergency   prometheus.Counter
	flowVersion prometheus.Gauge
	jobs        *prometheus.CounterVec
	jobSeconds  *prometheus.HistogramVec

	tickets       *prometheus.GaugeVec
	oldestWaiting prometheus.Gauge
	volunteers    *prometheus.GaugeVec
	deskOpen      prometheus.Gauge
	deskReadAt    prometheus.Gauge

	lastAPIOK atomic.Int64 // unix nanoseconds of the last 2xx answer of the Bot API

	mu       sync.Mutex
	delivery func() Delivery
	now      func() time.Time
}

// Delivery is what the delivery engine of this replica holds and has done.
type Delivery struct {
	Sent, Dropped, Expired, Blocked int64
	// Chats is how many chats have replies queued that this replica sends;
	// Oldest is when the oldest of their next replies was queued (zero: none).
	Chats  int
	Oldest time.Time
}

// New returns the metrics, with the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), now: time.Now}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := factory{m.reg}
	m.updates = f.counterVec("boussole_updates_total", "Updates handled, by kind (text, button, other, member) and outcome.", "kind", "outcome")
	m.step = f.histogramVec("boussole_step_seconds", "Time to handle one update (a step), by kind.",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}, "kind")
	m.apiCalls = f.counterVec("boussole_botapi_calls_total", "Bot API calls, by method and HTTP status (\"error\": no answer).", "method", "status")
	m.apiSeconds = f.histogramVec("boussole_botapi_call_seconds", "Bot API call duration, by method.",
		[]float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}, "method")
	m.events = f.counterVec("boussole_events_total", "Events counted for the observatory, by kind (conversation, emergency, handoff_asked, ticket_taken…).", "kind")
	m.emergency = f.counter("boussole_emergency_screens_total", "Emergency screens shown (the emergency numbers, after an emergency word or choice).")
	m.flowVersion = f.gauge("boussole_flow_version", "Version of the flow live on this replica (0: not reported).")
	m.jobs = f.counterVec("boussole_job_runs_total", "Scheduled job firings on this replica, by job_name and result (ok, error, panic, skipped, locked-elsewhere).", "job_name", "result")
	m.jobSeconds = f.histogramVec("boussole_job_seconds", "Scheduled job run time, by job_name.", prometheus.ExponentialBuckets(.01, 4, 10), "job_name")
	m.tickets = f.gaugeVec("boussole_tickets", "Open requests for a volunteer, by state (queued, claimed).", "state")
	m.oldestWaiting = f.gauge("boussole_ticket_oldest_waiting_seconds", "How long the request first in line has been waiting for a volunteer (0: none waiting).")
	m.volunteers = f.gaugeVec("boussole_volunteers", "Known volunteers, by state (available: may take a request; busy: at capacity; off: /dispo off).", "state")
	m.deskOpen = f.gauge("boussole_desk_hours_open", "1 within VOLUNTEER_HOURS, 0 outside.")
	m.deskReadAt = f.gauge("boussole_desk_read_timestamp_seconds", "When the desk's figures were last read from Redis (unix time).")
	m.reg.MustRegister(deliveryCollector{m})
	return m
}

// Registry is where the metrics are registered (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Update counts one update handled: kind is the update's kind, outcome the
// step's ("ok", "duplicate", "degraded"… or "error"), d how long it took.
func (m *Metrics) Update(kind, outcome string, d time.Duration) {
	kind, outcome = label(kind), label(outcome)
	m.updates.WithLabelValues(kind, outcome).Inc()
	m.step.WithLabelValues(kind).Observe(d.Seconds())
}

// Event counts an observatory event; "emergency" is also an emergency screen.
func (m *Metrics) Event(kind string) {
	if kind == "" {
		return
	}
	m.events.WithLabelValues(label(kind)).Inc()
	if kind == "emergency" {
		m.emergency.Inc()
	}
}

// FlowVersion reports the version of the flow now live on this replica.
func (m *Metrics) FlowVersion(n int64) { m.flowVersion.Set(float64(n)) }

// Job counts one firing of a scheduled job.
func (m *Metrics) Job(name, result string, d time.Duration) {
	name = label(name)
	m.jobs.WithLabelValues(name, label(result)).Inc()
	if d > 0 {
		m.jobSeconds.WithLabelValues(name).Observe(d.Seconds())
	}
}

// Desk is the volunteer desk's state as read from Redis.
type Desk struct {
	Queued, Claimed      int
	OldestWaiting        time.Duration
	Available, Busy, Off int
	HoursOpen            bool
}

// SetDesk records the desk's state.
func (m *Metrics) SetDesk(d Desk) {
	m.tickets.WithLabelValues("queued").Set(float64(d.Queued))
	m.tickets.WithLabelValues("claimed").Set(float64(d.Claimed))
	m.oldestWaiting.Set(d.OldestWaiting.Seconds())
	m.volunteers.WithLabelValues("available").Set(float64(d.Available))
	m.volunteers.WithLabelValues("busy").Set(float64(d.Busy))
	m.volunteers.WithLabelValues("off").Set(float64(d.Off))
	open := 0.0
	if d.HoursOpen {
		open = 1
	}
	m.deskOpen.Set(open)
	m.deskReadAt.Set(float64(m.now().Unix()))
}

// ReadDelivery sets how the delivery engine's figures are read at scrape.
func (m *Metrics) ReadDelivery(f func() Delivery) {
	m.mu.Lock()
	m.delivery = f
	m.mu.Unlock()
}

// LastAPISuccess is when the Bot API last answered a call with a 2xx
// (zero: never since the start).
func (m *Metrics) LastAPISuccess() time.Time {
	n := m.lastAPIOK.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (m *Metrics) apiSucceeded(at time.Time) { m.lastAPIOK.Store(at.UnixNano()) }

// deliveryCollector reads the engine's figures at scrape time.
type deliveryCollector struct{ m *Metrics }

var (
	descOutboxChats  = prometheus.NewDesc("boussole_outbox_chats", "Chats whose queued replies this replica is sending (the outbox depth, in chats).", nil, nil)
	descOutboxOldest = prometheus.NewDesc("boussole_outbox_oldest_seconds", "Age of the oldest reply not yet sent among those this replica holds (0: none).", nil, nil)
	descReplies      = prometheus.NewDesc("boussole_replies_total", "Replies handled by this replica's delivery engine, by result (sent; dropped: refused or undeliverable; expired: too old to send; blocked: the person blocked the bot).", []string{"result"}, nil)
)

func (c deliveryCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descOutboxChats
	ch <- descOutboxOldest
	ch <- descReplies
}

func (c deliveryCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	f := c.m.delivery
	c.m.mu.Unlock()
	var d Delivery
	if f != nil {
		d = f()
	}
	age := 0.0
	if !d.Oldest.IsZero() {
		age = max(0, c.m.now().Sub(d.Oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(descOutboxChats, prometheus.GaugeValue, float64(d.Chats))
	ch <- prometheus.MustNewConstMetric(descOutboxOldest, prometheus.GaugeValue, age)
	for _, r := range []struct {
		name string
		n    int64
	}{{"sent", d.Sent}, {"dropped", d.Dropped}, {"expired", d.Expired}, {"blocked", d.Blocked}} {
		ch <- prometheus.MustNewConstMetric(descReplies, prometheus.CounterValue, float64(r.n), r.name)
	}
}

// label keeps a label value to the closed shapes the code uses: lower-case
// letters, digits, "_" and "-", starting with a letter, at most 32
// characters: never a number (an id) nor a name. Anything else (which could
// only come from a bug) is "other", never the value itself.
func label(s string) string {
	if s == "" || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return "other"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "other"
		}
	}
	return s
}

// status is an HTTP status as a label.
func status(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code)
}

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.reg.MustRegister(g)
	return g
}

func (f factory) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(g)
	return g
}

func (f factory) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}
