package delivery_test

import (
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
)

// Holding reports the chats held and when the oldest unsent reply was
// queued, and nothing once they are sent.
func TestHolding(t *testing.T) {
	e := newEnv(t, 3*time.Second)
	api, lim := newAPI(), &fakeLimiter{}
	eng := newEngine(e, config("A"), api, lim)
	if n, oldest := eng.Holding(); n != 0 || !oldest.IsZero() {
		t.Fatalf("an idle engine holds %d chats, oldest %v", n, oldest)
	}
	entered, release := api.gate("old")
	defer release()
	queued := time.Now().Add(-3 * time.Second)
	old := delivery.Item{Kind: delivery.KindText, Text: "old", Must: true, At: queued.UnixMilli()}
	e.put(eng, 1501, old)
	e.put(eng, 1502, text("new"))
	if n, oldest := eng.Holding(); n != 2 || oldest.UnixMilli() != queued.UnixMilli() {
		t.Errorf("before sending: %d chats, oldest %v, want 2 and %v", n, oldest, queued)
	}
	run(t, eng, time.Second)
	select {
	case <-entered:
	case <-time.After(deadline):
		t.Fatal("the send never started")
	}
	release()
	waitFor(t, "both sent and let go", func() bool { n, _ := eng.Holding(); return n == 0 })
}
