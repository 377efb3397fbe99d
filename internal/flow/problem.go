package flow

import (
	"fmt"
	"sort"
	"strings"
)

// Severity tells whether a problem blocks a flow (Error) or is only reported
// to the admins (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

// Code identifies a kind of problem. Each code has a translated message and a
// hint in locales/ ("flow.<code>" and "flow.<code>.hint"), so a problem can be
// shown to an admin in French, Arabic or English.
type Code string

// The problem codes. Their wording lives in locales/.
const (
	CodeYAMLSyntax         Code = "yaml_syntax"
	CodeUnknownKey         Code = "unknown_key"
	CodeMissingKey         Code = "missing_key"
	CodeWrongType          Code = "wrong_type"
	CodeDuplicateKey       Code = "duplicate_key"
	CodeBadID              Code = "bad_id"
	CodeUnknownLanguage    Code = "unknown_language"
	CodeDuplicateLanguage  Code = "duplicate_language"
	CodeMissingTranslation Code = "missing_translation"
	CodeEmptyText          Code = "empty_text"
	CodeDanglingGoto       Code = "dangling_goto"
	CodeUnreachable        Code = "unreachable_node"
	CodeNoWayOut           Code = "no_way_out"
	CodeConflictingKinds   Code = "conflicting_kinds"
	CodeOptionsAndNext     Code = "options_and_next"
	CodeLabelTooLong       Code = "label_too_long"
	CodeCallbackTooLong    Code = "callback_too_long"
	CodeTextTooLong        Code = "text_too_long"
	CodeUnknownResource    Code = "unknown_resource"
	CodeBadPattern         Code = "bad_pattern"
	CodeTooManyNodes       Code = "too_many_nodes"
	CodeTooManyOptions     Code = "too_many_options"
	CodeRouteNoDefault     Code = "route_no_default"
	CodeRouteDefaultEarly  Code = "route_default_not_last"
	CodeAutoCycle          Code = "auto_cycle"
	CodeBadPriority        Code = "bad_priority"
	CodeBadCategory        Code = "bad_category"
	CodeBadValue           Code = "bad_value"
	CodeBadDate            Code = "bad_date"
	CodeBadPhone           Code = "bad_phone"
	CodeBadLink            Code = "bad_link"
	CodeNoKeywords         Code = "no_keywords"
	CodeEmergencyForms     Code = "emergency_two_forms"
	CodeUnverified         Code = "unverified_resource"
	CodeIncompleteResource Code = "incomplete_resource"
	CodeRTLDigits          Code = "rtl_digit_groups"
	CodeNotBool            Code = "not_bool"
)

// Problem is one finding of the validator, located in a file.
type Problem struct {
	File     string
	Line     int
	Col      int
	Severity Severity
	Code     Code
	// Args fill the placeholders of the translated message ({{.Node}}, ...).
	Args map[string]string
}

// Error renders the problem in English for developers and logs; admins see the
// translated form rendered by the i18n package.
func (p Problem) Error() string {
	keys := make([]string, 0, len(p.Args))
	for k := range p.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", p.File, p.Line, p.Col, p.Code)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%q", k, p.Args[k])
	}
	return b.String()
}

// Problems is the full list of findings of one load, errors and warnings.
type Problems []Problem

// Errors returns only the blocking problems.
func (ps Problems) Errors() Problems { return ps.filter(Error) }

// Warnings returns only the non-blocking problems.
func (ps Problems) Warnings() Problems { return ps.filter(Warning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Sort orders problems by file, line and column, so the output reads top-down.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error makes Problems usable as an error when it holds at least one error.
func (ps Problems) Error() string {
	errs := ps.Errors()
	lines := make([]string, len(errs))
	for i, p := range errs {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}
