//go:build nodemo

package main

import (
	"context"
	"fmt"
	"io"
)

// runDemo is left out of a production build (-tags nodemo): the fake
// Telegram it runs on has no place in the image that serves families.
func runDemo(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) error {
	fmt.Fprintln(stderr, "boussole: this build leaves the demo out (built with -tags nodemo); run `go run ./cmd/boussole demo` from the source")
	return exitCode(2)
}
