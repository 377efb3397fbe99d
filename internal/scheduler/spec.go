package scheduler

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris even on an image without a zoneinfo database

	"github.com/robfig/cron/v3"
)

// paris is where every schedule is read: the association works on French
// time, and a job set at 03:30 runs at 03:30 on the clocks of Paris, in
// winter and in summer.
var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("scheduler: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// parser reads standard 5-field specs (minute hour day-of-month month
// day-of-week) and the @daily-like descriptors.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parse reads a 5-field cron spec ("30 3 * * *") as a schedule on Paris
// time and refuses what the jobs must not use:
//
//   - a spec that can fire between 02:00 and 03:00: in Paris that hour does
//     not exist on the last Sunday of March and happens twice on the last
//     Sunday of October, so a job set in it would be skipped or run twice;
//   - an interval ("@every 1h"): it ignores the clock, so it fires in that
//     hour too, and at times no replica agrees on;
//   - a time zone prefix ("CRON_TZ=…", "TZ=…"): every schedule is in Paris;
//   - a spec that never fires (30 February).
func Parse(spec string) (cron.Schedule, error) {
	s := strings.TrimSpace(spec)
	if strings.HasPrefix(s, "TZ=") || strings.HasPrefix(s, "CRON_TZ=") {
		return nil, fmt.Errorf("schedule %q: no time zone prefix: schedules are read in Europe/Paris", spec)
	}
	sched, err := parser.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w (want 5 fields: minute hour day-of-month month day-of-week)", spec, err)
	}
	ss, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("schedule %q: an interval is not a time of day: give minute and hour (\"30 3 * * *\")", spec)
	}
	if ss.Hour&(1<<2) != 0 {
		return nil, fmt.Errorf("schedule %q can fire between 02:00 and 03:00 (Europe/Paris), an hour that daylight saving skips in March and repeats in October: choose another hour", spec)
	}
	ss.Location = paris
	if ss.Next(time.Now()).IsZero() {
		return nil, fmt.Errorf("schedule %q never fires", spec)
	}
	return ss, nil
}

// Spec returns the schedule of the job name: the environment variable
// JOB_<NAME> when it is set and not blank, def otherwise. NAME is name in
// capitals, with anything but letters and digits as "_": the job
// "auto-close" reads JOB_AUTO_CLOSE. Pass os.Getenv as getenv.
func Spec(getenv func(string) string, name, def string) string {
	if v := strings.TrimSpace(getenv(EnvVar(name))); v != "" {
		return v
	}
	return def
}

// EnvVar is the environment variable that sets the schedule of the job
// name: "purge" is JOB_PURGE.
func EnvVar(name string) string {
	var b strings.Builder
	b.WriteString("JOB_")
	for _, r := range strings.ToUpper(name) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// shortestGap is the shortest time between two of the next n firings of
// sched after from: the longest a run may last without overlapping the
// next firing, which another replica may take.
func shortestGap(sched cron.Schedule, from time.Time, n int) time.Duration {
	prev := sched.Next(from)
	gap := time.Duration(0)
	for i := 0; i < n && !prev.IsZero(); i++ {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if d := next.Sub(prev); gap == 0 || d < gap {
			gap = d
		}
		prev = next
	}
	return gap
}
