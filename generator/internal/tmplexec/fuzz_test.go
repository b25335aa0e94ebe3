package tmplexec_test

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/internal/tmplexec"
)

// allContexts is one template with an action in every context, so that
// every escaper of html/template runs on the value.
var allContexts = sync.OnceValues(func() (*template.Template, *tmplexec.Program) {
	set := template.Must(template.New("page").Parse(strings.Join(contexts, "\n") +
		`<a href="/x?{{.| urlquery}}" title="{{. | html}}">{{html . "and" .}}</a>`))
	prog, err := tmplexec.Compile(set, "page", nil)
	if err != nil {
		panic(err)
	}
	return set, prog
})

// typed makes s a value of one of the types that escapers treat apart.
func typed(s string, kind uint8) any {
	switch kind % 12 {
	case 1:
		return template.HTML(s)
	case 2:
		return template.HTMLAttr(s)
	case 3:
		return template.URL(s)
	case 4:
		return template.JS(s)
	case 5:
		return template.JSStr(s)
	case 6:
		return template.CSS(s)
	case 7:
		return template.Srcset(s)
	case 8:
		return stringer{s}
	case 9:
		return []string{s, s}
	case 10:
		return &s
	case 11:
		return map[string]string{s: s}
	}
	return s
}

// FuzzEscapers checks the ported escapers against html/template's: for
// any string, as any of the types they treat apart, the output of every
// context is html/template's.
func FuzzEscapers(f *testing.F) {
	for _, v := range adversarial {
		if s, ok := v.(string); ok {
			for kind := range uint8(12) {
				f.Add(s, kind)
			}
		}
	}
	for _, s := range []string{
		"<b>a</b><script>x</script>y", "<a href='x>y'>z</a>", "<!-- c -->t", "<p title=\"a\" x=y>", "<textarea>t</textarea>",
		"<style>s</style>x", "<title>a</Title >b", "<meta content=x>y", "<br/>a<x-y:z>b", "</script>x", "<a =b>c", "<a b'c>d", "a<",
		"%41%zz%", "a,b c,  d 1x", "\\41 x\\\"", "\\0000041", "mailto:x y", "HTTP://x", "/a:b", "?#", "\u2028\u2029", "\ufdef",
	} {
		for kind := range uint8(12) {
			f.Add(s, kind)
		}
	}
	f.Fuzz(func(t *testing.T, s string, kind uint8) {
		set, prog := allContexts()
		v := typed(s, kind)
		var want, got bytes.Buffer
		if err := set.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		if err := prog.Execute(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			g, w := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("%T %q: line %d:\n got %q\nwant %q", v, s, i+1, g[i], w[i])
				}
			}
			t.Fatalf("%T %q:\n got %q\nwant %q", v, s, got.String(), want.String())
		}
	})
}
