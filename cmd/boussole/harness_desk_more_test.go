package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/boussole/boussole/internal/telegramtest"
)

// Helpers of e2e_desk_more_test.go: a desk started in one call, ticket
// codes read from cards and headers, messages counted from a mark, and the
// privacy scan run at the end of every test.

// startDesk starts the bot with a volunteer desk on a fresh fake and Redis.
// The group's pace is lifted to 10 writes a second (TestDeskGroupPace
// tests it): at 20 a minute, a test of several cards would wait on it.
func startDesk(t *testing.T, extra map[string]string) (*telegramtest.Server, string, *syncBuffer, *botProc) {
	t.Helper()
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	env := map[string]string{"SEND_RATE_GROUP": "10/s"}
	for k, v := range extra {
		env[k] = v
	}
	p := startBot(t, tg, redisURL, logs, deskEnv(env))
	return tg, redisURL, logs, p
}

// waitNewCard waits for a takeable card of a ticket other than those of
// the codes seen (a card taken a moment ago may still show its button: the
// board edits it within the group's pace), and returns the newest.
func waitNewCard(t *testing.T, tg *telegramtest.Server, seen ...string) telegramtest.Message {
	t.Helper()
	var found telegramtest.Message
	waitFor(t, tg, "a new takeable card", func() bool {
		ok := false
		for _, m := range tg.BotMessages(deskGroup) {
			_, take := m.Data("Prendre en charge")
			if code := codeOf(m.Text); take && code != "" && !slices.Contains(seen, code) {
				found, ok = m, true
			}
		}
		return ok
	}, deskGroup)
	return found
}

var codeRe = regexp.MustCompile(`Personne (\S+)`)

// codeOf is the ticket's code in a card, a header or a desk message.
func codeOf(text string) string {
	if m := codeRe.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// headers are the ticket headers in a volunteer's private chat.
func headers(tg *telegramtest.Server, vol int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range tg.BotMessages(vol) {
		if strings.Contains(m.Text, "Notes des bénévoles") {
			out = append(out, m)
		}
	}
	return out
}

// takeTicket taps the card for v, waits until the header of the ticket
// reached v (the person is then with v), and returns the ticket's code.
func takeTicket(t *testing.T, tg *telegramtest.Server, v *volunteer, card telegramtest.Message) string {
	t.Helper()
	code := codeOf(card.Text)
	if code == "" {
		t.Fatalf("a card without a code:\n%s", card.Text)
	}
	cb := v.take(card)
	waitFor(t, tg, "the header of Personne "+code+" in the volunteer's chat", func() bool {
		for _, h := range headers(tg, v.id) {
			if codeOf(h.Text) == code {
				return true
			}
		}
		return false
	}, v.id, deskGroup)
	if a, _ := tg.CallbackAnswer(cb); !strings.Contains(a.Text, "C'est à vous") {
		waitFor(t, tg, "the tap answered", func() bool { return tg.Answered(cb) })
		if a, _ := tg.CallbackAnswer(cb); !strings.Contains(a.Text, "C'est à vous") {
			t.Errorf("the winner of Personne %s was answered %q", code, a.Text)
		}
	}
	return code
}

// since are the bot's messages in chat after the first mark ones.
func since(tg *telegramtest.Server, chat int64, mark int) []telegramtest.Message {
	msgs := tg.BotMessages(chat)
	if mark >= len(msgs) {
		return nil
	}
	return msgs[mark:]
}

// botSaid waits for a bot message in chat, after the first mark ones,
// holding every one of want, and returns it.
func botSaid(t *testing.T, tg *telegramtest.Server, chat int64, mark int, want ...string) telegramtest.Message {
	t.Helper()
	var found telegramtest.Message
	waitFor(t, tg, "a message in chat with "+strings.Join(want, " + "), func() bool {
		for _, m := range since(tg, chat, mark) {
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(m.Text, w)
			}
			if ok {
				found = m
				return true
			}
		}
		return false
	}, chat)
	return found
}

// copiesOf maps the messages of chat from copied into chat to: source
// message id → copy.
func copiesOf(tg *telegramtest.Server, to, from int64) map[int]telegramtest.Message {
	out := map[int]telegramtest.Message{}
	for _, m := range tg.BotMessages(to) {
		if m.IsCopy() && m.CopyOf.ChatID == from {
			out[m.CopyOf.MessageID] = m
		}
	}
	return out
}

// answerOf waits for the bot's answer to a tap.
func answerOf(t *testing.T, tg *telegramtest.Server, cb string) telegramtest.CallbackAnswer {
	t.Helper()
	var a telegramtest.CallbackAnswer
	waitFor(t, tg, "the tap answered", func() bool {
		var ok bool
		a, ok = tg.CallbackAnswer(cb)
		return ok
	})
	return a
}

// checkPrivacy is the privacy scan of a test: nothing sent to the group, a
// volunteer or a coordinator names a person (first name, username, user
// id), and nothing sent to a person names a volunteer.
func checkPrivacy(t *testing.T, tg *telegramtest.Server, fams []*family, vols map[int64]string, admins ...int64) {
	t.Helper()
	desk := []int64{deskGroup}
	for id := range vols {
		desk = append(desk, id)
	}
	desk = append(desk, admins...)
	var people []int64
	for _, f := range fams {
		noIdentity(t, tg, f.chat, []string{"Samira", "samira_13"}, desk...)
		people = append(people, f.chat)
	}
	for id, name := range vols {
		noIdentity(t, tg, id, []string{name, strings.ToLower(name) + "_vol"}, people...)
	}
}

// newcomer is a member of the group who never opened a private chat with
// the bot.
func newcomer(t *testing.T, tg *telegramtest.Server, id int64, name string) *volunteer {
	t.Helper()
	v := &volunteer{t: t, tg: tg, id: id, opts: []telegramtest.UserOpt{telegramtest.FirstName(name),
		telegramtest.Username(strings.ToLower(name) + "_vol"), telegramtest.Lang("fr")}}
	tg.AddMember(deskGroup, id, v.opts...)
	return v
}

// groupCalls are the calls of method whose chat_id is the group.
func groupCalls(tg *telegramtest.Server, method string) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range tg.Calls(method) {
		if strings.TrimSpace(c.Params["chat_id"]) == strconv.Itoa(deskGroup) {
			out = append(out, c)
		}
	}
	return out
}

// until is how long is left before d has passed since t0 (the product's
// own deadlines, not a synchronisation).
func until(t0 time.Time, d time.Duration) time.Duration {
	return time.Until(t0.Add(d))
}

// waitBoardEmpty waits until the board has written every entry it held
// (the board lives in Redis: polled).
func waitBoardEmpty(t *testing.T, rdb *redis.Client) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, err := rdb.ZCard(ctxFor(5*time.Second), "bsl:{desk}:board").Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the board still holds %d entries", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
