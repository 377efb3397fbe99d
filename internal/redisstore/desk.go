package redisstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/handoff"
)

// The desk keeps the volunteers' desk: tickets, their queue, volunteers and
// the board of writes to the volunteers' group. Its traffic is small (opens,
// claims, releases), so all its keys share one hash tag, {desk}, and one
// Redis Cluster slot, where every desk script can run:
//
//	<prefix>:{desk}:t:<id>       hash: a ticket (fields in lua/desk_lib.lua)
//	<prefix>:{desk}:open:<chat>  string: the id of the chat's open ticket
//	<prefix>:{desk}:queue        sorted set: queued ticket ids, by rank * 1e13
//	                             + the unix ms they first entered the queue
//	<prefix>:{desk}:v:<user>     hash: a volunteer
//	<prefix>:{desk}:vols         set: volunteer ids
//	<prefix>:{desk}:board        sorted set: board entries, by unix ms first posted
//	<prefix>:{desk}:seq          string: the last ticket id
//
// Every key expires: an open ticket, its open index and a volunteer after
// Retention without a change, a closed ticket ClosedTTL after it closed
// (its open index goes when it closes), the queue, the board and the
// volunteers' set Retention after they were last written, the counter
// deskSeqTTL after the last ticket was opened.

// DeskOptions tunes a Desk.
type DeskOptions struct {
	// Prefix starts every key; default "bsl".
	Prefix string
	// Retention is how long an open ticket or a volunteer is kept after its
	// last change; default 30 days.
	Retention time.Duration
	// ClosedTTL is how long a closed ticket is kept; default 7 days.
	ClosedTTL time.Duration
	// CodeKey is the secret mixed into ticket codes, so that a code says
	// nothing of the order or number of tickets. Every replica must use the
	// same key, and keep it: a new key gives open tickets new codes. Empty,
	// a fixed (public) key is used.
	CodeKey []byte
	// Clock tells the time for the operations the contract gives none
	// (Alarm, Note, Alert: when they post to the board); default time.Now.
	Clock func() time.Time
}

// deskSeqTTL is how long the ticket counter outlives the last ticket opened.
const deskSeqTTL = 400 * 24 * time.Hour

// Desk is the Redis ticket store. It is safe for concurrent use.
type Desk struct {
	c         redis.UniversalClient
	base      string // "<prefix>:{desk}:"
	retention time.Duration
	closedTTL time.Duration
	codes     *deskCoder
	clock     func() time.Time
}

var _ handoff.Store = (*Desk)(nil)

// NewDesk returns a desk on c. Call Preload once at start-up.
func NewDesk(c redis.UniversalClient, opts DeskOptions) *Desk {
	if opts.Prefix == "" {
		opts.Prefix = "bsl"
	}
	if opts.Retention <= 0 {
		opts.Retention = 30 * 24 * time.Hour
	}
	if opts.ClosedTTL <= 0 {
		opts.ClosedTTL = 7 * 24 * time.Hour
	}
	if len(opts.CodeKey) == 0 {
		k := sha256.Sum256([]byte("boussole desk codes"))
		opts.CodeKey = k[:]
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Desk{
		c:         c,
		base:      opts.Prefix + ":{desk}:",
		retention: opts.Retention,
		closedTTL: opts.ClosedTTL,
		codes:     newDeskCoder(opts.CodeKey),
		clock:     opts.Clock,
	}
}

// Preload loads the desk's Lua scripts into Redis (on every primary of a
// cluster), so no operation pays a NOSCRIPT retry.
func (d *Desk) Preload(ctx context.Context) error {
	for _, sc := range deskScripts {
		if err := sc.script.Load(ctx, d.c).Err(); err != nil {
			return fmt.Errorf("load script %s: %w", sc.name, err)
		}
	}
	return nil
}

// key names one of the desk's keys: "<prefix>:{desk}:<name>".
func (d *Desk) key(name string) string { return d.base + name }

func (d *Desk) ticketKey(id int64) string { return d.key("t:" + strconv.FormatInt(id, 10)) }

func (d *Desk) openKey(chat int64) string { return d.key("open:" + strconv.FormatInt(chat, 10)) }

func (d *Desk) volunteerKey(id int64) string { return d.key("v:" + strconv.FormatInt(id, 10)) }

// run runs a desk script with the keys and leading arguments every desk
// script takes (see lua/desk_lib.lua), then args.
func (d *Desk) run(ctx context.Context, s *redis.Script, now time.Time, args ...any) (any, error) {
	keys := []string{d.key("queue"), d.key("board"), d.key("vols"), d.key("seq")}
	all := append([]any{d.base, d.retention.Milliseconds(), d.closedTTL.Milliseconds(), now.UnixMilli()}, args...)
	res, err := s.Run(ctx, d.c, keys, all...).Result()
	if err != nil && strings.HasPrefix(err.Error(), "CORRUPT") {
		return nil, fmt.Errorf("%s: %w", err.Error(), ErrCorrupt)
	}
	return res, err
}

// runTicket runs a script that answers {status, ticket} and decodes that
// answer; ErrNotFound and ErrNotHolder come from the statuses "notfound"
// and "notholder".
func (d *Desk) runTicket(ctx context.Context, s *redis.Script, now time.Time, args ...any) (string, handoff.Ticket, error) {
	res, err := d.run(ctx, s, now, args...)
	if err != nil {
		return "", handoff.Ticket{}, err
	}
	status, raw, err := statusReply(res)
	if err != nil {
		return "", handoff.Ticket{}, err
	}
	switch status {
	case "notfound":
		return status, handoff.Ticket{}, handoff.ErrNotFound
	case "notholder":
		tk, err := d.decodeTicket(raw)
		if err != nil {
			return status, handoff.Ticket{}, err
		}
		return status, tk, handoff.ErrNotHolder
	}
	tk, err := d.decodeTicket(raw)
	return status, tk, err
}

// statusReply splits a script's {status, value} answer.
func statusReply(res any) (string, any, error) {
	arr, ok := res.([]any)
	if !ok || len(arr) == 0 {
		return "", nil, fmt.Errorf("desk reply: %w", ErrCorrupt)
	}
	status, ok := arr[0].(string)
	if !ok {
		return "", nil, fmt.Errorf("desk reply status: %w", ErrCorrupt)
	}
	if len(arr) < 2 {
		return status, nil, nil
	}
	return status, arr[1], nil
}

// isNil tells a missing key from a failure.
func deskMissing(err error) bool { return errors.Is(err, redis.Nil) }

func deskFlag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
