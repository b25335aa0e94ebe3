// The execution of compiled templates follows text/template's interpreter,
// src/text/template/exec.go of Go 1.26.8, whose comments some functions
// keep; where text/template reports an error, it bails out.
//
// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE.golang file.

package tmplexec

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// tmpl is a compiled template.
type tmpl struct {
	name  string
	root  listNode
	nvars int // slots of its frame: $, then each declaration
}

// state is one execution.
type state struct {
	b     *bytes.Buffer
	vars  []reflect.Value // the frames of the templates being executed
	base  int             // where the frame of the current template starts
	depth int             // of template calls
}

// run executes t with dot in a new frame.
func (s *state) run(t *tmpl, dot reflect.Value) {
	base := len(s.vars)
	s.vars = append(s.vars, make([]reflect.Value, t.nvars)...)
	s.vars[base] = dot
	outer := s.base
	s.base = base
	t.root.exec(s, dot)
	s.base = outer
	s.vars = s.vars[:base]
}

// flow tells a list how the node it executed ended.
type flow uint8

const (
	flowNext flow = iota
	flowBreak
	flowContinue
)

// node is a compiled node of a template's tree.
type node interface {
	exec(s *state, dot reflect.Value) flow
}

type listNode []node

func (l listNode) exec(s *state, dot reflect.Value) flow {
	for _, n := range l {
		if f := n.exec(s, dot); f != flowNext {
			return f
		}
	}
	return flowNext
}

type textNode []byte

func (t textNode) exec(s *state, _ reflect.Value) flow {
	s.b.Write(t)
	return flowNext
}

// printNode is an action that prints its pipeline's value through the
// escapers, then out, the last escaper when of the HTML family.
type printNode struct {
	pipe     *pipeline
	escapers []*escaper
	out      func(b *bytes.Buffer, s string, t contentType)
}

func (n *printNode) exec(s *state, dot reflect.Value) flow {
	v := n.pipe.eval(s, dot)
	if len(n.escapers) == 0 {
		str, t := stringifyValue(v)
		n.out(s.b, str, t)
		return flowNext
	}
	str := n.escapers[0].first(v)
	for _, e := range n.escapers[1:] {
		str = e.next(str)
	}
	n.out(s.b, str, contentTypePlain)
	return flowNext
}

// declNode is an action that declares or assigns variables.
type declNode struct{ pipe *pipeline }

func (n *declNode) exec(s *state, dot reflect.Value) flow {
	n.pipe.eval(s, dot)
	return flowNext
}

// branchNode is an if, or a with.
type branchNode struct {
	pipe           *pipeline
	with           bool
	list, elseList listNode
}

func (n *branchNode) exec(s *state, dot reflect.Value) flow {
	val := n.pipe.eval(s, dot)
	truth, ok := isTrue(indirectInterface(val))
	if !ok {
		bailf("if/with can't use %v", val)
	}
	if !truth {
		return n.elseList.exec(s, dot)
	}
	if n.with {
		return n.list.exec(s, val)
	}
	return n.list.exec(s, dot)
}

type rangeNode struct {
	pipe           *pipeline
	list, elseList listNode
}

func (n *rangeNode) exec(s *state, dot reflect.Value) flow {
	val, _ := indirectValue(n.pipe.eval(s, dot))
	switch val.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if len(n.pipe.decl) > 1 {
			bailf("can't use %v to iterate over more than one variable", val)
		}
		run := false
		for v := range val.Seq() {
			run = true
			if n.iteration(s, reflect.Value{}, v) == flowBreak {
				break
			}
		}
		if run {
			return flowNext
		}
	case reflect.Array, reflect.Slice:
		if val.Len() == 0 {
			break
		}
		for i := 0; i < val.Len(); i++ {
			var index reflect.Value
			if len(n.pipe.decl) > 1 {
				index = reflect.ValueOf(i)
			}
			if n.iteration(s, index, val.Index(i)) == flowBreak {
				break
			}
		}
		return flowNext
	case reflect.Map:
		if val.Len() == 0 {
			break
		}
		for _, m := range sortMap(val) {
			if n.iteration(s, m.Key, m.Value) == flowBreak {
				break
			}
		}
		return flowNext
	case reflect.Chan:
		if !val.IsNil() {
			// Receiving would leave html/template nothing to range
			// over, should the execution fall back.
			bailf("range over a channel")
		}
	case reflect.Invalid:
		// An invalid value is likely a nil map, etc. and acts like an empty map.
	default:
		// An iterator function, which may not run twice, or an error.
		bailf("range over %v", val)
	}
	// A break in the else list ends the range, as in text/template, where
	// the range recovers it; a continue is the enclosing range's.
	if n.elseList.exec(s, dot) == flowContinue {
		return flowContinue
	}
	return flowNext
}

// iteration sets the range's variables and executes its list once.
func (n *rangeNode) iteration(s *state, index, elem reflect.Value) flow {
	switch decl := n.pipe.decl; len(decl) {
	case 1:
		s.vars[s.base+decl[0]] = elem
	case 2:
		s.vars[s.base+decl[0]] = index
		s.vars[s.base+decl[1]] = elem
	}
	return n.list.exec(s, elem)
}

type templateNode struct {
	t    *tmpl
	pipe *pipeline // nil: no data
}

func (n *templateNode) exec(s *state, dot reflect.Value) flow {
	if s.depth == maxExecDepth {
		bailf("exceeded maximum template depth (%v)", maxExecDepth)
	}
	// Variables declared by the pipeline persist.
	var v reflect.Value
	if n.pipe != nil {
		v = n.pipe.eval(s, dot)
	}
	s.depth++
	s.run(n.t, v)
	s.depth--
	return flowNext
}

type breakNode struct{}

func (breakNode) exec(*state, reflect.Value) flow { return flowBreak }

type continueNode struct{}

func (continueNode) exec(*state, reflect.Value) flow { return flowContinue }

// pipeline is a compiled pipeline: its commands, then the slots of the
// variables it declares or assigns.
type pipeline struct {
	cmds []command
	decl []int
}

func (p *pipeline) eval(s *state, dot reflect.Value) reflect.Value {
	var value reflect.Value
	for _, cmd := range p.cmds {
		value = cmd.eval(s, dot, value) // previous value is this one's final arg.
		// If the object has type interface{}, dig down one level to the thing inside.
		if value.Kind() == reflect.Interface && value.Type().NumMethod() == 0 {
			value = value.Elem()
		}
	}
	for _, slot := range p.decl {
		s.vars[s.base+slot] = value
	}
	return value
}

// command is a compiled command; final is the value of the previous
// command of the pipeline, which commands compiled with a final argument
// receive.
type command interface {
	eval(s *state, dot, final reflect.Value) reflect.Value
}

type dotCmd struct{}

func (dotCmd) eval(_ *state, dot, _ reflect.Value) reflect.Value { return dot }

type constCmd struct{ v reflect.Value }

func (c constCmd) eval(*state, reflect.Value, reflect.Value) reflect.Value { return c.v }

// failCmd is a command that text/template fails to execute.
type failCmd struct{ err error }

func (c failCmd) eval(*state, reflect.Value, reflect.Value) reflect.Value {
	bail(c.err)
	return reflect.Value{}
}

// varCmd is a variable, by its slot.
type varCmd int

func (c varCmd) eval(s *state, _, _ reflect.Value) reflect.Value { return s.vars[s.base+int(c)] }

// pipeCmd is a parenthesized pipeline.
type pipeCmd struct{ pipe *pipeline }

func (c *pipeCmd) eval(s *state, dot, _ reflect.Value) reflect.Value { return c.pipe.eval(s, dot) }

// fieldsCmd is .X.Y.Z on dot or recv; the last field, when a method,
// receives args and, if final, the final value.
type fieldsCmd struct {
	recv  command // nil: dot
	steps []*fieldStep
	args  []*argument
	final bool
}

func (c *fieldsCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	receiver := dot
	if c.recv != nil {
		receiver = c.recv.eval(s, dot, reflect.Value{})
	}
	last := len(c.steps) - 1
	for _, f := range c.steps[:last] {
		receiver = s.evalField(dot, receiver, f, nil, false, reflect.Value{})
	}
	return s.evalField(dot, receiver, c.steps[last], c.args, c.final, final)
}

// fieldStep is one name of a chain of fields. It keeps the resolution of
// the name for the last type it met: the type of the values that a field
// access of a template sees rarely changes.
type fieldStep struct {
	name string
	last atomic.Pointer[fieldInfo]
}

// fieldInfo is what a name means for a type: a method, a struct field, a
// map key or nothing.
type fieldInfo struct {
	typ    reflect.Type
	addr   bool // the value is addressable, so the methods of *typ apply
	kind   fieldKind
	method int           // fieldMethod: index in the method set
	index  []int         // fieldStruct: index path
	key    reflect.Value // fieldMap: the name as a key
}

type fieldKind uint8

const (
	fieldNone fieldKind = iota
	fieldMethod
	fieldStruct
	fieldMap
)

type fieldKey struct {
	typ  reflect.Type
	addr bool
	name string
}

// fieldInfos caches the fieldInfo of every type and name met.
var fieldInfos sync.Map // fieldKey → *fieldInfo

// resolve returns the meaning of the step's name for receiver, a value
// that is neither an interface nor a non-nil pointer.
func (f *fieldStep) resolve(receiver reflect.Value) *fieldInfo {
	typ := receiver.Type()
	addr := receiver.Kind() != reflect.Pointer && receiver.CanAddr()
	if info := f.last.Load(); info != nil && info.typ == typ && info.addr == addr {
		return info
	}
	key := fieldKey{typ, addr, f.name}
	v, ok := fieldInfos.Load(key)
	if !ok {
		v, _ = fieldInfos.LoadOrStore(key, newFieldInfo(typ, addr, f.name))
	}
	info := v.(*fieldInfo)
	f.last.Store(info)
	return info
}

// newFieldInfo resolves name on a value of type typ as text/template's
// evalField does: a method of the value, or of its address when it is
// addressable; then an exported field of a struct; then a key of a map
// with string keys.
func newFieldInfo(typ reflect.Type, addr bool, name string) *fieldInfo {
	info := &fieldInfo{typ: typ, addr: addr}
	methods := typ
	if addr {
		methods = reflect.PointerTo(typ)
	}
	if m, ok := methods.MethodByName(name); ok {
		info.kind, info.method = fieldMethod, m.Index
		return info
	}
	switch typ.Kind() {
	case reflect.Struct:
		if f, ok := typ.FieldByName(name); ok && f.IsExported() {
			info.kind, info.index = fieldStruct, f.Index
		}
	case reflect.Map:
		if stringType.AssignableTo(typ.Key()) {
			info.kind, info.key = fieldMap, reflect.ValueOf(name)
		}
	}
	return info
}

// evalField evaluates an expression like (.Field) or (.Field arg1 arg2).
// The 'final' argument represents the return value from the preceding
// value of the pipeline, if any.
func (s *state) evalField(dot, receiver reflect.Value, f *fieldStep, args []*argument, hasFinal bool, final reflect.Value) reflect.Value {
	if !receiver.IsValid() {
		// The default missingkey option: an invalid value.
		return reflect.Value{}
	}
	receiver, isNil := indirectValue(receiver)
	if receiver.Kind() == reflect.Interface && isNil {
		bailf("nil pointer evaluating %s", f.name)
	}
	info := f.resolve(receiver)
	switch info.kind {
	case fieldMethod:
		ptr := receiver
		if info.addr {
			ptr = ptr.Addr()
		}
		return s.call(dot, ptr.Method(info.method), f.name, args, hasFinal, final)
	case fieldStruct:
		if len(args) > 0 || hasFinal {
			bailf("%s has arguments but cannot be invoked as function", f.name)
		}
		return fieldByIndex(receiver, info.index)
	case fieldMap:
		if len(args) > 0 || hasFinal {
			bailf("%s is not a method but has arguments", f.name)
		}
		// A missing key is the invalid value (missingkey=default).
		return receiver.MapIndex(info.key)
	}
	bailf("can't evaluate field %s in type %s", f.name, receiver.Type())
	return reflect.Value{}
}

// fieldByIndex is reflect.Value.FieldByIndexErr, bailing out where it
// returns an error (a nil embedded pointer).
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct {
			if v.IsNil() {
				bailf("reflect: indirection through nil pointer to embedded struct field %s", v.Type().Elem().Name())
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// call calls the method fun, as text/template's evalCall does.
func (s *state) call(dot, fun reflect.Value, name string, args []*argument, hasFinal bool, final reflect.Value) reflect.Value {
	typ := fun.Type()
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if typ.IsVariadic() {
		numFixed = typ.NumIn() - 1 // last arg is the variadic one.
		if numIn < numFixed {
			bailf("wrong number of args for %s: want at least %d got %d", name, typ.NumIn()-1, len(args))
		}
	} else if numIn != typ.NumIn() {
		bailf("wrong number of args for %s: want %d got %d", name, typ.NumIn(), numIn)
	}
	if numOut := typ.NumOut(); numOut != 1 && (numOut != 2 || typ.Out(1) != errorType) {
		bailf("invalid function signature for %s", name)
	}
	// Build the arg list.
	argv := make([]reflect.Value, numIn)
	// Args must be evaluated. Fixed args first.
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		argv[i] = args[i].typed(s, dot, typ.In(i))
	}
	// Now the ... args.
	if typ.IsVariadic() {
		argType := typ.In(typ.NumIn() - 1).Elem() // Argument is a slice.
		for ; i < len(args); i++ {
			argv[i] = args[i].typed(s, dot, argType)
		}
	}
	// Add final value if necessary.
	if hasFinal {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				// The added final argument corresponds to a fixed parameter of the function.
				// Validate against the type of the actual parameter.
				t = typ.In(numIn - 1)
			} else {
				// The added final argument corresponds to the variadic part.
				// Validate against the type of the elements of the variadic slice.
				t = t.Elem()
			}
		}
		argv[i] = validateType(final, t)
	}
	// A panic of the method bails out, as text/template returns it as an
	// error.
	ret := fun.Call(argv)
	if len(ret) == 2 && !ret[1].IsNil() {
		bailf("error calling %s: %v", name, ret[1].Interface())
	}
	v := ret[0]
	if v.Type() == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return v
}

// validateType guarantees that the value is valid and assignable to the type.
func validateType(value reflect.Value, typ reflect.Type) reflect.Value {
	if !value.IsValid() {
		if canBeNil(typ) {
			// Like above, but use the zero value of the non-nil type.
			return reflect.Zero(typ)
		}
		bailf("invalid value; expected %s", typ)
	}
	if typ == reflectValueType && value.Type() != typ {
		return reflect.ValueOf(value)
	}
	if !value.Type().AssignableTo(typ) {
		if value.Kind() == reflect.Interface && !value.IsNil() {
			value = value.Elem()
			if value.Type().AssignableTo(typ) {
				return value
			}
			// fallthrough
		}
		// Does one dereference or indirection work? We could do more, as we
		// do with method receivers, but that gets messy and method receivers
		// are much more constrained, so it makes more sense there than here.
		// Besides, one is almost always all you need.
		switch {
		case value.Kind() == reflect.Pointer && value.Type().Elem().AssignableTo(typ):
			value = value.Elem()
			if !value.IsValid() {
				bailf("dereference of nil pointer of type %s", typ)
			}
		case reflect.PointerTo(value.Type()).AssignableTo(typ) && value.CanAddr():
			value = value.Addr()
		default:
			bailf("wrong type for value; expected %s; got %s", typ, value.Type())
		}
	}
	return value
}

// argument is an argument of a function or method: the final value of the
// pipeline, a command, or a constant.
type argument struct {
	final bool
	cmd   command
	lit   parse.Node // the constant: a Bool, Nil, Number or String node
	// The constant converted for a function's parameter, or the error of
	// text/template's conversion.
	val reflect.Value
	err error
}

// value evaluates the argument; a constant is the one converted for the
// function's parameter.
func (a *argument) value(s *state, dot, final reflect.Value) reflect.Value {
	switch {
	case a.final:
		return final
	case a.cmd != nil:
		return a.cmd.eval(s, dot, reflect.Value{})
	case a.err != nil:
		bail(a.err)
	}
	return a.val
}

// any evaluates an argument of a parameter of type any, as the function
// receives it.
func (a *argument) any(s *state, dot, final reflect.Value) any {
	return valueInterface(a.value(s, dot, final))
}

// string evaluates an argument of a parameter of type string.
func (a *argument) string(s *state, dot, final reflect.Value) string {
	v := a.value(s, dot, final)
	if a.lit == nil {
		v = validateType(v, stringType)
	}
	return v.String()
}

var intType = reflect.TypeFor[int]()

// int evaluates an argument of a parameter of type int.
func (a *argument) int(s *state, dot, final reflect.Value) int {
	v := a.value(s, dot, final)
	if a.lit == nil {
		v = validateType(v, intType)
	}
	return int(v.Int())
}

// typed evaluates the argument of a method's parameter of type typ
// (text/template's evalArg).
func (a *argument) typed(s *state, dot reflect.Value, typ reflect.Type) reflect.Value {
	if a.cmd != nil {
		return validateType(a.cmd.eval(s, dot, reflect.Value{}), typ)
	}
	n := a.lit
	if _, ok := n.(*parse.NilNode); ok {
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		bailf("cannot assign nil to %s", typ)
	}
	value := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.Bool:
		if n, ok := n.(*parse.BoolNode); ok {
			value.SetBool(n.True)
			return value
		}
	case reflect.Complex64, reflect.Complex128:
		if n, ok := n.(*parse.NumberNode); ok && n.IsComplex {
			value.SetComplex(n.Complex128)
			return value
		}
	case reflect.Float32, reflect.Float64:
		if n, ok := n.(*parse.NumberNode); ok && n.IsFloat {
			value.SetFloat(n.Float64)
			return value
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, ok := n.(*parse.NumberNode); ok && n.IsInt {
			value.SetInt(n.Int64)
			return value
		}
	case reflect.Interface:
		if typ.NumMethod() == 0 {
			v, err := emptyInterfaceLiteral(n)
			if err != nil || !v.IsValid() {
				bailf("%s: can't handle as %s", n, typ)
			}
			return v
		}
	case reflect.Struct:
		if typ == reflectValueType {
			v, err := emptyInterfaceLiteral(n)
			if err != nil {
				bail(err)
			}
			return reflect.ValueOf(v)
		}
	case reflect.String:
		if n, ok := n.(*parse.StringNode); ok {
			value.SetString(n.Text)
			return value
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if n, ok := n.(*parse.NumberNode); ok && n.IsUint {
			value.SetUint(n.Uint64)
			return value
		}
	}
	bailf("can't handle %s for arg of type %s", n, typ)
	return reflect.Value{}
}

// The functions.

// andOrCmd is and, or or: the first argument whose truth decides, or the
// last, evaluated no further.
type andOrCmd struct {
	or   bool
	args []*argument
}

func (c *andOrCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	var v reflect.Value
	for _, a := range c.args {
		v = a.value(s, dot, final)
		if a.final || truth(v) == c.or {
			return v
		}
	}
	return v
}

type notCmd struct{ args []*argument }

func (c *notCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	return reflect.ValueOf(not(c.args[0].value(s, dot, final)))
}

type eqCmd struct{ args []*argument }

func (c *eqCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	var buf [4]reflect.Value
	vals := buf[:0]
	for _, a := range c.args {
		vals = append(vals, a.value(s, dot, final))
	}
	truth, err := eq(vals[0], vals[1:]...)
	if err != nil {
		bailf("error calling eq: %w", err)
	}
	return reflect.ValueOf(truth)
}

// compareCmd is ne, lt, le, gt or ge.
type compareCmd struct {
	fn   func(a, b reflect.Value) (bool, error)
	args []*argument
}

func (c *compareCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	a := c.args[0].value(s, dot, final)
	b := c.args[1].value(s, dot, final)
	truth, err := c.fn(a, b)
	if err != nil {
		bailf("error calling comparison: %w", err)
	}
	return reflect.ValueOf(truth)
}

type lenCmd struct{ args []*argument }

func (c *lenCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	n, err := length(c.args[0].value(s, dot, final))
	if err != nil {
		bailf("error calling len: %w", err)
	}
	return reflect.ValueOf(n)
}

type indexCmd struct{ args []*argument }

func (c *indexCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	var buf [4]reflect.Value
	vals := buf[:0]
	for _, a := range c.args {
		vals = append(vals, a.value(s, dot, final))
	}
	v, err := index(vals[0], vals[1:]...)
	if err != nil {
		bailf("error calling index: %w", err)
	}
	return v
}

// sprintCmd is a function that makes a string of any arguments.
type sprintCmd struct {
	fn   func(args ...any) string
	args []*argument
}

func (c *sprintCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		args[i] = a.any(s, dot, final)
	}
	return reflect.ValueOf(c.fn(args...))
}

type printfCmd struct{ args []*argument }

func (c *printfCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	format := c.args[0].string(s, dot, final)
	args := make([]any, len(c.args)-1)
	for i, a := range c.args[1:] {
		args[i] = a.any(s, dot, final)
	}
	return reflect.ValueOf(fmt.Sprintf(format, args...))
}

// textCmd is a function of the FuncMap of type
// func(string, ...any) (string, error), the theme's t.
type textCmd struct {
	fn   func(string, ...any) (string, error)
	args []*argument
}

func (c *textCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	key := c.args[0].string(s, dot, final)
	var args []any
	if len(c.args) > 1 {
		args = make([]any, len(c.args)-1)
		for i, a := range c.args[1:] {
			args[i] = a.any(s, dot, final)
		}
	}
	text, err := c.fn(key, args...)
	if err != nil {
		bail(err)
	}
	return reflect.ValueOf(text)
}

// pluralCmd is a function of the FuncMap of type
// func(string, int, ...any) (string, error), the theme's tn.
type pluralCmd struct {
	fn   func(string, int, ...any) (string, error)
	args []*argument
}

func (c *pluralCmd) eval(s *state, dot, final reflect.Value) reflect.Value {
	key := c.args[0].string(s, dot, final)
	n := c.args[1].int(s, dot, final)
	var args []any
	if len(c.args) > 2 {
		args = make([]any, len(c.args)-2)
		for i, a := range c.args[2:] {
			args[i] = a.any(s, dot, final)
		}
	}
	text, err := c.fn(key, n, args...)
	if err != nil {
		bail(err)
	}
	return reflect.ValueOf(text)
}
