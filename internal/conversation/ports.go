package conversation

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

// Record is what is stored for one chat: its state and the ids of the last
// updates applied (to recognise a redelivery).
type Record struct {
	State  flow.State
	Recent []int64 // update ids, oldest first, at most RecentUpdates
	Rev    int64   // revision for compare-and-set; 0: nothing stored
	Link   Link    // the person's volunteer ticket, while one is open
}

// Link binds a person to their open ticket at the volunteer desk. It lives
// with the conversation, so that a relayed message is stored with the state
// it was relayed from, in one write.
type Link struct {
	Ticket    int64  `json:"t,omitempty"` // 0: no open ticket
	Code      string `json:"c,omitempty"` // the ticket's opaque code
	Volunteer int64  `json:"v,omitempty"` // the volunteer's chat while one holds it; 0 while queued
	// Pending are the person's messages written while queued, copied to
	// the volunteer who takes the ticket (at most MaxPending, oldest dropped).
	Pending []int  `json:"p,omitempty"`
	Told    int64  `json:"w,omitempty"` // when the person was last told their place, unix seconds
	VLang   string `json:"l,omitempty"` // the volunteer's language, for the desk's words to them
}

// MaxPending is how many messages written while queued wait for the volunteer.
const MaxPending = 20

// Open reports whether the link holds a ticket.
func (l Link) Open() bool { return l.Ticket != 0 }

// RecentUpdates is how many update ids a chat remembers. Telegram redelivers
// an update until it is acknowledged, so only the last few can come back;
// ids are never compared by size, because Telegram restarts them lower after
// a quiet week.
const RecentUpdates = 32

// Seen reports whether update id was applied already.
func (r Record) Seen(id int64) bool { return id != 0 && slices.Contains(r.Recent, id) }

// EraseMode says what a commit deletes besides writing the step.
type EraseMode int

const (
	EraseNone   EraseMode = iota
	EraseChat             // /effacer: the messages of the last 48 h and the outbox
	EraseForget           // /oubli: that, and the state itself
	BlockChat             // the person blocked the bot: the outbox is emptied until they write again
	// Foreign is a step written for another's update (a volunteer's, by the
	// desk): like EraseNone, but it does not clear the person's blocked
	// flag, which only the person's own updates clear.
	Foreign EraseMode = 5
)

// Commit is what one step writes, atomically.
type Commit struct {
	Chat       int64
	Rev        int64 // the revision the step was computed from
	UpdateID   int64 // 0 for internal steps (no Telegram update)
	State      flow.State
	Outbox     []delivery.Item // appended to the chat's outbox, in order
	IncomingID int             // the message id journaled for erasing; 0 if none
	// IncomingChat is the chat of IncomingID when it is not Chat: a
	// volunteer's message relayed to this person, erased with this
	// conversation. 0: Chat.
	IncomingChat int64
	Link         Link // stored with the state (zero: none)
	Erase        EraseMode
	Owner        string // the replica that takes the chat's sending lease if it is free
	TTL          time.Duration
	Now          time.Time
}

// CommitResult tells how the compare-and-set went.
type CommitResult struct {
	Status  CommitStatus
	Rev     int64          // the new revision when Committed
	Current Record         // the stored record when Conflict or Duplicate
	Claim   delivery.Claim // the chat's lease and outbox head when Committed
}

// CommitStatus is the outcome of a commit.
type CommitStatus int

const (
	Committed CommitStatus = iota // written
	Conflict                      // someone else wrote first: recompute from Current
	Duplicate                     // this update was already applied
)

// Store keeps conversations. Commit must be atomic (one round trip) and every
// key must expire.
type Store interface {
	// Load returns the record of a chat (Rev 0 when there is none). An
	// unreadable record is reported with ErrCorrupt.
	Load(ctx context.Context, chat int64) (Record, error)
	// Reload is Load from the store itself, past any cache: another replica
	// may have written since this one cached the record.
	Reload(ctx context.Context, chat int64) (Record, error)
	// Commit writes a step's result if the stored revision is still c.Rev and
	// c.UpdateID was not applied yet, and appends its outbox.
	Commit(ctx context.Context, c Commit) (CommitResult, error)
	// SetAside moves an unreadable record out of the way, kept briefly for
	// an operator, so that the conversation can start afresh.
	SetAside(ctx context.Context, chat int64) error
	// Enqueue appends items to a chat's outbox without a step (the desk's
	// words to a volunteer), taking the sending lease for owner when free.
	Enqueue(ctx context.Context, chat int64, items []delivery.Item, owner string, now time.Time) (delivery.Claim, error)
	// Copy finds where message id of chat src was copied to by this chat's
	// outbox (a relay), or, when it is itself a copy, the message it copies:
	// ok is false when neither (yet), or over 48 h ago.
	Copy(ctx context.Context, chat, src int64, id int) (dst int64, dstID int, ok bool, err error)
}

// ErrCorrupt means a stored record could not be read: it is a permanent
// fault of that record, not an outage.
var ErrCorrupt = errors.New("conversation: stored record is corrupt")

// Outbox is the delivery engine as a step sees it.
type Outbox interface {
	// Hold starts sending a chat whose lease the step's commit took.
	Hold(chat int64, c delivery.Claim)
	// Waiting reports whether the chat's replies are held back (paced,
	// retrying).
	Waiting(chat int64) bool
	// Backlog is how many chats wait for the global rate.
	Backlog() int
}

// Channel is what a step does at once, outside the outbox: nothing here
// spends the message budget, except SendNow, used only when the store is
// unreachable and the outbox with it.
type Channel interface {
	// AnswerButton stops a tapped button's spinner, with a short text or none.
	AnswerButton(ctx context.Context, callbackID, text string) error
	// Typing shows "typing…" in the chat.
	Typing(ctx context.Context, chat int64) error
	// SendNow sends one message directly.
	SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error)
}
