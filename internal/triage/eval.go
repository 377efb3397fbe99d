package triage

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Labels of a corpus line besides the class names: none (an ordinary
// message) and hard (a harmless message with alarming words).
const (
	LabelNone = "none"
	LabelHard = "hard"
)

// Sample is one labelled message of a corpus.
type Sample struct {
	Label, Writing, Text string
	Line                 int
}

// ReadCorpus reads "label<TAB>writing<TAB>message" lines; blank lines and
// lines starting with # are skipped.
func ReadCorpus(r io.Reader) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want label<TAB>writing<TAB>message", n)
		}
		out = append(out, Sample{Label: f[0], Writing: f[1], Text: f[2], Line: n})
	}
	return out, sc.Err()
}

// Report is the result of classifying a labelled corpus.
type Report struct {
	// Count[writing][label][class]: how many messages of that writing and
	// label got that class ("" for none). Writing "all" sums the others.
	Count map[string]map[string]map[string]int
	// Errors lists the misclassified samples.
	Errors []Error
}

// Error is one misclassified sample.
type Error struct {
	Sample
	Got Match
}

// Evaluate classifies every sample.
func Evaluate(c *Classifier, samples []Sample) Report {
	r := Report{Count: map[string]map[string]map[string]int{}}
	inc := func(w, label, class string) {
		if r.Count[w] == nil {
			r.Count[w] = map[string]map[string]int{}
		}
		if r.Count[w][label] == nil {
			r.Count[w][label] = map[string]int{}
		}
		r.Count[w][label][class]++
	}
	for _, s := range samples {
		m := c.Classify(s.Text)
		inc(s.Writing, s.Label, m.Class)
		inc("all", s.Label, m.Class)
		alarm := s.Label != LabelNone && s.Label != LabelHard
		if alarm && m.Class != s.Label || !alarm && m.Class != "" {
			r.Errors = append(r.Errors, Error{s, m})
		}
	}
	return r
}

// Rate is a number of messages out of a total.
type Rate struct{ N, Of int }

// Percent is N/Of in percent (0 when Of is 0).
func (r Rate) Percent() float64 {
	if r.Of == 0 {
		return 0
	}
	return 100 * float64(r.N) / float64(r.Of)
}

func (r Rate) String() string {
	if r.Of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %% (%d/%d)", r.Percent(), r.N, r.Of)
}

// Recall is the share of alarms of a class caught as any alarm, for one
// writing ("all" for every writing): a message of danger sent to the
// suicide screen still reaches the numbers to call.
func (r Report) Recall(writing, class string) Rate {
	var rate Rate
	for got, n := range r.Count[writing][class] {
		rate.Of += n
		if got != "" {
			rate.N += n
		}
	}
	return rate
}

// Exact is the share of alarms of a class caught as that class.
func (r Report) Exact(writing, class string) Rate {
	var rate Rate
	for got, n := range r.Count[writing][class] {
		rate.Of += n
		if got == class {
			rate.N += n
		}
	}
	return rate
}

// FalseAlarms is the share of messages with a label (none or hard) caught as
// an alarm.
func (r Report) FalseAlarms(writing, label string) Rate {
	return r.Recall(writing, label)
}

// Writings returns the writings of the report, "all" last.
func (r Report) Writings() []string {
	var ws []string
	for w := range r.Count {
		if w != "all" {
			ws = append(ws, w)
		}
	}
	sort.Strings(ws)
	return append(ws, "all")
}

// Alarms returns the alarm labels of the report, sorted.
func (r Report) Alarms() []string {
	set := map[string]bool{}
	for _, byLabel := range r.Count {
		for l := range byLabel {
			if l != LabelNone && l != LabelHard {
				set[l] = true
			}
		}
	}
	var out []string
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Write prints the confusion matrix and the rates per writing.
func (r Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	alarms := r.Alarms()
	cols := append(append([]string{}, alarms...), "-")
	fmt.Fprintln(tw, "confusion (rows: label, columns: class caught)")
	fmt.Fprintf(tw, "label\t%s\t\n", strings.Join(cols, "\t"))
	for _, label := range append(append([]string{}, alarms...), LabelNone, LabelHard) {
		fmt.Fprintf(tw, "%s", label)
		for _, col := range cols {
			if col == "-" {
				col = ""
			}
			fmt.Fprintf(tw, "\t%d", r.Count["all"][label][col])
		}
		fmt.Fprintln(tw, "\t")
	}
	fmt.Fprintln(tw, "\t")
	head := "writing"
	for _, a := range alarms {
		head += "\trecall " + a + "\tas " + a
	}
	fmt.Fprintln(tw, head+"\tfalse alarms none\tfalse alarms hard\t")
	for _, wr := range r.Writings() {
		line := wr
		for _, a := range alarms {
			line += "\t" + r.Recall(wr, a).String() + "\t" + r.Exact(wr, a).String()
		}
		fmt.Fprintln(tw, line+"\t"+r.FalseAlarms(wr, LabelNone).String()+"\t"+r.FalseAlarms(wr, LabelHard).String()+"\t")
	}
	return tw.Flush()
}
