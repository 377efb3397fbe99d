package redisstore

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/ateliers"
)

// Ateliers keeps the association's sessions and the sign-ups to them
// (ateliers.Store). Their traffic is small, so every key shares the hash
// tag {ateliers} and one Redis Cluster slot, where a Lua script can touch
// several of them at once:
//
//	bsl:{ateliers}:s:<id>     hash: j (the session, JSON), st and end (its
//	                          start and end, unix ms), x (1: cancelled),
//	                          n (how many signed up, kept after the sign-ups)
//	bsl:{ateliers}:idx        sorted set: the session ids by start, unix ms
//	bsl:{ateliers}:sg:<id>    hash: chat → ateliers.Sign (JSON)
//	bsl:{ateliers}:me:<chat>  set: the sessions a chat signed up for
//	bsl:{ateliers}:rem:<id>   string: the session's reminders were sent
//
// Every key expires: a session, its marker and the index SessionKept after
// the (last) session's end; the sign-ups at the session's end (at once when
// it is cancelled); a chat's set at the end of its last session.
type Ateliers struct {
	c    redis.UniversalClient
	base string
	now  func() time.Time
}

// SessionKept is how long a session is kept after its end, for the report
// and the count of who came.
const SessionKept = 30 * 24 * time.Hour

// maxMinutes bounds a session's length (ateliers.Parse allows 480): Coming
// reads the index from that long before now.
const maxMinutes = 24 * 60

// idAlphabet has no 0/O nor 1/I, which read alike on a phone.
const idAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

var _ ateliers.Store = (*Ateliers)(nil)

var (
	//go:embed lua/ateliers_save.lua
	ateliersSaveLua    string
	ateliersSaveScript = redis.NewScript(ateliersSaveLua)

	//go:embed lua/ateliers_signup.lua
	ateliersSignUpLua    string
	ateliersSignUpScript = redis.NewScript(ateliersSignUpLua)

	//go:embed lua/ateliers_signout.lua
	ateliersSignOutLua    string
	ateliersSignOutScript = redis.NewScript(ateliersSignOutLua)

	//go:embed lua/ateliers_forget.lua
	ateliersForgetLua    string
	ateliersForgetScript = redis.NewScript(ateliersForgetLua)

	//go:embed lua/ateliers_reminded.lua
	ateliersRemindedLua    string
	ateliersRemindedScript = redis.NewScript(ateliersRemindedLua)
)

// NewAteliers returns the sessions' store on c.
func NewAteliers(c redis.UniversalClient) *Ateliers {
	return &Ateliers{c: c, base: "bsl:{ateliers}:", now: time.Now}
}

func (a *Ateliers) sessionKey(id string) string { return a.base + "s:" + id }
func (a *Ateliers) signKey(id string) string    { return a.base + "sg:" + id }
func (a *Ateliers) remKey(id string) string     { return a.base + "rem:" + id }
func (a *Ateliers) indexKey() string            { return a.base + "idx" }
func (a *Ateliers) mineKey(chat int64) string {
	return a.base + "me:" + strconv.FormatInt(chat, 10)
}

// validID tells an id the store could have chosen, so that forged
// callback data never names another key.
func validID(id string) bool {
	if len(id) != 4 {
		return false
	}
	for i := range len(id) {
		if strings.IndexByte(idAlphabet, id[i]) < 0 {
			return false
		}
	}
	return true
}

func newID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// Save creates (s.ID empty: a new unique id is chosen) or replaces a
// session. A cancelled session's sign-ups are deleted; a session whose
// start changed has its reminders due again.
func (a *Ateliers) Save(ctx context.Context, s ateliers.Session) (ateliers.Session, error) {
	create := s.ID == ""
	if !create && !validID(s.ID) {
		return s, ateliers.ErrNoSession
	}
	for try := 0; try < 10; try++ {
		if create {
			s.ID = newID()
		}
		s.Start = s.Start.UTC()
		b, err := json.Marshal(s)
		if err != nil {
			return s, fmt.Errorf("save session: %w", err)
		}
		keys := []string{a.sessionKey(s.ID), a.indexKey(), a.signKey(s.ID), a.remKey(s.ID)}
		ok, err := ateliersSaveScript.Run(ctx, a.c, keys, s.ID, b, s.Start.UnixMilli(), s.End().UnixMilli(),
			bit(s.Cancelled), bit(create), a.now().UnixMilli(), SessionKept.Milliseconds()).Int()
		if err != nil {
			return s, fmt.Errorf("save session: %w", err)
		}
		if ok == 1 {
			return s, nil
		}
	}
	return s, errors.New("save session: no free id")
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Get returns a session; ateliers.ErrNoSession when there is none.
func (a *Ateliers) Get(ctx context.Context, id string) (ateliers.Session, error) {
	if !validID(id) {
		return ateliers.Session{}, ateliers.ErrNoSession
	}
	raw, err := a.c.HGet(ctx, a.sessionKey(id), "j").Result()
	if errors.Is(err, redis.Nil) {
		return ateliers.Session{}, ateliers.ErrNoSession
	}
	if err != nil {
		return ateliers.Session{}, fmt.Errorf("session: %w", err)
	}
	var s ateliers.Session
	if json.Unmarshal([]byte(raw), &s) != nil || s.ID != id {
		return ateliers.Session{}, fmt.Errorf("session: %w", ErrCorrupt)
	}
	return s, nil
}

// Coming lists the sessions not over at now, cancelled ones included,
// soonest first.
func (a *Ateliers) Coming(ctx context.Context, now time.Time) ([]ateliers.Session, error) {
	from := now.Add(-maxMinutes * time.Minute)
	all, err := a.byStart(ctx, strconv.FormatInt(from.UnixMilli(), 10), "+inf")
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, s := range all {
		if s.End().After(now) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Between lists the sessions that started in [from, to), soonest first.
func (a *Ateliers) Between(ctx context.Context, from, to time.Time) ([]ateliers.Session, error) {
	return a.byStart(ctx, strconv.FormatInt(from.UnixMilli(), 10), "("+strconv.FormatInt(to.UnixMilli(), 10))
}

// byStart reads the sessions of the index between min and max; one that
// expired or cannot be read is left out.
func (a *Ateliers) byStart(ctx context.Context, min, max string) ([]ateliers.Session, error) {
	ids, err := a.c.ZRangeByScore(ctx, a.indexKey(), &redis.ZRangeBy{Min: min, Max: max}).Result()
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.StringCmd, len(ids))
	_, err = a.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGet(ctx, a.sessionKey(id), "j")
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	out := make([]ateliers.Session, 0, len(ids))
	for i, c := range cmds {
		var s ateliers.Session
		if c.Err() != nil || json.Unmarshal([]byte(c.Val()), &s) != nil || s.ID != ids[i] {
			continue
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y ateliers.Session) int { return x.Start.Compare(y.Start) })
	return out, nil
}

// SignUp records (or replaces) a chat's sign-up and reports the count;
// ateliers.ErrNoSession (wrapped) for a session that is gone, cancelled or
// over.
func (a *Ateliers) SignUp(ctx context.Context, id string, sg ateliers.Sign) (int, error) {
	if !validID(id) {
		return 0, ateliers.ErrNoSession
	}
	b, err := json.Marshal(sg)
	if err != nil {
		return 0, fmt.Errorf("sign up: %w", err)
	}
	keys := []string{a.sessionKey(id), a.signKey(id), a.mineKey(sg.Chat)}
	n, err := ateliersSignUpScript.Run(ctx, a.c, keys, id, sg.Chat, b, a.now().UnixMilli()).Int()
	switch {
	case err != nil:
		return 0, fmt.Errorf("sign up: %w", err)
	case n == -1:
		return 0, ateliers.ErrNoSession
	case n == -2:
		return 0, fmt.Errorf("%w: cancelled or over", ateliers.ErrNoSession)
	}
	return n, nil
}

// SignOut removes a chat's sign-up and reports the count.
func (a *Ateliers) SignOut(ctx context.Context, id string, chat int64) (int, error) {
	if !validID(id) {
		return 0, ateliers.ErrNoSession
	}
	keys := []string{a.sessionKey(id), a.signKey(id), a.mineKey(chat)}
	n, err := ateliersSignOutScript.Run(ctx, a.c, keys, id, chat).Int()
	switch {
	case err != nil:
		return 0, fmt.Errorf("sign out: %w", err)
	case n == -1:
		return 0, ateliers.ErrNoSession
	}
	return n, nil
}

// Signed returns a session's sign-ups (none once it is over), by chat.
func (a *Ateliers) Signed(ctx context.Context, id string) ([]ateliers.Sign, error) {
	if !validID(id) {
		return nil, ateliers.ErrNoSession
	}
	vals, err := a.c.HVals(ctx, a.signKey(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("sign-ups: %w", err)
	}
	out := make([]ateliers.Sign, 0, len(vals))
	for _, v := range vals {
		var sg ateliers.Sign
		if json.Unmarshal([]byte(v), &sg) == nil && sg.Chat != 0 {
			out = append(out, sg)
		}
	}
	slices.SortFunc(out, func(x, y ateliers.Sign) int { return compareInt64(x.Chat, y.Chat) })
	return out, nil
}

func compareInt64(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Count is how many signed up; it outlives the sign-ups (for the report)
// as long as the session is kept.
func (a *Ateliers) Count(ctx context.Context, id string) (int, error) {
	if !validID(id) {
		return 0, ateliers.ErrNoSession
	}
	n, err := a.c.HGet(ctx, a.sessionKey(id), "n").Int()
	if errors.Is(err, redis.Nil) {
		return 0, ateliers.ErrNoSession
	}
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// Mine lists the sessions a chat is signed up for (those whose sign-ups
// still hold it), sorted.
func (a *Ateliers) Mine(ctx context.Context, chat int64) ([]string, error) {
	ids, err := a.c.SMembers(ctx, a.mineKey(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("mine: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	field := strconv.FormatInt(chat, 10)
	cmds := make([]*redis.BoolCmd, len(ids))
	_, err = a.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HExists(ctx, a.signKey(id), field)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mine: %w", err)
	}
	var out []string
	for i, c := range cmds {
		if c.Val() {
			out = append(out, ids[i])
		}
	}
	slices.Sort(out)
	return out, nil
}

// Forget removes a chat from every sign-up and deletes its set.
func (a *Ateliers) Forget(ctx context.Context, chat int64) error {
	for range 5 {
		ids, err := a.c.SMembers(ctx, a.mineKey(chat)).Result()
		if err != nil {
			return fmt.Errorf("forget sign-ups: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		keys := []string{a.mineKey(chat)}
		args := []any{chat}
		for _, id := range ids {
			keys = append(keys, a.sessionKey(id), a.signKey(id))
			args = append(args, id)
		}
		left, err := ateliersForgetScript.Run(ctx, a.c, keys, args...).Int()
		if err != nil {
			return fmt.Errorf("forget sign-ups: %w", err)
		}
		if left == 0 {
			return nil
		}
	}
	return errors.New("forget sign-ups: the chat keeps signing up")
}

// Reminded marks a session's reminders as sent: true for the first caller
// only, across replicas.
func (a *Ateliers) Reminded(ctx context.Context, id string) (bool, error) {
	if !validID(id) {
		return false, ateliers.ErrNoSession
	}
	keys := []string{a.sessionKey(id), a.remKey(id)}
	n, err := ateliersRemindedScript.Run(ctx, a.c, keys, a.now().UnixMilli(), SessionKept.Milliseconds()).Int()
	switch {
	case err != nil:
		return false, fmt.Errorf("reminded: %w", err)
	case n == -1:
		return false, ateliers.ErrNoSession
	}
	return n == 1, nil
}

// Preload loads the sessions' scripts into Redis (on every primary of a
// cluster).
func (a *Ateliers) Preload(ctx context.Context) error {
	for _, sc := range []*redis.Script{ateliersSaveScript, ateliersSignUpScript, ateliersSignOutScript,
		ateliersForgetScript, ateliersRemindedScript} {
		if err := sc.Load(ctx, a.c).Err(); err != nil {
			return fmt.Errorf("load ateliers script: %w", err)
		}
	}
	return nil
}
