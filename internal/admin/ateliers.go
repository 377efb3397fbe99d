package admin

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/ateliers"
	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/i18n"
)

// SessionsSender sends a coordinator their answers.
type SessionsSender interface {
	SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error)
}

// Sessions answers the coordinators' /ateliers: the association's coming
// sessions, adding one, changing or cancelling it (those signed up are told,
// in neutral words), how many came. Like the editor's, its command answers
// nobody else: anyone else's "/ateliers" is an ordinary message of theirs.
type Sessions struct {
	Admins   []int64
	Store    ateliers.Store
	Notifier ateliers.Notifier // tells those signed up of a change
	Sender   SessionsSender
	Bundle   *i18n.Bundle
	Loc      *time.Location // Europe/Paris
	Log      zerolog.Logger
	Now      func() time.Time
}

// Owns reports whether an update is a coordinator's /ateliers, in private.
func (s *Sessions) Owns(u conversation.Update) bool {
	if s == nil || !u.Private || u.Kind != conversation.KindText || !slices.Contains(s.Admins, u.From) {
		return false
	}
	first, _, _ := strings.Cut(u.Text, "\n")
	f := strings.Fields(first)
	return len(f) > 0 && strings.EqualFold(f[0], "/ateliers")
}

// sessionsAnswer is one answer being written to a coordinator.
type sessionsAnswer struct {
	s    *Sessions
	chat int64
	lang string
	now  time.Time
}

func (a sessionsAnswer) t(id string, data map[string]string) string {
	return a.s.Bundle.T(a.lang, id, data)
}

func (a sessionsAnswer) send(ctx context.Context, text string) {
	for _, it := range conversation.Items(conversation.Reply{Text: text, Lang: a.lang}, a.now, delivery.Item{}) {
		if _, err := a.s.Sender.SendNow(ctx, a.chat, it); err != nil {
			a.s.Log.Warn().Str("error", "admin answer not sent").Msg("admin: /ateliers")
			return
		}
	}
}

func (a sessionsAnswer) say(ctx context.Context, id string, data map[string]string) {
	a.send(ctx, a.t(id, data))
}

// Handle answers one /ateliers. The form, when there is one, follows on
// the next lines of the same message (or on the command's line).
func (s *Sessions) Handle(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	lang := "fr"
	if strings.HasPrefix(strings.ToLower(u.Lang), "ar") {
		lang = "ar"
	}
	a := sessionsAnswer{s: s, chat: u.Chat, lang: lang, now: s.Now()}
	first, rest, _ := strings.Cut(u.Text, "\n")
	f := strings.Fields(first)
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	// form is what follows the command's words (n of them), and the line
	// of its first line in the message.
	form := func(n int) (string, int) {
		if len(f) > n {
			return strings.Join(f[n:], " ") + "\n" + rest, 0
		}
		return rest, 1
	}
	switch strings.ToLower(arg(1)) {
	case "ajouter":
		text, offset := form(2)
		s.add(ctx, a, text, offset)
	case "modifier":
		text, offset := form(3)
		s.change(ctx, a, strings.ToUpper(arg(2)), text, offset)
	case "annuler":
		s.cancel(ctx, a, strings.ToUpper(arg(2)))
	case "venus":
		s.came(ctx, a, strings.ToUpper(arg(2)), arg(3))
	default:
		s.list(ctx, a)
	}
	return conversation.Result{Outcome: "admin"}, nil
}

// list shows the coming sessions and how to use the command.
func (s *Sessions) list(ctx context.Context, a sessionsAnswer) {
	coming, err := s.Store.Coming(ctx, a.now)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	lines := []string{a.t("admin_ateliers_list_none", nil)}
	if len(coming) > 0 {
		lines = []string{a.t("admin_ateliers_list_head", nil)}
	}
	for _, ss := range coming {
		n, err := s.Store.Count(ctx, ss.ID)
		if err != nil && !errors.Is(err, ateliers.ErrNoSession) {
			a.say(ctx, "admin_store_down", nil)
			return
		}
		line := a.t("admin_ateliers_line", map[string]string{"id": ss.ID, "count": strconv.Itoa(n),
			"when": ateliers.At(s.Bundle, s.Loc, a.lang, ss.Start), "title": title(ss, a.lang)})
		if ss.Cancelled {
			line += " · " + a.t("admin_ateliers_mark_cancelled", nil)
		}
		lines = append(lines, "• "+line)
	}
	a.send(ctx, strings.Join(lines, "\n")+"\n\n"+a.t("admin_ateliers_help", nil))
}

func title(s ateliers.Session, lang string) string {
	if t := s.Title[lang]; t != "" {
		return t
	}
	return s.Title["fr"]
}

// problems lists what is wrong in a form, each with its line in the
// message; false when there is nothing.
func (s *Sessions) problems(ctx context.Context, a sessionsAnswer, probs []ateliers.Problem, offset int) bool {
	if len(probs) == 0 {
		return false
	}
	lines := []string{a.t("admin_ateliers_problems", nil)}
	for _, p := range probs {
		msg := a.t("admin_ateliers_problem_"+p.Code, map[string]string{"key": p.Key})
		if p.Line == 0 {
			lines = append(lines, a.t("admin_ateliers_problem", map[string]string{"message": msg}))
			continue
		}
		lines = append(lines, a.t("admin_ateliers_problem_line", map[string]string{
			"line": strconv.Itoa(p.Line + offset), "key": p.Key, "message": msg}))
	}
	a.send(ctx, strings.Join(lines, "\n"))
	return true
}

// preview shows a session as the families see it, in French and Arabic
// (without its buttons: the coordinator's taps would sign them up).
func (s *Sessions) preview(ctx context.Context, a sessionsAnswer, ss ateliers.Session) {
	cards := ateliers.Cards{Bundle: s.Bundle, Loc: s.Loc}
	for _, lang := range ateliers.Langs {
		a.send(ctx, cards.Card(ss, lang, nil, a.now).Text)
	}
}

func (s *Sessions) add(ctx context.Context, a sessionsAnswer, form string, offset int) {
	if strings.TrimSpace(form) == "" {
		a.say(ctx, "admin_ateliers_form_missing", nil)
		return
	}
	ss, probs := ateliers.Parse(form, s.Loc, a.now, nil)
	if s.problems(ctx, a, probs, offset) {
		return
	}
	ss, err := s.Store.Save(ctx, ss)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	a.say(ctx, "admin_ateliers_saved", map[string]string{"id": ss.ID})
	s.preview(ctx, a, ss)
}

// coming returns a session that is not over, or tells the coordinator why
// not.
func (s *Sessions) coming(ctx context.Context, a sessionsAnswer, id string) (ateliers.Session, bool) {
	ss, err := s.Store.Get(ctx, id)
	switch {
	case errors.Is(err, ateliers.ErrNoSession):
		a.say(ctx, "admin_ateliers_unknown", map[string]string{"id": id})
		return ss, false
	case err != nil:
		a.say(ctx, "admin_store_down", nil)
		return ss, false
	case !ss.End().After(a.now):
		a.say(ctx, "admin_ateliers_over", map[string]string{"id": id})
		return ss, false
	}
	return ss, true
}

func (s *Sessions) change(ctx context.Context, a sessionsAnswer, id, form string, offset int) {
	old, ok := s.coming(ctx, a, id)
	if !ok {
		return
	}
	if strings.TrimSpace(form) == "" {
		a.say(ctx, "admin_ateliers_form_missing", nil)
		return
	}
	ss, probs := ateliers.Parse(form, s.Loc, a.now, &old)
	if s.problems(ctx, a, probs, offset) {
		return
	}
	signed, err := s.Store.Signed(ctx, id)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	if ss, err = s.Store.Save(ctx, ss); err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	told := s.tell(ctx, signed, func(lang string) string { return ateliers.Moved(s.Bundle, s.Loc, lang, old, ss) })
	a.say(ctx, "admin_ateliers_changed", map[string]string{"id": id, "told": strconv.Itoa(told),
		"signed": strconv.Itoa(len(signed))})
	s.preview(ctx, a, ss)
}

func (s *Sessions) cancel(ctx context.Context, a sessionsAnswer, id string) {
	ss, ok := s.coming(ctx, a, id)
	if !ok {
		return
	}
	if ss.Cancelled {
		a.say(ctx, "admin_ateliers_already_cancelled", map[string]string{"id": id})
		return
	}
	signed, err := s.Store.Signed(ctx, id)
	if err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	ss.Cancelled = true
	if _, err := s.Store.Save(ctx, ss); err != nil { // the sign-ups go with it
		a.say(ctx, "admin_store_down", nil)
		return
	}
	told := s.tell(ctx, signed, func(lang string) string { return ateliers.Cancelled(s.Bundle, s.Loc, lang, ss) })
	a.say(ctx, "admin_ateliers_cancelled", map[string]string{"id": id, "told": strconv.Itoa(told),
		"signed": strconv.Itoa(len(signed))})
}

// tell sends each person signed up the text made in their language ("":
// nothing to tell) and returns how many were reached.
func (s *Sessions) tell(ctx context.Context, signed []ateliers.Sign, text func(lang string) string) int {
	told, failed := 0, 0
	for _, sg := range signed {
		t := text(sg.Lang)
		if t == "" {
			continue
		}
		if s.Notifier == nil || s.Notifier.Notify(ctx, sg.Chat, sg.Lang, t) != nil {
			failed++
			continue
		}
		told++
	}
	if failed > 0 {
		s.Log.Warn().Int("failed", failed).Msg("admin: /ateliers: some signed up not told")
	}
	return told
}

func (s *Sessions) came(ctx context.Context, a sessionsAnswer, id, count string) {
	n, err := strconv.Atoi(count)
	if id == "" || err != nil || n < 0 || n > 10000 {
		a.say(ctx, "admin_ateliers_came_usage", nil)
		return
	}
	ss, err := s.Store.Get(ctx, id)
	switch {
	case errors.Is(err, ateliers.ErrNoSession):
		a.say(ctx, "admin_ateliers_unknown", map[string]string{"id": id})
		return
	case err != nil:
		a.say(ctx, "admin_store_down", nil)
		return
	case a.now.Before(ss.Start):
		a.say(ctx, "admin_ateliers_came_early", map[string]string{"id": id})
		return
	}
	ss.Came = n
	if _, err := s.Store.Save(ctx, ss); err != nil {
		a.say(ctx, "admin_store_down", nil)
		return
	}
	a.say(ctx, "admin_ateliers_came", map[string]string{"id": id, "came": strconv.Itoa(n)})
}
