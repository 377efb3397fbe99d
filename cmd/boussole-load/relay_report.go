package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// relayWindow is one measured window.
type relayWindow struct {
	wall        time.Duration
	relayed     int64   // copies the fake accepted in the window
	perSec      float64 // relayed per second
	cpuPerK     float64 // bot CPU seconds (user + sys) per 1,000 relayed
	util        float64 // bot CPU / wall
	trips       float64 // bot round trips per relayed, gross
	tripsNet    float64 // less the idle rate (board, known volunteers, lock)
	api         float64 // Bot API calls per relayed, gross, getUpdates included
	apiNet      float64
	cmds        float64 // server-wide commands per relayed (Lua's included; anybody's)
	refused     int64   // calls the fake refused (429…)
	lost        int     // written in the window, never copied
	lat         [2][]time.Duration
	p50, p90    [2]time.Duration
	p99, pmax   [2]time.Duration
	allP50      time.Duration
	allP99      time.Duration
	written     int64
	load        string
	tripsOK     bool
	cmdsOK      bool
	cpuOK       bool
	sampleCount [2]int
}

func sumCounts(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func (r *relay) window(a, b relaySnap, idleA, idleB relaySnap) relayWindow {
	w := relayWindow{wall: b.at.Sub(a.at), relayed: b.copies - a.copies, written: b.injected - a.injected, load: b.load}
	n := float64(w.relayed)
	if n == 0 {
		return w
	}
	w.perSec = n / w.wall.Seconds()
	idleWall := idleB.at.Sub(idleA.at).Seconds()
	if a.cpuOK && b.cpuOK {
		c := (b.cpu.user - a.cpu.user + b.cpu.sys - a.cpu.sys).Seconds()
		w.cpuPerK, w.util, w.cpuOK = 1000*c/n, c/w.wall.Seconds(), true
	}
	if a.tripsOK && b.tripsOK && idleA.tripsOK && idleB.tripsOK {
		t := float64(b.trips - a.trips)
		idle := float64(idleB.trips-idleA.trips) / idleWall * w.wall.Seconds()
		w.trips, w.tripsNet, w.tripsOK = t/n, (t-idle)/n, true
	}
	calls := float64(sumCounts(b.calls) - sumCounts(a.calls))
	idleCalls := float64(sumCounts(idleB.calls)-sumCounts(idleA.calls)) / idleWall * w.wall.Seconds()
	w.api, w.apiNet = calls/n, (calls-idleCalls)/n
	w.refused = sumCounts(b.failed) - sumCounts(a.failed)
	if a.redisOK && b.redisOK {
		w.cmds, w.cmdsOK = float64(b.redis.all-a.redis.all)/n, true
	}
	r.mu.Lock()
	for _, s := range r.samples {
		if !s.sent.Before(a.at) && s.sent.Before(b.at) {
			w.lat[s.dir] = append(w.lat[s.dir], s.took)
		}
	}
	for _, p := range r.pending {
		if !p.sent.Before(a.at) && p.sent.Before(b.at) {
			w.lost++
		}
	}
	r.mu.Unlock()
	var all []time.Duration
	for d := range 2 {
		l := w.lat[d]
		w.sampleCount[d] = len(l)
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		w.p50[d], w.p90[d], w.p99[d], w.pmax[d] = quantile(l, .50), quantile(l, .90), quantile(l, .99), l[len(l)-1]
		all = append(all, l...)
	}
	if len(all) > 0 {
		slices.Sort(all)
		w.allP50, w.allP99 = quantile(all, .50), quantile(all, .99)
	}
	return w
}

const relayHeader = "win  relayed  msg/s  lost  refused | person→vol p50/p90/p99/max ms        | vol→person p50/p90/p99/max ms        | CPU s/1000  core%  | redisRT/msg (net) | api/msg (net) | srvcmds/msg  loadavg"

func (w relayWindow) row(name string) string {
	lat := func(d int) string {
		if w.sampleCount[d] == 0 {
			return fmt.Sprintf("%-36s", "-")
		}
		return fmt.Sprintf("%-36s", fmt.Sprintf("%s / %s / %s / %s", ms(w.p50[d]), ms(w.p90[d]), ms(w.p99[d]), ms(w.pmax[d])))
	}
	trips, cmds, cpu := "n/a", "n/a", "n/a"
	if w.tripsOK {
		trips = fmt.Sprintf("%.2f (%.2f)", w.trips, w.tripsNet)
	}
	if w.cmdsOK {
		cmds = fmt.Sprintf("%.1f", w.cmds)
	}
	if w.cpuOK {
		cpu = fmt.Sprintf("%.3f  %5.1f%%", w.cpuPerK, 100*w.util)
	}
	return fmt.Sprintf("%-4s %7d %6.1f %5d %8d | %s | %s | %-18s | %-17s | %5.2f (%.2f) | %11s  %s",
		name, w.relayed, w.perSec, w.lost, w.refused, lat(toVolunteer), lat(toPerson), cpu, trips, w.api, w.apiNet, cmds, w.load)
}

func medianWindow(ws []relayWindow) relayWindow {
	f := func(get func(relayWindow) float64) float64 {
		v := make([]float64, len(ws))
		for i, w := range ws {
			v[i] = get(w)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	d := func(get func(relayWindow) time.Duration) time.Duration {
		return time.Duration(f(func(w relayWindow) float64 { return float64(get(w)) }))
	}
	m := relayWindow{
		wall:     d(func(w relayWindow) time.Duration { return w.wall }),
		relayed:  int64(f(func(w relayWindow) float64 { return float64(w.relayed) })),
		perSec:   f(func(w relayWindow) float64 { return w.perSec }),
		cpuPerK:  f(func(w relayWindow) float64 { return w.cpuPerK }),
		util:     f(func(w relayWindow) float64 { return w.util }),
		trips:    f(func(w relayWindow) float64 { return w.trips }),
		tripsNet: f(func(w relayWindow) float64 { return w.tripsNet }),
		api:      f(func(w relayWindow) float64 { return w.api }),
		apiNet:   f(func(w relayWindow) float64 { return w.apiNet }),
		cmds:     f(func(w relayWindow) float64 { return w.cmds }),
		refused:  int64(f(func(w relayWindow) float64 { return float64(w.refused) })),
		lost:     int(f(func(w relayWindow) float64 { return float64(w.lost) })),
		tripsOK:  ws[0].tripsOK, cmdsOK: ws[0].cmdsOK, cpuOK: ws[0].cpuOK,
	}
	for dir := range 2 {
		m.p50[dir] = d(func(w relayWindow) time.Duration { return w.p50[dir] })
		m.p90[dir] = d(func(w relayWindow) time.Duration { return w.p90[dir] })
		m.p99[dir] = d(func(w relayWindow) time.Duration { return w.p99[dir] })
		m.pmax[dir] = d(func(w relayWindow) time.Duration { return w.pmax[dir] })
		m.sampleCount[dir] = int(f(func(w relayWindow) float64 { return float64(w.sampleCount[dir]) }))
	}
	return m
}

// report prints each window, their medians, and where the cost goes.
func (r *relay) report(out io.Writer, idleA, idleB relaySnap, marks []relaySnap) {
	var ws []relayWindow
	fmt.Fprintf(out, "\n%s\n", relayHeader)
	for i := 1; i < len(marks); i++ {
		w := r.window(marks[i-1], marks[i], idleA, idleB)
		ws = append(ws, w)
		fmt.Fprintln(out, w.row(fmt.Sprint(i)))
	}
	fmt.Fprintln(out, medianWindow(ws).row("med"))

	// Latency over every window together.
	var lat [2][]time.Duration
	for _, w := range ws {
		for d := range 2 {
			lat[d] = append(lat[d], w.lat[d]...)
		}
	}
	fmt.Fprintf(out, "\nlatency, message in → copy out, all windows (%d + %d messages):\n", len(lat[0]), len(lat[1]))
	names := [2]string{"person → volunteer", "volunteer → person"}
	all := append(slices.Clone(lat[0]), lat[1]...)
	for d, l := range append(lat[:], all) {
		name := "both"
		if d < 2 {
			name = names[d]
		}
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		fmt.Fprintf(out, "  %-19s n=%6d  p50 %7s  p90 %7s  p99 %7s  max %7s ms\n", name, len(l),
			ms(quantile(l, .5)), ms(quantile(l, .9)), ms(quantile(l, .99)), ms(l[len(l)-1]))
	}

	first, last := marks[0], marks[len(marks)-1]
	relayed := float64(last.copies - first.copies)
	wall := last.at.Sub(first.at).Seconds()
	idleWall := idleB.at.Sub(idleA.at).Seconds()
	if relayed == 0 {
		fmt.Fprintln(out, "nothing relayed")
		return
	}

	fmt.Fprintf(out, "\nBot API calls per relayed message, all windows (idle rate over %.0fs before the load, per second):\n", idleWall)
	api := map[string]float64{}
	for m, v := range last.calls {
		api[m] = float64(v - first.calls[m])
	}
	for _, m := range sortedKeys(api) {
		if api[m] == 0 && idleB.calls[m] == idleA.calls[m] {
			continue
		}
		idle := float64(idleB.calls[m]-idleA.calls[m]) / idleWall
		fmt.Fprintf(out, "  %-22s %6.3f /msg  (gross %d calls, %d refused; idle %.2f/s, net %.3f /msg)\n", m, api[m]/relayed,
			int64(api[m]), last.failed[m]-first.failed[m], idle, (api[m]-idle*wall)/relayed)
	}

	if last.tripsOK && idleA.tripsOK {
		idle := float64(idleB.trips-idleA.trips) / idleWall
		t := float64(last.trips - first.trips)
		fmt.Fprintf(out, "\nRedis round trips (bot's go-redis hook): %.3f per relayed message gross, %.3f net of the idle %.2f/s\n",
			t/relayed, (t-idle*wall)/relayed, idle)
	}
	if len(last.byCmd) > 0 {
		fmt.Fprintln(out, "by command and key pattern (per relayed message; idle per second; net per message):")
		by := map[string]float64{}
		for k, v := range last.byCmd {
			if d := float64(v - first.byCmd[k]); d > 0 {
				by[k] = d
			}
		}
		for k, v := range idleB.byCmd {
			if d := float64(v - idleA.byCmd[k]); d > 0 {
				if _, ok := by[k]; !ok {
					by[k] = 0
				}
			}
		}
		for _, k := range sortedKeys(by) {
			idle := float64(idleB.byCmd[k]-idleA.byCmd[k]) / idleWall
			fmt.Fprintf(out, "  %7.3f  idle %5.2f/s  net %7.3f  %s\n", by[k]/relayed, idle, (by[k]-idle*wall)/relayed, k)
		}
	}
	r.mu.Lock()
	fmt.Fprintf(out, "\nwritten %d, copied %d, never copied %d, copies to another chat than the first one %d, copies of other messages %d\n",
		r.injected, r.copies, len(r.pending), r.misrouted, r.strays)
	r.mu.Unlock()
	fmt.Fprintf(out, "aim: p99 ≤ 1 s beyond Telegram's pacing, ≤ 2 Redis round trips per relayed message\n")
}
