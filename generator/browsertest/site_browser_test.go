//go:build browser

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/site"
)

// The sample site (content/ of the repository), built by the Go API as
// `cqp build` builds it, minified, and written by publish, then visited.

type sample struct {
	dir string
	cat *catalog.Catalog
}

// repoRoot is the repository's folder, found from this file so that the
// tests run from any working folder.
func repoRoot(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the repository")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func buildSample(t *testing.T) sample {
	t.Helper()
	root := repoRoot(t)
	files, cat, list, err := site.Build(os.DirFS(root), site.BuildOptions{Minify: true})
	if list.Errors() > 0 {
		var b strings.Builder
		list.Write(&b, diag.Text)
		t.Fatalf("the sample content does not pass check:\n%s", b.String())
	}
	if err != nil {
		t.Fatalf("site.Build: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := (publish.Options{Source: root}).Write(dir, files); err != nil {
		t.Fatalf("publish.Write: %v", err)
	}
	return sample{dir: dir, cat: cat}
}

// firstCQP returns the first active CQP (in catalogue order) for which ok
// holds.
func (s sample) firstCQP(t *testing.T, what string, ok func(*catalog.CQP) bool) *catalog.CQP {
	t.Helper()
	for _, c := range s.cat.CQPs {
		if !c.Archived() && ok(c) {
			return c
		}
	}
	t.Fatalf("the sample catalogue has no active %s", what)
	return nil
}

func cqpHref(id string) string    { return "cqp/" + id + "/index.html" }
func branchHref(id string) string { return "branches/" + id + "/index.html" }

func TestBrowserSample(t *testing.T) {
	s := buildSample(t)
	b := Start(t)
	httpBase := ServeCSP(t, s.dir)
	bases := []struct{ name, base, home string }{
		{"http", httpBase, httpBase},
		{"file", strings.TrimSuffix(FileURL(t, s.dir, "index.html"), "index.html"), FileURL(t, s.dir, "index.html")},
	}

	cqpi := s.firstCQP(t, "CQPI", (*catalog.CQP).IsCQPI)

	// A visitor lands on the home page, goes to the CQPI page, follows its
	// links to every partner branch and comes back from each.
	for _, base := range bases {
		t.Run("CQPI links/"+base.name, func(t *testing.T) {
			p := b.NewPage(t)
			p.Open(base.home)
			if p.Count(`a[href$="`+cqpHref(cqpi.ID)+`"]`) == 0 {
				// Not on the home page's first screen: through the
				// CQPI page, which lists every one.
				p.ClickAndWait(`a[href$="cqpi/index.html"]`)
			}
			p.ClickAndWait(`main a[href$="` + cqpHref(cqpi.ID) + `"]`)
			assertAt(t, p, cqpHref(cqpi.ID))
			if h1 := p.Text("h1"); !strings.Contains(h1, cqpi.Title) {
				t.Errorf("CQPI page h1 = %q, want the title %q", h1, cqpi.Title)
			}
			for _, br := range cqpi.BranchRefs {
				p.ClickAndWait(`main a[href$="` + branchHref(br.ID) + `"]`)
				assertAt(t, p, branchHref(br.ID))
				if h1 := p.Text("h1"); !strings.Contains(h1, br.Name) {
					t.Errorf("branch page h1 = %q, want the name %q", h1, br.Name)
				}
				// The branch page lists the CQPI it shares; back to it.
				p.ClickAndWait(`main a[href$="` + cqpHref(cqpi.ID) + `"]`)
				assertAt(t, p, cqpHref(cqpi.ID))
			}
			p.Back()
			p.WaitFor(`document.readyState === "complete"`)
			p.AssertNoConsoleErrors()
		})
	}

	// Every CQPI page links every carrying branch's page and, for a branch
	// that publishes its own catalogue, the same CQPI there.
	t.Run("CQPI links/every CQPI", func(t *testing.T) {
		p := b.NewPage(t)
		n := 0
		for _, c := range s.cat.CQPs {
			if !c.IsCQPI() {
				continue
			}
			n++
			p.Open(httpBase + cqpHref(c.ID))
			for _, br := range c.BranchRefs {
				if p.Count(`main a[href$="../../`+branchHref(br.ID)+`"]`) == 0 {
					t.Errorf("%s: no link to the branch page %s", c.ID, branchHref(br.ID))
				}
				if br.CatalogueURL != "" {
					want := br.CatalogueURL + "cqp/" + c.ID + "/"
					if p.Count(`a[href="`+want+`"]`) == 0 {
						t.Errorf("%s: no link to %s, the CQPI in the catalogue of %s", c.ID, want, br.ID)
					}
				}
			}
		}
		t.Logf("%d CQPI pages checked", n)
	})

	// Every kind of page: axe-core (WCAG 2.1 A and AA, best practices),
	// the strict CSP, the console, on a phone and on a desktop.
	t.Run("every kind of page", func(t *testing.T) {
		plain := s.firstCQP(t, "CQP of a single branch", func(c *catalog.CQP) bool { return !c.IsCQPI() })
		leveled := s.firstCQP(t, "CQP with an RNCP level", func(c *catalog.CQP) bool { return c.Level() > 0 })
		owner := s.cat.Branches[0].ID
		if len(s.cat.Pages) == 0 {
			t.Fatal("the sample has no free page")
		}
		pages := []struct{ kind, path string }{
			{"home", "index.html"},
			{"CQP", cqpHref(plain.ID)},
			{"CQPI", cqpHref(cqpi.ID)},
			{"branch", branchHref(owner)},
			{"branches", "branches/index.html"},
			{"cqpi", "cqpi/index.html"},
			{"level", fmt.Sprintf("niveaux/%d/index.html", leveled.Level())},
			{"levels", "niveaux/index.html"},
			{"free page", s.cat.Pages[0].Slug + "/index.html"},
			{"search", "recherche/index.html"},
			{"404", "404.html"},
		}
		for _, pg := range pages {
			for _, width := range []int{1280, 390} {
				t.Run(fmt.Sprintf("%s/%d", pg.kind, width), func(t *testing.T) {
					p := b.NewPage(t)
					p.Viewport(width, 900)
					p.Open(httpBase + pg.path)
					p.WaitFor(`document.readyState === "complete"`)
					p.AssertAccessible()
					p.AssertNoCSPViolations()
					p.AssertNoConsoleErrors()
				})
			}
		}
	})

	// Without JavaScript, recherche/ lists every active CQP, each item's
	// first link going to its page.
	for _, base := range bases {
		t.Run("search without JavaScript/"+base.name, func(t *testing.T) {
			p := b.NewPage(t)
			p.DisableJavaScript()
			url := base.base + "recherche/index.html"
			if base.name == "http" {
				url = base.base + "recherche/"
			}
			p.Open(url)
			hrefs := Eval[[]string](p, `Array.from(document.querySelectorAll("ol#resultats > li"), (li) => {
  const a = li.querySelector("a[href]");
  return a ? a.getAttribute("href") : "";
})`)
			cqpLink := regexp.MustCompile(`^(?:\.\./)?cqp/([a-z0-9-]+)/(?:index\.html)?$`)
			var got []string
			for i, h := range hrefs {
				m := cqpLink.FindStringSubmatch(h)
				if m == nil {
					t.Errorf("result %d: first link %q does not go to a CQP page", i+1, h)
					continue
				}
				got = append(got, m[1])
			}
			var want []string
			for _, c := range s.cat.CQPs {
				if !c.Archived() {
					want = append(want, c.ID)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("recherche/ without JavaScript lists %d CQPs:\n  %v\nwant every active CQP (%d):\n  %v", len(got), got, len(want), want)
			}
			if text := p.Text("ol#resultats"); text == "" {
				t.Error("the result list shows no text")
			}
			p.AssertAccessible()
		})
	}

	// Screenshots for looking at the layout: into CQP_SCREENSHOTS when set,
	// else the test's temporary folder.
	t.Run("screenshots", func(t *testing.T) {
		dir := os.Getenv("CQP_SCREENSHOTS")
		if dir == "" {
			dir = t.TempDir()
		}
		for _, shot := range []struct{ name, path string }{
			{"accueil", "index.html"},
			{"cqp", cqpHref(cqpi.ID)},
		} {
			for _, size := range [][2]int{{390, 844}, {1280, 800}} {
				p := b.NewPage(t)
				p.Viewport(size[0], size[1])
				p.Open(httpBase + shot.path)
				p.WaitFor(`document.readyState === "complete"`)
				if got := Eval[int](p, `document.documentElement.scrollWidth`); got > size[0] {
					t.Errorf("%s at %dpx: the page is %dpx wide, it scrolls sideways", shot.path, size[0], got)
				}
				p.Screenshot(filepath.Join(dir, fmt.Sprintf("%s-%d.png", shot.name, size[0])))
			}
		}
	})
}

// assertAt checks that the tab shows the page at the output path rel.
func assertAt(t *testing.T, p *Page, rel string) {
	t.Helper()
	u := p.URL()
	if !strings.HasSuffix(u, "/"+rel) && !strings.HasSuffix(u, "/"+strings.TrimSuffix(rel, "index.html")) {
		t.Fatalf("the tab is at %s, want …/%s", u, rel)
	}
}
