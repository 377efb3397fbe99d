package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// relayDB is the only database a relay run may flush.
const relayDB = 13

// Chat ids of a relay run: the volunteers' supergroup, the persons and the
// volunteers (a user id is also the id of their private chat).
const (
	relayGroup      = -1005550001
	relayPeople     = 400_000_000
	relayVolunteers = 500_000_000
)

// Directions of a relayed message.
const (
	toVolunteer = iota // the person wrote, the volunteer gets the copy
	toPerson           // the volunteer wrote, the person gets the copy
)

type relayOptions struct {
	conversations int
	duration      time.Duration
	runs          int
	warmup        time.Duration
	idle          time.Duration
	gapMin        time.Duration
	gapMax        time.Duration
	sides         string
	limits        string
	store         string
	redisURL      string
	cpu           int
	byCommand     bool
	logLevel      string
}

// runRelay is `boussole-load relay`: conversations between persons and
// volunteers, every handoff established first, then both sides write at a
// human pace while the tool times each copy and counts what a relayed
// message costs. It prints figures, passes or fails nothing, and stops by
// itself.
//
//	go run ./cmd/boussole-load relay -conversations 50 -duration 30s -runs 3
//	go run ./cmd/boussole-load relay -limits none -sides person -runs 1
func runRelay(args []string) int {
	var o relayOptions
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	fs.IntVar(&o.conversations, "conversations", 50, "simultaneous conversations: as many persons and volunteers, one ticket each")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "length of each measured window")
	fs.IntVar(&o.runs, "runs", 3, "measured windows, one after the other with the same conversations (the summary gives medians)")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "unmeasured writing before the first window")
	fs.DurationVar(&o.idle, "idle", 5*time.Second, "quiet window before the writing starts, for the background cost (board, polling)")
	fs.DurationVar(&o.gapMin, "gap-min", 3*time.Second, "shortest pause between two messages of one writer")
	fs.DurationVar(&o.gapMax, "gap-max", 5*time.Second, "longest pause between two messages of one writer (uniform in between)")
	fs.StringVar(&o.sides, "sides", "both", "who writes: both, person or volunteer")
	fs.StringVar(&o.limits, "limits", "telegram", "telegram: the bot paces as in production (30/s overall, 1/s per chat) and the fake enforces the same; none: both lifted")
	fs.StringVar(&o.store, "store", "redis", "redis, or embedded (the bot's in-process store; no REDIS_URL)")
	fs.StringVar(&o.redisURL, "redis", "", "Redis of the run, database 13 on 127.0.0.1 only, flushed first (default: $REDIS_URL, else redis://127.0.0.1:6379/13)")
	fs.IntVar(&o.cpu, "cpu", 1, "core the bot is pinned to with taskset; -1 to leave it free")
	fs.BoolVar(&o.byCommand, "by-command", true, "count the bot's Redis round trips by command and key pattern too")
	fs.StringVar(&o.logLevel, "log-level", "warn", "the bot's LOG_LEVEL")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.redisURL == "" {
		o.redisURL = os.Getenv("REDIS_URL")
	}
	if o.redisURL == "" {
		o.redisURL = "redis://127.0.0.1:6379/13"
	}
	switch {
	case o.conversations < 1 || o.runs < 1 || o.duration < time.Second:
		fmt.Fprintln(os.Stderr, "boussole-load relay: need -conversations ≥ 1, -runs ≥ 1, -duration ≥ 1s")
		return 2
	case o.gapMin <= 0 || o.gapMax < o.gapMin:
		fmt.Fprintln(os.Stderr, "boussole-load relay: need 0 < -gap-min ≤ -gap-max")
		return 2
	case o.sides != "both" && o.sides != "person" && o.sides != "volunteer":
		fmt.Fprintln(os.Stderr, "boussole-load relay: -sides both, person or volunteer")
		return 2
	case o.limits != "telegram" && o.limits != "none":
		fmt.Fprintln(os.Stderr, "boussole-load relay: -limits telegram or none")
		return 2
	case o.store != "redis" && o.store != "embedded":
		fmt.Fprintln(os.Stderr, "boussole-load relay: -store redis or embedded")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	total := 4*time.Minute + o.idle + o.warmup + time.Duration(o.runs)*o.duration + time.Minute
	ctx, cancel := context.WithTimeout(ctx, total)
	defer cancel()
	if err := driveRelay(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load relay:", err)
		return 1
	}
	return 0
}

// msgKey is a user's message: the chat it was written in and its id.
type msgKey struct {
	chat int64
	id   int
}

type pendingMsg struct {
	sent time.Time
	dir  int
}

// relaySample is one relayed message: when it was written, how long its
// copy took.
type relaySample struct {
	sent time.Time
	took time.Duration
	dir  int
}

// relay plays the persons and volunteers and times the copies through the
// fake's call hook.
type relay struct {
	fake *telegramtest.Server
	n    int

	mu        sync.Mutex
	pending   map[msgKey]pendingMsg
	samples   []relaySample
	calls     map[string]int64 // Bot API calls by method, failures included
	failed    map[string]int64 // of which refused (429 and others)
	copies    int64            // successful copies of a user's message
	injected  int64
	partner   map[int64]int64 // learnt from the first copy of each chat
	misrouted int64           // copies that went to another chat than the partner
	strays    int64           // copies of no message the tool wrote (a header…)
	busy      time.Time       // the last call other than getUpdates
}

func newRelay(n int) *relay {
	return &relay{n: n, pending: map[msgKey]pendingMsg{}, calls: map[string]int64{}, failed: map[string]int64{},
		partner: map[int64]int64{}}
}

func person(i int) int64      { return relayPeople + int64(i) }
func volunteerID(i int) int64 { return relayVolunteers + int64(i) }

// onCall is the fake's call hook: it counts every call and matches each
// copy with the message it copies.
func (r *relay) onCall(c telegramtest.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[c.Method]++
	if c.Method != "getUpdates" {
		r.busy = c.Time
	}
	if !c.OK() {
		r.failed[c.Method]++
		return
	}
	var ids []int
	switch c.Method {
	case "copyMessage":
		ids = []int{atoi(c.Params["message_id"])}
	case "copyMessages":
		ids = intList(c.Params["message_ids"])
	default:
		return
	}
	from, to := atoi64(c.Params["from_chat_id"]), atoi64(c.Params["chat_id"])
	for _, id := range ids {
		p, ok := r.pending[msgKey{from, id}]
		if !ok {
			r.strays++
			continue
		}
		delete(r.pending, msgKey{from, id})
		r.copies++
		r.samples = append(r.samples, relaySample{sent: p.sent, took: c.Time.Sub(p.sent), dir: p.dir})
		if want, ok := r.partner[from]; !ok {
			r.partner[from] = to
		} else if want != to {
			r.misrouted++
		}
	}
}

// write sends a user's text and notes when, under the lock so that the
// copy, which can only come after, finds it.
func (r *relay) write(chat int64, dir int, text string, opts []telegramtest.UserOpt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sent := time.Now()
	_, id := r.fake.SendText(chat, text, opts...)
	r.pending[msgKey{chat, id}] = pendingMsg{sent: sent, dir: dir}
	r.injected++
}

// Ordinary words of both sides (nothing the triage finds alarming).
var (
	personWords = []string{
		"Bonjour, merci de me répondre.",
		"Mon fils ne veut plus aller à l'école depuis la rentrée.",
		"Je ne sais pas à qui demander pour les papiers de la CAF.",
		"Oui, je peux vous expliquer un peu plus.",
		"C'est surtout le soir que c'est difficile à la maison.",
		"D'accord, je vais essayer ça cette semaine.",
	}
	volunteerWords = []string{
		"Bonjour, je suis là. Prenez votre temps.",
		"Je comprends. Depuis combien de temps est-ce comme ça ?",
		"Vous avez bien fait d'écrire. Qu'est-ce qui vous aiderait le plus ?",
		"Il existe un point d'accueil près de chez vous, je peux vous donner l'adresse.",
		"D'accord. Et comment ça se passe avec l'école ?",
	}
)

// speak is one writer: a message every gapMin…gapMax, from a random start.
func (r *relay) speak(chat int64, dir int, o relayOptions, stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	words, opts := personWords, []telegramtest.UserOpt{telegramtest.FirstName("Personne"), telegramtest.Lang("fr")}
	if dir == toPerson {
		words, opts = volunteerWords, []telegramtest.UserOpt{telegramtest.FirstName("Bénévole"), telegramtest.Lang("fr")}
	}
	gap := func() time.Duration {
		return o.gapMin + time.Duration(rand.Int64N(int64(o.gapMax-o.gapMin)+1))
	}
	t := time.NewTimer(time.Duration(rand.Int64N(int64(o.gapMax) + 1)))
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		r.write(chat, dir, fmt.Sprintf("%s (%d)", words[rand.IntN(len(words))], n), opts)
		t.Reset(gap())
	}
}

// relaySnap is every counter at one instant; a window is the difference
// of two.
type relaySnap struct {
	at       time.Time
	cpu      cpuTimes
	cpuOK    bool
	trips    int64
	tripsOK  bool
	byCmd    map[string]int64
	calls    map[string]int64
	failed   map[string]int64
	copies   int64
	injected int64
	redis    redisCounters
	redisOK  bool
	load     string
}

func (r *relay) snap(ctx context.Context, bot *botProc, rdb *redis.Client) relaySnap {
	s := relaySnap{at: time.Now()}
	if c, err := procCPU(bot.pid); err == nil {
		s.cpu, s.cpuOK = c, true
	}
	if st, ok := bot.stats(ctx); ok {
		s.trips, s.tripsOK, s.byCmd = st.RedisRoundTrips, true, st.RedisByCommand
	}
	r.mu.Lock()
	s.calls, s.failed = cloneCounts(r.calls), cloneCounts(r.failed)
	s.copies, s.injected = r.copies, r.injected
	r.mu.Unlock()
	if rdb != nil {
		if rc, err := readCommandStats(ctx, rdb); err == nil {
			s.redis, s.redisOK = rc, true
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			s.load = strings.Join(f[:3], " ")
		}
	}
	return s
}

func cloneCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func driveRelay(ctx context.Context, o relayOptions) error {
	machine(os.Stdout)
	var rdb *redis.Client
	if o.store == "redis" {
		c, err := openRelayRedis(ctx, o.redisURL)
		if err != nil {
			return err
		}
		defer func() { _ = c.Close() }()
		rdb = c
	}
	r := newRelay(o.conversations)
	fakeOpts := []telegramtest.Option{telegramtest.WithCallLogLimit(16), telegramtest.WithCallHook(r.onCall)}
	if o.limits == "telegram" {
		// Telegram's limits on private chats and overall; none on the
		// group, whose 20 writes a minute would only make the setup (50
		// cards, 50 claims) take minutes: the group is not measured.
		fakeOpts = append(fakeOpts, telegramtest.WithRateLimitConfig(telegramtest.RateLimits{
			PerChat: 1, PerChatBurst: 3, Global: 30, GlobalBurst: 30}))
	}
	fake := telegramtest.New(fakeOpts...)
	defer fake.Close()
	r.fake = fake
	fake.AddGroup(relayGroup, "Bénévoles")

	url := o.redisURL
	if o.store == "embedded" {
		url = ""
	}
	env := append(botEnv(fake.URL(), fake.Token(), url, o.logLevel),
		fmt.Sprintf("VOLUNTEER_CHAT_ID=%d", relayGroup),
		"VOLUNTEER_HOURS=mon-sun 00:00-24:00",
		"VOLUNTEER_CAPACITY=5",
		"SEND_RATE_GROUP=50/s", // the setup's cards; the group is not measured
	)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	argv := []string{self, "bot", "-limits", o.limits}
	if o.store == "embedded" {
		argv = append(argv, "-embedded")
	}
	if o.byCommand {
		argv = append(argv, "-trips-by-command")
	}
	bot, err := startChild(ctx, pinned(o.cpu, argv), env, true, nil)
	if err != nil {
		return err
	}
	defer bot.stop()
	if err := fake.WaitFor(ctxFor(ctx, time.Minute), func() bool { return fake.Polling() || r.count("getUpdates") > 0 }); err != nil {
		return errors.New("the bot never called getUpdates")
	}
	fmt.Printf("fake Bot API: %s, limits %s; bot: pid %d, store %s %s, GOMAXPROCS=1, core %d\n",
		fake.URL(), o.limits, bot.pid, o.store, url, o.cpu)

	t0 := time.Now()
	if err := r.setup(ctx); err != nil {
		return err
	}
	fmt.Printf("setup: %d handoffs established in %v\n", o.conversations, time.Since(t0).Round(time.Millisecond))
	// The board edits the cards of the claims, five a second: the idle
	// window starts when the bot has called nothing but getUpdates for 3 s.
	quiet := r.waitQuiet(ctx, 3*time.Second, 2*time.Minute)
	fmt.Printf("quiet after %v more\n", quiet.Round(time.Millisecond))

	idleA := r.snap(ctx, bot, rdb)
	time.Sleep(o.idle)
	idleB := r.snap(ctx, bot, rdb)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range o.conversations {
		if o.sides != "volunteer" {
			wg.Add(1)
			go r.speak(person(i), toVolunteer, o, stop, &wg)
		}
		if o.sides != "person" {
			wg.Add(1)
			go r.speak(volunteerID(i), toPerson, o, stop, &wg)
		}
	}
	writers := o.conversations
	if o.sides == "both" {
		writers *= 2
	}
	mean := (o.gapMin + o.gapMax) / 2
	fmt.Printf("load: %d writers (%s), one message every %v–%v each (%.1f messages/s offered); warm-up %v, %d windows of %v\n",
		writers, o.sides, o.gapMin, o.gapMax, float64(writers)/mean.Seconds(), o.warmup, o.runs, o.duration)
	sleepCtx(ctx, o.warmup)
	var marks []relaySnap
	marks = append(marks, r.snap(ctx, bot, rdb))
	for i := range o.runs {
		sleepCtx(ctx, o.duration)
		marks = append(marks, r.snap(ctx, bot, rdb))
		fmt.Printf("  window %d done: %d copies so far\n", i+1, marks[len(marks)-1].copies)
	}
	close(stop)
	wg.Wait()
	// The last copies are timed too.
	_ = fake.WaitFor(ctxFor(ctx, 20*time.Second), func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.pending) == 0
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.report(os.Stdout, idleA, idleB, marks)
	return nil
}

// waitQuiet waits until the bot has called nothing but getUpdates for
// still, at most limit; it returns how long it waited.
func (r *relay) waitQuiet(ctx context.Context, still, limit time.Duration) time.Duration {
	t0 := time.Now()
	for time.Since(t0) < limit && ctx.Err() == nil {
		r.mu.Lock()
		busy := r.busy
		r.mu.Unlock()
		if time.Since(busy) >= still {
			break
		}
		sleepCtx(ctx, 100*time.Millisecond)
	}
	return time.Since(t0)
}

func (r *relay) count(method string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[method]
}

func ctxFor(parent context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(parent, d)
	go func() { <-ctx.Done(); cancel() }()
	return ctx
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// openRelayRedis empties database 13 of a Redis on 127.0.0.1 and keeps a
// client for INFO commandstats.
func openRelayRedis(ctx context.Context, url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("-redis: %w", err)
	}
	if opt.DB != relayDB {
		return nil, fmt.Errorf("refusing to FLUSHDB database %d: relay runs use database %d", opt.DB, relayDB)
	}
	if !strings.HasPrefix(opt.Addr, "127.0.0.1:") && !strings.HasPrefix(opt.Addr, "localhost:") {
		return nil, fmt.Errorf("refusing to FLUSHDB %s: relay runs use a Redis on 127.0.0.1", opt.Addr)
	}
	c := redis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("redis %s: %w", opt.Addr, err)
	}
	if err := c.FlushDB(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// sortedKeys of a count map, largest first.
func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		switch {
		case m[a] > m[b]:
			return -1
		case m[a] < m[b]:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}
