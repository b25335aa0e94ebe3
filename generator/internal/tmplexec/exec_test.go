package tmplexec_test

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/internal/tmplexec"
)

// funcs stand for the theme's t and tn.
var funcs = template.FuncMap{
	"t": func(key string, args ...any) (string, error) {
		if key == "missing" {
			return "", errors.New("no text for " + key)
		}
		return fmt.Sprint(append([]any{"T(", key}, append(args, ")")...)...), nil
	},
	"tn": func(key string, n int, args ...any) (string, error) {
		return fmt.Sprint(append([]any{"TN(", key, n}, append(args, ")")...)...), nil
	},
}

type stringer struct{ s string }

func (s stringer) String() string { return "<" + s.s + ">" }

type failure struct{}

func (failure) Error() string { return `failed & "quoted"` }

type ptrStringer struct{ s string }

func (p *ptrStringer) String() string { return "*" + p.s }

type methods struct {
	X    string
	Next *methods
}

func (m methods) Hello() string                 { return "hello " + m.X }
func (m *methods) Ptr() string                  { return "ptr " + m.X }
func (m methods) Fail() (string, error)         { return "", errors.New("fails") }
func (m methods) Maybe(ok bool) (string, error) { return m.X, nil }
func (m methods) Args(a string, n int) string   { return fmt.Sprintf("%s/%d", a, n) }
func (m methods) Join(sep string, xs ...string) string {
	return strings.Join(xs, sep)
}
func (m methods) Any(v any) string                { return fmt.Sprintf("%T:%v", v, v) }
func (m methods) Value() reflect.Value            { return reflect.ValueOf(42) }
func (m methods) Self() methods                   { return m }
func (m methods) Panic() string                   { panic("boom") }
func (m methods) Float(f float64) float64         { return f * 2 }
func (m methods) Uint(u uint8) uint8              { return u + 1 }
func (m methods) Named(s label) label             { return s + "!" }
func (m methods) Items() []string                 { return []string{"a", "b"} }
func (m methods) Nil() *methods                   { return nil }
func (m methods) Counts() map[string]int          { return map[string]int{"b": 2, "a": 1} }
func (m *methods) NilSafe() string                { return fmt.Sprint(m == nil) }
func (m methods) Interface() fmt.Stringer         { return stringer{"iface"} }
func (m methods) NilInterface() fmt.Stringer      { return nil }
func (m methods) ValueArg(v reflect.Value) string { return v.Kind().String() }

type label string

type Embedded struct{ Promoted string }

type hidden struct{ Exported string }

type item struct {
	Name, URL  string
	N          int
	Ok         bool
	Tags       []string
	Empty      []string
	Map        map[string]int
	Keys       map[int]string
	Sub        *item
	Nil        *item
	Any        any
	NilAny     any
	Str        fmt.Stringer
	HTML       template.HTML
	M          methods
	MP         *methods
	Ms         []methods
	Items      []item
	Ptr        *string
	F          float64
	U          uint
	I8         int8
	Label      label
	Arr        [2]string
	Ch         chan int
	Func       func() string
	unexported string
	Embedded
	*hidden
}

func sample() *item {
	s := "pointed <at>"
	return &item{
		Name: "O'Brien & <Sons>", URL: "https://example.org/a b?q=1&r=<2>", N: 3, Ok: true,
		Tags: []string{"a", "b&", "c"}, Empty: []string{},
		Map: map[string]int{"z": 26, "a": 1, "m": 13}, Keys: map[int]string{3: "c", 1: "a", 2: "b"},
		Sub: &item{Name: "sub", Sub: &item{Name: "subsub"}},
		Any: "any string", Str: stringer{"s"}, HTML: "<b>bold</b> &amp; <i>it</i>",
		M: methods{X: "m"}, MP: &methods{X: "mp"}, Ms: []methods{{X: "one"}, {X: "two"}},
		Items: []item{{Name: "first", N: 1}, {Name: "second", N: 2, Tags: []string{"x"}}},
		Ptr:   &s, F: 2.5, U: 7, I8: -3, Label: "lbl", Arr: [2]string{"x", "y"},
		unexported: "secret", Embedded: Embedded{Promoted: "promoted"}, hidden: &hidden{Exported: "through hidden"},
	}
}

// closedChan returns a closed channel, with nothing to receive.
func closedChan() chan int {
	ch := make(chan int)
	close(ch)
	return ch
}

// outcome is what a test expects of the executor.
type outcome int

const (
	fast    outcome = iota // compiles, and executes as html/template does
	bails                  // compiles, and returns an error, writing nothing
	refused                // does not compile
)

type execCase struct {
	name string
	src  string
	data any
	want outcome
}

// compare executes src with html/template and with tmplexec and compares
// the outputs, and what the executor does with what c.want says.
func compare(t *testing.T, c execCase) {
	t.Helper()
	set, err := template.New("page").Funcs(funcs).Parse(c.src)
	if err != nil {
		t.Fatalf("%s: parse: %v", c.name, err)
	}
	prog, err := tmplexec.Compile(set, "page", funcs)
	if c.want == refused {
		if err == nil {
			t.Errorf("%s: compiled, want refused", c.name)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: Compile: %v", c.name, err)
	}
	var want bytes.Buffer
	wantErr := set.Execute(&want, c.data)
	got := bytes.NewBufferString("before|")
	gotErr := prog.Execute(got, c.data)
	switch {
	case c.want == bails && gotErr == nil:
		t.Errorf("%s: executed, want an error; html/template: %q, %v", c.name, want.String(), wantErr)
	case c.want == bails && got.String() != "before|":
		t.Errorf("%s: left %q after the error", c.name, got.String())
	case c.want == fast && gotErr != nil:
		t.Errorf("%s: %v; html/template: %q, %v", c.name, gotErr, want.String(), wantErr)
	case c.want == fast && wantErr != nil:
		t.Errorf("%s: html/template fails: %v", c.name, wantErr)
	case c.want == fast && got.String() != "before|"+want.String():
		t.Errorf("%s:\n got %q\nwant %q", c.name, strings.TrimPrefix(got.String(), "before|"), want.String())
	}
}

func TestConstructs(t *testing.T) {
	d := sample()
	cases := []execCase{
		{"text", `<p>{{.Name}}</p>`, d, fast},
		{"comment", `a{{/* note */}}b{{- /* trimmed */ -}} c`, d, fast},
		{"if", `{{if .Ok}}yes{{end}}{{if .Empty}}no{{end}}`, d, fast},
		{"if else if else", `{{range .Items}}{{if eq .N 1}}one{{else if eq .N 2}}two{{else}}other{{end}};{{end}}`, d, fast},
		{"if truth", `{{if .N}}n{{end}}{{if .F}}f{{end}}{{if .U}}u{{end}}{{if .Nil}}nil{{end}}{{if .Sub}}sub{{end}}{{if .Map}}map{{end}}{{if .NilAny}}x{{end}}{{if .Any}}any{{end}}{{if .M}}struct{{end}}{{if .Arr}}arr{{end}}{{if .Ch}}ch{{end}}{{if .Func}}fn{{end}}`, d, fast},
		{"with", `{{with .Sub}}{{.Name}}{{end}}{{with .Nil}}x{{else}}none{{end}}`, d, fast},
		{"else with", `{{with .Nil}}nil{{else with .Sub}}{{.Name}}{{else}}none{{end}}`, d, fast},
		{"with declares", `{{with $s := .Sub}}{{$s.Name}}/{{.Name}}{{end}}`, d, fast},
		{"else if declares", `{{if $x := .Empty}}{{else if $y := .Name}}{{len $x}}{{$y}}{{end}}`, d, fast},
		{"range slice", `{{range .Tags}}[{{.}}]{{end}}`, d, fast},
		{"range index", `{{range $i, $t := .Tags}}{{$i}}={{$t}};{{end}}`, d, fast},
		{"range one var", `{{range $t := .Tags}}{{$t}}{{end}}`, d, fast},
		{"range empty else", `{{range .Empty}}x{{else}}empty{{end}}{{range .NilAny}}x{{else}}nil{{end}}{{range .Map.none}}x{{else}}missing{{end}}`, d, fast},
		{"range nil pointer", `{{range .Nil}}x{{else}}nil{{end}}`, d, bails},
		{"range else sees the variable", `{{range $x := .Empty}}{{else}}{{len $x}}{{end}}`, d, fast},
		{"range map", `{{range $k, $v := .Map}}{{$k}}={{$v}};{{end}}{{range .Map}}{{.}}{{end}}`, d, fast},
		{"range int keys", `{{range $k, $v := .Keys}}{{$k}}={{$v}};{{end}}`, d, fast},
		{"range interface keys", `{{range $k, $v := .}}{{$k}}={{$v}};{{end}}`, map[any]string{2: "two", "b": "B", 1: "one", "a": "A", 2.5: "f", true: "t", false: "f"}, fast},
		{"range struct keys", `{{range $k, $v := .}}{{$k.A}}{{$k.B}}={{$v}};{{end}}`, map[struct{ A, B int }]int{{2, 1}: 1, {1, 2}: 2, {1, 1}: 3}, fast},
		{"range pointer to slice", `{{range .}}{{.}}{{end}}`, &[]string{"p", "q"}, fast},
		{"range method result", `{{range $k, $v := .M.Counts}}{{$k}}{{$v}}{{end}}{{range .M.Items}}{{.}}{{end}}`, d, fast},
		{"range int", `{{range 3}}{{.}}{{end}}{{range $i := .N}}<{{$i}}>{{end}}{{range 0}}x{{else}}zero{{end}}`, d, fast},
		{"range uint", `{{range .U}}{{.}}{{end}}`, d, fast},
		{"range array", `{{range $i, $x := .Arr}}{{$i}}{{$x}}{{end}}`, d, fast},
		{"range structs", `{{range .Items}}{{.Name}}:{{range .Tags}}{{.}}{{end}};{{end}}`, d, fast},
		{"break continue", `{{range $i, $t := .Tags}}{{if eq $i 1}}{{continue}}{{end}}{{$t}}{{if eq $i 2}}{{break}}{{end}}x{{end}}`, d, fast},
		{"break in nested if", `{{range .Items}}{{with .Tags}}{{break}}{{end}}{{.Name}}{{end}}!`, d, fast},
		{"break in inner else", `{{range .Tags}}<{{.}}{{range $.Empty}}{{.}}{{else}}[e{{break}}E]{{end}}>{{end}}`, d, fast},
		{"continue in inner else", `{{range .Tags}}<{{.}}{{range $.Empty}}{{.}}{{else}}[e{{continue}}E]{{end}}>{{end}}`, d, fast},
		{"variables", `{{$x := .Name}}{{$n := 1}}{{if .Ok}}{{$n = 2}}{{$y := 3}}{{$y}}{{end}}{{$x}}{{$n}}`, d, fast},
		{"shadowing", `{{$x := 1}}{{range .Tags}}{{$x := .}}{{$x}}{{end}}{{$x}}{{$x := 2}}{{$x}}{{$x = 3}}{{$x}}`, d, fast},
		{"self reference", `{{$x := "a"}}{{$x := printf "%s%s" $x "b"}}{{$x}}`, d, fast},
		{"range assigns", `{{$i := 0}}{{$t := ""}}{{range $i, $t = .Tags}}{{end}}{{$i}}{{$t}}{{$e := "e"}}{{range $e = .Tags}}{{end}}{{$e}}`, d, fast},
		{"dollar", `{{range .Items}}{{$.Name}}/{{.Name}};{{end}}`, d, fast},
		{"dollar field", `{{$.Sub.Name}}{{with .Sub}}{{$.N}}{{end}}`, d, fast},
		{"chains", `{{.Sub.Sub.Name}}|{{(.Sub).Name}}|{{$s := .Sub}}{{$s.Sub.Name}}|{{(index .Items 1).Name}}`, d, fast},
		{"map key", `{{.Map.z}}{{.Map.missing}}|{{with .Map}}{{.a}}{{end}}`, d, fast},
		{"missing field of nil data", `[{{.X}}]{{.X.Y}}`, nil, fast},
		{"missing field on invalid", `{{.Map.none.Foo}}`, d, fast},
		{"methods", `{{.M.Hello}}|{{.MP.Hello}}|{{.MP.Ptr}}|{{range .Ms}}{{.Ptr}};{{end}}|{{.M.Self.Hello}}`, d, fast},
		{"pointer method on data", `{{.M.X}}{{.MP.Ptr}}`, d, fast},
		{"method args", `{{.M.Args "a" 2}}|{{.M.Join ", " "x" "y"}}|{{.M.Join "-"}}|{{.M.Any 3}}{{.M.Any 2.5}}{{.M.Any "s"}}{{.M.Any true}}{{.M.Any nil}}{{.M.Any .}}|{{.M.Float 1.5}}{{.M.Uint 3}}`, d, fast},
		{"method final", `{{"sep" | .M.Join}}|{{"b" | .M.Join "a"}}|{{3 | .M.Args "x"}}|{{true | .M.Maybe}}`, d, fast},
		{"method value result", `{{.M.Value}}{{.M.ValueArg 3}}{{.M.ValueArg .}}{{.M.ValueArg nil}}`, d, fast},
		{"method named type", `{{.M.Named "x"}}{{.M.Named .Label}}`, d, fast},
		{"method nil receiver", `{{.M.Nil.NilSafe}}`, d, fast},
		{"method interface result", `{{.M.Interface}}{{.M.NilInterface}}{{with .M.NilInterface}}x{{else}}nil{{end}}`, d, fast},
		{"method through interface", `{{.Str.String}}`, d, fast},
		{"method error", `a{{.M.Fail}}b`, d, bails},
		{"method error not reached", `{{if false}}{{.M.Fail}}{{end}}ok`, d, fast},
		{"method panic", `a{{.M.Panic}}`, d, bails},
		{"method wrong args", `{{.M.Args "a"}}`, d, bails},
		{"method wrong type", `{{.M.Args 1 2}}`, d, bails},
		{"pointer method on value", `{{.M.Ptr}}`, *d, bails},
		{"pointer method on addressable value", `{{range .Ms}}{{.Ptr}}{{end}}`, *d, fast},
		{"field with args", `{{.Name "x"}}`, d, bails},
		{"nil pointer", `{{with .Nil}}{{else}}ok{{end}}{{.Nil.Name}}`, d, bails},
		{"nil interface field", `{{.NilAny.X}}`, d, bails},
		{"nil stringer field", `{{.M.NilInterface.String}}`, d, bails},
		{"unexported field", `{{.unexported}}`, d, bails},
		{"no such field", `{{.Nope}}`, d, bails},
		{"embedded", `{{.Promoted}}{{.Embedded.Promoted}}`, d, fast},
		{"promoted method", `{{.Hello}}{{.X}}`, struct{ *methods }{&methods{X: "x"}}, fast},
		{"promoted method of nil pointer", `{{.Hello}}`, struct{ *methods }{}, bails},
		{"func field with args", `{{.Func "x"}}`, &item{Func: func() string { return "" }}, bails},
		{"promoted from unexported", `{{.Exported}}`, d, fast},
		{"nil embedded pointer", `{{.Exported}}`, &item{}, bails},
		{"interfaces", `{{.Any}}|{{.Str}}|{{.NilAny}}|{{.Str.String}}`, d, fast},
		{"interface holding struct", `{{.Any.Name}}`, &item{Any: item{Name: "in any"}}, fast},
		{"interface holding pointer", `{{.Any.Name}}{{.Any.M.Hello}}`, &item{Any: &item{Name: "in any"}}, fast},
		{"and or", `{{and .Ok .Name}}|{{and .Ok .Empty .Name}}|{{or .Empty .Name}}|{{or .Empty .Nil}}|{{and 1 0 2}}|{{or 0 "" 3}}`, d, fast},
		{"and or short-circuit", `{{and false .M.Fail}}|{{or true .M.Fail}}|{{if and .Nil .Nil.Name}}x{{end}}`, d, fast},
		{"and or final", `{{.Name | and .Ok}}|{{.Empty | or .Nil}}|{{.N | and}}`, d, fast},
		{"and not short", `{{and true .M.Fail}}`, d, bails},
		{"and without args", `{{and}}`, d, bails},
		{"not", `{{not .Ok}}{{not .Empty}}{{not .Nil}}{{not 0}}`, d, fast},
		{"eq", `{{eq .N 3}}{{eq .Name "x" "O'Brien & <Sons>"}}{{eq .U 7}}{{eq .I8 -3}}{{eq .F 2.5}}{{eq .Ok true}}{{eq .Nil nil}}{{eq .NilAny nil}}{{eq .Any "any string"}}{{eq .Label "lbl"}}`, d, fast},
		{"eq incompatible", `{{eq .N "3"}}`, d, bails},
		{"eq one arg", `{{eq .N}}`, d, bails},
		{"ne lt le gt ge", `{{ne .N 3}}{{lt .N 4}}{{le .N 3}}{{gt .Name "A"}}{{ge .U 8}}{{lt .I8 0}}{{lt -1 .U}}`, d, fast},
		{"lt bool", `{{lt true false}}`, d, bails},
		{"len", `{{len .Tags}}{{len .Map}}{{len .Name}}{{len .Arr}}{{len .Empty}}`, d, fast},
		{"len of int", `{{len .N}}`, d, bails},
		{"index", `{{index .Tags 1}}{{index .Map "m"}}{{index .Map "none"}}{{index .Keys 2}}{{index .Items 1 | print}}{{index .Name 0}}{{index .Arr 1}}`, d, fast},
		{"index nested", `{{index .Items 1 | printf "%v"}}`, d, fast},
		{"index out of range", `x{{index .Tags 5}}`, d, bails},
		{"index nil", `{{index nil 1}}`, d, bails},
		{"printing", `{{.N}} {{.Ok}} {{.F}} {{.U}} {{.I8}} {{.Label}} {{.Ptr}} {{.Nil}} {{.NilAny}} {{.Str}} {{.Arr}} {{.Tags}} {{.Map}} {{.Sub.Sub}} {{.M}} {{.MP}}`, d, fast},
		{"printing stringers and errors", `{{.}}|{{.E}}|{{.P}}|{{.PP}}`, map[string]any{"E": failure{}, "P": &ptrStringer{"p"}, "PP": ptrStringer{"v"}}, fast},
		{"printing nil", `{{print nil}}{{print}}{{printf "%v" nil}}`, d, fast},
		{"print printf println", `{{print .N .Name}}|{{printf "%d-%s-%v" .N .Name .Ok}}|{{println .N}}|{{.N | printf "%03d"}}|{{"%s!" | printf}}`, d, fast},
		{"printf bad format arg", `{{printf 3}}`, d, bails},
		{"constants", `{{1}}{{1.5}}{{0x10}}{{'a'}}{{1e3}}{{"s"}}{{true}}{{-2}}{{1i}}`, d, fast},
		{"nil command", `a{{nil}}`, d, bails},
		{"parenthesized", `{{(.Name)}}{{(printf "%s" .Name) | len}}{{(len .Tags) | print}}`, d, fast},
		{"template calls", `{{define "p"}}[{{.}}]{{end}}{{template "p" .Name}}{{template "p" .N}}{{template "p"}}{{template "p" .Sub.Name}}`, d, fast},
		{"template variables", `{{define "v"}}{{$x := "inner"}}{{$x}}{{$.Name}}{{end}}{{$x := "outer"}}{{template "v" .Sub}}{{$x}}`, d, fast},
		{"template declares", `{{define "p"}}{{.}}{{end}}{{template "p" $x := .Name}}{{$x}}`, d, fast},
		{"recursion", `{{define "tree"}}{{.Name}}{{with .Sub}}({{template "tree" .}}){{end}}{{end}}{{template "tree" .}}`, d, fast},
		{"block", `{{block "b" .}}default {{.Name}}{{end}}`, d, fast},
		{"t", `{{t "key"}}|{{t "key" "name" .Name}}|{{t "key" "n" .N "x" nil}}|{{"k" | t}}|{{.Name | t "key" "v"}}`, d, fast},
		{"t error", `x{{t "missing"}}`, d, bails},
		{"t key not a string", `{{t 3}}`, d, bails},
		{"t key named string", `{{t .Label}}`, d, bails},
		{"t key pointer", `{{t .Ptr}}`, d, fast},
		{"t key interface", `{{t .Any}}`, d, fast},
		{"tn", `{{tn "key" 2}}|{{tn "key" .N "x" .Name}}|{{3 | tn "key"}}`, d, fast},
		{"tn not an int", `{{tn "key" .U}}`, d, bails},
		{"tn float", `{{tn "key" 1.5}}`, d, bails},
		{"html builtin", `{{.Name | html}}|{{html .Name .N}}|<a title="{{html .Name}}">`, d, fast},
		{"urlquery builtin", `<a href="/s?q={{.Name | urlquery}}">{{urlquery .Name "x"}}</a>`, d, fast},
		{"range over channel", `{{range .Ch}}{{.}}{{end}}`, &item{Ch: closedChan()}, bails},
		{"range over nil channel", `{{range .Ch}}{{.}}{{else}}none{{end}}`, d, fast},
		{"range over function", `{{range .Func}}{{.}}{{end}}`, &item{Func: func() string { return "" }}, bails},
		{"range two vars over int", `{{range $i, $x := 3}}{{end}}`, d, bails},
		{"undefined variable in else", `{{if .Ok}}{{$y := 1}}{{else}}{{$y}}{{end}}`, d, refused},
		{"slice builtin", `{{slice .Tags 1}}`, d, refused},
		{"call builtin", `{{call .Func}}`, d, refused},
		{"js builtin", `{{js .Name}}`, d, refused},
		{"declaration in parentheses", `{{if ($x := .Ok)}}{{$x}}{{end}}`, d, refused},
		{"derived template", `{{define "p"}}{{.}}{{end}}<a title="{{template "p" .Name}}">`, d, refused},
		{"reflect.Value data", `{{.Name}}`, reflect.ValueOf(d), fast},
		{"deep recursion", `{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}`, d, bails},
	}
	for _, c := range cases {
		compare(t, c)
	}
}

// The values every escaping context is tried with.
var adversarial = []any{
	"plain", "", "O'Brien & <Sons> \"quoted\"", "<script>alert(1)</script>", "</script><b>",
	"a\x00b", "bad\xffutf8\xc3", "line\u2028sep\u2029", "javascript:alert(1)", "JavaScript:x",
	"https://example.org/a b?q=1&r=<2>#f", "mailto:a@b.c", "/rel/path?x=%zz&y=%41", "data:text/html,x",
	"img.png 2x, evil.png 1x", " a.png ,b.png 100w", "color: red; }", "expression(alert(1))", "-->", "<!--",
	"`${x}`", "\\back\\slash", "a\tb\nc\rd\fe", "{}()[]/*+?.^$|", "\ufdd0\ufffe\uffff", "x=y onclick=z",
	"href", "onload", "ZgotmplZ", "é à ç — “guillemets”",
	template.HTML("<b>bold</b> &amp; <i title=\"a>b\">x</i><script>s</script><!-- c --> t"),
	template.HTML(""), template.HTML("<textarea><b></textarea>x<title>y</title>z<style>p{}</style>"),
	template.HTMLAttr(`title="x"`), template.HTMLAttr("href"),
	template.URL("javascript:ok()"), template.URL("a b,c"), template.URL(""),
	template.JS("alert('x')"), template.JSStr(`it's "x"`), template.CSS("color: red"), template.Srcset("a.png 1x, b.png 2x"),
	3, -1.5, true, nil, stringer{"<s>"}, failure{}, []string{"a", "<b>"}, map[string]any{"k": "<v>", "n": 1},
	struct{ A, b string }{"<a>", "b"}, &ptrStringer{"p"},
}

// contexts holds an action in every escaping context of html/template.
var contexts = []string{
	`<p>{{.}}</p>`,
	`<a title="{{.}}">`,
	`<a title='{{.}}'>`,
	`<a title={{.}}>`,
	`<a href="{{.}}">`,
	`<a href={{.}}>`,
	`<a href="/search?q={{.}}&amp;x={{.}}#{{.}}">`,
	`<a href="{{.}}?q={{.}}">`,
	`<img srcset="{{.}}">`,
	`<img srcset="a.png 1x, {{.}}">`,
	`<p style="color: {{.}}">`,
	`<p style="background: url('{{.}}')">`,
	`<p style="font-family: '{{.}}'">`,
	`<style>p { color: {{.}} }</style>`,
	`<style>p { background: url({{.}}) }</style>`,
	`<script>var x = {{.}};</script>`,
	`<script>var s = "{{.}}", t = '{{.}}';</script>`,
	`<script>var r = /{{.}}/;</script>`,
	"<script>var t = `a{{.}}b`;</script>",
	`<script type="application/ld+json">{{.}}</script>`,
	`<a onclick="f({{.}})">`,
	`<a onclick="f('{{.}}')">`,
	`<title>{{.}}</title>`,
	`<textarea>{{.}}</textarea>`,
	`<!-- {{.}} -->`,
	"<script>/* {{.}} */ // {{.}}\n</script>",
	`<input {{.}}>`,
	`<input checked {{.}}="x">`,
	`<meta http-equiv="refresh" content="0; url={{.}}">`,
	`<div data-url="{{.}}" data-x="{{.}}">`,
}

func TestEscapingContexts(t *testing.T) {
	for _, ctx := range contexts {
		for _, v := range adversarial {
			compare(t, execCase{name: fmt.Sprintf("%s with %T %#v", ctx, v, v), src: ctx, data: v, want: fast})
		}
	}
}

// The cases of a Program are independent of the types of the values it
// met before: a field access meets other types and other addressability.
func TestPolymorphicFields(t *testing.T) {
	set := template.Must(template.New("page").Parse(`{{define "n"}}{{.Name}}{{.Hello}}{{end}}{{range .}}{{template "n" .}};{{end}}`))
	prog, err := tmplexec.Compile(set, "page", nil)
	if err != nil {
		t.Fatal(err)
	}
	type other struct {
		Hello string
		Name  int
	}
	type withMap map[string]string
	data := []any{
		struct {
			methods
			Name string
		}{methods{X: "emb"}, "s1"},
		&other{Hello: "field", Name: 2},
		withMap{"Name": "m", "Hello": "h"},
		other{Hello: "again", Name: 3},
	}
	for range 3 {
		var want, got bytes.Buffer
		if err := set.Execute(&want, data); err != nil {
			t.Fatal(err)
		}
		if err := prog.Execute(&got, data); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("got %q\nwant %q", got.String(), want.String())
		}
	}
}

// A range over a channel falls back before it receives anything, so that
// html/template finds every value.
func TestChannelNotConsumed(t *testing.T) {
	set := template.Must(template.New("page").Parse(`{{range .}}{{.}}{{end}}`))
	prog, err := tmplexec.Compile(set, "page", nil)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	close(ch)
	var b bytes.Buffer
	if err := prog.Execute(&b, ch); err == nil || b.Len() != 0 {
		t.Fatalf("Execute = %q, %v; want nothing and an error", b.String(), err)
	}
	if err := set.Execute(&b, ch); err != nil || b.String() != "12" {
		t.Fatalf("html/template after the fallback: %q, %v", b.String(), err)
	}
}

// When escaping fails, Compile returns html/template's error, which
// executing the template returns too.
func TestEscapeError(t *testing.T) {
	set := template.Must(template.New("page").Parse(`<a href="{{.}}`))
	_, err := tmplexec.Compile(set, "page", nil)
	if _, ok := errors.AsType[*template.Error](err); !ok {
		t.Fatalf("Compile: %v, want an *html/template.Error", err)
	}
	if err2 := set.Execute(&bytes.Buffer{}, nil); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("Execute: %v, want %v", err2, err)
	}
}

// Programs are executed by many goroutines at once (go test -race).
func TestConcurrentExecute(t *testing.T) {
	set := template.Must(template.New("page").Funcs(funcs).Parse(`{{range .Items}}<a href="{{.URL}}">{{.Name}} {{t "k" "n" .N}}</a>{{.M.Hello}}{{end}}{{range $k, $v := .Map}}{{$k}}{{$v}}{{end}}`))
	prog, err := tmplexec.Compile(set, "page", funcs)
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	var want bytes.Buffer
	if err := set.Execute(&want, d); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for range 8 {
		go func() {
			var b bytes.Buffer
			for range 50 {
				b.Reset()
				if err := prog.Execute(&b, d); err != nil {
					done <- err.Error()
					return
				}
			}
			done <- b.String()
		}()
	}
	for range 8 {
		if got := <-done; got != want.String() {
			t.Errorf("got %q, want %q", got, want.String())
		}
	}
}
