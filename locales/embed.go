// Package locales holds the bot's own words (not the flows' texts) in French,
// Arabic and, for admin tools only, English: go-i18n TOML files named
// <topic>.<lang>.toml (active.<lang>.toml holds what families read).
package locales

import "embed"

// FS holds every *.<lang>.toml.
//
//go:embed *.toml
var FS embed.FS
