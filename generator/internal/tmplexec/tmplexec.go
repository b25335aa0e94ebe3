// Package tmplexec executes html/template templates faster than
// html/template does, with the same output byte for byte; for anything it
// does not handle exactly, it reports an error, and the caller executes the
// template with html/template as usual.
//
// # Why
//
// html/template escapes a template once, by rewriting its parse tree: each
// action gets a chain of escaping functions (_html_template_htmlescaper,
// _html_template_attrescaper…) chosen for its place in the HTML. It then
// executes the tree with text/template, an interpreter that works by
// reflection at every step: it finds each function in a map by name and
// calls it with reflect.Value.Call, escapers included, looks up each field
// of each value by name (reflect.Type.FieldByName), and allocates the
// reflect.Values and the state that this takes. On a catalogue of 10,000
// pages this interpreter cost more than the escaping itself.
//
// # How
//
// Compile reads the escaped trees once and prepares them: functions are
// resolved, and the escaping chain of each action is a list of Go
// functions called directly; constants are converted; variables get a
// slot; each field access caches, per type of value it meets, the index
// path of the field or the method it resolves to. Program.Execute then
// walks the prepared tree with the semantics of text/template's
// interpreter (src/text/template/exec.go of Go 1.26.8): the same
// evaluation order, method before field before map key, nil pointers and
// interfaces, truth, range order over maps, break and continue, and the
// default missingkey option. Prepared trees are immutable and the caches
// safe for concurrent use, so a Program may be executed by many goroutines
// at once.
//
// The escaping functions, the builtins it implements and the order of map
// keys are ported from Go 1.26.8's html/template, text/template and
// internal/fmtsort (escape.go, strip.go, attr.go, funcs.go, sort.go, under
// the Go licence, LICENSE.golang). A test compares them with html/template
// on random strings (FuzzEscapers), and executions with html/template's
// on every construct: another Go release that changes html/template's
// output makes these tests fail.
//
// # What falls back
//
// Compile refuses, with an error that names the construct, a template set
// that uses:
//   - a function other than html/template's escapers, the builtins and,
//     or, not, eq, ne, lt, le, gt, ge, len, index, print, printf, println,
//     html and urlquery, and the functions of the set's FuncMap of type
//     func(string, ...any) (string, error) or
//     func(string, int, ...any) (string, error);
//   - a call of a template in another context than HTML text: html/template
//     executes those through copies of the template that it keeps to
//     itself;
//   - a variable declared in a parenthesized pipeline, or an action that
//     html/template left without escaper.
//
// Execute returns an error, having written nothing, where text/template
// reports an execution error (a method or function that fails, a field
// that does not exist, an index out of range…) and where it cannot be
// sure to behave the same: a range over a channel or an iterator function
// (which it would consume), a value that only reflection may read (an
// exported field promoted from an unexported embedded struct) printed as
// other than a string, a panic. The caller then executes html/template,
// which reports the error as it always has; methods and functions called
// before the error are called again.
package tmplexec

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"runtime"
	"sync"
)

// maxExecDepth is text/template's limit on the depth of template calls.
var maxExecDepth = initMaxExecDepth()

func initMaxExecDepth() int {
	if runtime.GOARCH == "wasm" {
		return 1000
	}
	return 100000
}

// A Program is a compiled template. It is safe for concurrent use.
type Program struct {
	main *tmpl
}

// Compile compiles the template called name in set, which must use the
// functions funcs (the FuncMap given to set), with the templates it calls.
//
// Compile first has html/template escape the templates, as their first
// execution does, by executing name with nil data until it writes its
// first byte: afterwards, as after any execution, the set can be neither
// parsed nor cloned. When escaping fails, Compile returns html/template's
// error (an *html/template.Error), which executing the template with
// html/template returns too. The escaped templates must not change after
// Compile.
func Compile(set *template.Template, name string, funcs template.FuncMap) (*Program, error) {
	if err := escape(set, name); err != nil {
		return nil, err
	}
	c := &compiler{set: set, funcs: funcs, tmpls: map[string]*tmpl{}}
	t, err := c.compile(name)
	if err != nil {
		return nil, fmt.Errorf("tmplexec: %w", err)
	}
	return &Program{main: t}, nil
}

// errStop stops the execution that escapes a set at its first byte.
var errStop = errors.New("stop")

type stopWriter struct{}

func (stopWriter) Write([]byte) (int, error) { return 0, errStop }

// escape makes html/template escape the templates that name reaches, which
// it does lazily, at their first execution. A panic (text/template lets
// some through) leaves the set to html/template.
func escape(set *template.Template, name string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tmplexec: %s: panic executing with nil data: %v", name, r)
		}
	}()
	err = set.ExecuteTemplate(stopWriter{}, name, nil)
	if e, ok := errors.AsType[*template.Error](err); ok {
		return e
	}
	return nil
}

// Execute appends to b the output of the program applied to data. If data
// is a reflect.Value, the program applies to the value it holds, as
// text/template does. When it returns an error, Execute has truncated b to
// its length on entry: the caller executes the template with html/template
// instead, which reports the error, if there is one, as it always has.
func (p *Program) Execute(b *bytes.Buffer, data any) (err error) {
	n := b.Len()
	s := states.Get().(*state)
	s.b = b
	defer func() {
		if r := recover(); r != nil {
			b.Truncate(n)
			if bo, ok := r.(bailout); ok {
				err = fmt.Errorf("tmplexec: %s: %w", p.main.name, bo.err)
			} else {
				err = fmt.Errorf("tmplexec: %s: panic: %v", p.main.name, r)
			}
		}
		clear(s.vars[:cap(s.vars)])
		s.vars, s.b, s.base, s.depth = s.vars[:0], nil, 0, 0
		states.Put(s)
	}()
	value, ok := data.(reflect.Value)
	if !ok {
		value = reflect.ValueOf(data)
	}
	s.run(p.main, value)
	return nil
}

// states are the states of executions, reused for their variable stacks.
var states = sync.Pool{New: func() any { return new(state) }}

// bailout is the panic that stops an execution the executor cannot finish
// as text/template would, with the reason.
type bailout struct{ err error }

func bail(err error) { panic(bailout{err}) }

func bailf(format string, args ...any) { bail(fmt.Errorf(format, args...)) }
