package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

// diffDir writes a flows folder with the shipped orientation.yaml and
// resources.yaml, each changed by its edit when given.
func diffDir(t *testing.T, editFlow, editRes func([]byte) ([]byte, error)) string {
	t.Helper()
	dir := t.TempDir()
	for name, edit := range map[string]func([]byte) ([]byte, error){"orientation.yaml": editFlow, "resources.yaml": editRes} {
		data, err := os.ReadFile(filepath.Join("..", "..", "flows", name))
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if data, err = edit(data); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runDiffCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), append([]string{"flows", "diff"}, args...), nil, nil, &out, &errs)
	return out.String() + errs.String(), err
}

func TestFlowsDiff(t *testing.T) {
	old := diffDir(t, nil, nil)
	edited := diffDir(t, func(d []byte) ([]byte, error) {
		return flow.SetNodeText(d, "besoin", "ar", "ماذا تحتاج؟")
	}, func(d []byte) ([]byte, error) {
		return flow.SetVerified(d, "cump_13", time.Now())
	})

	out, err := runDiffCmd(t, filepath.Join(old, "orientation.yaml"), filepath.Join(edited, "orientation.yaml"))
	if err != nil {
		t.Fatal(err, out)
	}
	for _, want := range []string{"✏️ 1 écran modifié : besoin\n", "✏️ textes modifiés (ar) : besoin\n",
		"✏️ 1 service modifié : cump_13\n", "🌐 Traduction : fr 100 %, ar 100 %\n", "à vérifier"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if i := strings.Index(out, "🔎"); i < 0 || strings.Contains(out[i:], "cump_13") {
		t.Errorf("cump_13 was just verified, the others were not:\n%s", out)
	}

	// The directories alone, with the shipped flow, in English, flags last.
	out, err = runDiffCmd(t, filepath.Join(old, "resources.yaml"), filepath.Join(edited, "resources.yaml"), "--lang", "en")
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.HasPrefix(out, "✏️ 1 service changed: cump_13\n") || strings.Contains(out, "screen") {
		t.Errorf("resources:\n%s", out)
	}

	// The same file: no change.
	out, err = runDiffCmd(t, "--lang", "ar", filepath.Join(old, "orientation.yaml"), filepath.Join(old, "orientation.yaml"))
	if err != nil || !strings.HasPrefix(out, "لا تغيير\n") {
		t.Errorf("%v:\n%s", err, out)
	}

	// A flow file alone in its folder is read with the shipped directory.
	lone := filepath.Join(t.TempDir(), "orientation.yaml")
	data, _ := os.ReadFile(filepath.Join(edited, "orientation.yaml"))
	if err := os.WriteFile(lone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = runDiffCmd(t, filepath.Join(old, "orientation.yaml"), lone)
	if err != nil || !strings.HasPrefix(out, "✏️ 1 écran modifié : besoin\n") || strings.Contains(out, "service modifié") {
		t.Errorf("%v:\n%s", err, out)
	}
}

func TestFlowsDiffInvalid(t *testing.T) {
	old := diffDir(t, nil, nil)
	broken := diffDir(t, func(d []byte) ([]byte, error) {
		return bytes.Replace(d, []byte("menu: besoin"), []byte("menu: besoins"), 1), nil
	}, nil)
	out, err := runDiffCmd(t, filepath.Join(old, "orientation.yaml"), filepath.Join(broken, "orientation.yaml"))
	if code, ok := err.(exitCode); !ok || code != 1 {
		t.Fatalf("err %v, want exit status 1:\n%s", err, out)
	}
	if !strings.Contains(out, filepath.Join(broken, "orientation.yaml")+":") || !strings.Contains(out, "« besoins »") ||
		!strings.Contains(out, "1 erreur\n") || strings.Contains(out, "Aucun changement") {
		t.Errorf("output:\n%s", out)
	}
	// Usage errors and files that cannot be read.
	if _, err := runDiffCmd(t, filepath.Join(old, "orientation.yaml")); err != exitCode(2) {
		t.Errorf("one path: %v", err)
	}
	if _, err := runDiffCmd(t, filepath.Join(old, "nope.yaml"), filepath.Join(old, "orientation.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}
