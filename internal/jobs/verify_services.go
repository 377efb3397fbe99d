package jobs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/boussole/boussole/internal/flow"
)

// MaxServiceLines is how many services VerifyServices lists in its message
// before it says "et N autres": a Telegram message holds 4096 characters.
const MaxServiceLines = 50

// maxMessageRunes is the room for the list in one message (Telegram takes
// 4096 characters), "et N autres" left aside.
const maxMessageRunes = 4000

// maxNameRunes cuts a service's name in the list.
const maxNameRunes = 80

// TextSender sends a text to a chat (Sender has it).
type TextSender interface {
	SendText(ctx context.Context, chat int64, text string) error
}

// VerifyServices tells the admins, once a month, which services of the
// live flow's directory to verify again: those never verified or last
// verified more than a year before (flow.StaleResources), and those with
// no way to reach them (flow.Resource.Reachable: such a card is never
// shown). With nothing to verify it still sends a short "Tout est à jour":
// once a month costs nothing, and silence could as well mean the job no
// longer runs.
type VerifyServices struct {
	flow   func() *flow.Flow
	send   TextSender
	admins func() []int64
}

// NewVerifyServices returns the job, reading the flow live at each run
// (the version the bot serves then) and sending through send to admins.
func NewVerifyServices(live func() *flow.Flow, send TextSender, admins func() []int64) *VerifyServices {
	return &VerifyServices{flow: live, send: send, admins: admins}
}

// Name is "verify-services".
func (*VerifyServices) Name() string { return "verify-services" }

// serviceLine is one service to verify.
type serviceLine struct{ name, why string }

// Message returns the French message for the directory of f at now, and
// how many services it names.
func (*VerifyServices) Message(f *flow.Flow, now time.Time) (string, int) {
	stale := map[string]bool{}
	// StaleResources compares a date with a moment: give it the Paris date
	// of now, so that a service verified on that date a year ago is not
	// stale yet, whatever the hour of the run.
	p := now.In(paris)
	today := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	for _, r := range flow.StaleResources(f.Resources, today) {
		stale[r.ID] = true
	}
	var lines []serviceLine
	for id, r := range f.Resources {
		var why []string
		if stale[id] {
			if r.VerifiedOn == "" {
				why = append(why, "jamais vérifié")
			} else if d, err := time.Parse(time.DateOnly, r.VerifiedOn); err == nil {
				why = append(why, "vérifié le "+d.Format("02/01/2006"))
			} else {
				why = append(why, "date de vérification illisible")
			}
		}
		if !r.Reachable() {
			why = append(why, "aucun moyen de le joindre")
		}
		if len(why) > 0 {
			lines = append(lines, serviceLine{name: frenchName(id, r), why: strings.Join(why, ", ")})
		}
	}
	if len(lines) == 0 {
		return "✅ Annuaire des services : tout est à jour (chaque service vérifié depuis moins d'un an et joignable).", 0
	}
	sort.Slice(lines, func(i, j int) bool { return strings.ToLower(lines[i].name) < strings.ToLower(lines[j].name) })
	var b strings.Builder
	fmt.Fprintf(&b, "Services à vérifier : %d (non vérifiés depuis plus d'un an, ou sans moyen de contact)\n", len(lines))
	size := utf8.RuneCountInString(b.String())
	for i, l := range lines {
		line := fmt.Sprintf("\n• %s : %s", l.name, l.why)
		size += utf8.RuneCountInString(line)
		if i == MaxServiceLines || size > maxMessageRunes {
			if n := len(lines) - i; n == 1 {
				b.WriteString("\net 1 autre")
			} else {
				fmt.Fprintf(&b, "\net %d autres", n)
			}
			break
		}
		b.WriteString(line)
	}
	return b.String(), len(lines)
}

// frenchName is the service's French name, cut; its id when it has none.
func frenchName(id string, r *flow.Resource) string {
	n := strings.Join(strings.Fields(r.Name["fr"]), " ")
	if n == "" {
		n = id
	}
	if rs := []rune(n); len(rs) > maxNameRunes {
		n = string(rs[:maxNameRunes-1]) + "…"
	}
	return n
}

// Run sends the message to every admin. The summary counts the services
// to verify and the admins reached or not ("services 3, admins 2, sent 2,
// failed 0"); the error is set when there is no flow, when the context
// ended, or when no admin was reached.
func (j *VerifyServices) Run(ctx context.Context, now time.Time) (string, error) {
	f := j.flow()
	if f == nil {
		return "", errors.New("verify-services: no live flow")
	}
	text, n := j.Message(f, now)
	admins := j.admins()
	sent, failed := 0, 0
	for _, chat := range admins {
		if err := ctx.Err(); err != nil {
			return fmt.Sprintf("services %d, admins %d, sent %d, failed %d", n, len(admins), sent, failed), err
		}
		if j.send.SendText(ctx, chat, text) != nil {
			failed++
			continue
		}
		sent++
	}
	sum := fmt.Sprintf("services %d, admins %d, sent %d, failed %d", n, len(admins), sent, failed)
	if len(admins) > 0 && sent == 0 {
		return sum, errors.New("verify-services: no admin reached")
	}
	return sum, nil
}
