package handoff

import (
	"context"
	"errors"
	"time"
)

// Status is where a ticket is in its life: queued → claimed → closed, and
// back to queued when a volunteer releases it or recuses themselves.
type Status string

const (
	Queued  Status = "queued"
	Claimed Status = "claimed"
	Closed  Status = "closed"
)

// Rank orders the queue: the emergency path first, then a ticket whose
// person wrote an emergency word, then the rest; within a rank, the longest
// wait first.
type Rank int

const (
	RankUrgent Rank = iota // opened from the emergency path
	RankAlarm              // an emergency word in the person's messages
	RankNormal
)

// Ticket is one request for a volunteer. It never holds a name, a username,
// a phone number or anything the person typed: Summary holds the choices
// made in the tree (need, arrondissement when given).
type Ticket struct {
	ID       int64
	Code     string // opaque, what volunteers call the person: "K7F"
	Chat     int64  // the person's chat; never shown to a volunteer
	Status   Status
	Category string // psy, medical, legal, deuil, menace, general
	Rank     Rank
	Lang     string
	Summary  map[string]string
	Opened   time.Time
	Queued   time.Time // when it last entered the queue (opened or released)
	Taken    time.Time // when a volunteer last took it

	Volunteer int64  // who holds it (Claimed), or held it last
	Pseudonym string // that volunteer's pseudonym
	Notes     []Note // internal notes, passed on with the ticket
	Recused   []int64
	Card      int    // the card's message id in the volunteers' group, 0 until sent
	Outcome   string // when closed: "closed" (volunteer), "ended" (person), "cancelled" (person, while queued), "erased", "left"
	Reminded  bool   // announced again in the group after REMINDER_AFTER
	Alerted   bool   // /alerte was used
	Messages  int    // relayed messages, both ways (an anonymous count)
	Closed    time.Time
	Version   int64 // grows with every change a card shows (the board compares it)
}

// Note is an internal note of a volunteer, never relayed to the person.
type Note struct {
	ID   int64  `json:"i"` // the update that wrote it: a redelivery does not write it twice
	By   string `json:"b"` // pseudonym
	Text string `json:"t"`
	At   int64  `json:"a"` // unix seconds
}

// Volunteer is a member of the volunteers' group as the desk knows them. ID
// is their Telegram user id, which is also their private chat with the bot.
type Volunteer struct {
	ID        int64
	Pseudonym string // shown to other volunteers; never to the person
	Off       bool   // /dispo off: takes no new ticket
	Capacity  int    // most tickets held at once
	Tickets   []int64
	Last      int64 // the ticket they answered last
	Private   bool  // they opened a private chat with the bot (/start)
}

// ClaimStatus is the outcome of a claim.
type ClaimStatus int

const (
	Won       ClaimStatus = iota // the ticket is this volunteer's (now, or already)
	Taken                        // another volunteer holds it: Ticket.Pseudonym says who
	Full                         // the volunteer holds Capacity tickets already
	Recused                      // the volunteer recused themselves from it
	Gone                         // closed, or does not exist
	Off                          // the volunteer is off duty
	NoPrivate                    // the volunteer never opened a private chat with the bot
)

// ErrNotFound means no such ticket.
var ErrNotFound = errors.New("handoff: no such ticket")

// ErrNotHolder means the volunteer does not hold that ticket.
var ErrNotHolder = errors.New("handoff: not this volunteer's ticket")

// Store keeps tickets, the queue and volunteers, shared by every replica.
// Every operation is atomic (one script) and idempotent: done again (an
// update delivered twice), it changes nothing more and returns the ticket as
// it is. Every key expires. Every operation that changes what a card shows
// marks the ticket's card for the board (see Board).
type Store interface {
	// Open opens a ticket for t.Chat unless one is open already; then it
	// returns that one and existing is true. The store assigns ID, Code,
	// Status, Opened and Queued.
	Open(ctx context.Context, t Ticket, now time.Time) (tk Ticket, existing bool, err error)
	// Get returns a ticket (ErrNotFound).
	Get(ctx context.Context, id int64) (Ticket, error)
	// OpenFor returns the id of the person's open ticket, 0 if none.
	OpenFor(ctx context.Context, chat int64) (int64, error)
	// Position is 1 for the ticket that would be taken next; 0 when not queued.
	Position(ctx context.Context, id int64) (int, error)
	// Active lists every open ticket, queued or claimed.
	Active(ctx context.Context) ([]Ticket, error)
	// Queue lists up to limit queued tickets, next first.
	Queue(ctx context.Context, limit int) ([]Ticket, error)

	// Claim gives a queued ticket to v, atomically: of many volunteers
	// claiming at once exactly one wins. It checks v's capacity, duty and
	// recusals; v's record (pseudonym, capacity, private) is created or
	// refreshed from v.
	Claim(ctx context.Context, id int64, v Volunteer, now time.Time) (ClaimStatus, Ticket, error)
	// Release puts a ticket v holds back in the queue (keeping its place by
	// its first wait), with an optional note; recuse also bars v from it for
	// good.
	Release(ctx context.Context, id, v int64, note *Note, recuse bool, now time.Time) (Ticket, error)
	// Close closes a ticket: by its volunteer (v, who must hold it), or by
	// the person or the system (v = 0), with an outcome.
	Close(ctx context.Context, id, v int64, outcome string, now time.Time) (Ticket, error)
	// Erase closes a ticket as "erased" and strips it of everything but
	// anonymous counts (summary, notes, category stay counted, not kept).
	Erase(ctx context.Context, id int64, now time.Time) (Ticket, error)
	// Alarm raises a queued ticket to RankAlarm (an emergency word).
	Alarm(ctx context.Context, id int64) (Ticket, error)
	// Note adds an internal note to a ticket v holds.
	Note(ctx context.Context, id, v int64, n Note) (Ticket, error)
	// Touch records activity on a held ticket: v answered it last, one
	// more message relayed.
	Touch(ctx context.Context, id, v int64, now time.Time) error
	// Alert marks the ticket as escalated with /alerte.
	Alert(ctx context.Context, id, v int64) (Ticket, error)
	// Feedback counts a person's answer to "did it help?" ("y", "s", "n")
	// by day, once per ticket, anonymously.
	// counted is false when that ticket's answer was counted already.
	Feedback(ctx context.Context, id int64, answer string, now time.Time) (counted bool, err error)

	// Volunteer returns what the desk knows of a volunteer (ok false: nothing).
	Volunteer(ctx context.Context, id int64) (v Volunteer, ok bool, err error)
	// SetVolunteer creates or updates a volunteer's duty, capacity,
	// pseudonym and private flag (not their tickets).
	SetVolunteer(ctx context.Context, v Volunteer) error
	// Leave forgets a volunteer who left the group: their tickets go back
	// to the queue, returned.
	Leave(ctx context.Context, id int64, now time.Time) ([]Ticket, error)
	// Volunteers lists the ids of every known volunteer.
	Volunteers(ctx context.Context) ([]int64, error)

	// The board is the queue of writes to the volunteers' group, the only
	// writer there (Telegram allows 20 messages a minute per group, edits
	// included). Entries: "card:<id>" (send or edit a ticket's card: one entry
	// however many changes, so updates coalesce), "remind:<id>" (announce
	// again a ticket that waits too long), "private:<user id>" (tell a
	// volunteer to open a private chat with the bot first).
	//
	// Board lists up to limit entries, oldest first.
	Board(ctx context.Context, limit int) ([]string, error)
	// Post adds an entry (a second post of the same entry changes nothing).
	Post(ctx context.Context, entry string, now time.Time) error
	// CardDone records a card's message id once sent or edited, and removes
	// "card:<id>" from the board unless the ticket changed again meanwhile
	// (version is Ticket.Version as read before rendering).
	CardDone(ctx context.Context, id int64, card int, version int64) error
	// Posted removes an entry other than a card once written.
	Posted(ctx context.Context, entry string) error
	// Remind posts "remind:<id>", once across replicas, for every queued
	// ticket that has waited longer than after (since Queued) and was not
	// announced again yet; it returns how many.
	Remind(ctx context.Context, after time.Duration, now time.Time) (int, error)
}
