package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// The volunteer desk on the fake Telegram: a supergroup of volunteers, each
// with a private chat with the bot.

const deskGroup = -100777

// alwaysOpen keeps volunteers on duty whatever the test's clock says.
const alwaysOpen = "mon-sun 00:00-24:00"

// deskEnv is the bot's settings with a volunteer desk.
func deskEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"VOLUNTEER_CHAT_ID": strconv.Itoa(deskGroup),
		"VOLUNTEER_HOURS":   alwaysOpen,
		"ADMIN_IDS":         "9001",
		// Telegram's pace (1 a second a chat) is tested elsewhere; here it
		// would only make the conversations slow.
		"SEND_RATE_CHAT": "20/s",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// volunteer is a member of the volunteers' group.
type volunteer struct {
	t    *testing.T
	tg   *telegramtest.Server
	id   int64
	opts []telegramtest.UserOpt
	mark int
}

// newVolunteer adds a member to the group and opens their private chat
// with the bot, as the deep link does.
func newVolunteer(t *testing.T, tg *telegramtest.Server, id int64, name string) *volunteer {
	t.Helper()
	v := &volunteer{t: t, tg: tg, id: id, opts: []telegramtest.UserOpt{telegramtest.FirstName(name),
		telegramtest.Username(strings.ToLower(name) + "_vol"), telegramtest.Lang("fr")}}
	tg.AddMember(deskGroup, id, v.opts...)
	v.say("/start benevole", 1)
	return v
}

// say writes in the volunteer's private chat and waits for want more bot messages.
func (v *volunteer) say(text string, want int) []telegramtest.Message {
	v.t.Helper()
	v.mark = len(v.tg.BotMessages(v.id))
	v.tg.SendText(v.id, text, v.opts...)
	return v.await(v.mark + want)
}

func (v *volunteer) await(n int) []telegramtest.Message {
	v.t.Helper()
	msgs, err := v.tg.WaitMessages(v.id, n, 15*time.Second)
	if err != nil {
		v.t.Fatalf("volunteer %d: %v\n%s", v.id, err, transcript(v.tg.Chat(v.id)))
	}
	return msgs[len(msgs)-min(len(msgs), n-v.mark):]
}

// take taps "Prendre en charge" on the card of the newest waiting ticket
// and returns the callback's id.
func (v *volunteer) take(card telegramtest.Message) string {
	v.t.Helper()
	data, ok := card.Data("Prendre en charge")
	if !ok {
		v.t.Fatalf("card without its button: %q", card.Text)
	}
	_, cb := v.tg.Tap(deskGroup, card.ID, data, append(v.opts, telegramtest.From(v.id))...)
	return cb
}

// waitCard waits for a card in the group whose text holds want and that
// has (or has not) the take button, and returns the newest such card.
// Cards change within the group's pace (20 writes a minute): an older card
// may still show a state that has passed.
func waitCard(t *testing.T, tg *telegramtest.Server, want string, takeable bool) telegramtest.Message {
	t.Helper()
	var found telegramtest.Message
	err := tg.WaitFor(ctxFor(20*time.Second), func() bool {
		ok := false
		for _, m := range tg.BotMessages(deskGroup) {
			_, take := m.Data("Prendre en charge")
			if strings.Contains(m.Text, want) && take == takeable {
				found, ok = m, true
			}
		}
		return ok
	})
	if err != nil {
		t.Fatalf("no card with %q (takeable %v) in the group:\n%s", want, takeable, transcript(tg.Chat(deskGroup)))
	}
	return found
}

// waitFor waits for cond, failing with what the chats show.
func waitFor(t *testing.T, tg *telegramtest.Server, what string, cond func() bool, chats ...int64) {
	t.Helper()
	if err := tg.WaitFor(ctxFor(20*time.Second), cond); err != nil {
		var b strings.Builder
		for _, c := range chats {
			b.WriteString("chat " + strconv.FormatInt(c, 10) + ":\n" + transcript(tg.Chat(c)))
		}
		t.Fatalf("%s never happened:\n%s", what, b.String())
	}
}

// copiesIn counts the copies the bot made in a chat.
func copiesIn(tg *telegramtest.Server, chat int64) int {
	n := 0
	for _, m := range tg.BotMessages(chat) {
		if m.IsCopy() {
			n++
		}
	}
	return n
}

// noIdentity checks that nothing the bot sent to the group or a volunteer
// names the person: first name, username or user id.
func noIdentity(t *testing.T, tg *telegramtest.Server, person int64, secrets []string, chats ...int64) {
	t.Helper()
	id := strconv.FormatInt(person, 10)
	for _, c := range chats {
		for _, r := range tg.RequestsTo(c) {
			for _, s := range secrets {
				if r.Contains(s) {
					t.Errorf("a %s to chat %d holds %q:\n%s", r.Method, c, s, r.Text)
				}
			}
			for _, line := range strings.Split(r.Text, "\n") {
				if k, v, _ := strings.Cut(line, "="); v == id && k != "from_chat_id" {
					t.Errorf("a %s to chat %d holds the person's id in %s", r.Method, c, k)
				}
			}
		}
		for _, m := range tg.BotMessages(c) {
			for _, s := range secrets {
				if strings.Contains(m.Text, s) {
					t.Errorf("chat %d shows %q:\n%s", c, s, m.Text)
				}
			}
		}
	}
}

// withVolunteer starts the bot with a desk, a volunteer Vera (501) and a
// person (chat, French) whose request Vera has taken.
func withVolunteer(t *testing.T, chat int64) (*telegramtest.Server, *volunteer, *family) {
	t.Helper()
	tg, redisURL, logs := setup(t)
	tg.AddGroup(deskGroup, "Bénévoles")
	startBot(t, tg, redisURL, logs, deskEnv(nil))
	vera := newVolunteer(t, tg, 501, "Vera")
	f := newFamily(t, tg, chat, "fr")
	askForSomeone(t, f, "fr")
	vera.take(waitCard(t, tg, "En attente", true))
	waitFor(t, tg, "Vera has it", func() bool { return strings.Contains(f.last().Text, "vous répond maintenant") }, f.chat)
	return tg, vera, f
}
