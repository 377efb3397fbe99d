package ops

import (
	"net/http"
	"strings"
	"time"
)

// Transport wraps the Bot API client's transport: each call is counted by
// method and HTTP status, timed, and a 2xx answer marks the Bot API as
// answering (for /readyz). The method is the last segment of the path
// (/bot<token>/sendMessage): the token, before it, is never read.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{m: m, base: base}
}

type roundTripper struct {
	m    *Metrics
	base http.RoundTripper
}

func (t roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	method := methodOf(r.URL.Path)
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	t.m.apiSeconds.WithLabelValues(method).Observe(time.Since(start).Seconds())
	if err != nil {
		t.m.apiCalls.WithLabelValues(method, "error").Inc()
		return resp, err
	}
	t.m.apiCalls.WithLabelValues(method, status(resp.StatusCode)).Inc()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		t.m.apiSucceeded(time.Now())
	}
	return resp, err
}

// methodOf is a Bot API method name from a request path: ASCII letters
// only, at most 40 of them ("sendMessage"); anything else is "other".
func methodOf(path string) string {
	i := strings.LastIndexByte(path, '/')
	name := path[i+1:]
	if name == "" || len(name) > 40 {
		return "other"
	}
	for j := 0; j < len(name); j++ {
		c := name[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "other"
		}
	}
	return name
}
