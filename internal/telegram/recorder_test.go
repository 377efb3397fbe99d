package telegram

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a Bot API that keeps every request body and answers each
// method with a canned answer ({"ok":true,"result":true} by default).
type recorder struct {
	mu      sync.Mutex
	bodies  map[string][][]byte
	types   map[string][]string // Content-Type of each body
	answers map[string][]string // per method, in order; the last one repeats
}

func newRecorder(t *testing.T, answers map[string][]string) (*recorder, *Sender) {
	t.Helper()
	r := &recorder{bodies: map[string][][]byte{}, types: map[string][]string{}, answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		method := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.bodies[method])
		r.bodies[method] = append(r.bodies[method], body)
		r.types[method] = append(r.types[method], req.Header.Get("Content-Type"))
		answer := `{"ok":true,"result":true}`
		if a := r.answers[method]; len(a) > 0 {
			answer = a[min(n, len(a)-1)]
		}
		r.mu.Unlock()
		var env struct {
			ErrorCode int `json:"error_code"`
		}
		_ = json.Unmarshal([]byte(answer), &env)
		w.Header().Set("Content-Type", "application/json")
		if env.ErrorCode != 0 {
			w.WriteHeader(env.ErrorCode)
		}
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return r, NewSender(NewClient(srv.URL, "1:test", nil), true)
}

// body returns the i-th request to method.
func (r *recorder) body(t *testing.T, method string, i int) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if i >= len(r.bodies[method]) {
		t.Fatalf("%s: %d calls, want more than %d", method, len(r.bodies[method]), i)
	}
	return r.bodies[method][i]
}

// contentType returns the Content-Type of the i-th request to method.
func (r *recorder) contentType(t *testing.T, method string, i int) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if i >= len(r.types[method]) {
		t.Fatalf("%s: %d calls, want more than %d", method, len(r.types[method]), i)
	}
	return r.types[method][i]
}

func (r *recorder) calls(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies[method])
}

// ok is a Telegram answer carrying result, encoded by the library's models.
func ok(t *testing.T, result any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"ok": true, "result": result})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func failure(code int, description string) string {
	b, _ := json.Marshal(map[string]any{"ok": false, "error_code": code, "description": description})
	return string(b)
}
