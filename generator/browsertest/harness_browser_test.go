//go:build browser

package browsertest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The harness's own tests, on a small static fixture: every helper must
// see what a visitor sees, and the checks must catch what they claim to
// catch (a check that never fails checks nothing).

const fixture = "testdata/fixture"

func TestBrowserHarnessOverHTTPAndFile(t *testing.T) {
	b := Start(t)
	for _, tc := range []struct{ name, home string }{
		{"http", Serve(t, fixture)},
		{"file", FileURL(t, fixture, "index.html")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.NewPage(t)
			p.Open(tc.home)
			if got := p.Title(); got != "Accueil — banc d'essai du harnais" {
				t.Errorf("Title() = %q", got)
			}
			p.WaitFor(`document.getElementById("etat").textContent === "JavaScript actif"`)
			if n := p.Count("#resultats li"); n != 2 {
				t.Errorf("Count(#resultats li) = %d, want 2", n)
			}

			p.Type("#q", "soud")
			p.WaitFor(`document.getElementById("etat").textContent === "1 résultat"`)
			if got := p.Text("#resultats li:not(.cache)"); got != "Soudeur" {
				t.Errorf("visible result = %q, want Soudeur", got)
			}
			p.Clear("#q")
			p.Type("#q", "o")
			p.WaitFor(`document.getElementById("etat").textContent === "2 résultats"`)

			p.ClickAndWait("nav a")
			if !strings.HasSuffix(p.URL(), "/sous/index.html") {
				t.Errorf("after clicking the menu link, URL = %s", p.URL())
			}
			if got := p.Text("h1"); got != "Sous-page" {
				t.Errorf("h1 = %q", got)
			}
			if got := p.Attr("main a", "href"); got != "../index.html" {
				t.Errorf(`Attr(main a, href) = %q, want "../index.html"`, got)
			}
			p.Back()
			p.WaitVisible("#q")
			p.AssertAccessible()
			p.AssertNoConsoleErrors()
		})
	}
}

func TestBrowserHarnessFindsAxeViolations(t *testing.T) {
	p := Start(t).NewPage(t)
	p.Open(Serve(t, fixture) + "inaccessible.html")
	var ids []string
	for _, v := range p.Axe() {
		ids = append(ids, v.ID)
		if v.HelpURL == "" || len(v.Nodes) == 0 || !strings.Contains(v.String(), v.ID) {
			t.Errorf("violation %s lacks its explanation: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s on a page that breaks it; reported %v", want, ids)
		}
	}
	t.Logf("axe on inaccessible.html: %v", ids)
	if s := p.Axe()[0].String(); !strings.Contains(s, "dequeuniversity.com") {
		t.Errorf("violation text has no help URL:\n%s", s)
	}

	p.Open(Serve(t, fixture))
	if v := p.Axe(); len(v) != 0 {
		t.Errorf("axe found %d violations on the accessible fixture: %v", len(v), v)
	}
}

func TestBrowserHarnessCatchesCSPViolations(t *testing.T) {
	b := Start(t)
	srv := ServeCSP(t, fixture)

	p := b.NewPage(t)
	p.Open(srv + "inline.html")
	v := p.CSPViolations()
	t.Logf("CSP violations of inline.html:\n  %s", strings.Join(v, "\n  "))
	joined := strings.Join(v, "\n")
	for _, want := range []string{"script-src", "style-src"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %s violation reported for an inline script and style under %q", want, StrictCSP)
		}
	}
	if got := p.Text("#x"); got != "avant" {
		t.Errorf("the inline script ran under the strict CSP: #x = %q", got)
	}

	// The accessible fixture has no inline code: nothing is blocked, and
	// its external script runs.
	q := b.NewPage(t)
	q.Open(srv)
	q.WaitFor(`document.getElementById("etat").textContent === "JavaScript actif"`)
	q.AssertNoCSPViolations()
	q.AssertNoConsoleErrors()

	// The header is there.
	resp, err := http.Get(srv)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); got != StrictCSP {
		t.Errorf("ServeCSP sent Content-Security-Policy %q, want %q", got, StrictCSP)
	}
}

func TestBrowserHarnessWithoutJavaScript(t *testing.T) {
	p := Start(t).NewPage(t)
	p.DisableJavaScript()
	p.Open(Serve(t, fixture))
	if got := p.Text("#etat"); got != "Sans JavaScript" {
		t.Errorf("with JavaScript disabled, #etat = %q: the page's script ran", got)
	}
	if n := p.Count("#resultats li"); n != 2 {
		t.Errorf("with JavaScript disabled, %d results, want the whole list (2)", n)
	}
	p.AssertAccessible()
}

func TestBrowserHarnessServesUnderSubPathAnd404(t *testing.T) {
	p := Start(t).NewPage(t)
	base := ServeUnder(t, fixture, "/catalogue/cqp/")
	if !strings.HasSuffix(base, "/catalogue/cqp/") {
		t.Fatalf("ServeUnder = %s", base)
	}
	p.Open(base)
	p.ClickAndWait("nav a")
	if got := p.URL(); got != base+"sous/index.html" {
		t.Errorf("relative link under a sub-path led to %s, want %ssous/index.html", got, base)
	}
	resp, err := http.Get(base + "nulle-part/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing page: status %d, want 404", resp.StatusCode)
	}
	p.Open(base + "nulle-part/")
	if got := p.Text("h1"); got != "Page introuvable" {
		t.Errorf("missing page shows %q, want the site's 404.html", got)
	}
}

func TestBrowserHarnessScreenshots(t *testing.T) {
	p := Start(t).NewPage(t)
	dir := t.TempDir()
	for _, w := range []int{390, 1280} {
		p.Viewport(w, 800)
		p.Open(Serve(t, fixture))
		if got := Eval[int](p, "window.innerWidth"); got != w {
			t.Errorf("Viewport(%d): innerWidth = %d", w, got)
		}
		path := filepath.Join(dir, fmt.Sprintf("accueil-%d.png", w))
		p.Screenshot(path)
		if n := fileSize(t, path); n < 1000 {
			t.Errorf("screenshot %s has %d bytes", path, n)
		}
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
