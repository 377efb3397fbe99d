package flow

import "strings"

const versionLen = 8

// callbackData is what a button carries: the flow version, the node it was
// shown on and which button it is ("0".."7", "s" skip, "h" confirm handoff).
// A tap is only honoured on the same version and node, so an old button can
// never move the person somewhere unexpected.
func callbackData(version, node, key string) string {
	return version + ":" + node + ":" + key
}

// parseCallback splits callback data; ok is false for anything malformed
// (including forged data).
func parseCallback(data string) (version, node, key string, ok bool) {
	version, rest, ok1 := strings.Cut(data, ":")
	node, key, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || len(version) != versionLen || node == "" || key == "" {
		return "", "", "", false
	}
	return version, node, key, true
}

// Global buttons: not tied to a node, valid whatever the flow version.
const (
	ButtonBack    = "g:back"
	ButtonRestart = "g:restart"
	// ButtonEmergency is the 🆘 button shown on every screen.
	ButtonEmergency = "g:sos"
	buttonLang      = "g:lang:"
)

// ButtonLanguage is the data of a button that switches to lang.
func ButtonLanguage(lang string) string { return buttonLang + lang }

// ButtonInput turns callback data into an Input: a global button, or a node's
// button (checked against the state by Step).
func ButtonInput(data string) Input {
	switch {
	case data == ButtonBack:
		return Input{Kind: InBack}
	case data == ButtonRestart:
		return Input{Kind: InRestart}
	case data == ButtonEmergency:
		return Input{Kind: InEmergency}
	case strings.HasPrefix(data, buttonLang):
		return Input{Kind: InLanguage, Lang: strings.TrimPrefix(data, buttonLang)}
	}
	return Input{Kind: InButton, Data: data}
}
