package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// bucket groups perf samples by a frame anywhere in their stack; a sample
// goes to the first bucket that matches, in this order.
type bucket struct {
	name   string
	frames []string
}

var buckets = []bucket{
	{"sysmon (runtime monitor thread)", []string{"runtime.sysmon"}},
	{"GC", []string{"gcBgMarkWorker", "gcAssistAlloc", "bgsweep", "bgscavenge", "runtime.markroot"}},
	{"JSON encode/decode", []string{"encoding/json."}},
	{"logging (zerolog, pseudonym)", []string{"zerolog", "logUpdate", "pseudonym"}},
	{"Redis client (go-redis), its syscalls included", []string{"go-redis"}},
	{"HTTP client (net/http), its syscalls included", []string{"net/http."}},
	{"engine, conversation, store logic", []string{"internal/conversation", "internal/flow", "internal/redisstore", "internal/i18n"}},
	{"telegram runtime (poll, dispatch, sender)", []string{"internal/telegram"}},
	{"scheduler, idle, wake-ups", []string{"runtime.schedule", "runtime.findRunnable", "runtime.park_m", "runtime.mcall",
		"runtime.stopm", "runtime.notesleep", "runtime.futex", "runtime.netpoll", "runtime.goexit0", "runtime.mPark"}},
}

// runBuckets is `boussole-load perf-buckets FILE`: where a perf recording
// of the bot (-perf) spent its time, by component, kernel share included.
func runBuckets(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: boussole-load perf-buckets perf.data")
		return 2
	}
	out, err := exec.Command("perf", "script", "-i", args[0], "-F", "ip,sym,dso").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "boussole-load: perf script:", err)
		return 1
	}
	const other = "other (malloc, memmove…)"
	count, kernel := map[string]int{}, map[string]int{}
	total, totalKernel := 0, 0
	for _, sample := range bytes.Split(out, []byte("\n\n")) {
		lines := strings.Split(strings.TrimSpace(string(sample)), "\n")
		if len(lines) < 2 {
			continue
		}
		stack := strings.Join(lines[1:], "\n")
		name := other
		for _, b := range buckets {
			if containsAny(stack, b.frames) {
				name = b.name
				break
			}
		}
		total++
		count[name]++
		if strings.Contains(lines[1], "[kernel") {
			kernel[name]++
			totalKernel++
		}
	}
	if total == 0 {
		fmt.Fprintln(os.Stderr, "boussole-load: no samples")
		return 1
	}
	fmt.Printf("%-48s %7s %13s\n", "component", "share", "of it kernel")
	for _, b := range append(buckets, bucket{name: other}) {
		fmt.Printf("%-48s %6.1f%% %12.1f%%\n", b.name, pct(count[b.name], total), pct(kernel[b.name], total))
	}
	fmt.Printf("%d samples, %.1f%% in the kernel\n", total, pct(totalKernel, total))
	return 0
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func pct(n, total int) float64 { return 100 * float64(n) / float64(total) }
