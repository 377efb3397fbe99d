package i18n

import (
	"fmt"

	"github.com/boussole/boussole/internal/flow"
)

// Problem renders a validation problem for an admin in lang:
// "file:line:col: message" and, on the next line, what to do.
func (b *Bundle) Problem(lang string, p flow.Problem) string {
	id := "flow_" + string(p.Code)
	msg := b.T(lang, id, p.Args)
	if p.Severity == flow.Warning {
		msg = b.T(lang, "severity_warning", map[string]string{"message": msg})
	}
	hint := b.T(lang, id+"_hint", p.Args)
	return fmt.Sprintf("%s:%d:%d: %s\n    → %s", p.File, p.Line, p.Col, msg, hint)
}
