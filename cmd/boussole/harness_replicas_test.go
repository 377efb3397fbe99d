package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/telegramtest"
)

// roundRobin is the load balancer in front of webhook replicas: each request
// goes to the next replica in turn, so a chat's consecutive updates reach
// different processes.
type roundRobin struct {
	addr     string
	next     atomic.Uint64
	backends []*httputil.ReverseProxy
	srv      *http.Server
}

func newRoundRobin(t *testing.T, backends []string) *roundRobin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rr := &roundRobin{addr: ln.Addr().String()}
	for _, b := range backends {
		u, _ := url.Parse("http://" + b)
		rr.backends = append(rr.backends, httputil.NewSingleHostReverseProxy(u))
	}
	rr.srv = &http.Server{Handler: rr, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = rr.srv.Serve(ln) }()
	t.Cleanup(func() { _ = rr.srv.Close() })
	return rr
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := (rr.next.Add(1) - 1) % uint64(len(rr.backends))
	rr.backends[i].ServeHTTP(w, r)
}

// startReplicas runs n processes of `boussole serve` in webhook mode on the
// same Redis, behind a round-robin proxy that is their WEBHOOK_URL.
func startReplicas(t *testing.T, n int, tg *telegramtest.Server, redisURL string, logs *syncBuffer, extra ...map[string]string) []*botProc {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = freeAddr(t)
	}
	rr := newRoundRobin(t, addrs)
	procs := make([]*botProc, n)
	for i, addr := range addrs {
		env := map[string]string{
			"MODE": "webhook", "LISTEN_ADDR": addr, "WEBHOOK_SECRET": webhookSecret,
			"WEBHOOK_URL": "http://" + rr.addr + "/tg",
		}
		for _, e := range extra {
			for k, v := range e {
				env[k] = v
			}
		}
		procs[i] = startBot(t, tg, redisURL, logs, env)
	}
	for _, addr := range addrs {
		waitReceiving(t, tg, "webhook", addr)
	}
	return procs
}

// walkTranscript is the walk every person of the replica tests does:
// /start, taps taps times on the first button of the newest message, then
// types "1" three times. A careful person reads each answer a while before
// acting; a fast one taps as soon as an answer appears and types the three
// "1" at once.
func walkTranscript(tg *telegramtest.Server, chat int64, taps int, careful bool) error {
	opts := []telegramtest.UserOpt{telegramtest.Lang("fr")}
	read := func() {
		if careful {
			time.Sleep(300 * time.Millisecond) // a person reading; not a synchronisation
		}
	}
	had := len(tg.BotMessages(chat))
	tg.SendText(chat, "/start", opts...)
	for range taps {
		msgs, err := tg.WaitMessages(chat, had+1, 15*time.Second)
		if err != nil {
			return err
		}
		had = len(msgs)
		read()
		last := msgs[len(msgs)-1]
		if len(last.Buttons) == 0 {
			return fmt.Errorf("chat %d: no button to tap on %s", chat, last)
		}
		tg.Tap(chat, last.ID, last.Buttons[0][0].Data, opts...)
	}
	if _, err := tg.WaitMessages(chat, had+1, 15*time.Second); err != nil {
		return err
	}
	read()
	for range 3 {
		had = len(tg.BotMessages(chat))
		tg.SendText(chat, "1", opts...)
		if careful {
			if _, err := tg.WaitMessages(chat, had+1, 15*time.Second); err != nil {
				return err
			}
			read()
		}
	}
	return nil
}

// settle waits until every update is acknowledged and the bots have been
// silent for a while (their outboxes are empty).
func settle(t *testing.T, tg *telegramtest.Server, max time.Duration) {
	t.Helper()
	if err := tg.WaitIdle(max); err != nil {
		t.Errorf("not settled: %v", err)
		return
	}
	if !waitQuiet(tg, 1500*time.Millisecond, max) {
		t.Errorf("the bots kept sending for %v", max)
	}
}
