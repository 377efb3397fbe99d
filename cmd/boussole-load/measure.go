package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// snapshot is every counter at one instant; a run is the difference of two.
type snapshot struct {
	at                                      time.Time
	cpu                                     cpuTimes
	cpuOK                                   bool
	steps, taps, starts, lost               int64
	sendMessage, answers, getUpdates, other int64
	trips                                   int64
	tripsOK                                 bool
	redis                                   redisCounters
	redisOK                                 bool
	load                                    string
}

func takeSnapshot(ctx context.Context, dr *driver, bot *botProc, rdb *redis.Client) snapshot {
	s := snapshot{at: time.Now()}
	if bot.pid > 0 {
		c, err := procCPU(bot.pid)
		s.cpu, s.cpuOK = c, err == nil
	}
	s.steps, s.taps, s.starts, s.lost = dr.replies.Load(), dr.taps.Load(), dr.starts.Load(), dr.lost.Load()
	s.sendMessage, s.answers = dr.sendMessage.Load(), dr.answers.Load()
	s.getUpdates, s.other = dr.getUpdates.Load(), dr.otherCalls.Load()
	if st, ok := bot.stats(ctx); ok {
		s.trips, s.tripsOK = st.RedisRoundTrips, true
	}
	if rc, err := readCommandStats(ctx, rdb); err == nil {
		s.redis, s.redisOK = rc, true
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			s.load = strings.Join(f[:3], " ")
		}
	}
	return s
}

// result is one measured window.
type result struct {
	wall          time.Duration
	steps         int64
	cpuUS         float64 // bot CPU per step, µs (user + sys)
	userUS, sysUS float64
	util          float64 // bot CPU / wall: 1.0 is the whole core
	perSec        float64
	p50, p95, p99 time.Duration
	pmax          time.Duration
	samples       int
	apiPerStep    float64 // all Bot API calls per step, getUpdates included
	sendPerStep   float64
	answerPerStep float64
	pollPerStep   float64
	tripsPerStep  float64 // the bot's Redis round trips per step (its go-redis hook); < 0: unknown
	evalPerStep   float64 // server-wide EVALSHA per step
	cmdsPerStep   float64 // server-wide commands per step, Lua's included
	missed, lost  int64
	lag           time.Duration
	load          string
}

func compare(a, b snapshot, lats []time.Duration) result {
	r := result{wall: b.at.Sub(a.at), steps: b.steps - a.steps, lost: b.lost - a.lost, load: b.load}
	n := float64(r.steps)
	if n == 0 {
		return r
	}
	r.perSec = n / r.wall.Seconds()
	if a.cpuOK && b.cpuOK {
		user, sys := b.cpu.user-a.cpu.user, b.cpu.sys-a.cpu.sys
		r.userUS = float64(user.Microseconds()) / n
		r.sysUS = float64(sys.Microseconds()) / n
		r.cpuUS = r.userUS + r.sysUS
		r.util = (user + sys).Seconds() / r.wall.Seconds()
	}
	r.sendPerStep = float64(b.sendMessage-a.sendMessage) / n
	r.answerPerStep = float64(b.answers-a.answers) / n
	r.pollPerStep = float64(b.getUpdates-a.getUpdates) / n
	r.apiPerStep = r.sendPerStep + r.answerPerStep + r.pollPerStep + float64(b.other-a.other)/n
	r.tripsPerStep = -1
	if a.tripsOK && b.tripsOK {
		r.tripsPerStep = float64(b.trips-a.trips) / n
	}
	if a.redisOK && b.redisOK {
		r.evalPerStep = float64(b.redis.evalsha-a.redis.evalsha) / n
		r.cmdsPerStep = float64(b.redis.all-a.redis.all) / n
	}
	if len(lats) > 0 {
		slices.Sort(lats)
		r.samples = len(lats)
		r.p50, r.p95, r.p99 = quantile(lats, 0.50), quantile(lats, 0.95), quantile(lats, 0.99)
		r.pmax = lats[len(lats)-1]
	}
	return r
}

// quantile of sorted values, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

const resultHeader = "run  steps  steps/s  botCPU%  µs/step(user+sys)  p50ms  p95ms  p99ms  maxms  api/step(send+ans+poll)  redisRT/step  evalsha/step  rediscmds/step  missed lost  lagms  loadavg"

func (r result) row(name string) string {
	trips := "n/a"
	if r.tripsPerStep >= 0 {
		trips = fmt.Sprintf("%.2f", r.tripsPerStep)
	}
	return fmt.Sprintf("%-4s %6d %8.0f %7.1f%% %7.1f (%.1f+%.1f) %6s %6s %6s %6s %5.2f (%.2f+%.2f+%.3f) %12s %13.2f %15.2f %6d %4d %6s  %s",
		name, r.steps, r.perSec, 100*r.util, r.cpuUS, r.userUS, r.sysUS, ms(r.p50), ms(r.p95), ms(r.p99), ms(r.pmax),
		r.apiPerStep, r.sendPerStep, r.answerPerStep, r.pollPerStep, trips, r.evalPerStep, r.cmdsPerStep,
		r.missed, r.lost, ms(r.lag), r.load)
}

// medianOf takes the median of each figure across runs.
func medianOf(rs []result) result {
	f := func(get func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = get(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	d := func(get func(result) time.Duration) time.Duration {
		return time.Duration(f(func(r result) float64 { return float64(get(r)) }))
	}
	return result{
		wall:          d(func(r result) time.Duration { return r.wall }),
		steps:         int64(f(func(r result) float64 { return float64(r.steps) })),
		cpuUS:         f(func(r result) float64 { return r.cpuUS }),
		userUS:        f(func(r result) float64 { return r.userUS }),
		sysUS:         f(func(r result) float64 { return r.sysUS }),
		util:          f(func(r result) float64 { return r.util }),
		perSec:        f(func(r result) float64 { return r.perSec }),
		p50:           d(func(r result) time.Duration { return r.p50 }),
		p95:           d(func(r result) time.Duration { return r.p95 }),
		p99:           d(func(r result) time.Duration { return r.p99 }),
		pmax:          d(func(r result) time.Duration { return r.pmax }),
		apiPerStep:    f(func(r result) float64 { return r.apiPerStep }),
		sendPerStep:   f(func(r result) float64 { return r.sendPerStep }),
		answerPerStep: f(func(r result) float64 { return r.answerPerStep }),
		pollPerStep:   f(func(r result) float64 { return r.pollPerStep }),
		tripsPerStep:  f(func(r result) float64 { return r.tripsPerStep }),
		evalPerStep:   f(func(r result) float64 { return r.evalPerStep }),
		cmdsPerStep:   f(func(r result) float64 { return r.cmdsPerStep }),
		missed:        int64(f(func(r result) float64 { return float64(r.missed) })),
		lost:          int64(f(func(r result) float64 { return float64(r.lost) })),
		lag:           d(func(r result) time.Duration { return r.lag }),
	}
}

// machine describes where the run happened.
func machine(w io.Writer) {
	model, cpus := "unknown CPU", 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "processor") {
				cpus++
			}
			if v, ok := strings.CutPrefix(line, "model name"); ok && cpus == 1 {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
			}
		}
	}
	fmt.Fprintf(w, "machine: %d CPUs, %s, %s\n", cpus, model, runtime.Version())
}
