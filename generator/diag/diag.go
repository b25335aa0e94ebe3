// Package diag holds the positions and diagnostics that every stage of cqp
// reports. Positions are data: the loader records them from the YAML nodes
// and the Markdown AST, never by parsing library messages.
//
// A List collects every problem of a run; it is sorted by path, line and
// column before it is printed, one diagnostic per line, in the form
//
//	path:line:col: error|warning: message
//
// which is what editors, CI logs and the dev server's overlay all show.
package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Pos is a place in a content file. Path is relative to the site folder and
// uses forward slashes; Line and Col count from 1, Col in characters (code
// points), as editors and GitHub's annotations count them: "é" is one
// column. The zero Pos means "no position".
type Pos struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// FileStart is the position used for problems with a whole file.
func FileStart(path string) Pos { return Pos{Path: path, Line: 1, Col: 1} }

func (p Pos) String() string {
	if p.Line == 0 {
		return p.Path
	}
	return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col)
}

// Severity tells errors, which stop a build, from warnings, which do not
// unless --strict is given.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText makes severities read "error" and "warning" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem at one place.
type Diagnostic struct {
	Pos      Pos      `json:"-"`
	Severity Severity `json:"severity"`
	// Code names the rule (for instance "unknown-key"); the editors' guide
	// documents every code, and a test keeps the two in step.
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Message)
}

// List is an ordered collection of diagnostics. The zero value is ready.
type List []Diagnostic

// Errorf adds an error.
func (l *List) Errorf(pos Pos, code, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Error, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning.
func (l *List) Warnf(pos Pos, code, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Warning, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Compare orders diagnostics by path, line, column, then severity and text,
// so that the order never depends on the order of discovery.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		strings.Compare(a.Pos.Path, b.Pos.Path),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.Severity, b.Severity),
		strings.Compare(a.Message, b.Message),
	)
}

// Sort sorts the list in place and removes exact duplicates.
func (l *List) Sort() {
	slices.SortFunc(*l, Compare)
	*l = slices.Compact(*l)
}

// Errors counts the errors in the list.
func (l List) Errors() int { return l.count(Error) }

// Warnings counts the warnings in the list.
func (l List) Warnings() int { return l.count(Warning) }

func (l List) count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Strict turns every warning into an error, as `cqp check --strict` does.
func (l List) Strict() List {
	out := slices.Clone(l)
	for i := range out {
		out[i].Severity = Error
	}
	return out
}

// Err returns the list as an error when it holds at least one error.
func (l List) Err() error {
	if l.Errors() == 0 {
		return nil
	}
	return ErrorList(l)
}

// ErrorList is a List used as an error value.
type ErrorList List

func (e ErrorList) Error() string {
	errs := List(e)
	first := ""
	for _, d := range errs {
		if d.Severity == Error {
			first = d.String()
			break
		}
	}
	if n := errs.Errors(); n > 1 {
		return fmt.Sprintf("%s (et %d autres erreurs)", first, n-1)
	}
	return first
}

// Format is an output format of `cqp check`.
type Format string

const (
	Text   Format = "text"
	GitHub Format = "github"
	JSON   Format = "json"
)

// ParseFormat accepts the names given to --format.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Text, GitHub, JSON:
		return f, nil
	}
	return "", fmt.Errorf("format %q inconnu : choisir text, github ou json", s)
}

// Write prints the list in the given format: text is one diagnostic per
// line; github is one GitHub Actions workflow command per line, so that each
// problem shows on its line in a pull request; json is one JSON array.
func (l List) Write(w io.Writer, f Format) error {
	switch f {
	case GitHub:
		for _, d := range l {
			if _, err := io.WriteString(w, GitHubAnnotation(d)+"\n"); err != nil {
				return err
			}
		}
		return nil
	case JSON:
		type item struct {
			Path string `json:"path"`
			Line int    `json:"line"`
			Col  int    `json:"col"`
			Diagnostic
		}
		items := make([]item, 0, len(l))
		for _, d := range l {
			items = append(items, item{d.Pos.Path, d.Pos.Line, d.Pos.Col, d})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	default:
		for _, d := range l {
			if _, err := io.WriteString(w, d.String()+"\n"); err != nil {
				return err
			}
		}
		return nil
	}
}

// GitHubAnnotation formats d as a workflow command
// (::error file=…,line=…,col=…,title=…::message). GitHub requires %, CR and
// LF escaped in the message, and also ',' and ':' in property values.
func GitHubAnnotation(d Diagnostic) string {
	return fmt.Sprintf("::%s file=%s,line=%d,col=%d,title=%s::%s",
		d.Severity, escapeProperty(d.Pos.Path), d.Pos.Line, d.Pos.Col,
		escapeProperty("cqp "+d.Code), escapeData(d.Message))
}

var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
