package flow

// Mode is who the person is talking to.
type Mode string

const (
	// ModeFlow: the tree answers.
	ModeFlow Mode = ""
	// ModeWaiting: the person asked for a human and waits in the queue.
	ModeWaiting Mode = "waiting"
	// ModeHuman: a volunteer holds the conversation; the tree is paused.
	ModeHuman Mode = "human"
)

// State is where one person is in a flow. It is small and serialisable, and
// Step never keeps a reference to it: the caller owns it.
type State struct {
	Flow    string            `json:"f,omitempty"`
	Version string            `json:"v,omitempty"`
	Node    string            `json:"n,omitempty"`
	History []string          `json:"h,omitempty"` // waiting nodes left, newest last, at most MaxHistory
	Vars    map[string]string `json:"x,omitempty"`
	Lang    string            `json:"l,omitempty"`
	Mode    Mode              `json:"m,omitempty"`
	Urgent  bool              `json:"u,omitempty"` // went through the emergency node
	Resume  string            `json:"r,omitempty"` // the node the emergency interrupted, to resume from
	Steps   int               `json:"s,omitempty"`
	At      int64             `json:"t,omitempty"` // unix seconds of the last step
}

// Started reports whether the state is inside a flow.
func (s State) Started() bool { return s.Node != "" }
