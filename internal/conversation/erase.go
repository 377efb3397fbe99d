package conversation

import (
	"context"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// deleteBatch is the most message ids deleteMessages accepts at once.
const deleteBatch = 100

// erase deletes every message of the chat younger than 48 hours, in both
// directions, including the /effacer command itself.
func (s *Service) erase(ctx context.Context, u Update, now time.Time) error {
	ids, err := s.Store.Journal(ctx, u.Chat, now)
	if err != nil {
		return err
	}
	if u.MsgID != 0 {
		ids = append(ids, u.MsgID)
	}
	for len(ids) > 0 {
		n := min(len(ids), deleteBatch)
		// Messages already gone (deleted by the person) are not an error.
		_ = s.Sender.Delete(ctx, u.Chat, ids[:n])
		ids = ids[n:]
	}
	return nil
}

// forget deletes everything the bot holds about the person, then says so in
// one line that is not kept anywhere.
// st is the state Handle has just loaded: only its language is used.
func (s *Service) forget(ctx context.Context, u Update, st flow.State, now time.Time, durable func()) (Result, error) {
	lang := st.Lang
	if lang == "" {
		lang = clientLang(u.Lang)
	}
	if err := s.erase(ctx, u, now); err != nil {
		return s.outage(ctx, u, err)
	}
	if err := s.Store.Forget(ctx, u.Chat); err != nil {
		return s.outage(ctx, u, err)
	}
	durable()
	s.answer(ctx, u)
	_, _ = s.Sender.Send(ctx, u.Chat, Reply{Text: s.Bundle.T(lang, "forgotten", nil), Lang: lang})
	return Result{Outcome: "forgotten"}, nil
}
