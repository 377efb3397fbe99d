package jobs

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/observatory"
	"github.com/boussole/boussole/internal/redistest"
	"github.com/boussole/boussole/internal/scheduler"
)

func newScheduler() *scheduler.Scheduler {
	lock := func(context.Context, string, string, time.Duration) (bool, error) { return true, nil }
	return scheduler.New(scheduler.Config{}, lock, zerolog.Nop())
}

func TestDefaultSchedules(t *testing.T) {
	for name, spec := range map[string]string{"purge": DefaultPurge, "weekly-report": DefaultWeeklyReport, "verify-services": DefaultVerifyServices} {
		if _, err := scheduler.Parse(spec); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, v := range map[string]string{"purge": "JOB_PURGE", "weekly-report": "JOB_WEEKLY_REPORT", "verify-services": "JOB_VERIFY_SERVICES"} {
		if got := scheduler.EnvVar(name); got != v {
			t.Errorf("%s reads %s, documented %s", name, got, v)
		}
	}
}

func TestRegister(t *testing.T) {
	rdb := redistest.New(t, testDB)
	deps := Deps{
		Redis:       rdb,
		Observatory: observatory.NewRecorder(rdb, nil),
		Sender:      &fakeSender{},
		Admins:      func() []int64 { return admins },
		Flow:        func() *flow.Flow { return &flow.Flow{} },
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	names, err := Register(newScheduler(), getenv, deps)
	if err != nil || !slices.Equal(names, []string{"purge", "weekly-report", "verify-services"}) {
		t.Fatalf("%v, %v", names, err)
	}
	// Only what the dependencies allow.
	names, err = Register(newScheduler(), getenv, Deps{Redis: rdb})
	if err != nil || !slices.Equal(names, []string{"purge"}) {
		t.Fatalf("Redis only: %v, %v", names, err)
	}
	// A schedule from the environment, checked by the scheduler.
	env["JOB_PURGE"] = "30 2 * * *"
	if _, err := Register(newScheduler(), getenv, deps); err == nil || !strings.Contains(err.Error(), "JOB_PURGE") {
		t.Errorf("02:30: %v", err)
	}
	env["JOB_PURGE"] = "15 4 * * *"
	if _, err := Register(newScheduler(), getenv, deps); err != nil {
		t.Error(err)
	}
}
