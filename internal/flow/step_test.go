package flow

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func loadMini(t testing.TB) *Flow {
	t.Helper()
	return mustLoad(t, string(readFile(t, "testdata/mini.yaml")), string(readFile(t, "testdata/resources.yaml")))
}

func mustLoad(t testing.TB, flowYAML, resYAML string) *Flow {
	t.Helper()
	f, probs := Load(Source{"flow.yaml", []byte(flowYAML)}, Source{"resources.yaml", []byte(resYAML)})
	if f == nil {
		t.Fatalf("flow rejected:\n%s", probs.Error())
	}
	return f
}

// checkStep verifies what must hold after every step, whatever happened:
// the person waits on an existing node that waits for them, the history is
// bounded, and everything shown can be sent to Telegram.
func checkStep(f *Flow, st State, out []Output) error {
	if st.Flow != f.ID || st.Version != f.Version {
		return fmt.Errorf("state of flow %s@%s, want %s@%s", st.Flow, st.Version, f.ID, f.Version)
	}
	if !f.HasLanguage(st.Lang) {
		return fmt.Errorf("state language %q", st.Lang)
	}
	if len(out) == 1 && out[0].Kind == OutErase {
		if st.Started() || len(st.History) > 0 || st.Vars != nil || st.Resume != "" {
			return fmt.Errorf("an erase keeps a state: %+v", st)
		}
		return nil
	}
	if err := waiting(f, st.Node); err != nil {
		return fmt.Errorf("current node: %w", err)
	}
	if len(st.History) > MaxHistory {
		return fmt.Errorf("history of %d > %d", len(st.History), MaxHistory)
	}
	for _, id := range st.History {
		if err := waiting(f, id); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	switch st.Mode {
	case ModeFlow, ModeWaiting, ModeHuman:
	default:
		return fmt.Errorf("mode %q", st.Mode)
	}
	for _, o := range out {
		switch o.Kind {
		case OutMessage:
			if o.Text == "" {
				return fmt.Errorf("empty message for node %s", o.Node)
			}
			if len([]rune(o.Text)) > MaxMessageRunes {
				return fmt.Errorf("message of %d runes", len([]rune(o.Text)))
			}
			for _, b := range o.Buttons {
				if b.Label == "" || len(b.Data) > MaxCallbackData {
					return fmt.Errorf("bad button %+v", b)
				}
			}
		case OutNotice:
			if o.Notice == "" {
				return fmt.Errorf("empty notice")
			}
		case OutHandoff:
			if f.Deskless() {
				return fmt.Errorf("a ticket opened without a desk, from %s", o.Node)
			}
			if o.Ticket == nil || o.Ticket.Category == "" || o.Ticket.Priority == "" {
				return fmt.Errorf("bad ticket %+v", o.Ticket)
			}
		}
		if n := f.Nodes[o.Node]; f.Deskless() && o.Kind == OutMessage && n != nil && n.Kind == KindHandoff {
			return fmt.Errorf("handoff node %s shown without a desk", o.Node)
		}
	}
	return nil
}

// waiting: the node exists and the person can stay on it.
func waiting(f *Flow, id string) error {
	n := f.Nodes[id]
	switch {
	case n == nil:
		return fmt.Errorf("unknown node %q", id)
	case n.Kind == KindRoute:
		return fmt.Errorf("route node %q", id)
	case n.Kind == KindMessage && len(n.Options) == 0:
		return fmt.Errorf("passing message %q", id)
	}
	return nil
}

func step(t *testing.T, f *Flow, st State, in Input) (State, []Output) {
	t.Helper()
	next, out, err := Step(f, st, in, t0)
	if err != nil {
		t.Fatalf("Step(%+v): %v", in, err)
	}
	if err := checkStep(f, next, out); err != nil {
		t.Fatalf("Step(%+v): %v\nstate %+v\nout %s", in, err, next, summary(out))
	}
	return next, out
}

// summary describes outputs in one line each, for comparisons.
func summary(out []Output) []string {
	s := make([]string, 0, len(out))
	for _, o := range out {
		switch o.Kind {
		case OutMessage:
			s = append(s, "message "+o.Node)
		case OutNotice:
			s = append(s, "notice "+string(o.Notice))
		case OutHandoff:
			s = append(s, "handoff "+o.Ticket.Category+" "+string(o.Ticket.Priority))
		case OutCancel:
			s = append(s, "cancel")
		case OutRelay:
			s = append(s, "relay "+o.Text)
		case OutAlert:
			s = append(s, "alert")
		case OutEnd:
			s = append(s, "end "+o.Node)
		case OutErase:
			s = append(s, "erase "+o.Node)
		case OutAteliers:
			s = append(s, "ateliers "+o.Node+" need="+o.Need)
		default:
			s = append(s, fmt.Sprintf("kind %d", o.Kind))
		}
	}
	return s
}

func wantOut(t *testing.T, out []Output, want ...string) {
	t.Helper()
	if got := summary(out); !slices.Equal(got, want) {
		t.Fatalf("outputs\n got: %q\nwant: %q", got, want)
	}
}

// button returns the data of the button labelled label on node id.
func button(t *testing.T, f *Flow, id, lang, label string) string {
	t.Helper()
	for _, b := range f.Nodes[id].Buttons(lang) {
		if b.Label == label {
			return b.Data
		}
	}
	t.Fatalf("no button %q on %s in %s", label, id, lang)
	return ""
}

func tap(t *testing.T, f *Flow, st State, label string) (State, []Output) {
	t.Helper()
	return step(t, f, st, Input{Kind: InButton, Data: button(t, f, st.Node, st.Lang, label)})
}

func text(t *testing.T, f *Flow, st State, s string) (State, []Output) {
	t.Helper()
	return step(t, f, st, Input{Kind: InText, Text: s})
}

// alarm is a free text that triage found alarming, of class danger.
func alarm(t *testing.T, f *Flow, st State, s string) (State, []Output) {
	t.Helper()
	return step(t, f, st, Input{Kind: InEmergency, Class: "danger", Text: s})
}

func start(t *testing.T, f *Flow, lang string) State {
	t.Helper()
	st, out := step(t, f, State{}, Input{Kind: InStart, Lang: lang})
	wantOut(t, out, "message "+f.Start)
	return st
}

func TestStepNoFlow(t *testing.T) {
	if _, _, err := Step(nil, State{}, Input{Kind: InStart}, t0); err != ErrNoFlow {
		t.Fatalf("got %v", err)
	}
}

func TestStart(t *testing.T) {
	f := loadMini(t)
	for _, tc := range []struct{ client, want string }{{"ar", "ar"}, {"fr", "fr"}, {"", "fr"}, {"de", "fr"}} {
		st, out := step(t, f, State{}, Input{Kind: InStart, Lang: tc.client})
		wantOut(t, out, "message accueil")
		if st.Lang != tc.want || st.Node != "accueil" || st.Steps != 1 || st.At != t0.Unix() {
			t.Errorf("client %q: state %+v", tc.client, st)
		}
		if out[0].Text != f.Nodes["accueil"].Rendered(tc.want) || len(out[0].Buttons) != 2 || out[0].Back {
			t.Errorf("client %q: output %+v", tc.client, out[0])
		}
	}
	// A first contact by a button or a text starts the flow too.
	st, out := step(t, f, State{}, Input{Kind: InButton, Data: "whatever"})
	wantOut(t, out, "message accueil")
	_, out = text(t, f, st, "bonjour")
	wantOut(t, out, "notice use_buttons", "message accueil")
	// A first message that is an emergency goes straight to the emergency node.
	for _, in := range []Input{{Kind: InEmergency, Class: "danger", Text: "danger"}, {Kind: InEmergency}} {
		st, out = step(t, f, State{}, in)
		wantOut(t, out, "message urgence")
		if st.Node != "urgence" || !st.Urgent || len(st.History) != 0 {
			t.Fatalf("state %+v", st)
		}
	}
}

func TestBackIsBounded(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = tap(t, f, st, "Je préfère ne pas dire")
	visited := []string{"accueil", "quartier"}
	for i := 0; i < 2*MaxHistory; i++ {
		visited = append(visited, st.Node)
		if st.Node == "besoin" {
			st, _ = tap(t, f, st, "Parler")
		} else {
			st, _ = tap(t, f, st, "Non")
		}
		want := min(len(visited), MaxHistory)
		if len(st.History) != want {
			t.Fatalf("after %d moves: history %d, want %d", len(visited), len(st.History), want)
		}
		if !slices.Equal(st.History, visited[len(visited)-want:]) {
			t.Fatalf("history %q, want the last of %q", st.History, visited)
		}
	}
	// Back walks the remembered steps in reverse, then says there is no more.
	for i := 0; i < MaxHistory; i++ {
		var out []Output
		prev := visited[len(visited)-1-i]
		st, out = step(t, f, st, Input{Kind: InBack})
		wantOut(t, out, "message "+prev)
		if st.Node != prev || len(st.History) != MaxHistory-1-i || out[0].Back != (i < MaxHistory-1) {
			t.Fatalf("back %d: node %s history %d back=%v", i, st.Node, len(st.History), out[0].Back)
		}
	}
	node := st.Node
	st, out := step(t, f, st, Input{Kind: InBack})
	wantOut(t, out, "notice no_back", "message "+node)
	if st.Node != node {
		t.Fatalf("moved to %s", st.Node)
	}
}

func TestBackAtStart(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, out := step(t, f, st, Input{Kind: InBack})
	wantOut(t, out, "notice no_back", "message accueil")
	if st.Node != "accueil" || len(st.History) != 0 {
		t.Fatalf("state %+v", st)
	}
	// The global back button is the same command.
	if in := ButtonInput(ButtonBack); in.Kind != InBack {
		t.Fatalf("ButtonInput(back) = %+v", in)
	}
}

func TestBackSkipsPassingNodes(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = text(t, f, st, "13")
	st, out := tap(t, f, st, "Psy") // besoin → tri → info → fin
	wantOut(t, out, "message info", "message fin", "end fin")
	st, out = step(t, f, st, Input{Kind: InBack})
	wantOut(t, out, "message besoin")
	if st.Vars["need"] != "psy" || st.Vars["arr"] != "13" {
		t.Fatalf("back forgot the answers: %v", st.Vars)
	}
}

func TestRestart(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "ar")
	st, _ = tap(t, f, st, "نعم")
	st, _ = text(t, f, st, "13")
	st, _ = alarm(t, f, st, "خطر") // through the emergency node
	st, out := step(t, f, st, ButtonInput(ButtonRestart))
	wantOut(t, out, "message accueil")
	want := State{Flow: f.ID, Version: f.Version, Node: "accueil", Lang: "ar", Urgent: true, Steps: 5, At: t0.Unix()}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("state\n got %+v\nwant %+v", st, want)
	}
	// Restarting leaves a human conversation: the ticket is closed.
	st, _ = tap(t, f, st, "نعم")
	st, _ = tap(t, f, st, "أفضل ألا أقول")
	st, _ = tap(t, f, st, "التحدث")
	st, _ = tap(t, f, st, "نعم")
	if st.Mode != ModeWaiting {
		t.Fatalf("mode %q", st.Mode)
	}
	st, out = step(t, f, st, Input{Kind: InRestart})
	wantOut(t, out, "cancel", "message accueil")
	if st.Mode != ModeFlow || st.Node != "accueil" {
		t.Fatalf("state %+v", st)
	}
}

func TestLanguageSwitchKeepsPlace(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = text(t, f, st, "7")
	before := st
	st, out := step(t, f, st, ButtonInput(ButtonLanguage("ar")))
	wantOut(t, out, "message besoin")
	if out[0].Text != "ماذا تحتاج؟" || out[0].Buttons[0].Label != "نفسي" || !out[0].Back {
		t.Fatalf("not shown in Arabic: %+v", out[0])
	}
	if st.Lang != "ar" || st.Node != before.Node || !slices.Equal(st.History, before.History) ||
		!reflect.DeepEqual(st.Vars, before.Vars) {
		t.Fatalf("state\n got %+v\nbefore %+v", st, before)
	}
	// The buttons shown in French still work after the switch: same node.
	st, out = step(t, f, st, Input{Kind: InButton, Data: button(t, f, "besoin", "fr", "Parler")})
	wantOut(t, out, "message humain")
	// A language the flow is not written in changes nothing.
	st2, out := step(t, f, st, Input{Kind: InLanguage, Lang: "en"})
	wantOut(t, out, "notice lang_unavailable", "message humain")
	if st2.Lang != "ar" || st2.Node != "humain" {
		t.Fatalf("state %+v", st2)
	}
}

func TestStaleButton(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	oldYes := button(t, f, "accueil", "fr", "Oui")
	oldNo := button(t, f, "accueil", "fr", "Non")
	st, _ = tap(t, f, st, "Oui")
	st, _ = tap(t, f, st, "Je préfère ne pas dire")
	for _, data := range []string{oldYes, oldNo, button(t, f, "humain", "fr", "Oui"), button(t, f, "quartier", "fr", "Je préfère ne pas dire")} {
		next, out := step(t, f, st, Input{Kind: InButton, Data: data})
		wantOut(t, out, "notice menu_changed", "message besoin")
		if next.Node != st.Node || !slices.Equal(next.History, st.History) || !reflect.DeepEqual(next.Vars, st.Vars) {
			t.Fatalf("stale button %q moved the person: %+v", data, next)
		}
	}
}

func TestForgedCallback(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = tap(t, f, st, "Je préfère ne pas dire") // on besoin: two options
	v := f.Version
	forged := []string{
		"", "garbage", ":", "::", ":::", "g:back:x", "g:lang",
		v, v + ":", v + ":besoin", v + ":besoin:",
		"1:besoin:0", v + "0:besoin:0", v[:7] + ":besoin:0", "zzzzzzzz:besoin:0",
		v + ":besoin:2", v + ":besoin:01", v + ":besoin:-1", v + ":besoin:+1", v + ":besoin: 1", v + ":besoin:1 ",
		v + ":besoin:99999999999999999999999", v + ":besoin:9223372036854775807", v + ":besoin:-9223372036854775808",
		v + ":besoin:s", v + ":besoin:h", v + ":besoin:0:0", v + ":besoin:1.0", v + ":besoin:٠",
		v + ":BESOIN:0", v + ":nowhere:0", v + "::0", v + ":tri:0", v + ":besoin:\x00",
		"\xff\xfe:\xff:\xff", strings.Repeat("x", 10000), v + ":" + strings.Repeat("b", 5000) + ":0",
	}
	for _, data := range forged {
		next, out := step(t, f, st, Input{Kind: InButton, Data: data})
		wantOut(t, out, "notice menu_changed", "message besoin")
		if next.Node != "besoin" || !slices.Equal(next.History, st.History) || !reflect.DeepEqual(next.Vars, st.Vars) {
			t.Fatalf("forged %q moved the person: %+v", data, next)
		}
		if in := ButtonInput(data); in.Kind != InButton && in.Kind != InLanguage {
			t.Fatalf("ButtonInput(%q) = %+v", data, in)
		}
	}
	// The genuine buttons still work.
	if _, out := step(t, f, st, Input{Kind: InButton, Data: v + ":besoin:1"}); summary(out)[0] != "message humain" {
		t.Fatalf("genuine button: %q", summary(out))
	}
}

// loadMiniMenu is the mini flow with a menu: besoin.
func loadMiniMenu(t *testing.T) *Flow {
	t.Helper()
	src := strings.Replace(string(readFile(t, "testdata/mini.yaml")), "start: accueil\n", "start: accueil\nmenu: besoin\n", 1)
	f := mustLoad(t, src, string(readFile(t, "testdata/resources.yaml")))
	if f.Menu != "besoin" {
		t.Fatalf("menu %q", f.Menu)
	}
	return f
}

// TestFlowUpdatedNodeKept: a person whose screen is still in the new version
// goes on there, with their answers, as if nothing had happened.
func TestFlowUpdatedNodeKept(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "ar")
	st, _ = tap(t, f, st, "نعم")
	st, _ = text(t, f, st, "13")
	if st.Node != "besoin" || st.Vars["arr"] != "13" || !slices.Equal(st.History, []string{"accueil", "quartier"}) {
		t.Fatalf("state %+v", st)
	}
	old := st
	old.Version = "deadbeef"

	// A button of the screen as the new version shows it is applied.
	next, out := step(t, f, old, Input{Kind: InButton, Data: button(t, f, "besoin", "ar", "نفسي")})
	wantOut(t, out, "message info", "message fin", "end fin")
	if next.Version != f.Version || next.Vars["arr"] != "13" || next.Vars["need"] != "psy" || next.Lang != "ar" {
		t.Fatalf("state %+v", next)
	}
	// Back, /start and a language: as in the same version, no notice.
	next, out = step(t, f, old, Input{Kind: InBack})
	wantOut(t, out, "message quartier")
	if next.Version != f.Version || !slices.Equal(next.History, []string{"accueil"}) {
		t.Fatalf("state %+v", next)
	}
	for _, in := range []Input{{Kind: InStart}, {Kind: InLanguage, Lang: "fr"}} {
		next, out = step(t, f, old, in)
		wantOut(t, out, "message besoin")
		if next.Node != "besoin" || next.Vars["arr"] != "13" || len(next.History) != 2 {
			t.Fatalf("%+v: state %+v", in, next)
		}
	}
	// A stale button of the old version: the current step again, as always.
	next, out = step(t, f, old, Input{Kind: InButton, Data: "deadbeef:besoin:0"})
	wantOut(t, out, "notice menu_changed", "message besoin")
	if next.Node != "besoin" || next.Version != f.Version || next.Vars["arr"] != "13" {
		t.Fatalf("state %+v", next)
	}
	// An emergency still goes to the emergency node, and can be resumed.
	next, out = alarm(t, f, old, "au secours")
	wantOut(t, out, "message urgence")
	if next.Node != "urgence" || next.Resume != "besoin" || !next.Urgent {
		t.Fatalf("state %+v", next)
	}
	// The screens of the history that are gone are dropped, and so is a
	// resume point that is gone.
	gone := old
	gone.History = []string{"disparu", "accueil", "tri", "info"}
	gone.Resume = "disparu"
	next, out = step(t, f, gone, Input{Kind: InBack})
	wantOut(t, out, "message accueil")
	if len(next.History) != 0 || next.Resume != "" {
		t.Fatalf("state %+v", next)
	}
	// A state of another flow whose node exists here goes on too.
	other := st
	other.Flow = "autre"
	next, out = step(t, f, other, Input{Kind: InStart})
	wantOut(t, out, "message besoin")
	if next.Flow != f.ID || next.Vars["arr"] != "13" {
		t.Fatalf("state %+v", next)
	}
	// An answer to a question that is still there is read normally.
	atInput := old
	atInput.Node, atInput.History = "quartier", []string{"accueil"}
	next, out = text(t, f, atInput, "7")
	wantOut(t, out, "message besoin")
	if next.Vars["arr"] != "7" {
		t.Fatalf("state %+v", next)
	}
}

// TestFlowUpdatedNodeRemoved: a person whose screen is gone lands on the
// menu with an apology, never on the first questions again.
func TestFlowUpdatedNodeRemoved(t *testing.T) {
	f := loadMiniMenu(t)
	old := State{Flow: f.ID, Version: "deadbeef", Node: "disparu", History: []string{"accueil", "quartier"},
		Vars: map[string]string{"arr": "13"}, Lang: "ar", Resume: "quartier", Steps: 4}
	for _, in := range []Input{
		{Kind: InButton, Data: "deadbeef:disparu:0"},
		{Kind: InButton, Data: button(t, f, "besoin", "ar", "نفسي")}, // not the screen they were on
		{Kind: InText, Text: "1"},                                    // an answer to a question that is gone
		{Kind: InBack},
		{Kind: InStart},
		{Kind: InLanguage, Lang: "ar"},
	} {
		next, out := step(t, f, old, in)
		wantOut(t, out, "notice flow_updated", "message besoin")
		if next.Node != "besoin" || len(next.History) != 0 || next.Resume != "" || next.Vars["arr"] != "13" ||
			next.Lang != "ar" || next.Steps != 5 {
			t.Fatalf("%+v: state %+v", in, next)
		}
	}
	// The language asked for is honoured.
	next, out := step(t, f, old, Input{Kind: InLanguage, Lang: "fr"})
	wantOut(t, out, "notice flow_updated", "message besoin")
	if next.Lang != "fr" || out[1].Text != f.Nodes["besoin"].Rendered("fr") {
		t.Fatalf("state %+v", next)
	}
	// /recommencer is not a reason to skip the apology, but it restarts.
	next, out = step(t, f, old, Input{Kind: InRestart})
	wantOut(t, out, "notice flow_updated", "message besoin")
	// An emergency still goes to the emergency node.
	for _, in := range []Input{{Kind: InEmergency, Class: "danger", Text: "au secours"}, {Kind: InEmergency}} {
		next, out := step(t, f, old, in)
		wantOut(t, out, "notice flow_updated", "message urgence")
		if next.Node != "urgence" || !next.Urgent || next.Lang != "ar" {
			t.Fatalf("state %+v", next)
		}
	}
	// A node that is still there but no longer waits (now a route) is gone
	// as a screen.
	route := old
	route.Node = "tri"
	next, out = step(t, f, route, Input{Kind: InStart})
	wantOut(t, out, "notice flow_updated", "message besoin")
	// Same version but a node that does not exist (a state edited by hand).
	broken := old
	broken.Version = f.Version
	next, out = step(t, f, broken, Input{Kind: InBack})
	wantOut(t, out, "notice flow_updated", "message besoin")
	if next.Node != "besoin" {
		t.Fatalf("state %+v", next)
	}
	// A state of another flow whose node is not here.
	other := old
	other.Flow = "autre"
	next, out = step(t, f, other, Input{Kind: InButton, Data: "x"})
	wantOut(t, out, "notice flow_updated", "message besoin")
	if next.Flow != f.ID {
		t.Fatalf("state %+v", next)
	}
}

// TestFlowUpdatedNoMenu: without a menu key, a person whose screen is gone
// lands on the start, with the apology.
func TestFlowUpdatedNoMenu(t *testing.T) {
	f := loadMini(t)
	old := State{Flow: f.ID, Version: "deadbeef", Node: "disparu", History: []string{"accueil"},
		Vars: map[string]string{"arr": "13"}, Lang: "ar"}
	next, out := step(t, f, old, Input{Kind: InButton, Data: "deadbeef:disparu:0"})
	wantOut(t, out, "notice flow_updated", "message accueil")
	if next.Node != "accueil" || len(next.History) != 0 || next.Vars["arr"] != "13" || next.Lang != "ar" {
		t.Fatalf("state %+v", next)
	}
}

// TestFlowUpdatedWithHuman: a new version of the flow must not cut a human
// conversation: the person's messages still go to the volunteer.
func TestFlowUpdatedWithHuman(t *testing.T) {
	f := loadMini(t)
	st := toHuman(t, f, "fr")
	for _, mode := range []Mode{ModeWaiting, ModeHuman} {
		old := st
		old.Mode = mode
		old.Version = "deadbeef"
		next, out := text(t, f, old, "vous êtes là ?")
		wantOut(t, out, "relay vous êtes là ?")
		if next.Mode != mode {
			t.Fatalf("mode %q, want %q", next.Mode, mode)
		}
		next, out = alarm(t, f, old, "ils ont une arme")
		wantOut(t, out, "relay ils ont une arme", "alert", "message urgence")
		if next.Mode != mode || !next.Urgent {
			t.Fatalf("state %+v", next)
		}
		next, out = step(t, f, old, Input{Kind: InHumanDone})
		wantOut(t, out, "notice human_done", "message accueil")
		if next.Mode != ModeFlow || next.Node != "accueil" {
			t.Fatalf("state %+v", next)
		}
		next, out = step(t, f, old, Input{Kind: InRestart})
		wantOut(t, out, "cancel", "message accueil")
		if next.Mode != ModeFlow {
			t.Fatalf("state %+v", next)
		}
	}
}

// keywordFlow has the emergency keywords of the design.
const keywordFlow = `id: kw
languages: [fr, ar]
start: accueil
emergency:
  goto: urgence
  keywords:
    fr: [urgence, danger, menace, arme, tirs, blessé, "au secours"]
    ar: [خطر, طوارئ, سلاح, تهديد, النجدة, أنقذوني]
    latin: [khatar, nejda]
nodes:
  accueil:
    text: {fr: "Bonjour", ar: "مرحبا"}
    options:
      - {label: {fr: "Suite", ar: "التالي"}, goto: urgence}
  urgence:
    text: {fr: "Appelez le 17.", ar: "اتصل بالرقم 17."}
    options:
      - {label: {fr: "Menu", ar: "القائمة"}, goto: accueil}
`

// classFlow declares two classes of alarm, with terms for the classifier.
const classFlow = `id: cl
languages: [fr, ar]
start: accueil
emergency:
  classes:
    danger: {goto: urgence, terms: {fr: [menacer, "coups de feu"], ar: [هدد], latin: [khatar]}}
    suicide: {goto: suicide}
nodes:
  accueil:
    text: {fr: "Bonjour", ar: "مرحبا"}
    options:
      - {label: {fr: "Suite", ar: "التالي"}, goto: accueil}
  urgence:
    text: {fr: "Appelez le 17.", ar: "اتصل بالرقم 17."}
    options: [{label: {fr: "Menu", ar: "القائمة"}, goto: accueil}]
  suicide:
    text: {fr: "Appelez le 3114.", ar: "اتصل بالرقم 3114."}
    options: [{label: {fr: "Menu", ar: "القائمة"}, goto: accueil}]
`

func TestEmergencyClasses(t *testing.T) {
	f := mustLoad(t, classFlow, "resources: {}")
	for class, want := range map[string]string{"danger": "urgence", "suicide": "suicide", "": "urgence", "other": "urgence"} {
		if got := f.Emergency.Target(class); got != want {
			t.Errorf("Target(%q) = %q, want %q", class, got, want)
		}
	}
	lex := f.Emergency.Lexicon()
	if got := lex["danger"]["fr"]; len(got) != 2 || got[1] != "coups de feu" {
		t.Errorf("Lexicon danger fr = %q", got)
	}
	if _, ok := lex["suicide"]; !ok || len(lex) != 2 {
		t.Errorf("Lexicon = %v", lex)
	}
	st := start(t, f, "fr")
	next, out := step(t, f, st, Input{Kind: InEmergency, Class: "suicide", Text: "je veux mourir"})
	wantOut(t, out, "message suicide")
	if next.Node != "suicide" || !next.Urgent {
		t.Fatalf("state %+v", next)
	}
	// The engine does not read free text for alarms: triage does, before Step.
	_, out = text(t, f, st, "khatar")
	wantOut(t, out, "notice use_buttons", "message accueil")
	// The older form is one class, danger.
	old := mustLoad(t, keywordFlow, "resources: {}")
	if len(old.Emergency.Classes) != 1 || old.Emergency.Classes[0].Name != "danger" || old.Emergency.Target("suicide") != "urgence" {
		t.Fatalf("legacy emergency %+v", old.Emergency)
	}
}

func TestEmergencyWinsEverywhere(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	at := map[string]State{"accueil": st}
	st, _ = tap(t, f, st, "Oui")
	at["quartier"] = st
	st, _ = text(t, f, st, "2")
	at["besoin"] = st
	st, _ = tap(t, f, st, "Parler")
	at["humain"] = st
	st, _ = tap(t, f, st, "Non")
	st, _ = tap(t, f, st, "Psy")
	at["fin"] = st
	for node, st := range at {
		for _, in := range []Input{{Kind: InEmergency, Class: "danger", Text: "ARME"}, {Kind: InEmergency}} {
			next, out := step(t, f, st, in)
			wantOut(t, out, "message urgence")
			if next.Node != "urgence" || !next.Urgent || next.History[len(next.History)-1] != node {
				t.Fatalf("from %s: state %+v", node, next)
			}
			// Back returns to where the person was.
			back, out := step(t, f, next, Input{Kind: InBack})
			if node == "fin" {
				wantOut(t, out, "message fin", "end fin")
			} else {
				wantOut(t, out, "message "+node)
			}
			if back.Node != node {
				t.Fatalf("back from urgence to %s", back.Node)
			}
			// On the emergency node itself, it is shown again.
			again, out := step(t, f, next, in)
			wantOut(t, out, "message urgence")
			if len(again.History) != len(next.History) {
				t.Fatalf("history grew on the emergency node")
			}
		}
	}
}

// toHuman walks to the handoff node and asks for a human.
func toHuman(t *testing.T, f *Flow, lang string) State {
	t.Helper()
	st := start(t, f, lang)
	st, _ = step(t, f, st, Input{Kind: InButton, Data: f.Nodes["accueil"].Buttons(lang)[0].Data})
	st, _ = step(t, f, st, Input{Kind: InButton, Data: f.Nodes["quartier"].Buttons(lang)[0].Data})
	st, _ = step(t, f, st, Input{Kind: InButton, Data: f.Nodes["besoin"].Buttons(lang)[1].Data})
	st, out := step(t, f, st, Input{Kind: InButton, Data: f.Nodes["humain"].Buttons(lang)[0].Data})
	wantOut(t, out, "handoff general normal", "notice handoff_requested")
	if st.Mode != ModeWaiting || st.Node != "humain" {
		t.Fatalf("state %+v", st)
	}
	return st
}

func TestEmergencyWithHuman(t *testing.T) {
	f := loadMini(t)
	waitingSt := toHuman(t, f, "fr")
	humanSt, out := step(t, f, waitingSt, Input{Kind: InHumanJoined})
	wantOut(t, out, "notice human_joined")
	if humanSt.Mode != ModeHuman {
		t.Fatalf("mode %q", humanSt.Mode)
	}
	for _, st := range []State{waitingSt, humanSt} {
		next, out := alarm(t, f, st, "au secours, il a une arme")
		wantOut(t, out, "relay au secours, il a une arme", "alert", "message urgence")
		if out[2].Text != f.Nodes["urgence"].Rendered("fr") {
			t.Fatalf("emergency text %q", out[2].Text)
		}
		if next.Mode != st.Mode || next.Node != st.Node || !next.Urgent {
			t.Fatalf("state %+v", next)
		}
		next, out = step(t, f, st, Input{Kind: InEmergency})
		wantOut(t, out, "alert", "message urgence")
		if next.Mode != st.Mode || next.Node != st.Node || !next.Urgent {
			t.Fatalf("state %+v", next)
		}
		// Plain text only goes to the volunteer.
		next, out = text(t, f, st, "merci")
		wantOut(t, out, "relay merci")
		if !reflect.DeepEqual(next.Vars, st.Vars) || next.Mode != st.Mode || next.Node != st.Node {
			t.Fatalf("state %+v", next)
		}
		// The tree is paused.
		for _, in := range []Input{{Kind: InBack}, {Kind: InStart}, {Kind: InButton, Data: button(t, f, "humain", "fr", "Non")}} {
			next, out = step(t, f, st, in)
			wantOut(t, out, "notice with_human")
			if next.Mode != st.Mode || next.Node != st.Node {
				t.Fatalf("%+v: state %+v", in, next)
			}
		}
	}
	// Only a waiting person can be joined; the end resumes the tree.
	if _, out := step(t, f, humanSt, Input{Kind: InHumanJoined}); len(out) != 0 {
		t.Fatalf("joined twice: %q", summary(out))
	}
	st, out := step(t, f, humanSt, Input{Kind: InHumanDone})
	wantOut(t, out, "notice human_done", "message humain")
	if st.Mode != ModeFlow {
		t.Fatalf("mode %q", st.Mode)
	}
	if _, out := step(t, f, st, Input{Kind: InHumanDone}); len(out) != 0 {
		t.Fatalf("done twice: %q", summary(out))
	}
}

// routeEmergencyFlow sends emergencies through a route node.
const routeEmergencyFlow = `id: rte
languages: [fr]
start: accueil
emergency:
  goto: tri
  keywords:
    fr: [danger]
nodes:
  accueil:
    text: {fr: "Bonjour"}
    handoff: {category: general, confirm: {fr: "Parler"}}
    unavailable: enfance
    options:
      - {label: {fr: "Suite"}, set: {age: mineur}, goto: tri}
  tri:
    route:
      - {when: {age: mineur}, goto: enfance}
      - goto: urgence
  enfance:
    text: {fr: "Appelez le 119."}
    end: true
  urgence:
    text: {fr: "Appelez le 17."}
    end: true
`

func TestEmergencyThroughRouteWithHuman(t *testing.T) {
	f := mustLoad(t, routeEmergencyFlow, "resources: {}")
	st := start(t, f, "fr")
	st, out := tap(t, f, st, "Parler")
	wantOut(t, out, "handoff general normal", "notice handoff_requested")
	_, out = alarm(t, f, st, "danger")
	wantOut(t, out, "relay danger", "alert", "message urgence")
	if out[2].Text != "Appelez le 17." {
		t.Fatalf("emergency text %q", out[2].Text)
	}
	next, out := step(t, f, st, Input{Kind: InHumanDone})
	wantOut(t, out, "notice human_done", "message accueil")
	next, out = alarm(t, f, next, "danger")
	wantOut(t, out, "message urgence", "end urgence")
	if next.Node != "urgence" {
		t.Fatalf("state %+v", next)
	}
}

func TestHandoff(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = text(t, f, st, "13")
	st, _ = tap(t, f, st, "Parler")
	if st.Node != "humain" {
		t.Fatalf("node %s", st.Node)
	}
	ticket := Ticket{Category: "general", Priority: PriorityNormal, Lang: "fr", Answers: map[string]string{"arr": "13"}}
	for _, in := range []Input{
		{Kind: InButton, Data: f.Version + ":humain:h"},
		{Kind: InText, Text: "oui"},
		{Kind: InText, Text: " OUI !"},
		{Kind: InText, Text: "1"}, // the confirm button is shown first
	} {
		next, out := step(t, f, st, in)
		wantOut(t, out, "handoff general normal", "notice handoff_requested")
		if !reflect.DeepEqual(*out[0].Ticket, ticket) {
			t.Fatalf("%+v: ticket %+v", in, *out[0].Ticket)
		}
		if next.Mode != ModeWaiting || next.Node != "humain" {
			t.Fatalf("state %+v", next)
		}
		// The ticket is the person's answers at that time, not a view of the state.
		out[0].Ticket.Answers["arr"] = "changed"
		if st.Vars["arr"] != "13" || next.Vars["arr"] != "13" {
			t.Fatal("ticket shares the variables")
		}
	}
	// Typing the other option's number or label takes it.
	for _, s := range []string{"2", "non"} {
		next, out := text(t, f, st, s)
		wantOut(t, out, "message besoin")
		if next.Mode != ModeFlow {
			t.Fatalf("%q: mode %q", s, next.Mode)
		}
	}
	for _, s := range []string{"3", "0", "-1", "peut-être"} {
		_, out := text(t, f, st, s)
		wantOut(t, out, "notice use_buttons", "message humain")
	}
	// A person who went through the emergency node is always urgent.
	urgent, _ := alarm(t, f, st, "danger")
	urgent, _ = tap(t, f, urgent, "Continuer")
	urgent, _ = tap(t, f, urgent, "Parler")
	_, out := tap(t, f, urgent, "Oui")
	wantOut(t, out, "handoff general urgent", "notice handoff_requested")
	// The handoff button in Arabic, typed.
	ar, _ := step(t, f, st, Input{Kind: InLanguage, Lang: "ar"})
	_, out = text(t, f, ar, "نعم")
	wantOut(t, out, "handoff general normal", "notice handoff_requested")
	if out[0].Ticket.Lang != "ar" {
		t.Fatalf("ticket lang %q", out[0].Ticket.Lang)
	}
}

func TestHandoffPriority(t *testing.T) {
	const flowYAML = `id: prio
languages: [fr]
start: accueil
emergency:
  goto: urgence
  keywords: {fr: [danger]}
nodes:
  accueil:
    text: {fr: "Bonjour"}
    handoff: {category: legal, priority: high, confirm: {fr: "Parler"}}
    unavailable: urgence
  urgence:
    text: {fr: "Appelez le 17."}
    options:
      - {label: {fr: "Menu"}, goto: accueil}
`
	f := mustLoad(t, flowYAML, "resources: {}")
	st := start(t, f, "fr")
	_, out := tap(t, f, st, "Parler")
	wantOut(t, out, "handoff legal high", "notice handoff_requested")
	if len(out[0].Ticket.Answers) != 0 {
		t.Fatalf("answers %v", out[0].Ticket.Answers)
	}
	st, _ = step(t, f, st, Input{Kind: InEmergency})
	st, _ = tap(t, f, st, "Menu")
	_, out = text(t, f, st, "1")
	wantOut(t, out, "handoff legal urgent", "notice handoff_requested")
}

func TestInput(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	retry := []string{"99", "0", "", "   ", "treize", "1 3", "13e", "١٧"}
	for _, s := range retry {
		next, out := text(t, f, st, s)
		wantOut(t, out, "message quartier")
		if out[0].Text != "Un nombre de 1 à 16." || len(out[0].Buttons) != 1 || !out[0].Back {
			t.Fatalf("%q: retry %+v", s, out[0])
		}
		if next.Node != "quartier" || next.Vars != nil {
			t.Fatalf("%q: state %+v", s, next)
		}
	}
	for _, tc := range []struct{ in, want string }{{"13", "13"}, {"  7\n", "7"}, {"16", "16"}, {"١٣", "13"}, {"۱۶", "16"}} {
		next, out := text(t, f, st, tc.in)
		wantOut(t, out, "message besoin")
		if next.Vars["arr"] != tc.want || len(next.Vars) != 1 {
			t.Fatalf("%q: vars %v", tc.in, next.Vars)
		}
	}
	// Skip: the button, or its label typed (any case, accents or not).
	for _, in := range []Input{
		{Kind: InButton, Data: f.Version + ":quartier:s"},
		{Kind: InText, Text: "Je préfère ne pas dire"},
		{Kind: InText, Text: "je prefere ne pas dire"},
	} {
		next, out := step(t, f, st, in)
		wantOut(t, out, "message besoin")
		if next.Vars != nil || !slices.Equal(next.History, []string{"accueil", "quartier"}) {
			t.Fatalf("%+v: state %+v", in, next)
		}
	}
	// Too long: refused before the pattern is even tried.
	for _, s := range []string{strings.Repeat("1", MaxInputRunes+1), strings.Repeat("ب", MaxInputRunes+1)} {
		next, out := text(t, f, st, s)
		wantOut(t, out, "notice too_long", "message quartier")
		if next.Node != "quartier" || next.Vars != nil {
			t.Fatalf("state %+v", next)
		}
	}
	// 64 Arabic letters are 128 bytes but not too long: the pattern decides.
	_, out := text(t, f, st, strings.Repeat("ب", MaxInputRunes))
	wantOut(t, out, "message quartier")
	if out[0].Text != "Un nombre de 1 à 16." {
		t.Fatalf("not a retry: %q", out[0].Text)
	}
}

func TestInputWithoutPattern(t *testing.T) {
	const flowYAML = `id: libre
languages: [fr]
start: prenom
emergency:
  goto: urgence
  keywords: {fr: [danger]}
nodes:
  prenom:
    text: {fr: "Votre prénom ?"}
    input: {var: prenom, retry: {fr: "Votre prénom, s'il vous plaît."}}
    next: merci
  merci:
    text: {fr: "Merci."}
    end: true
  urgence:
    text: {fr: "Appelez le 17."}
    end: true
`
	f := mustLoad(t, flowYAML, "resources: {}")
	st := start(t, f, "fr")
	_, out := text(t, f, st, "  ")
	wantOut(t, out, "message prenom")
	if out[0].Text != "Votre prénom, s'il vous plaît." || out[0].Buttons != nil {
		t.Fatalf("retry %+v", out[0])
	}
	next, out := text(t, f, st, " Amina ")
	wantOut(t, out, "message merci", "end merci")
	if next.Vars["prenom"] != "Amina" {
		t.Fatalf("vars %v", next.Vars)
	}
	// Writing after the end starts again, in the same language.
	next, out = text(t, f, next, "encore")
	wantOut(t, out, "message prenom")
	if next.Node != "prenom" || next.Lang != "fr" || len(next.History) != 0 {
		t.Fatalf("state %+v", next)
	}
}

const routeFlow = `id: route
languages: [fr, ar]
start: age
emergency:
  goto: urgence
  keywords: {fr: [danger], ar: [خطر]}
nodes:
  age:
    text: {fr: "Votre âge ?", ar: "عمرك؟"}
    options:
      - {label: {fr: "Moins de 18 ans", ar: "أقل من 18"}, set: {age: mineur}, goto: besoin}
      - {label: {fr: "18 ans ou plus", ar: "18 أو أكثر"}, set: {age: majeur}, goto: besoin}
      - {label: {fr: "Je ne sais pas", ar: "لا أعرف"}, goto: besoin}
  besoin:
    text: {fr: "Votre besoin ?", ar: "حاجتك؟"}
    options:
      - {label: {fr: "Psy", ar: "نفسي"}, set: {need: psy}, goto: tri}
      - {label: {fr: "Juridique", ar: "قانوني"}, set: {need: legal}, goto: tri}
      - {label: {fr: "Plainte", ar: "شكوى"}, set: {need: plainte}, goto: tri}
      - {label: {fr: "Autre", ar: "آخر"}, set: {need: autre}, goto: tri}
  tri:
    route:
      - {when: {need: psy, age: mineur}, goto: enfance}
      - {when: {need: psy}, goto: psy}
      - {when: {need: [legal, plainte]}, goto: juridique}
      - goto: general
  enfance:
    text: {fr: "Le 119.", ar: "119."}
    end: true
  psy:
    text: {fr: "Un psy.", ar: "طبيب نفسي."}
    end: true
  juridique:
    text: {fr: "Le 3039.", ar: "3039."}
    end: true
  general:
    text: {fr: "Au revoir.", ar: "مع السلامة."}
    end: true
  urgence:
    text: {fr: "Le 17.", ar: "17."}
    end: true
`

func TestRouteByVariables(t *testing.T) {
	f := mustLoad(t, routeFlow, "resources: {}")
	for _, tc := range []struct{ age, need, want string }{
		{"Moins de 18 ans", "Psy", "enfance"},
		{"18 ans ou plus", "Psy", "psy"},
		{"Je ne sais pas", "Psy", "psy"},
		{"Moins de 18 ans", "Juridique", "juridique"},
		{"18 ans ou plus", "Plainte", "juridique"},
		{"Moins de 18 ans", "Autre", "general"},
		{"Je ne sais pas", "Autre", "general"},
	} {
		st := start(t, f, "fr")
		st, _ = tap(t, f, st, tc.age)
		st, out := tap(t, f, st, tc.need)
		wantOut(t, out, "message "+tc.want, "end "+tc.want)
		if st.Node != tc.want || !slices.Equal(st.History, []string{"age", "besoin"}) {
			t.Errorf("%s/%s: state %+v", tc.age, tc.need, st)
		}
	}
}

func TestLongChainOfMessages(t *testing.T) {
	// More messages in a row than any fixed bound: all are shown, in order.
	const n = 200
	var b strings.Builder
	b.WriteString("id: chain\nlanguages: [fr]\nstart: m0\nemergency: {goto: fin, keywords: {fr: [danger]}}\nnodes:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  m%d: {text: {fr: \"Message %d\"}, next: m%d}\n", i, i, i+1)
	}
	fmt.Fprintf(&b, "  m%d: {text: {fr: \"Fin\"}, end: true}\n  fin: {text: {fr: \"Urgence\"}, end: true}\n", n)
	f := mustLoad(t, b.String(), "resources: {}")
	st, out := step(t, f, State{}, Input{Kind: InStart})
	if len(out) != n+2 || st.Node != fmt.Sprintf("m%d", n) {
		t.Fatalf("%d outputs, node %s", len(out), st.Node)
	}
	for i := 0; i < n; i++ {
		if out[i].Text != fmt.Sprintf("Message %d", i) || out[i].Buttons != nil {
			t.Fatalf("output %d: %+v", i, out[i])
		}
	}
}

func TestNextChainsOutputs(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	st, _ = tap(t, f, st, "Oui")
	st, _ = text(t, f, st, "13")
	st, out := tap(t, f, st, "Psy")
	wantOut(t, out, "message info", "message fin", "end fin")
	if out[0].Text != "Voici de l'aide.\n\n▪️ SAMU\n☎️ 15" || out[0].Buttons != nil {
		t.Fatalf("info %+v", out[0])
	}
	if out[1].Text != "Prenez soin de vous." || !out[1].Back {
		t.Fatalf("fin %+v", out[1])
	}
	if st.Node != "fin" || !slices.Equal(st.History, []string{"accueil", "quartier", "besoin"}) || st.Vars["need"] != "psy" {
		t.Fatalf("state %+v", st)
	}
	_, out = text(t, f, st, "merci")
	wantOut(t, out, "message accueil")
}

func TestOptionByText(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "fr")
	for _, tc := range []struct{ in, want string }{
		{"1", "quartier"}, {" 2 ", "urgence"}, {"oui", "quartier"}, {"OUI", "quartier"},
		{"Non.", "urgence"}, {"non !", "urgence"},
	} {
		next, out := text(t, f, st, tc.in)
		wantOut(t, out, "message "+tc.want)
		if next.Node != tc.want {
			t.Fatalf("%q: state %+v", tc.in, next)
		}
	}
	for _, s := range []string{"0", "3", "-1", "oui non", "ouii", "", "   ", "!!!"} {
		next, out := text(t, f, st, s)
		wantOut(t, out, "notice use_buttons", "message accueil")
		if next.Node != "accueil" {
			t.Fatalf("%q: state %+v", s, next)
		}
	}
	ar := start(t, f, "ar")
	next, out := text(t, f, ar, "لا")
	wantOut(t, out, "message urgence")
	if next.Node != "urgence" {
		t.Fatalf("state %+v", next)
	}
	// Labels of the other language are not options.
	_, out = text(t, f, ar, "oui")
	wantOut(t, out, "notice use_buttons", "message accueil")
}

// cloneState is a deep copy, including the spare capacity of History.
func cloneState(s State) State {
	c := s
	if s.History != nil {
		c.History = append(make([]string, 0, cap(s.History)), s.History[:cap(s.History)]...)[:len(s.History)]
	}
	if s.Vars != nil {
		c.Vars = make(map[string]string, len(s.Vars))
		for k, v := range s.Vars {
			c.Vars[k] = v
		}
	}
	return c
}

func sameState(a, b State) bool {
	return reflect.DeepEqual(a, b) && cap(a.History) == cap(b.History) &&
		slices.Equal(a.History[:cap(a.History)], b.History[:cap(b.History)])
}

// TestStepKeepsStateIntact: Step never writes into the state it is given:
// not its fields, not the Vars map, not the History backing array, even with
// spare capacity that an append could use.
func TestStepKeepsStateIntact(t *testing.T) {
	f := loadMini(t)
	states := map[string]State{}
	st := start(t, f, "fr")
	states["start"] = st
	st, _ = tap(t, f, st, "Oui")
	states["input"] = st
	st, _ = text(t, f, st, "13")
	states["options"] = st
	st, _ = tap(t, f, st, "Parler")
	states["handoff"] = st
	w, _ := tap(t, f, st, "Oui")
	states["waiting"] = w
	h, _ := step(t, f, w, Input{Kind: InHumanJoined})
	states["human"] = h
	st, _ = tap(t, f, st, "Non")
	st, _ = tap(t, f, st, "Psy")
	states["end"] = st
	old := st
	old.Version = "deadbeef"
	states["old version"] = old
	full := states["options"]
	for len(full.History) < MaxHistory {
		full, _ = tap(t, f, full, map[string]string{"besoin": "Parler", "humain": "Non"}[full.Node])
	}
	states["full history"] = full

	inputs := []Input{
		{Kind: InStart, Lang: "ar"}, {Kind: InBack}, {Kind: InRestart}, {Kind: InLanguage, Lang: "ar"},
		{Kind: InEmergency}, {Kind: InHumanJoined}, {Kind: InHumanDone},
		{Kind: InText, Text: "13"}, {Kind: InText, Text: "1"}, {Kind: InText, Text: "2"}, {Kind: InText, Text: "danger"},
		{Kind: InText, Text: "je préfère ne pas dire"}, {Kind: InText, Text: "bla"},
		{Kind: InButton, Data: "garbage"},
	}
	for _, n := range f.Nodes {
		for _, lang := range f.Languages {
			for _, b := range n.Buttons(lang) {
				inputs = append(inputs, Input{Kind: InButton, Data: b.Data})
			}
		}
	}
	for name, st := range states {
		// Room to grow in place, and a map that could be written to.
		h := make([]string, len(st.History), len(st.History)+8)
		copy(h, st.History)
		for i := len(h); i < cap(h); i++ {
			h[:cap(h)][i] = "spare"
		}
		st.History = h
		if st.Vars == nil {
			st.Vars = map[string]string{}
		}
		for _, in := range inputs {
			before := cloneState(st)
			step(t, f, st, in)
			if !sameState(st, before) {
				t.Fatalf("%s, %+v: state modified\nbefore %+v\n after %+v", name, in, before, st)
			}
		}
	}
}

func TestStateJSONRoundTrip(t *testing.T) {
	f := loadMini(t)
	st := start(t, f, "ar")
	st, _ = tap(t, f, st, "نعم")
	st, _ = text(t, f, st, "13")
	st, _ = alarm(t, f, st, "خطر")
	st, _ = tap(t, f, st, "متابعة")
	st, _ = tap(t, f, st, "التحدث")
	st, _ = tap(t, f, st, "نعم")
	if st.Mode != ModeWaiting || !st.Urgent || len(st.History) == 0 || len(st.Vars) == 0 {
		t.Fatalf("state not rich enough for the test: %+v", st)
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, st) {
		t.Fatalf("round trip\n got %+v\nwant %+v\njson %s", back, st, data)
	}
	// The same steps follow from the original and from the copy.
	for _, in := range []Input{{Kind: InHumanDone}, {Kind: InText, Text: "x"}, {Kind: InRestart}} {
		a, outA, _ := Step(f, st, in, t0)
		b, outB, _ := Step(f, back, in, t0)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(outA, outB) {
			t.Fatalf("%+v: diverged\n%+v %q\n%+v %q", in, a, summary(outA), b, summary(outB))
		}
	}
	// The zero state is empty JSON.
	if data, _ := json.Marshal(State{}); string(data) != "{}" {
		t.Fatalf("zero state: %s", data)
	}
}
