// Package conversation is the application layer between a person and the
// flow engine: it turns what the engine outputs into the replies the person
// reads, and (with a store and a sender) runs one update end to end.
package conversation
