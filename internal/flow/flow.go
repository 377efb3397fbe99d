package flow

import "regexp"

// Limits of a flow, checked at load. They keep every message readable on a
// phone and every button within what Telegram accepts.
const (
	MaxNodes        = 5000
	MaxOptions      = 9
	MaxLabelRunes   = 40
	MaxCallbackData = 64
	MaxMessageRunes = 4096
	MaxValueLen     = 64
	MaxInputRunes   = 64
	MaxHistory      = 16
)

// Languages the product speaks. A flow declares a subset of them.
var knownLanguages = []string{"fr", "ar"}

// Text is a translated string: language code → text.
type Text map[string]string

// Kind is what a node does.
type Kind string

const (
	KindMessage Kind = "message"
	KindInput   Kind = "input"
	KindRoute   Kind = "route"
	KindHandoff Kind = "handoff"
	KindEnd     Kind = "end"
	KindErase   Kind = "erase" // erases the conversation, as /effacer does, and shows nothing
)

// Priority of a handoff ticket.
type Priority string

const (
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Flow is a validated decision tree, ready for Step. It is immutable once
// loaded and safe to share between goroutines.
type Flow struct {
	ID        string
	Version   string // hash of the flow and resource files
	Languages []string
	Start     string
	// Menu is where a person whose screen disappeared in a new version of
	// the flow lands (the start when empty): never the first questions again.
	Menu      string
	Emergency Emergency
	Nodes     map[string]*Node
	Resources map[string]*Resource

	// order is the node ids in the order of the file.
	order []string

	// noDesk: no volunteer desk answers; every handoff node leads to its
	// Unavailable node instead (see WithoutDesk).
	noDesk bool
}

// WithoutDesk returns the flow as a bot without a volunteer desk runs it:
// entering a handoff node, whatever the way (a button, a route, back, a
// resumed emergency, a state saved while the desk answered), leads to its
// unavailable node instead, so no screen ever offers a person who will not
// come. The copy shares the nodes, which are never modified, and keeps the
// version: switching the desk on or off does not restart anyone.
func (f *Flow) WithoutDesk() *Flow {
	if f.noDesk {
		return f
	}
	c := *f
	c.noDesk = true
	return &c
}

// Deskless reports whether the flow runs without a volunteer desk.
func (f *Flow) Deskless() bool { return f.noDesk }

// Emergency says where a cry for help leads. internal/triage decides
// whether a free text is one and of which class; the flow declares, per
// class, the node it leads to and the terms the admins add to the built-in
// lexicon. The engine only follows: Step never reads free text for alarms.
type Emergency struct {
	Classes []EmergencyClass // in the order of the file
}

// EmergencyClass is one kind of alarm (danger, suicide…).
type EmergencyClass struct {
	Name  string
	Goto  string
	Terms map[string][]string // writing (fr, ar, latin) → terms as written
}

// DefaultClass is where the /urgence command leads, and a class the flow does
// not declare.
const DefaultClass = "danger"

// Target returns the node of a class, or of the default class when the flow
// does not declare it.
func (e Emergency) Target(class string) string {
	def := ""
	for _, c := range e.Classes {
		if c.Name == class {
			return c.Goto
		}
		if c.Name == DefaultClass || def == "" {
			def = c.Goto
		}
	}
	return def
}

// Lexicon returns the admins' terms as plain data: class → writing → terms.
func (e Emergency) Lexicon() map[string]map[string][]string {
	out := make(map[string]map[string][]string, len(e.Classes))
	for _, c := range e.Classes {
		out[c.Name] = c.Terms
	}
	return out
}

// Node is one step of the tree.
type Node struct {
	ID        string
	Kind      Kind
	Text      Text
	Resources []string
	Options   []Option
	Next      string
	Ask       *Ask
	Skip      Text
	Routes    []Route
	Handoff   *Handoff
	// Unavailable is where a handoff node leads when no volunteer desk
	// answers (see WithoutDesk): a screen that gives the lines open now.
	Unavailable string
	// Ateliers: a message node that shows the association's coming
	// sessions (ateliers de parole, support groups, permanences) after its
	// text, which introduces them. Step emits an OutAteliers output after
	// the node's OutMessage; the caller fetches and shows the sessions.
	Ateliers bool

	// Rendered per language at load, so Step allocates nothing to show a node.
	rendered map[string]string
	buttons  map[string][]Button
	folded   map[string][]string // the button labels normalized, for labels typed out
}

// Option is a button of a message or handoff node. An option with Resume
// takes a person who was sent to the emergency node (by a keyword, the
// command or the 🆘 button) back to where they were; otherwise, and for
// anyone who chose the emergency node from the flow, it goes to Goto.
type Option struct {
	Label  Text
	Set    map[string]string
	Goto   string
	Resume bool
}

// Ask reads free text into a variable (the input key of a node).
type Ask struct {
	Var     string
	Pattern *regexp.Regexp
	Retry   Text
	// Type is a built-in kind of answer ("arrondissement"): the answer is
	// read leniently, and anything else means "prefer not to say": the
	// person moves on, never asked again, never told the answer is wrong.
	Type string
}

// Built-in answer types of an input node.
const TypeArrondissement = "arrondissement"

// Route is one branch of a route node. An empty When always holds.
type Route struct {
	When map[string][]string
	Goto string
}

// Categories are the needs a handoff ticket can be about: the volunteers'
// cards and queue name them (locales: desk_cat_<category>).
var Categories = []string{"psy", "medical", "legal", "deuil", "menace", "general"}

// Handoff asks for a human volunteer.
type Handoff struct {
	Category string
	Priority Priority
	Confirm  Text
}

// Button is an inline button as the person sees it.
type Button struct {
	Label string `json:"l"`
	Data  string `json:"d"`
}

// HasLanguage reports whether the flow is written in lang.
func (f *Flow) HasLanguage(lang string) bool {
	for _, l := range f.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Rendered returns the full text of a node in lang: its text followed by its
// resource cards. It is the exact text the person reads.
func (n *Node) Rendered(lang string) string { return n.rendered[lang] }

// Buttons returns the node's buttons in lang, with their callback data.
func (n *Node) Buttons(lang string) []Button { return n.buttons[lang] }

// EmergencyNode reports whether id is where a class of alarm leads: replies
// that show it go ahead of every other message.
func (f *Flow) EmergencyNode(id string) bool {
	for _, c := range f.Emergency.Classes {
		if id != "" && id == c.Goto {
			return true
		}
	}
	return false
}
