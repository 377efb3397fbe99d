// Package delivery is the outbox engine: it sends each chat's queued replies
// in order, one message at a time, within Telegram's limits.
//
// A step of the conversation appends its replies to the chat's outbox in the
// store, in the same atomic write as the new state, and may take the chat's
// lease there. The replica holding a chat's lease is the only one sending
// that chat: it keeps the chat in a local schedule, sends the head of its
// queue when the chat's pace and the shared global rate allow, acknowledges
// each message as Telegram accepts it (which journals its id for erasing and
// removes it from the queue), and hands the lease back when the queue is
// empty. Leases are short and renewed while held, so a replica that dies
// leaves its chats to the others within seconds.
//
// Receiving never waits on this package: a step is durable once stored.
package delivery
