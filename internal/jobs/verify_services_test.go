package jobs

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/flow"
)

func loadFlow(t *testing.T) *flow.Flow {
	t.Helper()
	read := func(name string) flow.Source {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return flow.Source{Name: name, Data: data}
	}
	f, probs := flow.Load(read("mini.yaml"), read("resources.yaml"))
	if f == nil {
		t.Fatalf("flow: %v", probs)
	}
	return f
}

func TestVerifyServices(t *testing.T) {
	f := loadFlow(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, paris)
	send := &fakeSender{blocked: map[int64]bool{blocked: true}}
	job := NewVerifyServices(func() *flow.Flow { return f }, send, func() []int64 { return admins })
	if job.Name() != "verify-services" {
		t.Fatal(job.Name())
	}
	sum, err := job.Run(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if sum != "services 3, admins 3, sent 2, failed 1" {
		t.Errorf("summary %q", sum)
	}
	want := "Services à vérifier : 3 (non vérifiés depuis plus d'un an, ou sans moyen de contact)\n" +
		"\n• Accueil de jour : jamais vérifié" +
		"\n• Association sans contact : aucun moyen de le joindre" +
		"\n• Maison des familles : vérifié le 30/11/2025"
	for _, chat := range []int64{admins[0], admins[2]} {
		got := send.to(chat)
		if len(got) != 1 || got[0].kind != "text" || got[0].caption != want {
			t.Errorf("admin %d got %+v\nwant %q", chat, got, want)
		}
	}

	// The live flow is read at each run: a new version with every service
	// verified and reachable says so.
	for _, r := range f.Resources {
		r.VerifiedOn, r.Phone = "2026-11-01", "15"
	}
	send = &fakeSender{}
	job = NewVerifyServices(func() *flow.Flow { return f }, send, func() []int64 { return admins[:1] })
	if sum, err = job.Run(context.Background(), now); err != nil || sum != "services 0, admins 1, sent 1, failed 0" {
		t.Errorf("all verified: %q, %v", sum, err)
	}
	if got := send.to(admins[0]); len(got) != 1 || !strings.Contains(got[0].caption, "tout est à jour") {
		t.Errorf("all verified: %+v", got)
	}

	if _, err := NewVerifyServices(func() *flow.Flow { return nil }, send, func() []int64 { return admins }).Run(context.Background(), now); err == nil {
		t.Error("no flow: no error")
	}
}

func TestVerifyServicesLongList(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, paris)
	for _, long := range []bool{false, true} {
		f := &flow.Flow{Resources: map[string]*flow.Resource{}}
		for i := range 73 {
			id := fmt.Sprintf("s%03d", i)
			name := "Service " + id
			if long {
				name += strings.Repeat("x", 100)
			}
			f.Resources[id] = &flow.Resource{ID: id, Name: flow.Text{"fr": name}, Phone: "15"}
		}
		text, n := (&VerifyServices{}).Message(f, now)
		lines := strings.Split(text, "\n")
		listed := len(lines) - 3
		if n != 73 || lines[len(lines)-1] != fmt.Sprintf("et %d autres", 73-listed) {
			t.Errorf("long %v: %d services, %d listed, last %q", long, n, listed, lines[len(lines)-1])
		}
		if !long && listed != MaxServiceLines {
			t.Errorf("%d listed, want %d", listed, MaxServiceLines)
		}
		if len([]rune(text)) > 4096 {
			t.Errorf("long %v: %d characters: too long for one message", long, len([]rune(text)))
		}
		if !strings.HasPrefix(lines[2], "• Service s000") || long != strings.Contains(lines[2], "…") {
			t.Errorf("first line %q", lines[2])
		}
	}
}
