package telegramtest

import (
	"encoding/json"
	"time"
)

// chatOf returns the chat an update belongs to (0 when it names none), the
// unit Telegram keeps in order when it delivers to a webhook in parallel.
func chatOf(raw []byte) int64 {
	var u struct {
		Message *struct {
			Chat struct{ ID int64 } `json:"chat"`
		} `json:"message"`
		CallbackQuery *struct {
			From    struct{ ID int64 } `json:"from"`
			Message *struct {
				Chat struct{ ID int64 } `json:"chat"`
			} `json:"message"`
		} `json:"callback_query"`
		MyChatMember *struct {
			Chat struct{ ID int64 } `json:"chat"`
		} `json:"my_chat_member"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return 0
	}
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat.ID != 0:
		return u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// parallelWebhookLoop is webhookLoop for [WithParallelWebhook].
func (s *Server) parallelWebhookLoop() {
	busy := map[int64]bool{}            // chats with an update in flight or backing off
	failures := map[*queuedUpdate]int{} // failed attempts, for the backoff
	inFlight := 0
	for {
		s.mu.Lock()
		var pick *queuedUpdate
		var hook webhookConfig
		if s.webhook != nil && inFlight < s.webhook.maxConnections {
			hook = *s.webhook
			s.dropUnwantedLocked()
			seen := map[int64]bool{}
			for _, u := range s.queue {
				c := u.chatID()
				if !busy[c] && !seen[c] {
					pick = u
					break
				}
				seen[c] = true
			}
		}
		changed := s.changed
		if pick == nil {
			s.mu.Unlock()
			select {
			case <-changed:
				continue
			case <-s.closed:
				return
			}
		}
		chat := pick.chatID()
		busy[chat] = true
		inFlight++
		attempt := failures[pick]
		s.mu.Unlock()

		s.wg.Add(1)
		go func(u *queuedUpdate) {
			defer s.wg.Done()
			status, errMsg, answer := s.post(hook, u.raw)
			if s.baseCtx.Err() != nil {
				return
			}
			s.mu.Lock()
			s.deliveries = append(s.deliveries, Delivery{
				UpdateID: u.id, URL: hook.url, Time: s.now(), Status: status, Err: errMsg,
			})
			if errMsg == "" {
				s.removeQueuedLocked(u)
				delete(failures, u)
			} else {
				failures[u] = attempt + 1
				if s.webhook != nil && s.webhook.url == hook.url {
					s.lastErrDate = s.now().Unix()
					s.lastErrMsg = errMsg
				}
			}
			s.bumpLocked()
			s.mu.Unlock()
			if errMsg == "" {
				s.runWebhookAnswer(answer)
			} else {
				backoff := s.cfg.backoffMin << min(attempt, 20)
				t := time.NewTimer(min(backoff, s.cfg.backoffMax))
				select {
				case <-t.C:
				case <-s.closed:
					t.Stop()
				}
			}
			s.mu.Lock()
			delete(busy, chat)
			inFlight--
			s.bumpLocked()
			s.mu.Unlock()
		}(pick)
	}
}
