package telegramtest

import (
	"sync"
	"testing"
)

func TestCallHookSeesEveryCallBeyondTheLogLimit(t *testing.T) {
	var mu sync.Mutex
	var seen []Call
	s := newServer(t, WithCallLogLimit(1), WithCallHook(func(c Call) {
		mu.Lock()
		seen = append(seen, c)
		mu.Unlock()
	}))
	s.AddChat(42)
	for _, text := range []string{"one", "two", "three"} {
		if env := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 42, "text": text}); !env.OK {
			t.Fatalf("sendMessage %q: %+v", text, env)
		}
	}
	if n := len(s.Calls("")); n != 1 {
		t.Fatalf("call log holds %d calls, want 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 {
		t.Fatalf("hook saw %d calls, want 3", len(seen))
	}
	last := seen[2]
	if last.Method != "sendMessage" || last.Params["chat_id"] != "42" || last.Params["text"] != "three" || !last.OK() || len(last.Result) == 0 {
		t.Fatalf("hook got %+v", last)
	}
}
