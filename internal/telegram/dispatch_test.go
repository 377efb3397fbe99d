package telegram

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDispatcherOrderPerChatParallelAcross(t *testing.T) {
	var panics atomic.Int32
	d := newDispatcher(context.Background(), 8, func(int64, any, []byte) { panics.Add(1) })
	var mu sync.Mutex
	seen := map[int64][]int{}
	release := make(chan struct{})
	// Chat 1 is slow; chat 2 must not wait for it.
	d.submit(job{chat: 1, run: func(context.Context) { <-release }})
	done2 := make(chan struct{})
	d.submit(job{chat: 2, run: func(context.Context) { close(done2) }})
	select {
	case <-done2:
	case <-time.After(5 * time.Second):
		t.Fatal("a slow chat blocked another chat")
	}
	close(release)
	for i := 0; i < 200; i++ {
		chat, n := int64(i%5), i
		d.submit(job{chat: chat, run: func(context.Context) {
			mu.Lock()
			seen[chat] = append(seen[chat], n)
			mu.Unlock()
			if n == 17 {
				panic("boom")
			}
		}})
	}
	d.wait()
	for chat, ns := range seen {
		for i := 1; i < len(ns); i++ {
			if ns[i] < ns[i-1] {
				t.Fatalf("chat %d out of order: %v", chat, ns)
			}
		}
		if len(ns) != 40 {
			t.Errorf("chat %d ran %d jobs, want 40 (a panic must not stop the chat)", chat, len(ns))
		}
	}
	if panics.Load() != 1 {
		t.Errorf("%d panics reported", panics.Load())
	}
}
