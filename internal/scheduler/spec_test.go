package scheduler

import (
	"strings"
	"testing"
	"time"
)

func TestParseRefusesWhatCanFireBetweenTwoAndThree(t *testing.T) {
	for _, spec := range []string{
		"30 2 * * *",
		"0 2 * * 0",
		"0 1-3 * * *",
		"0 */2 * * *", // 0, 2, 4…
		"0 1,2 * * *",
		"* * * * *",
		"@hourly",
	} {
		_, err := Parse(spec)
		if err == nil || !strings.Contains(err.Error(), "between 02:00 and 03:00") {
			t.Errorf("Parse(%q) = %v, want the 02:00-03:00 refusal", spec, err)
		}
	}
}

func TestParseRefusesIntervalsZonesAndNonsense(t *testing.T) {
	for spec, want := range map[string]string{
		"@every 1h":               "interval",
		"CRON_TZ=UTC 0 4 * * *":   "time zone",
		"TZ=Europe/Paris 0 4 * *": "time zone",
		"0 4 30 2 *":              "never fires",
		"0 4 * *":                 "5 fields",
		"0 0 4 * * *":             "5 fields",
		"":                        "5 fields",
		"61 4 * * *":              "5 fields",
	} {
		_, err := Parse(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error about %q", spec, err, want)
		}
	}
}

func TestParseAcceptsOtherHours(t *testing.T) {
	for _, spec := range []string{"30 3 * * *", "0 1,3 * * *", "0 */3 * * *", "0 9 * * 1", "0 6 1 * *", "@daily", "@weekly", "@monthly", " 15 4 * * * "} {
		if _, err := Parse(spec); err != nil {
			t.Errorf("Parse(%q): %v", spec, err)
		}
	}
}

// On the spring-forward night (Sunday 28 March 2027 in Paris) 02:00 CET
// becomes 03:00 CEST: a job at 03:30 still fires, at 03:30 CEST.
func TestSpringForwardNightStillFiresAtThreeThirty(t *testing.T) {
	sched, err := Parse("30 3 * * *")
	if err != nil {
		t.Fatal(err)
	}
	from := at(2027, time.March, 28, 1, 0)
	if name, off := from.Zone(); name != "CET" || off != 3600 {
		t.Fatalf("from is %s %d, want CET +1h", name, off)
	}
	next := sched.Next(from)
	want := time.Date(2027, time.March, 28, 1, 30, 0, 0, time.UTC) // 03:30 CEST
	if !next.Equal(want) {
		t.Fatalf("next firing = %v, want %v", next, want)
	}
	if name, off := next.Zone(); name != "CEST" || off != 7200 || next.Day() != 28 || next.Hour() != 3 || next.Minute() != 30 {
		t.Fatalf("next firing = %v, want 2027-03-28 03:30 CEST", next)
	}
	// And the night after is an ordinary one.
	if after := sched.Next(next); !after.Equal(at(2027, time.March, 29, 3, 30)) {
		t.Fatalf("firing after = %v", after)
	}
}

// On the fall-back night (31 October 2027) 03:00 CEST becomes 02:00 CET:
// 02:xx happens twice, 03:30 once.
func TestFallBackNightFiresOnce(t *testing.T) {
	sched, err := Parse("30 3 * * *")
	if err != nil {
		t.Fatal(err)
	}
	first := sched.Next(at(2027, time.October, 31, 1, 0))
	if want := time.Date(2027, time.October, 31, 2, 30, 0, 0, time.UTC); !first.Equal(want) { // 03:30 CET
		t.Fatalf("first = %v, want %v", first, want)
	}
	if second := sched.Next(first); !second.Equal(at(2027, time.November, 1, 3, 30)) {
		t.Fatalf("second = %v, want the next day", second)
	}
}

func TestSpecReadsJobVariable(t *testing.T) {
	env := map[string]string{"JOB_PURGE": " 30 3 * * * ", "JOB_AUTO_CLOSE": "  "}
	getenv := func(k string) string { return env[k] }
	if got := Spec(getenv, "purge", "0 4 * * *"); got != "30 3 * * *" {
		t.Errorf("purge: %q", got)
	}
	if got := Spec(getenv, "auto-close", "0 5 * * *"); got != "0 5 * * *" {
		t.Errorf("auto-close (blank variable): %q", got)
	}
	if got := Spec(getenv, "report", "0 8 * * 1"); got != "0 8 * * 1" {
		t.Errorf("report (unset): %q", got)
	}
	if got := EnvVar("auto-close"); got != "JOB_AUTO_CLOSE" {
		t.Errorf("EnvVar: %q", got)
	}
}

func TestShortestGap(t *testing.T) {
	for spec, want := range map[string]time.Duration{
		"*/5 0,1,3-23 * * *": 5 * time.Minute,
		"0 9 * * 1,3":        48 * time.Hour,
		"30 3 * * *":         23 * time.Hour, // the spring-forward day is 23 hours long
	} {
		sched, err := Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := shortestGap(sched, at(2027, time.January, 1, 0, 0), 500); got != want {
			t.Errorf("%q: gap %v, want %v", spec, got, want)
		}
	}
}
