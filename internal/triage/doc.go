// Package triage tells whether one free-text message is a cry for help, of
// which class (danger, suicide…), and why.
//
// It reads French, Arabic script and Darija written in Latin letters
// (Arabizi, with 3/7/9/5/2 for Arabic sounds), and mixtures of them typed in
// a hurry. A message is normalised (case, accents, Arabic diacritics and
// letter variants, repeated letters, SMS contractions), cut into words, and
// each word is matched against a lexicon through light morphology: French
// inflections, Arabic clitics and suffixes, Darija consonant skeletons, and a
// one-letter tolerance on long French words. Phrases match words in order
// with small gaps. A negation just before a term ("pas urgent", «ماشي خطر»)
// cancels it; a minimiser anywhere ("rien de grave", "juste une question")
// cancels the weak terms; known harmless senses ("menacée d'expulsion",
// «قلم رصاص») cancel the terms they contain.
//
// The built-in lexicon and rules live here; the admins' terms, declared per
// class in the flow, extend them. The package is pure: no I/O, no logging,
// and it imports nothing of the project.
package triage
