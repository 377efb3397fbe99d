package main

import (
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/telegramtest"
)

// coordinator is the association's admin (ADMIN_IDS) in their private chat.
const coordinator = 9001

// adminEnv is the bot's settings with one admin and no volunteers' group.
func adminEnv(extra map[string]string) map[string]string {
	env := map[string]string{"ADMIN_IDS": "9001,9002", "SEND_RATE_CHAT": "20/s"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// newAdmin is a coordinator whose phone speaks lang.
func newAdmin(t *testing.T, tg *telegramtest.Server, id int64, lang string) *family {
	return &family{t: t, tg: tg, chat: id, opts: []telegramtest.UserOpt{
		telegramtest.Lang(lang), telegramtest.FirstName("Nadia"), telegramtest.Username("nadia_coord"),
	}}
}

// waitSaid waits until the bot's last message in the chat contains want.
func waitSaid(t *testing.T, f *family, want string) {
	t.Helper()
	waitFor(t, f.tg, "a message with "+want, func() bool { return strings.Contains(f.last().Text, want) }, f.chat)
}

// upload sends a document and waits for the bot's answer that contains want.
func (f *family) upload(name string, data []byte, want string) {
	f.t.Helper()
	f.mark = len(f.tg.BotMessages(f.chat))
	f.tg.SendDocumentData(f.chat, name, "application/x-yaml", data, f.opts...)
	waitSaid(f.t, f, want)
}

// shipped is one of the documents the binary ships.
func shipped(t *testing.T, name string) []byte {
	t.Helper()
	data, err := flows.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// within waits until cond holds, at most d; it reports how long it took.
func within(t *testing.T, what string, d time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}
