// Package flow is the core of Boussole: the YAML decision trees (loading and
// strict validation) and the pure engine that walks a person through them.
//
// Nothing here does I/O, logs or reads the clock: Load turns bytes into a
// validated *Flow (or a list of located Problems), and Step turns a State and
// an Input into the next State and the Outputs the caller must deliver. The
// caller (the console, the Telegram runtime) applies the outputs.
package flow
