package flow

// InputKind is what the person did.
type InputKind int

const (
	InStart       InputKind = iota // first contact or /start; Lang may carry the client's language
	InButton                       // a button was tapped; Data holds its callback data
	InText                         // free text; Text holds it
	InBack                         // go back one step
	InRestart                      // start the flow again (leaves a human conversation)
	InLanguage                     // switch language; Lang holds it
	InEmergency                    // the emergency command, or a free text triage found alarming (Class, Text)
	InHumanJoined                  // a volunteer took the conversation
	InHumanDone                    // the human conversation ended: the tree resumes
)

// Input is one event from the person (or, for InHuman*, from the handoff desk).
type Input struct {
	Kind InputKind
	Data string
	Text string
	Lang string
	// Class is the class of alarm of an InEmergency input ("" for the
	// /urgence command: the default class); Text then holds the message,
	// relayed to the volunteer in a human conversation.
	Class string
}

// OutputKind is what the caller must do.
type OutputKind int

const (
	OutMessage  OutputKind = iota // show a node: Text and Buttons
	OutNotice                     // say something in the bot's own words: Notice
	OutHandoff                    // open a ticket for a human: Ticket
	OutCancel                     // the person left the human conversation: close their ticket
	OutRelay                      // pass Text to the volunteer
	OutAlert                      // tell the volunteer the person wrote an emergency keyword
	OutEnd                        // the flow reached an end node
	OutErase                      // erase the conversation (an erase node): as /effacer, nothing shown
	OutAteliers                   // show the association's coming sessions after the node's message: Node, Need
)

// Notice names a situation the bot explains in its own words (locales/).
type Notice string

const (
	NoticeMenuChanged      Notice = "menu_changed"      // stale or unknown button
	NoticeUseButtons       Notice = "use_buttons"       // free text where a choice is expected
	NoticeFlowUpdated      Notice = "flow_updated"      // a new version of the flow has lost the person's screen: they are at the menu
	NoticeNoBack           Notice = "no_back"           // nothing to go back to
	NoticeLangUnavailable  Notice = "lang_unavailable"  // flow not written in that language
	NoticeHandoffRequested Notice = "handoff_requested" // ticket opened, someone will answer
	NoticeWithHuman        Notice = "with_human"        // the tree is paused during a handoff
	NoticeHumanJoined      Notice = "human_joined"      // a volunteer is here
	NoticeHumanDone        Notice = "human_done"        // the human conversation ended
	NoticeTooLong          Notice = "too_long"          // an answer longer than an input accepts
)

// Output is one effect of a step, for the caller to deliver. Buttons is shared
// with the flow: read it, never modify it.
type Output struct {
	Kind    OutputKind
	Node    string
	Text    string
	Buttons []Button
	Back    bool // a step back is possible from here
	Notice  Notice
	Ticket  *Ticket
	// Need is, for OutAteliers, the person's "need" variable (psy, deuil,
	// menace…; "" when they chose none): the sessions shown are those that
	// suit it. It follows the OutMessage of a node with ateliers: true.
	Need string
}

// NeedVar is the variable that holds the need a person chose in the menu;
// OutAteliers carries it so the sessions shown suit it.
const NeedVar = "need"

// Ticket is a request for a human: what a volunteer needs to know, and no
// more. Answers holds the variables the person chose to give, not a transcript.
type Ticket struct {
	Category string
	Priority Priority
	Lang     string
	Answers  map[string]string
}
