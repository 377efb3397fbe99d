package jobs

import (
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/scheduler"
)

// Default schedules (5 fields, Europe/Paris), each overridden by its
// environment variable (scheduler.Spec): none between 02:00 and 03:00,
// which the scheduler refuses.
const (
	// DefaultPurge: every day at 03:30; JOB_PURGE.
	DefaultPurge = "30 3 * * *"
	// DefaultWeeklyReport: Mondays at 08:00, the week just ended;
	// JOB_WEEKLY_REPORT.
	DefaultWeeklyReport = "0 8 * * 1"
	// DefaultVerifyServices: the 1st of each month at 09:00;
	// JOB_VERIFY_SERVICES.
	DefaultVerifyServices = "0 9 1 * *"
	// DefaultAteliersRemind: every hour but 02:00, the reminders due the
	// day before a session from 10:00; JOB_ATELIERS_REMIND.
	DefaultAteliersRemind = "0 0-1,3-23 * * *"
)

// Timeouts of the jobs' runs.
const (
	PurgeTimeout          = 30 * time.Minute
	WeeklyReportTimeout   = 10 * time.Minute
	VerifyServicesTimeout = 5 * time.Minute
	AteliersRemindTimeout = 10 * time.Minute
)

// Deps are what the jobs need. A job whose dependencies are missing is
// not added: Purge needs Redis; WeeklyReport Observatory and Sender;
// VerifyServices Flow and Sender; AteliersRemind Ateliers, Notifier and
// Bundle (with Ateliers, the weekly report lists the week's sessions).
type Deps struct {
	Redis       redis.UniversalClient
	Purge       PurgeConfig // Retention: config RETENTION
	Observatory ObservatoryReader
	Sender      Sender
	Admins      func() []int64 // read at each run
	Flow        func() *flow.Flow
	Ateliers    ateliers.Store
	Notifier    ateliers.Notifier
	Bundle      *i18n.Bundle
}

// Register adds the jobs to s on their schedules (see the Default*
// constants; getenv is os.Getenv) and returns the names of those added.
func Register(s *scheduler.Scheduler, getenv func(string) string, d Deps) ([]string, error) {
	admins := d.Admins
	if admins == nil {
		admins = func() []int64 { return nil }
	}
	type entry struct {
		job     scheduler.Job
		def     string
		timeout time.Duration
	}
	var es []entry
	if d.Redis != nil {
		es = append(es, entry{NewPurge(d.Redis, d.Purge), DefaultPurge, PurgeTimeout})
	}
	if d.Observatory != nil && d.Sender != nil {
		wr := NewWeeklyReport(d.Observatory, d.Sender, admins)
		if d.Ateliers != nil {
			wr = wr.WithSessions(d.Ateliers)
		}
		es = append(es, entry{wr, DefaultWeeklyReport, WeeklyReportTimeout})
	}
	if d.Flow != nil && d.Sender != nil {
		es = append(es, entry{NewVerifyServices(d.Flow, d.Sender, admins), DefaultVerifyServices, VerifyServicesTimeout})
	}
	if d.Ateliers != nil && d.Notifier != nil && d.Bundle != nil {
		es = append(es, entry{NewAteliersRemind(d.Ateliers, d.Notifier, d.Bundle), DefaultAteliersRemind, AteliersRemindTimeout})
	}
	var names []string
	for _, e := range es {
		if err := s.Add(scheduler.Spec(getenv, e.job.Name(), e.def), e.job, e.timeout); err != nil {
			return names, fmt.Errorf("jobs: %w", err)
		}
		names = append(names, e.job.Name())
	}
	return names, nil
}
