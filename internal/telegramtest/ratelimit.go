package telegramtest

import (
	"math"
	"time"
)

// RateLimits describes flood limits as token buckets: a rate in messages per
// second and a burst. A zero rate disables that limit.
type RateLimits struct {
	// PerChat limits messages to one private chat (Telegram: about 1/s).
	PerChat      float64
	PerChatBurst int
	// PerGroup limits messages to one group or channel (chat id < 0;
	// Telegram: 20 per minute).
	PerGroup      float64
	PerGroupBurst int
	// Global limits all messages of the bot (Telegram: about 30/s).
	Global      float64
	GlobalBurst int
}

// DefaultRateLimits are Telegram's documented limits with a small burst.
var DefaultRateLimits = RateLimits{
	PerChat: 1, PerChatBurst: 3,
	PerGroup: 20.0 / 60, PerGroupBurst: 20,
	Global: 30, GlobalBurst: 30,
}

// WithRateLimits enforces [DefaultRateLimits] on sendMessage, sendPhoto,
// sendDocument, copyMessage and copyMessages (one message per copy), and the PerGroup limit on edits
// of messages in groups (editMessageText, editMessageCaption,
// editMessageReplyMarkup), as Telegram counts them: a message over the
// limit is refused with 429 "Too Many Requests: retry after N", N computed
// from the bucket, and has no effect.
func WithRateLimits() Option {
	return WithRateLimitConfig(DefaultRateLimits)
}

// WithRateLimitConfig enforces custom flood limits (see [WithRateLimits]).
func WithRateLimitConfig(l RateLimits) Option {
	return func(c *config) { c.rateLimits = &l }
}

type bucket struct {
	tokens float64
	last   time.Time
	init   bool
}

// refill brings the bucket to time now and returns the seconds until n
// tokens are available (0 if available now). n is capped at the bucket's
// capacity, so a batch larger than the burst waits for a full bucket.
func (b *bucket) refill(now time.Time, rate float64, burst, n int) float64 {
	capacity := math.Max(float64(burst), 1)
	if !b.init {
		b.tokens, b.last, b.init = capacity, now, true
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(capacity, b.tokens+elapsed*rate)
		b.last = now
	}
	need := math.Min(float64(n), capacity)
	if b.tokens >= need {
		return 0
	}
	return (need - b.tokens) / rate
}

type rateLimiter struct {
	limits RateLimits
	chats  map[int64]*bucket
	global bucket
}

func newRateLimiter(l RateLimits) *rateLimiter {
	return &rateLimiter{limits: l, chats: map[int64]*bucket{}}
}

// take admits n messages to chatID at time now, counting them against the
// global limit too when global is set. It returns 0 and consumes budget
// when admitted, or the retry_after in seconds (>= 1) when refused, without
// consuming anything.
func (rl *rateLimiter) take(now time.Time, chatID int64, n int, global bool) int {
	rate, burst := rl.limits.PerChat, rl.limits.PerChatBurst
	if chatID < 0 {
		rate, burst = rl.limits.PerGroup, rl.limits.PerGroupBurst
	}
	var chat *bucket
	wait := 0.0
	if rate > 0 {
		chat = rl.chats[chatID]
		if chat == nil {
			chat = &bucket{}
			rl.chats[chatID] = chat
		}
		wait = chat.refill(now, rate, burst, n)
	}
	global = global && rl.limits.Global > 0
	if global {
		wait = math.Max(wait, rl.global.refill(now, rl.limits.Global, rl.limits.GlobalBurst, n))
	}
	if wait > 0 {
		return max(1, int(math.Ceil(wait)))
	}
	if chat != nil {
		chat.tokens -= float64(n)
	}
	if global {
		rl.global.tokens -= float64(n)
	}
	return 0
}
