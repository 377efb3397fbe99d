package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/delivery"
)

var _ delivery.Queue = (*Store)(nil)

// Claim takes a chat's lease for owner if its outbox is not empty and the
// lease is free (an owner starting with "!" takes it from anyone).
func (s *Store) Claim(ctx context.Context, chat int64, owner string) (delivery.Claim, error) {
	res, err := claimScript.Run(ctx, s.c, []string{s.key("out", chat), s.key("lease", chat), s.key("pace", chat)},
		owner, s.leaseTTL.Milliseconds()).Slice()
	if err != nil {
		return delivery.Claim{}, fmt.Errorf("claim chat %d: %w", chat, err)
	}
	if len(res) < 3 {
		return delivery.Claim{}, fmt.Errorf("claim chat %d: %w", chat, ErrCorrupt)
	}
	return decodeClaim(res[0], res[1], res[2])
}

// Ack removes a sent (or dropped) entry, journals what was sent, maps the
// copies it made to their sources, advances the chat's pace, and returns the
// next entry, in one round trip.
func (s *Store) Ack(ctx context.Context, chat int64, owner, raw string, sent []int, pace delivery.Pace, now time.Time) (delivery.AckResult, error) {
	members, copies := ackWrites(chat, raw, sent, now)
	args := make([]any, 0, 8+len(copies)+len(members))
	args = append(args, owner, raw, s.leaseTTL.Milliseconds(), now.UnixMilli(), JournalWindow.Milliseconds(),
		JournalCap, pace.Interval.Milliseconds(), len(copies)/2)
	args = append(args, copies...)
	args = append(args, members...)
	res, err := ackScript.Run(ctx, s.c, s.chatKeys(chat), args...).Slice()
	if err != nil {
		return delivery.AckResult{}, fmt.Errorf("ack chat %d: %w", chat, err)
	}
	if len(res) < 4 {
		return delivery.AckResult{}, fmt.Errorf("ack chat %d: %w", chat, ErrCorrupt)
	}
	escaped, _ := toInt(res[0])
	lost, _ := toInt(res[1])
	p, _ := toInt(res[3])
	r := delivery.AckResult{Escaped: escaped == 1, Lost: lost == 1, Next: toStr(res[2])}
	if p > 0 {
		r.Pace = time.UnixMilli(p)
	}
	return r, nil
}

// ackWrites is what the ack of entry raw of chat's outbox writes for the
// messages sent: their journal members ("<id>", or "<dest chat>:<id>" when
// the entry went to another chat) and, for a copy, the pairs of the copy map
// (source to copy and copy to source, in order; none when Telegram did not
// return one copy per source). Only entries flagged 'x' are decoded.
func ackWrites(chat int64, raw string, sent []int, now time.Time) (members, copies []any) {
	if len(sent) == 0 {
		return nil, nil
	}
	var it delivery.Item
	if relayed(raw) {
		if d, err := delivery.Decode(raw); err == nil {
			it = d
		}
	}
	dest := it.Dest(chat)
	members = make([]any, len(sent))
	for i, id := range sent {
		if dest != chat {
			members[i] = strconv.FormatInt(dest, 10) + ":" + strconv.Itoa(id)
		} else {
			members[i] = strconv.Itoa(id)
		}
	}
	if it.Kind == delivery.KindCopy && len(it.IDs) == len(sent) {
		src := strconv.FormatInt(it.Source(chat), 10) + ":"
		dst := strconv.FormatInt(dest, 10) + ":"
		at := ":" + strconv.FormatInt(now.UnixMilli(), 10)
		copies = make([]any, 0, 4*len(sent))
		for i, id := range sent {
			// Both ways: an edit finds the copy of its message, and a
			// volunteer's reply to a copy finds the message it copies.
			copies = append(copies, src+strconv.Itoa(it.IDs[i]), dst+strconv.Itoa(id)+at,
				dst+strconv.Itoa(id), src+strconv.Itoa(it.IDs[i])+at)
		}
	}
	return members, copies
}

// relayed reports whether a stored entry "<seq>|<era>|<flags>|<json>" is
// flagged 'x': it names another chat, or copies or edits.
func relayed(raw string) bool {
	parts := strings.SplitN(raw, "|", 4)
	return len(parts) == 4 && strings.Contains(parts[2], "x")
}

// Block records that the person blocked the bot and empties their outbox.
func (s *Store) Block(ctx context.Context, chat int64, owner string, since time.Time) (string, error) {
	s.cache.evict(chat)
	next, err := blockScript.Run(ctx, s.c, []string{s.key("conv", chat), s.key("out", chat), s.key("lease", chat)},
		owner, since.UnixMilli(), s.leaseTTL.Milliseconds()).Text()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("block chat %d: %w", chat, err)
	}
	return next, nil
}

// Renew extends owner's leases, in one pipeline; it returns the chats whose
// lease owner no longer holds.
func (s *Store) Renew(ctx context.Context, owner string, chats []int64) ([]int64, error) {
	return s.leases(ctx, owner, chats, s.leaseTTL.Milliseconds())
}

// Release hands owner's leases back, in one pipeline.
func (s *Store) Release(ctx context.Context, owner string, chats []int64) error {
	_, err := s.leases(ctx, owner, chats, 0)
	return err
}

func (s *Store) leases(ctx context.Context, owner string, chats []int64, ttl int64) ([]int64, error) {
	pipe := s.c.Pipeline()
	cmds := make([]*redis.Cmd, len(chats))
	for i, chat := range chats {
		cmds[i] = leaseScript.EvalSha(ctx, pipe, []string{s.key("lease", chat)}, owner, ttl)
	}
	_, err := pipe.Exec(ctx)
	if err != nil && !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return nil, fmt.Errorf("leases: %w", err)
	}
	var lost []int64
	for i, c := range cmds {
		n, err := c.Int()
		if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
			n, err = leaseScript.Run(ctx, s.c, []string{s.key("lease", chats[i])}, owner, ttl).Int()
		}
		if err != nil {
			return nil, fmt.Errorf("lease of chat %d: %w", chats[i], err)
		}
		if n == 0 {
			lost = append(lost, chats[i])
		}
	}
	return lost, nil
}

// scanBatch is the SCAN COUNT hint: large enough to walk a million keys in
// a thousand round trips, small enough not to stall Redis.
const scanBatch = 1000

// Queued lists up to limit chats whose outbox is not empty (an empty list
// does not exist in Redis, so the out keys are exactly those). It walks the
// keyspace: the delivery engine calls it every few seconds, not per step.
func (s *Store) Queued(ctx context.Context, limit int) ([]int64, error) {
	p := &chatScan{limit: limit}
	var err error
	if cc, ok := s.c.(*redis.ClusterClient); ok {
		// SCAN sees one node only: walk every primary.
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			return s.scanOut(ctx, c, p)
		})
	} else {
		err = s.scanOut(ctx, s.c, p)
	}
	if err != nil {
		return nil, fmt.Errorf("list queued chats: %w", err)
	}
	return p.chats, nil
}

// chatScan gathers results, possibly from several nodes at once.
type chatScan struct {
	mu    sync.Mutex
	limit int
	chats []int64
}

// add keeps chat and reports whether more are wanted.
func (p *chatScan) add(chat int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit > 0 && len(p.chats) >= p.limit {
		return false
	}
	p.chats = append(p.chats, chat)
	return p.limit <= 0 || len(p.chats) < p.limit
}

func (s *Store) scanOut(ctx context.Context, c redis.Cmdable, p *chatScan) error {
	iter := c.Scan(ctx, 0, globEscape(s.prefix)+":out:*", scanBatch).Iterator()
	for iter.Next(ctx) {
		if chat, ok := chatOfKey(iter.Val()); ok && !p.add(chat) {
			return nil
		}
	}
	return iter.Err()
}

// chatOfKey reads the chat id in the hash tag of "<prefix>:<kind>:{chat}".
func chatOfKey(key string) (int64, bool) {
	open := strings.LastIndexByte(key, '{')
	if open < 0 || !strings.HasSuffix(key, "}") {
		return 0, false
	}
	chat, err := strconv.ParseInt(key[open+1:len(key)-1], 10, 64)
	return chat, err == nil
}

// globEscape quotes the characters SCAN MATCH would read as a pattern.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
