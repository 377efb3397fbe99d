package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Claim is what the store says about a chat's outbox when a replica asks for
// it (after a step's commit, at start-up, or in a sweep).
type Claim struct {
	Held bool      // this replica holds the chat's lease: it sends the chat
	Head string    // the first queued entry, "" when the queue is empty
	Pace time.Time // the chat's pacing mark (theoretical arrival time); zero: none

	// Set by a commit or an enqueue (zero from a sweep's claim):
	Queued  int  // entries in the outbox after it, the head included
	Refused int  // entries left out because the outbox was full of what must arrive
	Blocked bool // entries left out because the person blocked the bot
}

// AckResult is what the store says after an entry was sent or dropped.
type AckResult struct {
	// Escaped: the entry was queued before an erase that happened while it
	// was being sent: the messages just sent must be deleted at once.
	Escaped bool
	// Lost: another replica holds the lease now: stop sending this chat.
	Lost bool
	Next string    // the next entry, "" when the queue is empty (lease handed back)
	Pace time.Time // the chat's pacing mark after this send
}

// Pace is a per-chat sending rate: one message every Interval, with up to
// Burst messages at once after a quiet time.
type Pace struct {
	Interval time.Duration
	Burst    int
}

// Queue is the outbox store, shared by every replica.
type Queue interface {
	// Claim takes the chat's lease if it is free (or already this owner's)
	// and the queue is not empty, and returns its head.
	Claim(ctx context.Context, chat int64, owner string) (Claim, error)
	// Ack removes entry raw from the queue once sent as the messages sent
	// (journaled for erasing; none when the entry is dropped), advances the
	// chat's pace when something was sent, renews the lease and returns the
	// next entry; on an empty queue the lease is handed back.
	Ack(ctx context.Context, chat int64, owner, raw string, sent []int, pace Pace, now time.Time) (AckResult, error)
	// Block records that the person blocked the bot: the queue is emptied and
	// the lease handed back; the flag clears when the person writes again.
	// What was queued after since (when the refused send started) was
	// written after the person came back: it stays, and its head is
	// returned (next) to go on.
	Block(ctx context.Context, chat int64, owner string, since time.Time) (next string, err error)
	// Renew extends the leases this owner holds; it returns the chats whose
	// lease it no longer holds.
	Renew(ctx context.Context, owner string, chats []int64) (lost []int64, err error)
	// Release hands leases back (at shutdown).
	Release(ctx context.Context, owner string, chats []int64) error
	// Queued lists up to limit chats with a non-empty outbox.
	Queued(ctx context.Context, limit int) ([]int64, error)
	// Copy finds where message id of chat src was copied to by this chat's
	// outbox: ok is false when it never was (or over 48 h ago).
	Copy(ctx context.Context, chat, src int64, id int) (dst int64, dstID int, ok bool, err error)
}

// API is the messaging channel (Telegram's Bot API).
type API interface {
	// Send makes the one call of an item to chat (its destination): it
	// sends a text, copies messages or edits one, and returns the ids of
	// the messages it created (none for an edit). KindDelete goes to Delete.
	Send(ctx context.Context, chat int64, it Item) ([]int, error)
	// Delete deletes messages of the chat (at most DeleteBatch); messages
	// already gone are not an error.
	Delete(ctx context.Context, chat int64, ids []int) error
}

// Limiter is the global sending rate shared by every replica.
type Limiter interface {
	// Take asks for one message of the budget: wait is 0 when granted, or how
	// long to wait before asking again.
	Take(ctx context.Context) (wait time.Duration, err error)
}

// ErrBlocked means the person blocked the bot: nothing can be sent until they
// write again.
var ErrBlocked = errors.New("delivery: the person blocked the bot")

// ErrRejected means the channel will never accept this item as it is.
var ErrRejected = errors.New("delivery: item rejected")

// RetryAfter means the channel asked to wait before sending to this chat
// again (Telegram's 429).
type RetryAfter struct{ Wait time.Duration }

func (e *RetryAfter) Error() string { return fmt.Sprintf("delivery: retry after %v", e.Wait) }
