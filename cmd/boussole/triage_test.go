package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTriageLines(t *testing.T) {
	var out, errs bytes.Buffer
	in := strings.NewReader("ils veulent me tuer\nc'est pas urgent\njveux en finir\nbonjour\n")
	if err := run(context.Background(), []string{"triage"}, nil, in, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	want := []string{"danger\tdanger fr tuer [tuer]", "-\t| cancelled: danger fr urgent [urgent] ← negation «pas»",
		"suicide\tsuicide fr veux en finir [veux en finir]", "-\t"}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], want[i])
		}
	}
}

func TestTriageEval(t *testing.T) {
	file := filepath.Join(t.TempDir(), "set.tsv")
	data := "# a comment\ndanger\tfr\tils ont tiré\nsuicide\tar\tبغيت نموت\nnone\tfr\tbonjour\nhard\tfr\tc'est pas urgent\nnone\tlatin\tkhatar\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"triage", "--eval", file, "--errors"}, nil, nil, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	for _, s := range []string{"confusion", "recall danger", "false alarms none", "set.tsv:6\tnone\tlatin\tkhatar\tdanger"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("no %q in:\n%s", s, out.String())
		}
	}
	if err := run(context.Background(), []string{"triage", "--eval", file + ".missing"}, nil, nil, &out, &errs); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestChatTrace(t *testing.T) {
	var out, errs bytes.Buffer
	in := strings.NewReader("Oui\nje veux mourir\n")
	if err := run(context.Background(), []string{"chat", "--trace"}, func(string) string { return "" }, in, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	for _, s := range []string{"· node: securite", "· node: besoin", "· triage: suicide", "· node: suicide", "3114"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("no %q in:\n%s", s, out.String())
		}
	}
}
