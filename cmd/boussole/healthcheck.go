package main

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// runHealthcheck asks a running bot whether it is alive: the container's
// health check, in an image without a shell or curl. It exits 0 when the
// URL answers 200 within 3 s.
func runHealthcheck(args []string, stderr io.Writer) error {
	url := "http://127.0.0.1:8080/healthz"
	if len(args) > 0 {
		url = args[0]
	}
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(stderr, "boussole healthcheck: no answer from", url)
		return exitCode(1)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "boussole healthcheck: %s answered %d\n", url, resp.StatusCode)
		return exitCode(1)
	}
	return nil
}
