package flow

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzLoad: whatever the bytes, Load never panics, refuses a flow only with
// an error, and a flow it accepts can be walked without breaking the engine's
// guarantees.
func FuzzLoad(f *testing.F) {
	res := readFile(f, "testdata/resources.yaml")
	mini := readFile(f, "testdata/mini.yaml")
	for _, pattern := range []string{"testdata/*.yaml", "testdata/broken/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			data := readFile(f, path)
			f.Add(data, res)
			if filepath.Base(path) != "mini.yaml" {
				f.Add(mini, data) // as a resource directory
			}
		}
	}
	for _, flow := range []string{keywordFlow, routeEmergencyFlow, routeFlow} {
		f.Add([]byte(flow), []byte("resources: {}"))
	}
	f.Fuzz(func(t *testing.T, flowData, resData []byte) {
		fl, probs := Load(Source{"f.yaml", flowData}, Source{"r.yaml", resData})
		_ = probs.Error()
		for _, p := range probs {
			if p.Line < 1 || p.Col < 1 || p.Code == "" || (p.File != "f.yaml" && p.File != "r.yaml") {
				t.Fatalf("badly located problem %+v", p)
			}
		}
		if LoadResources(Source{"r.yaml", resData}); fl == nil {
			if len(probs.Errors()) == 0 {
				t.Fatal("flow refused without an error")
			}
			return
		}
		if len(probs.Errors()) > 0 {
			t.Fatalf("flow loaded despite errors:\n%s", probs.Error())
		}
		explore(t, fl, 300)
		explore(t, fl.WithoutDesk(), 300)
	})
}

// explore walks a flow from its start, breadth first, tapping every button
// and trying a few texts and commands on each state met, up to limit steps.
func explore(t *testing.T, f *Flow, limit int) {
	t.Helper()
	texts := []string{"1", "2", "9", "x", ""}
	for _, c := range f.Emergency.Classes {
		for _, list := range c.Terms {
			texts = append(texts, list[0])
			break
		}
	}
	for _, lang := range f.Languages {
		queue := []State{{}}
		seen := map[string]bool{}
		for steps := 0; len(queue) > 0 && steps < limit; {
			st := queue[0]
			queue = queue[1:]
			inputs := []Input{{Kind: InStart, Lang: lang}}
			if st.Started() {
				inputs = []Input{{Kind: InBack}, {Kind: InRestart}, {Kind: InEmergency}, {Kind: InHumanJoined},
					{Kind: InHumanDone}, {Kind: InLanguage, Lang: "ar"}}
				for _, s := range texts {
					inputs = append(inputs, Input{Kind: InText, Text: s})
				}
				if n := f.Nodes[st.Node]; n != nil {
					for _, b := range n.Buttons(st.Lang) {
						inputs = append(inputs, Input{Kind: InButton, Data: b.Data})
					}
				}
			}
			for _, in := range inputs {
				steps++
				before := cloneState(st)
				next, out, err := Step(f, st, in, t0)
				if err != nil {
					t.Fatalf("Step(%+v) from %+v: %v", in, st, err)
				}
				if !sameState(st, before) {
					t.Fatalf("Step(%+v) modified its state", in)
				}
				if err := checkStep(f, next, out); err != nil {
					t.Fatalf("Step(%+v) from %+v: %v", in, st, err)
				}
				key, _ := json.Marshal(State{Node: next.Node, Lang: next.Lang, Mode: next.Mode, Vars: next.Vars,
					Urgent: next.Urgent})
				if !seen[string(key)] {
					seen[string(key)] = true
					queue = append(queue, next)
				}
			}
		}
	}
}

// FuzzStep drives the mini flow with any sequence of inputs, the state going
// through JSON between steps as it does in storage.
func FuzzStep(f *testing.F) {
	fl := loadMini(f)
	ids := make([]string, 0, len(fl.Nodes))
	for id := range fl.Nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	buttons := []string{ButtonBack, ButtonRestart, ButtonLanguage("ar"), ButtonLanguage("fr"), ButtonLanguage("en"),
		"", "garbage", fl.Version + ":besoin:01", fl.Version + ":besoin:-1", fl.Version + ":besoin:9",
		"deadbeef:besoin:0", fl.Version + ":tri:0"}
	for _, id := range ids {
		for _, lang := range fl.Languages {
			for _, b := range fl.Nodes[id].Buttons(lang) {
				buttons = append(buttons, b.Data)
			}
		}
	}
	texts := []string{"1", "2", "3", "0", "oui", "Non", "13", "99", " 7 ", "danger", "خطر", "الخطر", "khatar",
		"au secours", "je préfère ne pas dire", "أفضل ألا أقول", "Psy", "Parler", "نعم", "", "   ",
		"larme", "1234567890123456789012345678901234567890123456789012345678901234567890"}
	langs := []string{"fr", "ar", "en", ""}

	f.Add([]byte{0, 0})
	f.Add([]byte{0, 1, 1, 12, 1, 14, 2, 6, 1, 20, 1, 22, 7, 0, 2, 8, 8, 0, 3, 0})
	f.Add([]byte{0, 0, 2, 0, 2, 6, 2, 0, 3, 0, 3, 0, 3, 0, 10, 0, 2, 9})
	f.Add([]byte{0, 0, 1, 12, 1, 14, 1, 17, 1, 19, 7, 0, 10, 0, 2, 5, 2, 8, 8, 0})
	f.Add([]byte{9, 5, 'a', ':', 'b', ':', 'c', 2, 5, 0xff, 'x', 'y', 'z', 0})

	desk := fl
	f.Fuzz(func(t *testing.T, data []byte) {
		fl := desk
		var st State
		for len(data) > 0 {
			op := data[0] % 12
			var arg byte
			if len(data) > 1 {
				arg = data[1]
			}
			data = data[min(2, len(data)):]
			var in Input
			switch op {
			case 0:
				in = Input{Kind: InStart, Lang: langs[int(arg)%len(langs)]}
			case 1:
				in = ButtonInput(buttons[int(arg)%len(buttons)])
			case 2:
				in = Input{Kind: InText, Text: texts[int(arg)%len(texts)]}
			case 3:
				in = Input{Kind: InBack}
			case 4:
				in = Input{Kind: InRestart}
			case 5:
				in = Input{Kind: InLanguage, Lang: langs[int(arg)%len(langs)]}
			case 6:
				in = Input{Kind: InEmergency}
			case 7:
				in = Input{Kind: InHumanJoined}
			case 8:
				in = Input{Kind: InHumanDone}
			case 9: // raw bytes: as a text (even arg) or as button data (odd arg)
				n := min(int(arg)/2, len(data))
				raw := string(data[:n])
				data = data[n:]
				if arg%2 == 0 {
					in = Input{Kind: InText, Text: raw}
				} else {
					in = ButtonInput(raw)
				}
			case 10: // the flow is updated under the person
				st.Version = "deadbeef"
				continue
			case 11: // the volunteer desk goes away, or comes back
				if fl.Deskless() {
					fl = desk
				} else {
					fl = desk.WithoutDesk()
				}
				continue
			}
			before := cloneState(st)
			next, out, err := Step(fl, st, in, t0)
			if err != nil {
				t.Fatalf("Step(%+v): %v", in, err)
			}
			if !sameState(st, before) {
				t.Fatalf("Step(%+v) modified its state", in)
			}
			if err := checkStep(fl, next, out); err != nil {
				t.Fatalf("Step(%+v) from %+v: %v", in, st, err)
			}
			b, err := json.Marshal(next)
			if err != nil {
				t.Fatal(err)
			}
			st = State{}
			if err := json.Unmarshal(b, &st); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// refNormalize is the plain definition of normalize: the whole text through
// NFD, then folded character by character. normalize gets the same result
// without allocating; this keeps the two in step.
func refNormalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r), r == 'ـ', r == 'ء':
			continue
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ٱ':
			r = 'ا'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "Je suis BLESSÉE !", "au  secours", "أنا في الخطر", "خـطـر", "طوارىء", "ﻻ",
		"\xff\xfeé", "e\u0301\u0301", "ǖ", "ﬁ", "Ⅻ", "İ", "\u200dخطر", "a\tb\nc", "١٢٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		normalize(s) // never panics, whatever the bytes
		if !utf8.ValidString(s) {
			// Telegram texts are UTF-8. On invalid bytes, NFD leaves the next
			// character composed ("\xf4é"), while normalize still folds it.
			t.Skip()
		}
		for _, r := range s {
			if unicode.Is(unicode.Hangul, r) {
				t.Skip("Hangul syllables are not decomposed by normalize; no button label is Korean")
			}
		}
		want := refNormalize(s)
		if got := normalize(s); got != want {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
		if got := string(appendFolded([]byte("x"), s)); got != "x"+want {
			t.Fatalf("appendFolded kept %q", got)
		}
	})
}
