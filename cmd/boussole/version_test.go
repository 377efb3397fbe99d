package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestVersionAndHealthcheck(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, nil, &out, &errs); err != nil || out.String() != "dev\n" {
		t.Errorf("version: %q %v", out.String(), err)
	}
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer ok.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	if err := run(context.Background(), []string{"healthcheck", ok.URL}, nil, nil, &out, &errs); err != nil {
		t.Errorf("healthcheck of a 200: %v", err)
	}
	errs.Reset()
	if err := run(context.Background(), []string{"healthcheck", down.URL}, nil, nil, &out, &errs); err == nil || !strings.Contains(errs.String(), "503") {
		t.Errorf("healthcheck of a 503: %v %q", err, errs.String())
	}
}
