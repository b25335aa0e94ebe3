// The compiler of escaped templates. The conversion of constants
// (idealConstant, isRuneInt, isHexInt, and the rules of literal and
// emptyInterfaceLiteral) follows src/text/template/exec.go of Go 1.26.8.
//
// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE.golang file.

package tmplexec

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	texttemplate "text/template"
	"text/template/parse"
)

// compiler compiles the templates of a set that a template reaches.
type compiler struct {
	set   *template.Template
	funcs template.FuncMap
	tmpls map[string]*tmpl // by name, as they are compiled
}

// compileError is the panic of the compiler on a construct it refuses.
type compileError struct{ err error }

// compile compiles the template name and those it calls.
func (c *compiler) compile(name string) (t *tmpl, err error) {
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(compileError)
			if !ok {
				panic(r)
			}
			err = ce.err
		}
	}()
	return c.template(name), nil
}

// template returns the compiled template name, compiling it on first use.
func (c *compiler) template(name string) *tmpl {
	if t := c.tmpls[name]; t != nil {
		return t
	}
	h := c.set.Lookup(name)
	if h == nil || h.Tree == nil || h.Tree.Root == nil {
		// The templates that html/template derives for a call in another
		// context than HTML text are in its text/template set only.
		panic(compileError{fmt.Errorf("template %q: called in another context than HTML text, or not defined", name)})
	}
	t := &tmpl{name: name}
	c.tmpls[name] = t
	sc := &scope{c: c, tree: h.Tree, vars: []variable{{"$", 0}}, nvars: 1}
	t.root = sc.list(h.Tree.Root)
	t.nvars = sc.nvars
	return t
}

// scope compiles one template: it knows the variables in scope and gives
// each declaration a slot in the template's frame.
type scope struct {
	c     *compiler
	tree  *parse.Tree
	vars  []variable // in scope, innermost last
	nvars int        // slots used
}

type variable struct {
	name string
	slot int
}

func (sc *scope) errorf(n parse.Node, format string, args ...any) {
	loc, _ := sc.tree.ErrorContext(n)
	panic(compileError{fmt.Errorf("%s: %s: %s", loc, n, fmt.Sprintf(format, args...))})
}

// lookup returns the slot of the innermost variable called name.
func (sc *scope) lookup(name string) (int, bool) {
	for i := len(sc.vars) - 1; i >= 0; i-- {
		if sc.vars[i].name == name {
			return sc.vars[i].slot, true
		}
	}
	return 0, false
}

func (sc *scope) list(l *parse.ListNode) listNode {
	if l == nil {
		return nil
	}
	var out listNode
	for _, n := range l.Nodes {
		x := sc.node(n)
		if x == nil {
			continue
		}
		// Consecutive texts (around a comment, or a label the theme
		// folded into text) are written at once.
		if t, ok := x.(textNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(textNode); ok {
				out[len(out)-1] = append(prev, t...)
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

func (sc *scope) node(n parse.Node) node {
	switch n := n.(type) {
	case *parse.TextNode:
		return textNode(bytes.Clone(n.Text))
	case *parse.CommentNode:
		return nil
	case *parse.ActionNode:
		if len(n.Pipe.Decl) > 0 {
			// A declaration or an assignment, which html/template does
			// not escape and text/template does not print.
			return &declNode{sc.pipeline(n.Pipe)}
		}
		return sc.print(n)
	case *parse.IfNode:
		return sc.branch(&n.BranchNode, false)
	case *parse.WithNode:
		return sc.branch(&n.BranchNode, true)
	case *parse.RangeNode:
		return sc.rangeNode(n)
	case *parse.TemplateNode:
		t := sc.c.template(n.Name)
		var p *pipeline
		if n.Pipe != nil {
			p = sc.pipeline(n.Pipe)
		}
		return &templateNode{t: t, pipe: p}
	case *parse.BreakNode:
		return breakNode{}
	case *parse.ContinueNode:
		return continueNode{}
	case *parse.ListNode:
		return sc.list(n)
	}
	sc.errorf(n, "unsupported node")
	return nil
}

// print compiles an action that prints: its pipeline, then the chain of
// escapers that html/template appended.
func (sc *scope) print(n *parse.ActionNode) node {
	cmds := n.Pipe.Cmds
	end := len(cmds)
	out := writeString
	if w := htmlWriters[sc.escaperName(cmds[end-1])]; w != nil {
		out = w
		end--
	}
	start := end
	for start > 1 && escapers[sc.escaperName(cmds[start-1])] != nil {
		start--
	}
	if start == 0 || start == end && end == len(cmds) {
		sc.errorf(n, "action without escaper")
	}
	p := &printNode{pipe: &pipeline{}, out: out}
	for i, cmd := range cmds[:start] {
		p.pipe.cmds = append(p.pipe.cmds, sc.command(cmd, i > 0))
	}
	for _, cmd := range cmds[start:end] {
		p.escapers = append(p.escapers, escapers[sc.escaperName(cmd)])
	}
	return p
}

// escaperName returns the name of the escaping function that cmd calls
// with the pipeline's value, or "".
func (sc *scope) escaperName(cmd *parse.CommandNode) string {
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || len(cmd.Args) != 1 {
		return ""
	}
	if _, own := sc.c.funcs[id.Ident]; own {
		// The FuncMap's html or urlquery would replace the builtin.
		return ""
	}
	return id.Ident
}

func (sc *scope) branch(n *parse.BranchNode, with bool) node {
	mark := len(sc.vars)
	b := &branchNode{pipe: sc.pipeline(n.Pipe), with: with}
	inner := len(sc.vars)
	b.list = sc.list(n.List)
	// The variables of the list are not set when the else list runs.
	sc.vars = sc.vars[:inner]
	b.elseList = sc.list(n.ElseList)
	sc.vars = sc.vars[:mark]
	return b
}

func (sc *scope) rangeNode(n *parse.RangeNode) node {
	mark := len(sc.vars)
	r := &rangeNode{pipe: sc.pipeline(n.Pipe)}
	inner := len(sc.vars)
	r.list = sc.list(n.List)
	sc.vars = sc.vars[:inner]
	r.elseList = sc.list(n.ElseList)
	sc.vars = sc.vars[:mark]
	return r
}

// pipeline compiles the pipeline of an action or a control structure.
// Its declarations are in scope until the end of the enclosing control
// structure or template.
func (sc *scope) pipeline(n *parse.PipeNode) *pipeline {
	p := &pipeline{}
	for i, cmd := range n.Cmds {
		p.cmds = append(p.cmds, sc.command(cmd, i > 0))
	}
	// text/template evaluates the commands, then declares: `$x := $x`
	// reads an outer $x.
	for _, v := range n.Decl {
		name := v.Ident[0]
		if n.IsAssign {
			slot, ok := sc.lookup(name)
			if !ok {
				sc.errorf(v, "undefined variable")
			}
			p.decl = append(p.decl, slot)
			continue
		}
		p.decl = append(p.decl, sc.nvars)
		sc.vars = append(sc.vars, variable{name, sc.nvars})
		sc.nvars++
	}
	return p
}

// nested compiles a parenthesized pipeline.
func (sc *scope) nested(n *parse.PipeNode) *pipeline {
	if len(n.Decl) > 0 {
		// Whether its variables are set depends on and/or's
		// short-circuits, which slots resolved here cannot follow.
		sc.errorf(n, "variable declared in a parenthesized pipeline")
	}
	return sc.pipeline(n)
}

// command compiles a command of a pipeline; final tells whether it
// receives the value of the previous command as its last argument.
func (sc *scope) command(cmd *parse.CommandNode, final bool) command {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return sc.fields(nil, n.Ident, args, final)
	case *parse.ChainNode:
		return sc.chain(n, args, final)
	case *parse.IdentifierNode:
		return sc.function(n, args, final)
	case *parse.PipeNode:
		if len(args) > 0 || final {
			return failCmd{fmt.Errorf("can't give argument to non-function %s", n)}
		}
		return &pipeCmd{sc.nested(n)}
	case *parse.VariableNode:
		return sc.variable(n, args, final)
	}
	if len(args) > 0 || final {
		return failCmd{fmt.Errorf("can't give argument to non-function %s", cmd.Args[0])}
	}
	switch n := cmd.Args[0].(type) {
	case *parse.BoolNode:
		return constCmd{reflect.ValueOf(n.True)}
	case *parse.DotNode:
		return dotCmd{}
	case *parse.NilNode:
		return failCmd{errors.New("nil is not a command")}
	case *parse.NumberNode:
		v, err := idealConstant(n)
		if err != nil {
			return failCmd{err}
		}
		return constCmd{v}
	case *parse.StringNode:
		return constCmd{reflect.ValueOf(n.Text)}
	}
	sc.errorf(cmd, "unsupported command")
	return nil
}

// operand compiles what text/template evaluates with evalArg and no type:
// the receiver of a chain, or a non-constant argument.
func (sc *scope) operand(n parse.Node) command {
	switch n := n.(type) {
	case *parse.DotNode:
		return dotCmd{}
	case *parse.FieldNode:
		return sc.fields(nil, n.Ident, nil, false)
	case *parse.VariableNode:
		return sc.variable(n, nil, false)
	case *parse.PipeNode:
		return &pipeCmd{sc.nested(n)}
	case *parse.IdentifierNode:
		return sc.function(n, nil, false)
	case *parse.ChainNode:
		return sc.chain(n, nil, false)
	}
	sc.errorf(n, "unsupported operand")
	return nil
}

// chain compiles (pipeline).X.Y, the last field or method with args and
// the final value, if any.
func (sc *scope) chain(n *parse.ChainNode, args []parse.Node, final bool) command {
	if n.Node.Type() == parse.NodeNil {
		return failCmd{fmt.Errorf("indirection through explicit nil in %s", n)}
	}
	return sc.fields(sc.operand(n.Node), n.Field, args, final)
}

// variable compiles $x or $x.Y.Z, the last field or method with args and
// the final value, if any.
func (sc *scope) variable(n *parse.VariableNode, args []parse.Node, final bool) command {
	slot, ok := sc.lookup(n.Ident[0])
	if !ok {
		// Declared in the list of an if, with or range, and read in its
		// else list, which the parser accepts.
		sc.errorf(n, "undefined variable")
	}
	if len(n.Ident) > 1 {
		return sc.fields(varCmd(slot), n.Ident[1:], args, final)
	}
	if len(args) > 0 || final {
		return failCmd{fmt.Errorf("can't give argument to non-function %s", n)}
	}
	return varCmd(slot)
}

// fields compiles .X.Y.Z on recv (dot when nil), the last field or method
// with args and the final value, if any.
func (sc *scope) fields(recv command, idents []string, args []parse.Node, final bool) command {
	f := &fieldsCmd{recv: recv, final: final}
	for _, id := range idents {
		f.steps = append(f.steps, &fieldStep{name: id})
	}
	for _, a := range args {
		f.args = append(f.args, sc.argument(a))
	}
	return f
}

// argument compiles an argument, whose type is known only when a method
// is called: a constant keeps its node.
func (sc *scope) argument(n parse.Node) *argument {
	switch n.(type) {
	case *parse.BoolNode, *parse.NilNode, *parse.NumberNode, *parse.StringNode:
		return &argument{lit: n}
	}
	return &argument{cmd: sc.operand(n)}
}

// A paramKind is the type of a parameter of a function that compiled
// templates call directly.
type paramKind uint8

const (
	paramAny    paramKind = iota // any
	paramValue                   // reflect.Value, for the builtins
	paramString                  // string
	paramInt                     // int
)

// params compiles the arguments of a function with the parameters fixed,
// then as many of rest as there are arguments left, when variadic; the
// final value is the last argument. Constants are converted to the
// parameter's type now. It returns an error, text/template's at execution,
// when the arguments do not match.
func (sc *scope) params(name string, args []parse.Node, final bool, fixed []paramKind, variadic bool, rest paramKind) ([]*argument, error) {
	numIn := len(args)
	if final {
		numIn++
	}
	if variadic && numIn < len(fixed) {
		return nil, fmt.Errorf("wrong number of args for %s: want at least %d got %d", name, len(fixed), numIn)
	}
	if !variadic && numIn != len(fixed) {
		return nil, fmt.Errorf("wrong number of args for %s: want %d got %d", name, len(fixed), numIn)
	}
	out := make([]*argument, numIn)
	for i := range out {
		kind := rest
		if i < len(fixed) {
			kind = fixed[i]
		}
		a := &argument{final: true}
		if i < len(args) {
			a = sc.argument(args[i])
		}
		if a.lit != nil {
			a.val, a.err = literal(a.lit, kind)
		}
		out[i] = a
	}
	return out, nil
}

// The fixed parameters of the functions that compiled templates call.
var (
	oneValue     = []paramKind{paramValue}
	twoValues    = []paramKind{paramValue, paramValue}
	stringFirst  = []paramKind{paramString}
	stringAndInt = []paramKind{paramString, paramInt}
)

// comparisons are the builtins that compare two values.
var comparisons = map[string]func(a, b reflect.Value) (bool, error){
	"ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
}

// printers are the functions that make a string of any arguments:
// builtins and html/template's _eval_args_, which it calls with the
// arguments of a predefined escaper ({{html .A .B}}).
var printers = map[string]func(args ...any) string{
	"print":       fmt.Sprint,
	"println":     fmt.Sprintln,
	"html":        texttemplate.HTMLEscaper,
	"urlquery":    texttemplate.URLQueryEscaper,
	"_eval_args_": evalArgs,
}

// function compiles a call of the function id.
func (sc *scope) function(id *parse.IdentifierNode, args []parse.Node, final bool) command {
	name := id.Ident
	var (
		ps  []*argument
		err error
		cmd command
	)
	if fn, ok := sc.c.funcs[name]; ok {
		switch fn := fn.(type) {
		case func(string, ...any) (string, error):
			ps, err = sc.params(name, args, final, stringFirst, true, paramAny)
			cmd = &textCmd{fn: fn, args: ps}
		case func(string, int, ...any) (string, error):
			ps, err = sc.params(name, args, final, stringAndInt, true, paramAny)
			cmd = &pluralCmd{fn: fn, args: ps}
		default:
			sc.errorf(id, "function of type %T not supported", fn)
		}
	} else {
		switch {
		case name == "and" || name == "or":
			ps, err = sc.params(name, args, final, oneValue, true, paramValue)
			cmd = &andOrCmd{or: name == "or", args: ps}
		case name == "not":
			ps, err = sc.params(name, args, final, oneValue, false, 0)
			cmd = &notCmd{args: ps}
		case name == "eq":
			ps, err = sc.params(name, args, final, oneValue, true, paramValue)
			cmd = &eqCmd{args: ps}
		case comparisons[name] != nil:
			ps, err = sc.params(name, args, final, twoValues, false, 0)
			cmd = &compareCmd{fn: comparisons[name], args: ps}
		case name == "len":
			ps, err = sc.params(name, args, final, oneValue, false, 0)
			cmd = &lenCmd{args: ps}
		case name == "index":
			ps, err = sc.params(name, args, final, oneValue, true, paramValue)
			cmd = &indexCmd{args: ps}
		case name == "printf":
			ps, err = sc.params(name, args, final, stringFirst, true, paramAny)
			cmd = &printfCmd{args: ps}
		case printers[name] != nil:
			ps, err = sc.params(name, args, final, nil, true, paramAny)
			cmd = &sprintCmd{fn: printers[name], args: ps}
		default:
			sc.errorf(id, "function not supported")
		}
	}
	if err != nil {
		return failCmd{err}
	}
	return cmd
}

// literal converts a constant argument for a parameter of kind k, as
// text/template's evalArg does.
func literal(n parse.Node, k paramKind) (reflect.Value, error) {
	switch k {
	case paramString:
		if s, ok := n.(*parse.StringNode); ok {
			return reflect.ValueOf(s.Text), nil
		}
		return reflect.Value{}, fmt.Errorf("expected string; found %s", n)
	case paramInt:
		if num, ok := n.(*parse.NumberNode); ok && num.IsInt {
			return reflect.ValueOf(int(num.Int64)), nil
		}
		return reflect.Value{}, fmt.Errorf("expected integer; found %s", n)
	}
	// any and reflect.Value: nil is the invalid value (reflect.Zero of
	// the interface, or of reflect.Value, unwrapped).
	if _, ok := n.(*parse.NilNode); ok {
		return reflect.Value{}, nil
	}
	v, err := emptyInterfaceLiteral(n)
	if err == nil && !v.IsValid() && k == paramAny {
		// reflect.Value.Call refuses the invalid value.
		err = fmt.Errorf("%s: no value", n)
	}
	return v, err
}

// emptyInterfaceLiteral is a constant as an argument of type any
// (text/template's evalEmptyInterface).
func emptyInterfaceLiteral(n parse.Node) (reflect.Value, error) {
	switch n := n.(type) {
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), nil
	case *parse.NumberNode:
		return idealConstant(n)
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), nil
	}
	return reflect.Value{}, fmt.Errorf("can't handle assignment of %s to empty interface argument", n)
}

// idealConstant is called to return the value of a number in a context where
// we don't know the type. In that case, the syntax of the number tells us
// its type, and we use Go rules to resolve. Note there is no such thing as
// a uint ideal constant in this situation - the value must be of int type.
// (From text/template.)
func idealConstant(constant *parse.NumberNode) (reflect.Value, error) {
	switch {
	case constant.IsComplex:
		return reflect.ValueOf(constant.Complex128), nil // incontrovertible.

	case constant.IsFloat &&
		!isHexInt(constant.Text) && !isRuneInt(constant.Text) &&
		strings.ContainsAny(constant.Text, ".eEpP"):
		return reflect.ValueOf(constant.Float64), nil

	case constant.IsInt:
		n := int(constant.Int64)
		if int64(n) != constant.Int64 {
			return reflect.Value{}, fmt.Errorf("%s overflows int", constant.Text)
		}
		return reflect.ValueOf(n), nil

	case constant.IsUint:
		return reflect.Value{}, fmt.Errorf("%s overflows int", constant.Text)
	}
	// A float too large for an integer, written as one: no value.
	return reflect.Value{}, nil
}

func isRuneInt(s string) bool {
	return len(s) > 0 && s[0] == '\''
}

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}
