// Package admin holds what the association's coordinators (ADMIN_IDS) ask
// the bot in their private chat. Their commands answer nobody else, and say
// nothing to anybody else that they exist: another person's "/stats" is an
// ordinary message of theirs.
package admin

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/observatory"
)

// Sender sends what a coordinator reads: texts, charts, files.
type Sender interface {
	SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error)
	SendPhoto(ctx context.Context, chat int64, png []byte, caption string) (int, error)
	SendDocument(ctx context.Context, chat int64, name string, data []byte, caption string) (int, error)
}

// Stats answers /stats [period]: the observatory's protected figures for
// the last days (7 by default, "30", "mois", "annee"…), as the weekly
// report gives them: a sentence, the charts, the CSV.
type Stats struct {
	Admins   []int64
	Recorder *observatory.Recorder
	Sender   Sender
	Bundle   *i18n.Bundle
	Log      zerolog.Logger
	Now      func() time.Time
}

// Owns reports whether an update is a coordinator's /stats.
func (s *Stats) Owns(u conversation.Update) bool {
	if !u.Private || u.Kind != conversation.KindText || !slices.Contains(s.Admins, u.From) {
		return false
	}
	cmd, _, _ := strings.Cut(strings.TrimSpace(u.Text), " ")
	return strings.EqualFold(cmd, "/stats")
}

// answerTimeout bounds the upload of an answer.
const answerTimeout = 2 * time.Minute

// Handle answers off the receive path: the figures are read and the charts
// drawn and sent in the background; the update is done at once.
func (s *Stats) Handle(_ context.Context, u conversation.Update) (conversation.Result, error) {
	_, arg, _ := strings.Cut(strings.TrimSpace(u.Text), " ")
	days := periodDays(arg)
	lang := "fr"
	if strings.HasPrefix(strings.ToLower(u.Lang), "ar") {
		lang = "ar"
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
		defer cancel()
		if err := s.answer(ctx, u.Chat, lang, days); err != nil {
			s.Log.Warn().Str("error", "stats not sent").Msg("admin: /stats")
		}
	}()
	return conversation.Result{Outcome: "stats"}, nil
}

// periodDays reads "7", "30j", "semaine", "mois", "annee"; 7 otherwise.
func periodDays(arg string) int {
	a := strings.ToLower(strings.TrimSpace(arg))
	switch a {
	case "semaine", "week":
		return 7
	case "mois", "month":
		return 30
	case "annee", "année", "year":
		return 365
	}
	if n, err := strconv.Atoi(strings.TrimRight(a, "jd")); err == nil && n >= 1 && n <= 366 {
		return n
	}
	return 7
}

func (s *Stats) answer(ctx context.Context, chat int64, lang string, days int) error {
	now := s.Now()
	from := now.AddDate(0, 0, -(days - 1))
	tab, err := s.Recorder.Read(ctx, from, now)
	if err != nil {
		return err
	}
	pub, rep := observatory.Protect(tab)
	head := s.Bundle.T(lang, "admin_stats_head", map[string]string{
		"From": from.Format("02/01/2006"), "To": now.Format("02/01/2006")})
	it := delivery.Item{Kind: delivery.KindText, Text: head + "\n\n" + rep.Text, Lang: lang, At: now.UnixMilli()}
	if _, err := s.Sender.SendNow(ctx, chat, it); err != nil {
		return err
	}
	charts, err := observatory.WeeklyCharts(pub)
	if err != nil {
		return err
	}
	for _, c := range charts {
		if _, err := s.Sender.SendPhoto(ctx, chat, c.Data, c.Title); err != nil {
			return err
		}
	}
	var csv bytes.Buffer
	if err := observatory.WriteCSV(&csv, pub); err != nil {
		return err
	}
	name := "boussole-" + from.Format("2006-01-02") + "-" + now.Format("2006-01-02") + ".csv"
	_, err = s.Sender.SendDocument(ctx, chat, name, csv.Bytes(), "")
	return err
}
