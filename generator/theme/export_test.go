package theme

import (
	"strings"

	"github.com/cqp-catalogue/cqp/generator/internal/tmplexec"
)

// HTMLTemplateOnly makes th execute every layout and partial with
// html/template, as before tmplexec: the reference of the tests.
func HTMLTemplateOnly(th *Theme) {
	th.fast = nil
	for _, t := range th.common.Templates() {
		th.partials.Store(t.Name(), (*tmplexec.Program)(nil))
	}
}

// OnFallback has f told of each execution of th that tmplexec hands to
// html/template. Set it before executing.
func OnFallback(th *Theme, f func(name string, err error)) { th.onFallback = f }

// SlowTemplates returns the page layouts and the partials of th that
// tmplexec does not compile, with the reason. It compiles the partials
// not compiled yet, as their first Partial would.
func SlowTemplates(th *Theme) map[string]error {
	slow := map[string]error{}
	for name, set := range th.layouts {
		if th.fast[name] == nil {
			_, slow[name] = tmplexec.Compile(set, BaseLayout, th.funcs)
		}
	}
	for _, t := range th.common.Templates() {
		name := t.Name()
		if strings.HasPrefix(name, "layouts/partials/") && th.partial(name) == nil {
			_, slow[name] = tmplexec.Compile(th.common, name, th.funcs)
		}
	}
	return slow
}
