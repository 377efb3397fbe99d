package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the weeks are Paris weeks, wherever the bot runs

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/observatory"
)

// Sender sends to a Telegram chat; the bot's client implements it. An
// error means this chat was not reached (it blocked the bot, it is gone,
// Telegram refused): its text may name the chat, so the jobs never log it.
type Sender interface {
	SendPhoto(ctx context.Context, chat int64, png []byte, caption string) (int, error)
	SendDocument(ctx context.Context, chat int64, name string, data []byte, caption string) (int, error)
	SendText(ctx context.Context, chat int64, text string) error
}

// ObservatoryReader reads the observatory's raw counts over a period
// (observatory.Recorder).
type ObservatoryReader interface {
	Read(ctx context.Context, from, to time.Time) (observatory.Table, error)
}

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("jobs: " + err.Error())
	}
	return l
}()

// WeeklyReport sends the admins the previous ISO week's figures: a short
// French text (the week, what was hidden and why), the charts of
// observatory.WeeklyCharts, each with its title as caption, then the CSV.
// Everything sent went through observatory.Protect first: no figure under
// observatory.MinCount, no chat id.
//
// The charts show that week alone, not the weeks before it: a week charted
// again inside a longer period would be protected anew, and a figure
// hidden in complement in its own report could show there, giving away
// the small one it was hiding.
type WeeklyReport struct {
	obs      ObservatoryReader
	send     Sender
	admins   func() []int64
	sessions ateliers.Store // nil: no sessions in the report
}

// NewWeeklyReport returns the job reading obs and sending to admins (read
// at each run) through send.
func NewWeeklyReport(obs ObservatoryReader, send Sender, admins func() []int64) *WeeklyReport {
	return &WeeklyReport{obs: obs, send: send, admins: admins}
}

// WithSessions adds to the report the association's sessions of the week,
// with how many signed up and, once recorded, how many came: counts only.
func (j *WeeklyReport) WithSessions(s ateliers.Store) *WeeklyReport {
	j.sessions = s
	return j
}

// Name is "weekly-report".
func (*WeeklyReport) Name() string { return "weekly-report" }

// PreviousWeek returns the ISO week before the one of now in Paris: its
// label ("2026-W48"), its Monday 00:00 and its Sunday 00:00 (the last day
// of the week; the week ends the next Monday 00:00).
func PreviousWeek(now time.Time) (label string, monday, sunday time.Time) {
	t := now.In(paris)
	wd := (int(t.Weekday()) + 6) % 7 // Monday 0
	monday = time.Date(t.Year(), t.Month(), t.Day()-wd-7, 0, 0, 0, 0, paris)
	sunday = time.Date(monday.Year(), monday.Month(), monday.Day()+6, 0, 0, 0, 0, paris)
	y, w := monday.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w), monday, sunday
}

// CSVName is the name of the CSV of the week label: "boussole-semaine-2026-W48.csv".
func CSVName(week string) string { return "boussole-semaine-" + week + ".csv" }

// WeeklyContent is what every admin receives.
type WeeklyContent struct {
	Week    string
	Text    string
	Charts  []observatory.PNG
	CSVName string
	CSV     []byte
}

// Build reads, protects and draws the week before now.
func (j *WeeklyReport) Build(ctx context.Context, now time.Time) (WeeklyContent, error) {
	week, monday, sunday := PreviousWeek(now)
	table, err := j.obs.Read(ctx, monday, sunday)
	if err != nil {
		return WeeklyContent{}, err
	}
	pub, rep := observatory.Protect(table)
	charts, err := observatory.WeeklyCharts(pub)
	if err != nil {
		return WeeklyContent{}, err
	}
	var csv bytes.Buffer
	if err := observatory.WriteCSV(&csv, pub); err != nil {
		return WeeklyContent{}, fmt.Errorf("csv: %w", err)
	}
	_, wk := monday.ISOWeek()
	text := fmt.Sprintf("📊 Boussole, rapport de la semaine %d (du %s au %s)\n\n%s%s\n\nSuivent %d graphiques et le tableau complet (CSV).",
		wk, monday.Format("02/01"), sunday.Format("02/01/2006"), rep.Text, j.weekSessions(ctx, monday, sunday.AddDate(0, 0, 1)), len(charts))
	return WeeklyContent{Week: week, Text: text, Charts: charts, CSVName: CSVName(week), CSV: csv.Bytes()}, nil
}

// Run builds the report of the week before now and sends it to each admin
// in turn. An admin who cannot be reached (blocked the bot) is counted and
// skipped, the others still receive it. The summary counts admins reached
// and not ("admins 3, sent 2, failed 1"); the error is set when the report
// could not be built, when the context ended, or when no admin at all was
// reached.
func (j *WeeklyReport) Run(ctx context.Context, now time.Time) (string, error) {
	admins := j.admins()
	if len(admins) == 0 {
		return "admins 0", nil
	}
	c, err := j.Build(ctx, now)
	if err != nil {
		return "", fmt.Errorf("weekly-report: %w", err)
	}
	sent, failed := 0, 0
	for _, chat := range admins {
		if err := ctx.Err(); err != nil {
			return fmt.Sprintf("week %s, admins %d, sent %d, failed %d", c.Week, len(admins), sent, failed), err
		}
		if j.sendTo(ctx, chat, c) != nil {
			failed++
			continue
		}
		sent++
	}
	sum := fmt.Sprintf("week %s, admins %d, sent %d, failed %d", c.Week, len(admins), sent, failed)
	if sent == 0 {
		return sum, errors.New("weekly-report: no admin reached")
	}
	return sum, nil
}

// sendTo sends the whole report to one chat, stopping at its first error.
func (j *WeeklyReport) sendTo(ctx context.Context, chat int64, c WeeklyContent) error {
	if err := j.send.SendText(ctx, chat, c.Text); err != nil {
		return err
	}
	for _, p := range c.Charts {
		if _, err := j.send.SendPhoto(ctx, chat, p.Data, p.Title); err != nil {
			return err
		}
	}
	_, err := j.send.SendDocument(ctx, chat, c.CSVName, c.CSV, "Tableau de la semaine : les cases de moins de 11 personnes sont masquées, les nombres arrondis à 5.")
	return err
}

// weekSessions is the report's paragraph on the sessions that started in
// [from, to): "" without a store or a session.
func (j *WeeklyReport) weekSessions(ctx context.Context, from, to time.Time) string {
	if j.sessions == nil {
		return ""
	}
	list, err := j.sessions.Between(ctx, from, to)
	if err != nil {
		return "\n\nRendez-vous de la semaine : illisibles (le stockage n'a pas répondu)."
	}
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nRendez-vous de la semaine :")
	for _, s := range list {
		fmt.Fprintf(&b, "\n• %s %s, %s : ", s.Start.In(paris).Format("02/01 15:04"), s.ID, s.Title["fr"])
		if s.Cancelled {
			b.WriteString("annulé")
			continue
		}
		n, err := j.sessions.Count(ctx, s.ID)
		if err != nil {
			b.WriteString("inscrits illisibles")
		} else {
			fmt.Fprintf(&b, "%d inscrit(s)", n)
		}
		if s.Came >= 0 {
			fmt.Fprintf(&b, ", %d venu(s)", s.Came)
		} else {
			b.WriteString(", venus non notés")
		}
	}
	return b.String()
}
