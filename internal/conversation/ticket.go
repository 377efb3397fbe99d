package conversation

import (
	"context"
	"strconv"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// openTicket opens the person's ticket once they consented (the handoff
// node's confirm button) and tells them, at once, their place and an honest
// wait, or when someone will be there and the lines that answer now.
func (s *Service) openTicket(ctx context.Context, f *flow.Flow, u Update, next flow.State, outs []flow.Output, t flow.Ticket, now time.Time) (decision, error) {
	op, err := s.Desk.Open(ctx, u.Chat, t, now)
	if err != nil {
		return decision{}, &StoreError{Err: err}
	}
	lang := next.Lang
	kept := outs[:0:0]
	for _, o := range outs {
		if o.Kind != flow.OutNotice || o.Notice != flow.NoticeHandoffRequested {
			kept = append(kept, o)
		}
	}
	replies := Render(f, s.Bundle, lang, kept)
	replies = append(replies, Reply{Text: s.queuedText(lang, op, now), Lang: lang, Buttons: s.endRow(lang)})
	return decision{state: next, replies: replies, linkSet: true, asked: !op.Existing,
		link: Link{Ticket: op.Ticket, Code: op.Code, Told: now.Unix()}}, nil
}

// queuedText tells a person where their request stands.
func (s *Service) queuedText(lang string, op Opened, now time.Time) string {
	pos := strconv.Itoa(max(op.Position, 1))
	switch {
	case op.Closed:
		return s.Bundle.T(lang, "handoff_closed_hours", map[string]string{
			"Day": s.dayName(lang, op.Next, now), "Time": op.Next.Format("15:04")})
	case op.Existing:
		return s.Bundle.T(lang, "handoff_already", map[string]string{"Position": pos})
	}
	return s.Bundle.T(lang, "handoff_queued", map[string]string{"Position": pos, "Wait": s.waitText(lang, op.Wait)})
}

// waitText says an estimated wait, rounded up to 5 minutes.
func (s *Service) waitText(lang string, d time.Duration) string {
	if d < 0 {
		return s.Bundle.T(lang, "wait_unknown", nil)
	}
	m := int((d + 5*time.Minute - 1) / (5 * time.Minute) * 5)
	m = max(m, 5)
	return s.Bundle.Plural(lang, "wait_minutes", m, map[string]string{"Count": strconv.Itoa(m)})
}

// dayName says the day of next as the person would: today, tomorrow, or
// the day of the week (next is in the desk's time zone).
func (s *Service) dayName(lang string, next, now time.Time) string {
	now = now.In(next.Location())
	y1, m1, d1 := now.Date()
	y2, m2, d2 := next.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, next.Location())
	day := time.Date(y2, m2, d2, 0, 0, 0, 0, next.Location())
	switch day.Sub(today).Round(time.Hour) / (24 * time.Hour) {
	case 0:
		return s.Bundle.T(lang, "day_today", nil)
	case 1:
		return s.Bundle.T(lang, "day_tomorrow", nil)
	}
	wd := int(next.Weekday())
	if wd == 0 {
		wd = 7
	}
	return s.Bundle.T(lang, "weekday_"+strconv.Itoa(wd), nil)
}
