package flow

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Targets (docs/perf.md): a step ≤ 2 µs and ≤ 5 allocations; a 1,000-node
// flow loaded and validated in ≤ 20 ms.

// benchState walks from the start of f by tapping the first button labels
// given, and returns where it stands.
func benchState(b *testing.B, f *Flow, lang string, labels ...string) State {
	b.Helper()
	st, _, err := Step(f, State{}, Input{Kind: InStart, Lang: lang}, t0)
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range labels {
		var data string
		for _, bt := range f.Nodes[st.Node].Buttons(lang) {
			if bt.Label == l {
				data = bt.Data
			}
		}
		if data == "" {
			b.Fatalf("no button %q on %s", l, st.Node)
		}
		st, _, _ = Step(f, st, Input{Kind: InButton, Data: data}, t0)
	}
	return st
}

func loadOrientation(b *testing.B) *Flow {
	b.Helper()
	fb, err1 := os.ReadFile("../../flows/orientation.yaml")
	rb, err2 := os.ReadFile("../../flows/resources.yaml")
	if err1 != nil || err2 != nil {
		b.Skip("flows/orientation.yaml or flows/resources.yaml not found")
	}
	f, probs := Load(Source{"orientation.yaml", fb}, Source{"resources.yaml", rb})
	if f == nil {
		b.Skipf("flows/orientation.yaml does not load:\n%s", probs.Error())
	}
	return f
}

func BenchmarkStepButton(b *testing.B) {
	b.Run("mini", func(b *testing.B) {
		f := loadMini(b)
		st := benchState(b, f, "fr", "Oui", "Je préfère ne pas dire") // on besoin
		in := Input{Kind: InButton, Data: f.Nodes["besoin"].Buttons("fr")[1].Data}
		benchStep(b, f, st, in, "humain")
	})
	b.Run("orientation", func(b *testing.B) {
		f := loadOrientation(b)
		st := benchState(b, f, "fr")
		bs := f.Nodes[st.Node].Buttons("fr")
		if len(bs) == 0 {
			b.Skip("the start node has no button")
		}
		in := Input{Kind: InButton, Data: bs[0].Data}
		next, _, _ := Step(f, st, in, t0)
		benchStep(b, f, st, in, next.Node)
	})
}

func BenchmarkStepText(b *testing.B) {
	f := loadMini(b)
	besoin := benchState(b, f, "fr", "Oui", "Je préfère ne pas dire")
	quartier := benchState(b, f, "fr", "Oui")
	// Free text where buttons are expected: no label.
	b.Run("options", func(b *testing.B) {
		benchStep(b, f, besoin, Input{Kind: InText, Text: "je ne sais pas trop quoi faire"}, "besoin")
	})
	// A typed label.
	b.Run("label", func(b *testing.B) {
		benchStep(b, f, besoin, Input{Kind: InText, Text: "parler"}, "humain")
	})
	// An answer to an input node, checked against its pattern.
	b.Run("input", func(b *testing.B) {
		benchStep(b, f, quartier, Input{Kind: InText, Text: "13"}, "besoin")
	})
	// A text triage found alarming (triage itself is benchmarked in internal/triage).
	b.Run("emergency", func(b *testing.B) {
		benchStep(b, f, besoin, Input{Kind: InEmergency, Class: "danger", Text: "أنا في الخطر"}, "urgence")
	})
}

func benchStep(b *testing.B, f *Flow, st State, in Input, want string) {
	b.Helper()
	if next, _, err := Step(f, st, in, t0); err != nil || next.Node != want {
		b.Fatalf("step to %s, want %s (%v)", next.Node, want, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Step(f, st, in, t0)
	}
}

// bigFlow writes a valid flow of n nodes in French and Arabic: a chain of
// messages with options, inputs with a pattern and a skip, and routes.
func bigFlow(n int) []byte {
	var b strings.Builder
	b.WriteString(`id: big
languages: [fr, ar]
start: n0
emergency:
  goto: urgence
  keywords:
    fr: [urgence, danger, "au secours"]
    ar: [خطر, طوارئ]
    latin: [khatar]
nodes:
`)
	id := func(i int) string {
		if i >= n-2 {
			return "fin"
		}
		return fmt.Sprintf("n%d", i)
	}
	for i := 0; i < n-2; i++ {
		fmt.Fprintf(&b, "  n%d:\n", i)
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "    text: {fr: \"Question %d : que voulez-vous faire ?\", ar: \"السؤال %d: ماذا تريد أن تفعل؟\"}\n", i, i)
			if i%2 == 0 {
				b.WriteString("    resources: [samu_15]\n")
			}
			b.WriteString("    options:\n")
			fmt.Fprintf(&b, "      - {label: {fr: \"Continuer\", ar: \"متابعة\"}, set: {choix: a}, goto: %s}\n", id(i+1))
			fmt.Fprintf(&b, "      - {label: {fr: \"Passer\", ar: \"تخطي\"}, set: {choix: b}, goto: %s}\n", id(i+1))
			fmt.Fprintf(&b, "      - {label: {fr: \"Sauter\", ar: \"قفز\"}, goto: %s}\n", id(i+2))
		case 1:
			fmt.Fprintf(&b, "    text: {fr: \"Votre réponse %d ?\", ar: \"جوابك %d؟\"}\n", i, i)
			fmt.Fprintf(&b, "    input:\n      var: v%d\n      pattern: \"^[0-9]{1,3}$\"\n", i)
			b.WriteString("      retry: {fr: \"Un nombre, s'il vous plaît.\", ar: \"رقم من فضلك.\"}\n")
			b.WriteString("    skip: {fr: \"Je préfère ne pas dire\", ar: \"أفضل ألا أقول\"}\n")
			fmt.Fprintf(&b, "    next: %s\n", id(i+1))
		case 2:
			b.WriteString("    route:\n")
			fmt.Fprintf(&b, "      - {when: {choix: a}, goto: %s}\n", id(i+1))
			fmt.Fprintf(&b, "      - {when: {choix: [b, c]}, goto: %s}\n", id(i+2))
			fmt.Fprintf(&b, "      - goto: %s\n", id(i+1))
		}
	}
	b.WriteString(`  fin:
    text: {fr: "Prenez soin de vous.", ar: "اعتن بنفسك."}
    end: true
  urgence:
    text: {fr: "Appelez le 17.", ar: "اتصل بالرقم 17."}
    resources: [samu_15]
    options:
      - {label: {fr: "Revenir au début", ar: "العودة إلى البداية"}, goto: n0}
`)
	return []byte(b.String())
}

func BenchmarkLoadValidate1000(b *testing.B) {
	data := bigFlow(1000)
	res := readFile(b, "testdata/resources.yaml")
	f, probs := Load(Source{"big.yaml", data}, Source{"resources.yaml", res})
	if f == nil || len(f.Nodes) != 1000 {
		b.Fatalf("generated flow rejected:\n%s", probs.Error())
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Load(Source{"big.yaml", data}, Source{"resources.yaml", res})
	}
}

// BenchmarkLoadOrientation loads the real flow, for scale.
func BenchmarkLoadOrientation(b *testing.B) {
	loadOrientation(b)
	fb := readFile(b, "../../flows/orientation.yaml")
	rb := readFile(b, "../../flows/resources.yaml")
	b.ReportAllocs()
	for b.Loop() {
		Load(Source{"orientation.yaml", fb}, Source{"resources.yaml", rb})
	}
}

// BenchmarkYAMLParse1000 is the part of BenchmarkLoadValidate1000 spent in
// the YAML library alone: parsing the same document into a node tree.
func BenchmarkYAMLParse1000(b *testing.B) {
	data := bigFlow(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBigFlow keeps the benchmark's generated flow valid and walkable.
func TestBigFlow(t *testing.T) {
	f, probs := Load(Source{"big.yaml", bigFlow(1000)}, Source{"resources.yaml", readFile(t, "testdata/resources.yaml")})
	if f == nil {
		t.Fatalf("rejected:\n%s", probs.Error())
	}
	if len(f.Nodes) != 1000 {
		t.Fatalf("%d nodes", len(f.Nodes))
	}
	explore(t, f, 500)
}
