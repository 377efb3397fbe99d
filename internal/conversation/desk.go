package conversation

import (
	"context"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// Desk is the volunteer desk as a person's conversation sees it: tickets
// open, end, and are erased. internal/handoff implements it; without one
// (no volunteers' group configured) a request for a person is answered with
// the lines that answer now.
type Desk interface {
	// Open opens the person's ticket, or finds the one already open.
	Open(ctx context.Context, chat int64, t flow.Ticket, now time.Time) (Opened, error)
	// Position is the ticket's place in the queue (1: next), 0 when not queued.
	Position(ctx context.Context, ticket int64) (int, error)
	// End closes a ticket at the person's request ("ended", or "cancelled"
	// while it was queued).
	End(ctx context.Context, ticket int64, outcome string, now time.Time) error
	// Erase strips a ticket of everything but anonymous counts and tells
	// its volunteer, if any, that the person erased the conversation.
	Erase(ctx context.Context, ticket, volunteer int64, now time.Time) error
	// Alarm says the person wrote an emergency word: the ticket goes up the
	// queue.
	Alarm(ctx context.Context, ticket int64) error
	// Feedback counts the person's answer to "did it help?" ("y", "s", "n"),
	// once per ticket.
	Feedback(ctx context.Context, ticket int64, answer string, now time.Time) (counted bool, err error)
}

// Counter counts what happens, for the observatory: never who, never what
// was written; the day, the language, the need and the arrondissement the
// person chose to give, and the kind of event. It must not block.
type Counter interface {
	Count(now time.Time, kind, lang, need, arrondissement string)
	// Seen counts a person among the week's people (hashed with a key that
	// is destroyed after the week).
	Seen(now time.Time, chat int64)
}

// count counts an event of a person's conversation.
func (s *Service) count(now time.Time, kind string, st flow.State) {
	if s.Counter != nil && kind != "" {
		s.Counter.Count(now, kind, st.Lang, st.Vars["need"], st.Vars["arrondissement"])
	}
}

// Opened is what a person is told when their ticket opens.
type Opened struct {
	Ticket   int64
	Code     string
	Existing bool          // it was open already
	Position int           // place in the queue, 1: next
	Wait     time.Duration // honest estimate of the wait; < 0: unknown
	Closed   bool          // nobody is on duty now
	Next     time.Time     // when the next shift starts (Closed), Europe/Paris
}

// EventKind is what a volunteer did that concerns a person.
type EventKind int

const (
	EvJoined   EventKind = iota // a volunteer took the ticket
	EvReleased                  // the volunteer put it back in the queue
	EvClosed                    // the volunteer (or the desk) closed it
	EvRelay                     // the volunteer wrote: MsgID is copied to the person
	EvEdit                      // the volunteer edited MsgID: the copy is edited
	EvSay                       // the volunteer sent a canned reply: Text, in the bot's words
)

// Event is a volunteer's action applied to the person's conversation, in
// one atomic write with the person's state, so that a relay is stored
// before the volunteer's update is acknowledged, and applied once however
// often it is delivered (UpdateID joins the person's recent updates).
type Event struct {
	UpdateID  int64
	Kind      EventKind
	Ticket    int64
	Volunteer int64  // the volunteer's chat
	VLang     string // the volunteer's language, for the words sent to them
	MsgID     int    // EvRelay, EvEdit: the volunteer's message
	Text      string // EvEdit: the new text or caption; EvSay: the reply
	Key       string // EvSay: the reply is this text of the bot's, in the person's language
	Caption   bool   // EvEdit: a caption
	Album     string // EvRelay: the volunteer's album, copied as one
	// Before is sent to the volunteer before what the event sends (the
	// ticket's header when they take it); After, after it ("→ Personne K7F").
	Before, After []Reply
}

// ErrStale means the event does not match the person's conversation any
// more (the ticket was closed, released, erased meanwhile): nothing was
// written.
type staleError struct{}

func (staleError) Error() string {
	return "conversation: the desk event no longer matches the conversation"
}

// ErrStale is returned by Apply when the event no longer applies.
var ErrStale error = staleError{}

// endButton lets the person leave the human conversation with one tap.
const endButton = "hd:end"

// feedbackPrefix marks the answers to "did it help?": "fb:<answer>:<ticket>".
const feedbackPrefix = "fb:"

// waitingReminder is how often a person who writes while queued is told
// their place again.
const waitingReminder = 2 * time.Minute
