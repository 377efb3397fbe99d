// Package handoff is the volunteer desk: tickets, the volunteers' group as
// the dispatch board, the claim, and the volunteer's side of the relay. The
// person's side lives in internal/conversation, which the desk drives
// through Apply, so that whatever concerns a person is written with their
// conversation, in one atomic step.
package handoff

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
)

// Bot is the Bot API as the desk uses it.
type Bot interface {
	// Member is a user's status in a chat ("member", "administrator",
	// "creator", "restricted", "left", "kicked").
	Member(ctx context.Context, chat, user int64) (string, error)
	// Card sends (messageID 0) or edits a message with buttons, returning its id.
	Card(ctx context.Context, chat int64, messageID int, text string, buttons [][]flow.Button) (int, error)
	// Answer stops a tapped button's spinner, with a short text.
	Answer(ctx context.Context, callbackID, text string, alert bool) error
}

// People is the conversation service as the desk drives it.
type People interface {
	Handle(ctx context.Context, u conversation.Update) (conversation.Result, error)
	Apply(ctx context.Context, chat int64, ev conversation.Event) error
	// LastActive is when the person last wrote or was written to.
	LastActive(ctx context.Context, chat int64) (time.Time, error)
}

// Limiter paces the writes to the volunteers' group (20 a minute, shared
// by every replica).
type Limiter interface {
	Take(ctx context.Context) (time.Duration, error)
}

// Counter counts for the observatory (see conversation.Counter), and
// times the waits: "wait" (queued → taken), "handling" (taken → closed).
type Counter interface {
	Count(now time.Time, kind, lang, need, arrondissement string)
	Observe(now time.Time, name string, d time.Duration)
}

// count counts a ticket's event, with what the person chose to say.
func (d *Desk) count(now time.Time, kind string, t Ticket) {
	if d.counter == nil {
		return
	}
	need := t.Summary["need"]
	if need == "" {
		need = t.Category
	}
	d.counter.Count(now, kind, t.Lang, need, t.Summary["arrondissement"])
	switch {
	case kind == "ticket_taken" && !since(t).IsZero():
		d.counter.Observe(now, "wait", now.Sub(since(t)))
	case kind == "ticket_closed" && !t.Taken.IsZero():
		d.counter.Observe(now, "handling", now.Sub(t.Taken))
	}
}

// Config is the desk's settings.
type Config struct {
	Group     int64         // VOLUNTEER_CHAT_ID: the volunteers' supergroup
	Hours     Hours         // VOLUNTEER_HOURS
	Reminder  time.Duration // REMINDER_AFTER: a ticket waiting longer is announced again
	Capacity  int           // tickets a volunteer holds at once (default 1)
	Admins    []int64       // coordinators, told of /alerte
	BotName   string        // the bot's username, for the t.me link
	Owner     string        // this replica, for leases and the board's lock
	Key       []byte        // key of the volunteers' pseudonyms
	Templates map[string]map[string]string
}

// Desk runs the volunteer desk.
type Desk struct {
	cfg     Config
	store   Store
	people  People
	outbox  conversation.Store // to queue the desk's words to volunteers
	hold    conversation.Outbox
	bot     Bot
	bundle  *i18n.Bundle
	log     zerolog.Logger
	limiter Limiter
	lock    func(ctx context.Context, ttl time.Duration) (bool, error)
	now     func() time.Time
	counter Counter

	members     members
	wait        estimator
	pausedUntil time.Time // the group's writes wait until then (Telegram's 429); the board's goroutine only

	mu    sync.Mutex
	known map[int64]bool // volunteers, routed to the desk in private
	// notVol are users found in the store not to be volunteers, and when:
	// their private messages go to their conversation without asking again
	// for a while.
	notVol  map[int64]time.Time
	chats   map[int64]int64 // ticket → the person's chat (never changes)
	vols    map[int64]cachedVolunteer
	volLang map[int64]string
}

// Deps are what the desk runs on.
type Deps struct {
	Store   Store
	People  People
	Outbox  conversation.Store
	Hold    conversation.Outbox
	Bot     Bot
	Bundle  *i18n.Bundle
	Log     zerolog.Logger
	Limiter Limiter
	Lock    func(ctx context.Context, ttl time.Duration) (bool, error)
	Now     func() time.Time
	Counter Counter // nil counts nothing
}

// New assembles a desk.
func New(cfg Config, d Deps) *Desk {
	if cfg.Capacity <= 0 {
		cfg.Capacity = 1
	}
	if cfg.Reminder <= 0 {
		cfg.Reminder = 10 * time.Minute
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Desk{cfg: cfg, store: d.Store, people: d.People, outbox: d.Outbox, hold: d.Hold, bot: d.Bot,
		bundle: d.Bundle, log: d.Log, limiter: d.Limiter, lock: d.Lock, now: d.Now, counter: d.Counter,
		members: members{ttl: 30 * time.Second, m: map[int64]memberEntry{}},
		known:   map[int64]bool{}, notVol: map[int64]time.Time{}, chats: map[int64]int64{}, volLang: map[int64]string{}, vols: map[int64]cachedVolunteer{}}
}

// Owns reports whether an update is the desk's: anything in the
// volunteers' group, and a volunteer's private messages (a group member
// opening a private chat with the deep link "/start benevole" included).
func (d *Desk) Owns(u conversation.Update) bool {
	if u.Chat == d.cfg.Group {
		return true
	}
	if !u.Private || u.From == 0 {
		return false
	}
	if u.Kind == conversation.KindText && strings.HasPrefix(strings.ToLower(u.Text), "/start benevole") {
		return true
	}
	d.mu.Lock()
	known := d.known[u.From]
	checked, seen := d.notVol[u.From]
	d.mu.Unlock()
	if known {
		return true
	}
	if seen && d.now().Sub(checked) < notVolFor {
		return false
	}
	// Not met here yet: another replica may have met this volunteer a
	// moment ago (RefreshKnown learns it within a second; their message
	// must not become a person's meanwhile). One read, then remembered.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, ok, err := d.store.Volunteer(ctx, u.From)
	if err != nil {
		return false // the store is down: the person's path answers, degraded
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if ok {
		d.known[u.From] = true
		return true
	}
	if len(d.notVol) > maxNotVol {
		d.notVol = map[int64]time.Time{}
	}
	d.notVol[u.From] = d.now()
	return false
}

// notVolFor is how long a user found not to be a volunteer is not asked
// about again. Becoming one meanwhile is learnt by RefreshKnown within a
// second (known is checked first), so the read is only for a user this
// replica never met: a family writing all day costs it once an hour.
const notVolFor = time.Hour

// maxNotVol bounds what Owns remembers of people.
const maxNotVol = 100000

// Handle runs one of the desk's updates. A nil error means it is durable.
func (d *Desk) Handle(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	if u.Chat == d.cfg.Group {
		return d.group(ctx, u)
	}
	return d.private(ctx, u)
}

// remember marks a user as a volunteer on this replica.
func (d *Desk) remember(id int64, lang string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.known[id] = true
	delete(d.notVol, id)
	if lang != "" {
		d.volLang[id] = lang
	}
}

func (d *Desk) forget(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.known, id)
	delete(d.vols, id)
	d.members.drop(id)
}

// langOf is the language a volunteer reads the desk in.
func (d *Desk) langOf(id int64) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if l := d.volLang[id]; l != "" {
		return l
	}
	return "fr"
}

func clientLang(code string) string {
	if strings.HasPrefix(strings.ToLower(code), "ar") {
		return "ar"
	}
	return "fr"
}

// chatOf is the person's chat of a ticket, cached: it never changes.
func (d *Desk) chatOf(ctx context.Context, id int64) (int64, error) {
	d.mu.Lock()
	c, ok := d.chats[id]
	d.mu.Unlock()
	if ok {
		return c, nil
	}
	t, err := d.store.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	d.mu.Lock()
	if len(d.chats) > 10000 {
		clear(d.chats)
	}
	d.chats[id] = t.Chat
	d.mu.Unlock()
	return t.Chat, nil
}

// say queues the desk's words to a volunteer (or a coordinator) in their
// private chat.
func (d *Desk) say(ctx context.Context, chat int64, text string) error {
	now := d.now()
	items := conversation.Items(conversation.Reply{Text: text, Lang: d.langOf(chat)}, now, delivery.Item{Must: true})
	c, err := d.outbox.Enqueue(ctx, chat, items, d.cfg.Owner, now)
	if err != nil {
		return &conversation.StoreError{Err: err}
	}
	d.hold.Hold(chat, c)
	return nil
}

// t translates for a volunteer.
func (d *Desk) t(vol int64, id string, data map[string]string) string {
	return d.bundle.T(d.langOf(vol), id, data)
}

// pseudonym names a volunteer to the other volunteers: stable, not their
// name, meaningless outside the desk.
func (d *Desk) pseudonym(id int64) string {
	m := hmac.New(sha256.New, d.cfg.Key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(id))
	m.Write(b[:])
	sum := m.Sum(nil)
	n := binary.BigEndian.Uint32(sum)
	return "Bénévole " + pseudoWords[int(n%uint32(len(pseudoWords)))] + " " + strconv.Itoa(int(n/uint32(len(pseudoWords))%90)+10)
}

var pseudoWords = []string{"Mistral", "Calanque", "Olivier", "Lavande", "Cigale", "Garrigue", "Phare", "Frioul",
	"Pin", "Sardine", "Goéland", "Figuier", "Amandier", "Romarin", "Thym", "Rocher", "Estaque", "Vallon",
	"Corniche", "Panier", "Soleil", "Vague", "Écume", "Galet", "Cyprès", "Lumière", "Azur", "Colline",
	"Fontaine", "Platane", "Mouette", "Anémone"}

// volunteerTTL bounds how long this replica trusts its copy of a
// volunteer's record: the person's conversation checks every relay anyway.
const volunteerTTL = time.Minute

type cachedVolunteer struct {
	v  Volunteer
	at time.Time
}

// volunteer returns what the desk knows of a volunteer, with defaults, from
// this replica's copy when it is fresh.
func (d *Desk) volunteer(ctx context.Context, id int64) (Volunteer, error) {
	d.mu.Lock()
	c, ok := d.vols[id]
	d.mu.Unlock()
	if ok && d.now().Sub(c.at) < volunteerTTL {
		return c.v, nil
	}
	return d.freshVolunteer(ctx, id)
}

// dropVolunteer forgets this replica's copy of a volunteer's record.
func (d *Desk) dropVolunteer(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.vols, id)
}

// freshVolunteer reads a volunteer's record from the store.
func (d *Desk) freshVolunteer(ctx context.Context, id int64) (Volunteer, error) {
	v, ok, err := d.store.Volunteer(ctx, id)
	if err != nil {
		return Volunteer{}, err
	}
	if !ok {
		v = Volunteer{ID: id, Capacity: d.cfg.Capacity}
	}
	if v.Pseudonym == "" {
		v.Pseudonym = d.pseudonym(id)
	}
	if v.Capacity <= 0 {
		v.Capacity = d.cfg.Capacity
	}
	d.mu.Lock()
	if len(d.vols) > 5000 {
		clear(d.vols)
	}
	d.vols[id] = cachedVolunteer{v: v, at: d.now()}
	d.mu.Unlock()
	return v, nil
}

func storeErr(err error) error {
	if err == nil {
		return nil
	}
	return &conversation.StoreError{Err: err}
}
