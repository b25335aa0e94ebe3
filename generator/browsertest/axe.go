package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule sets the pages must pass: WCAG 2.0 and 2.1,
// levels A and AA (what the RGAA, the French public-sector standard, maps
// to), and Deque's best practices (landmarks, one h1, skip links...).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"` // selectors; nested arrays for shadow DOM
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// String formats the violation for a test failure: the rule, its impact,
// what it asks, where to read more, then each offending element by CSS
// selector with axe's explanation.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s) : %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		var sel []string
		for _, s := range n.Target {
			sel = append(sel, fmt.Sprint(s))
		}
		fmt.Fprintf(&b, "\n    - %s\n      %s", strings.Join(sel, " >> "), strings.ReplaceAll(strings.TrimSpace(n.FailureSummary), "\n", "\n      "))
		if n.HTML != "" {
			fmt.Fprintf(&b, "\n      %s", shortHTML(n.HTML))
		}
	}
	return b.String()
}

func shortHTML(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

// axeSource reads axe.min.js once per process: $CQP_AXE_JS, else
// node_modules/axe-core/axe.min.js beside this file (where make
// test-browser installs it), whatever package the test runs in.
var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv("CQP_AXE_JS")
	if path == "" {
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return "", fmt.Errorf("axe-core introuvable : CQP_AXE_JS n'est pas défini")
		}
		path = filepath.Join(filepath.Dir(file), "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("axe-core introuvable (%v) : lancez « make test-browser », qui l'installe avec npm ci dans generator/browsertest, ou indiquez axe.min.js dans CQP_AXE_JS", err)
	}
	return string(b), nil
})

// axeRun runs axe on the whole document and returns the violations, as JSON
// that Violation decodes. The injection goes through the DevTools protocol,
// so neither a CSP nor disabled JavaScript stops it.
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: { type: "tag", values: %s },
    resultTypes: ["violations"],
    // From file://, fetching the stylesheets again for the CSSOM rules is
    // a CORS error in the page's console; those rules then report
    // "incomplete", not a pass.
    preload: location.protocol !== "file:",
  });
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary || "" })),
  }));
})()`

// Axe runs axe-core on the page as it is now and returns the violations of
// AxeTags, sorted as axe sorts them.
func (p *Page) Axe() []Violation {
	p.t.Helper()
	src, err := axeSource()
	if err != nil {
		p.t.Fatal(err)
	}
	if p.noJS {
		// axe.run waits on timers, which do not fire while scripts are
		// disabled; the page's scripts did not run at load and will not.
		p.setScripts(true)
		defer p.setScripts(false)
	}
	if !Eval[bool](p, `typeof window.axe === "object"`) {
		Run(p, "injecter axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	return Eval[[]Violation](p, fmt.Sprintf(axeRun, tags))
}

// AssertAccessible fails the test with every axe-core violation of the page.
func (p *Page) AssertAccessible() {
	p.t.Helper()
	if v := p.Axe(); len(v) > 0 {
		var b strings.Builder
		for _, x := range v {
			b.WriteString("\n  " + strings.ReplaceAll(x.String(), "\n", "\n  "))
		}
		p.t.Errorf("%s : axe-core trouve %d règle(s) non respectée(s) :%s", p.URL(), len(v), b.String())
	}
}
