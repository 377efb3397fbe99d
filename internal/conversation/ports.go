package conversation

import (
	"context"
	"errors"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// Record is everything stored for one chat: its state, the replies not yet
// confirmed as sent (the outbox) and the last update applied.
type Record struct {
	State      flow.State `json:"state"`
	Outbox     []Outgoing `json:"outbox,omitempty"`
	LastUpdate int64      `json:"last_update,omitempty"`
	Rev        int64      `json:"-"` // revision for compare-and-set; 0: nothing stored
}

// Outgoing is a reply waiting in the outbox.
type Outgoing = Reply

// Commit is what one step writes, atomically.
type Commit struct {
	Chat       int64
	Rev        int64 // the revision the step was computed from
	UpdateID   int64 // 0 for internal steps (no Telegram update)
	Record     Record
	IncomingID int // the person's message id, journaled for erasing; 0 if none
	TTL        time.Duration
	Now        time.Time
}

// CommitResult tells how the compare-and-set went.
type CommitResult struct {
	Status  CommitStatus
	Rev     int64  // the new revision when Status is Committed
	Current Record // the stored record when Status is Conflict or Duplicate
}

// CommitStatus is the outcome of a commit.
type CommitStatus int

const (
	Committed CommitStatus = iota // written
	Conflict                      // someone else wrote first: recompute from Current
	Duplicate                     // this update was already applied: Current holds the result
)

// Store keeps conversations. Implementations must make Commit atomic (one
// round trip) and give every key an expiry.
type Store interface {
	// Load returns the record of a chat (Rev 0 when there is none).
	Load(ctx context.Context, chat int64) (Record, error)
	// Commit writes a step's result if the stored revision is still c.Rev and
	// c.UpdateID was not applied yet, and refreshes the expiry.
	Commit(ctx context.Context, c Commit) (CommitResult, error)
	// Ack records that the outbox of revision rev was sent, as messages sent
	// (journaled for erasing). It leaves a newer outbox alone.
	Ack(ctx context.Context, chat, rev int64, sent []int, now time.Time) error
	// Journal lists the ids of the chat's messages younger than 48 hours,
	// in both directions.
	Journal(ctx context.Context, chat int64, now time.Time) ([]int, error)
	// Forget deletes everything stored about the chat.
	Forget(ctx context.Context, chat int64) error
	// Pending lists chats whose outbox was never acknowledged (after a crash).
	Pending(ctx context.Context, limit int) ([]int64, error)
}

// ErrBlocked means the person blocked the bot: nothing more can be sent.
var ErrBlocked = errors.New("conversation: the person blocked the bot")

// ErrRejected means the channel will never accept this message as it is
// (a malformed request): it is dropped rather than retried forever. Any other
// send error is temporary and the reply stays in the outbox.
var ErrRejected = errors.New("conversation: message rejected")

// Sender delivers messages to a chat. It paces itself and retries what can
// be retried; an error means the message could not be delivered.
type Sender interface {
	Send(ctx context.Context, chat int64, m Outgoing) (msgID int, err error)
	Delete(ctx context.Context, chat int64, ids []int) error
	AnswerButton(ctx context.Context, callbackID string) error
	Typing(ctx context.Context, chat int64) error
}
