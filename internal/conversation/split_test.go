package conversation

import (
	"strings"
	"testing"
	"time"

	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
)

func TestLongReplyIsSplitIntoItems(t *testing.T) {
	para := strings.Repeat("Ceci est une phrase assez longue pour remplir. ", 40)
	r := Reply{Text: strings.Join([]string{para, para, para}, "\n\n"), Lang: "fr",
		Buttons: [][]flow.Button{{{Label: "ok", Data: "d"}}}}
	items := Items(r, time.Unix(1, 0), delivery.Item{Urgent: true})
	if len(items) < 2 {
		t.Fatalf("%d items", len(items))
	}
	for i, it := range items {
		if units(it.Text) > MaxMessageUnits {
			t.Errorf("part %d too long", i)
		}
		if (len(it.Buttons) > 0) != (i == len(items)-1) {
			t.Errorf("buttons must go with the last part only (part %d)", i)
		}
		if !it.Urgent || it.At != 1000 {
			t.Errorf("part %d lost its flags or time: %+v", i, it)
		}
	}
}

func TestSplitKeepsCharactersWhole(t *testing.T) {
	text := strings.Repeat("😀ب", 3000) // surrogate pairs and Arabic
	parts := splitText(text, MaxMessageUnits)
	if strings.Join(parts, "") != text {
		t.Error("split lost or broke characters")
	}
	for _, p := range parts {
		if units(p) > MaxMessageUnits {
			t.Errorf("part of %d units", units(p))
		}
	}
}
