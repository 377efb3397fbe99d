package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

func (s *surge) progress(t0 time.Time) {
	s.mu.Lock()
	var arrived, first, done int
	for _, f := range s.fams {
		if f.phase != phaseNew {
			arrived++
		}
		if f.first > 0 {
			first++
		}
		if f.phase == phaseDone {
			done++
		}
	}
	s.mu.Unlock()
	fmt.Printf("  t=%3.0fs arrived %d, first replies %d, both %d, sent %d, 429s %d\n",
		time.Since(t0).Seconds(), arrived, first, done, s.sendOK.Load(), s.send429.Load())
}

// report prints the figures of the run.
func (s *surge) report(w io.Writer, t0, end time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first, second, urgent, all []time.Duration
	var lostFirst, lostSecond, lostUrgent, taps, answered, withText, twice, urgents int
	for _, f := range s.fams {
		if f.urgent {
			urgents++
		}
		switch {
		case f.first > 0:
			first = append(first, f.first)
			all = append(all, f.first)
		case f.phase != phaseNew:
			lostFirst++
		}
		if f.phase == phaseNew || f.first == 0 {
			continue
		}
		switch {
		case f.second > 0 && f.urgent:
			urgent = append(urgent, f.second)
			all = append(all, f.second)
		case f.second > 0:
			second = append(second, f.second)
			all = append(all, f.second)
		case f.urgent:
			lostUrgent++
		default:
			lostSecond++
		}
		if !f.urgent && f.cbID != "" && !f.secondAt.IsZero() {
			taps++
			if f.answered {
				answered++
			}
			if f.withText {
				withText++
			}
			if f.answers > 1 {
				twice++
			}
		}
	}
	fmt.Fprintf(w, "\nsurge: %d families (%d urgent), %v from the first /start to the last reply\n",
		len(s.fams), urgents, s.last.Sub(t0).Round(time.Millisecond))
	fmt.Fprintf(w, "%-14s %6s %5s %8s %8s %8s %8s\n", "reply", "n", "lost", "p50", "p95", "p99", "max")
	row := func(name string, d []time.Duration, lost int) {
		if len(d) == 0 {
			fmt.Fprintf(w, "%-14s %6d %5d %8s %8s %8s %8s\n", name, 0, lost, "-", "-", "-", "-")
			return
		}
		slices.Sort(d)
		fmt.Fprintf(w, "%-14s %6d %5d %8s %8s %8s %8s\n", name, len(d), lost,
			secs(quantile(d, .50)), secs(quantile(d, .95)), secs(quantile(d, .99)), secs(d[len(d)-1]))
	}
	row("first", first, lostFirst)
	row("second (tap)", second, lostSecond)
	row("urgent", urgent, lostUrgent)
	row("all replies", all, lostFirst+lostSecond+lostUrgent)
	fmt.Fprintf(w, "lost (no reply when the run ended, %v after the first /start): %d\n",
		end.Sub(t0).Round(time.Second), lostFirst+lostSecond+lostUrgent)
	fmt.Fprintf(w, "sendMessage: %d delivered, %d refused with 429, %d other failures; other 429s: %d\n",
		s.sendOK.Load(), s.send429.Load(), s.sendOther.Load(), s.other429.Load())
	fmt.Fprintf(w, "taps: %d, answered %d (%d with a text such as \"Un instant…\", %d answered twice); answerCallbackQuery ok %d, failed %d; typing actions %d\n",
		taps, answered, withText, twice, s.answerOK.Load(), s.answerFail.Load(), s.typing.Load())
	fmt.Fprintf(w, "extra messages (beyond the first of a step): %d; first-step messages without buttons: %d\n",
		s.extraReplies.Load(), s.replyWithoutKeys.Load())
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
