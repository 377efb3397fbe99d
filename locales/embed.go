// Package locales holds the bot's own words (not the flows' texts) in French,
// Arabic and, for admin tools only, English: one go-i18n TOML file per language.
package locales

import "embed"

// FS holds active.*.toml.
//
//go:embed active.*.toml
var FS embed.FS
