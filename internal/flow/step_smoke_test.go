package flow

import (
	"os"
	"testing"
	"time"
)

func loadMini(t *testing.T) *Flow {
	t.Helper()
	fb, _ := os.ReadFile("testdata/mini.yaml")
	rb, _ := os.ReadFile("testdata/resources.yaml")
	f, probs := Load(Source{"mini.yaml", fb}, Source{"resources.yaml", rb})
	for _, p := range probs {
		t.Log(p.Error())
	}
	if f == nil {
		t.Fatal("not loaded")
	}
	return f
}

func TestSmoke(t *testing.T) {
	f := loadMini(t)
	now := time.Unix(0, 0)
	st, out, _ := Step(f, State{}, Input{Kind: InStart, Lang: "ar"}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InButton, Data: out[0].Buttons[0].Data}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InText, Text: "99"}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InText, Text: "13"}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InText, Text: "1"}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InText, Text: "ils ont une ARME"}, now)
	t.Logf("%+v %+v", st, out)
	st, out, _ = Step(f, st, Input{Kind: InBack}, now)
	t.Logf("%+v %+v", st, out)
}
