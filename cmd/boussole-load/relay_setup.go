package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// The labels a person taps to reach a volunteer, in order.
var askLabels = []string{"Oui", "Parler à quelqu'un", "Oui, écrire à une personne bénévole"}

const takeLabel = "Prendre en charge"

func volunteerOpts(i int) []telegramtest.UserOpt {
	return []telegramtest.UserOpt{telegramtest.FirstName("Vol" + strconv.Itoa(i)), telegramtest.Lang("fr")}
}

func personOpts() []telegramtest.UserOpt {
	return []telegramtest.UserOpt{telegramtest.FirstName("Personne"), telegramtest.Lang("fr")}
}

// setup establishes every handoff: the volunteers join the group and open
// their private chat, each person walks to "write to a volunteer", and
// volunteer i takes the i-th card. Nothing of it is measured.
func (r *relay) setup(ctx context.Context) error {
	f := r.fake
	for i := range r.n {
		f.AddMember(relayGroup, volunteerID(i), volunteerOpts(i)...)
		f.SendText(volunteerID(i), "/start benevole", volunteerOpts(i)...)
	}
	if err := f.WaitFor(ctxFor(ctx, time.Minute), func() bool {
		for i := range r.n {
			if len(f.BotMessages(volunteerID(i))) == 0 {
				return false
			}
		}
		return true
	}); err != nil {
		return fmt.Errorf("not every volunteer was greeted after /start benevole: %w", err)
	}

	errs := make(chan error, r.n)
	for i := range r.n {
		go func() { errs <- r.ask(ctx, person(i)) }()
	}
	for range r.n {
		if err := <-errs; err != nil {
			return err
		}
	}

	var cards []telegramtest.Message
	if err := f.WaitFor(ctxFor(ctx, 2*time.Minute), func() bool {
		cards = cards[:0]
		for _, m := range f.BotMessages(relayGroup) {
			if _, ok := m.Data(takeLabel); ok {
				cards = append(cards, m)
			}
		}
		return len(cards) >= r.n
	}); err != nil {
		return fmt.Errorf("only %d of %d cards in the group", len(cards), r.n)
	}
	for i, card := range cards[:r.n] {
		data, _ := card.Data(takeLabel)
		f.Tap(relayGroup, card.ID, data, append(volunteerOpts(i), telegramtest.From(volunteerID(i)))...)
	}
	if err := f.WaitFor(ctxFor(ctx, 2*time.Minute), func() bool {
		for i := range r.n {
			if !anyText(f.BotMessages(person(i)), "répond maintenant") {
				return false
			}
		}
		return true
	}); err != nil {
		missing := 0
		for i := range r.n {
			if !anyText(f.BotMessages(person(i)), "répond maintenant") {
				missing++
			}
		}
		return fmt.Errorf("%d of %d persons were never told a volunteer answers", missing, r.n)
	}
	return nil
}

// ask walks one person from /start to their ticket.
func (r *relay) ask(ctx context.Context, chat int64) error {
	f := r.fake
	mark := len(f.BotMessages(chat))
	f.SendText(chat, "/start", personOpts()...)
	for _, label := range askLabels {
		var last telegramtest.Message
		err := f.WaitFor(ctxFor(ctx, time.Minute), func() bool {
			msgs := f.BotMessages(chat)
			if len(msgs) <= mark {
				return false
			}
			last = msgs[len(msgs)-1]
			_, ok := last.Data(label)
			return ok
		})
		if err != nil {
			return fmt.Errorf("person %d: no button %q (last message %q)", chat, label, last.Text)
		}
		data, _ := last.Data(label)
		mark = len(f.BotMessages(chat))
		f.Tap(chat, last.ID, data, personOpts()...)
	}
	if err := f.WaitFor(ctxFor(ctx, time.Minute), func() bool { return len(f.BotMessages(chat)) > mark }); err != nil {
		return fmt.Errorf("person %d: no answer to the request for a volunteer", chat)
	}
	return nil
}

func anyText(msgs []telegramtest.Message, sub string) bool {
	for _, m := range msgs {
		if strings.Contains(m.Text, sub) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// intList reads a JSON array of ids ("[1,2,3]").
func intList(s string) []int {
	var ids []int
	_ = json.Unmarshal([]byte(s), &ids)
	return ids
}
