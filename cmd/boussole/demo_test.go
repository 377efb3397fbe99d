//go:build !nodemo

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The README's run command works with no token and no Redis, and shows the
// conversation as the person would read it.
func TestDemoRunsWithoutTokenOrRedis(t *testing.T) {
	var out, errs bytes.Buffer
	in := strings.NewReader("a\n8\n/urgence\n")
	env := func(string) string { return "" }
	if err := run(context.Background(), []string{"demo"}, env, in, &out, &errs); err != nil {
		t.Fatalf("demo: %v\n%s", err, errs.String())
	}
	got := out.String()
	for _, want := range []string{"endroit sûr pour lire", "De quoi avez-vous besoin", "116\u00a0006", "☎️ 17"} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q:\n%s", want, got)
		}
	}
}

func TestChatPiped(t *testing.T) {
	var out, errs bytes.Buffer
	in := strings.NewReader("2\n/langue ar\n")
	if err := run(context.Background(), []string{"chat"}, func(string) string { return "" }, in, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "☎️ 17") || !strings.Contains(out.String(), "الشرطة (") {
		t.Errorf("chat output:\n%s", out.String())
	}
}

func TestFlowsCheck(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"flows", "check", "../../flows"}, nil, nil, &out, &errs); err != nil {
		t.Fatalf("the shipped flows fail the check: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "100") {
		t.Errorf("no translation coverage printed:\n%s", out.String())
	}
	out.Reset()
	err := run(context.Background(), []string{"flows", "check", "../../internal/flow/testdata/broken/dangling_goto_option.yaml", "--lang", "en"}, nil, nil, &out, &errs)
	if code, ok := err.(exitCode); !ok || code != 1 {
		t.Fatalf("a broken flow must exit 1, got %v", err)
	}
	if !strings.Contains(out.String(), "dangling_goto_option.yaml:15:49: Step “ailleurs”") {
		t.Errorf("errors are not located:\n%s", out.String())
	}
}
