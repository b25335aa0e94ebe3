package theme_test

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// today is the date the test sites are built on.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Every layout and partial of the default theme runs on tmplexec, in every
// language and minified or not.
func TestDefaultThemeIsCompiled(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		for _, opts := range []theme.Options{{}, {Compact: publish.MinifyLayout}} {
			th, err := theme.LoadWith(nil, "", lang, opts)
			if err != nil {
				t.Fatal(err)
			}
			if opts.Compact != nil && !th.Compacted() {
				t.Fatalf("%s: the default theme does not minify", lang)
			}
			for name, err := range theme.SlowTemplates(th) {
				t.Errorf("%s, compacted %v: %s executes with html/template: %v", lang, th.Compacted(), name, err)
			}
		}
	}
}

// Every file of the sample site and of a synthetic catalogue, in French
// and in English, minified or not, is the one html/template makes, and no
// page falls back to html/template.
func TestPagesAreHTMLTemplates(t *testing.T) {
	synthFS, err := synth.FS(synth.Options{N: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	sites := []struct {
		name string
		fsys fs.FS
	}{{"sample", os.DirFS("../..")}, {"synth", synthFS}}
	for _, s := range sites {
		for _, lang := range []string{"", "en"} {
			for _, minify := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/lang=%s/minify=%v", s.name, lang, minify), func(t *testing.T) {
					cat, list := site.Check(s.fsys, site.Options{Today: today})
					if list.Errors() > 0 {
						t.Fatalf("check: %v", list)
					}
					if lang != "" {
						cat.Site.Language = lang
					}
					build := func(fast bool) render.Files {
						th, err := site.LoadTheme(s.fsys, cat, minify)
						if err != nil {
							t.Fatal(err)
						}
						if fast {
							var mu sync.Mutex
							theme.OnFallback(th, func(name string, err error) {
								mu.Lock()
								defer mu.Unlock()
								t.Errorf("%s fell back to html/template: %v", name, err)
							})
						} else {
							theme.HTMLTemplateOnly(th)
						}
						opts := site.RenderOptions(th, minify)
						opts.Today = today
						files, err := render.Render(cat, th, opts)
						if err != nil {
							t.Fatal(err)
						}
						return files
					}
					got, want := build(true), build(false)
					pages := 0
					for p, w := range want {
						g, ok := got[p]
						switch {
						case !ok:
							t.Errorf("%s: missing", p)
						case !bytes.Equal(g, w):
							i := 0
							for i < min(len(g), len(w)) && g[i] == w[i] {
								i++
							}
							t.Errorf("%s differs at byte %d:\n got %q\nwant %q", p, i, excerpt(g, i), excerpt(w, i))
						case strings.HasSuffix(p, ".html"):
							pages++
						}
					}
					if len(got) != len(want) {
						t.Errorf("%d files, want %d", len(got), len(want))
					}
					if pages < 30 {
						t.Fatalf("%d pages compared", pages)
					}
				})
			}
		}
	}
}

func excerpt(b []byte, i int) []byte {
	return b[max(0, i-60):min(len(b), i+60)]
}

// bufferOnly is a writer that is not a bytes.Buffer, which Execute cannot
// truncate.
type bufferOnly struct{ b strings.Builder }

func (w *bufferOnly) Write(p []byte) (int, error) { return w.b.Write(p) }

// An execution error is html/template's, and what the writer receives is
// what html/template writes: the fast executor leaves nothing of its own.
func TestExecutionErrorsAreHTMLTemplates(t *testing.T) {
	layouts := map[string]string{
		"no field":    `{{define "main"}}<p>avant</p>{{.Nope}}{{end}}`,
		"index":       `{{define "main"}}<p>avant</p>{{index .Links 5}}{{end}}`,
		"missing key": `{{define "main"}}<p>avant</p>{{t "pas.de.texte" "x" 1}}{{end}}`,
		"wrong type":  `{{define "main"}}<p>avant</p>{{tn "cqp.duration" .Heading}}{{end}}`,
		"nil pointer": `{{define "main"}}<p>avant</p>{{.Next.Text}}{{end}}`,
		"partial":     `{{define "main"}}<p>avant</p>{{template "layouts/partials/steps.html" .Links}}{{end}}`,
	}
	type view struct {
		render.Page
		Links []render.Link
		Next  *render.Link
	}
	data := view{Page: render.Page{Heading: "Titre", Lang: "fr"}, Links: []render.Link{{Text: "a", URL: "/a"}}}
	for name, layout := range layouts {
		fsys := fstest.MapFS{"themes/t/layouts/page.html": file(layout)}
		for _, opts := range []theme.Options{{}, {Compact: publish.MinifyLayout}} {
			load := func() *theme.Theme {
				th, err := theme.LoadWith(fsys, "t", "fr", opts)
				if err != nil {
					t.Fatal(err)
				}
				return th
			}
			fast, slow := load(), load()
			theme.HTMLTemplateOnly(slow)
			fellBack := 0
			theme.OnFallback(fast, func(string, error) { fellBack++ })
			var got, want bytes.Buffer
			gotErr := fast.Execute(&got, "layouts/page.html", data)
			wantErr := slow.Execute(&want, "layouts/page.html", data)
			if wantErr == nil || gotErr == nil || gotErr.Error() != wantErr.Error() {
				t.Errorf("%s: error %v, want %v", name, gotErr, wantErr)
			}
			if got.String() != want.String() {
				t.Errorf("%s: wrote %q, html/template %q", name, got.String(), want.String())
			}
			var w bufferOnly
			if err := fast.Execute(&w, "layouts/page.html", data); err == nil || err.Error() != wantErr.Error() || w.b.String() != want.String() {
				t.Errorf("%s, to a writer: %v, wrote %q; want %v, %q", name, err, w.b.String(), wantErr, want.String())
			}
			if fellBack != 2 {
				t.Errorf("%s: %d fallbacks, want 2", name, fellBack)
			}
		}
	}
}

// Partial's errors are html/template's too.
func TestPartialErrorsAreHTMLTemplates(t *testing.T) {
	fast, err := theme.Load(nil, "", "fr")
	if err != nil {
		t.Fatal(err)
	}
	slow, err := theme.Load(nil, "", "fr")
	if err != nil {
		t.Fatal(err)
	}
	theme.HTMLTemplateOnly(slow)
	fellBack := 0
	theme.OnFallback(fast, func(string, error) { fellBack++ })
	bad := []struct{ Title int }{{1}}
	got, gotErr := fast.Partial("layouts/partials/steps.html", bad)
	want, wantErr := slow.Partial("layouts/partials/steps.html", bad)
	if wantErr == nil || gotErr == nil || gotErr.Error() != wantErr.Error() || got != want {
		t.Errorf("Partial = %q, %v; want %q, %v", got, gotErr, want, wantErr)
	}
	if fellBack != 1 {
		t.Errorf("%d fallbacks, want 1", fellBack)
	}
	steps := []render.Step{{Title: "Un & deux", Text: "L'étape"}}
	got, gotErr = fast.Partial("layouts/partials/steps.html", steps)
	want, wantErr = slow.Partial("layouts/partials/steps.html", steps)
	if gotErr != nil || wantErr != nil || got != want {
		t.Errorf("Partial = %q, %v; want %q, %v", got, gotErr, want, wantErr)
	}
}

// Partials compile at their first use, which many goroutines may reach
// at once (go test -race).
func TestConcurrentFirstPartials(t *testing.T) {
	th, err := theme.Load(nil, "", "fr")
	if err != nil {
		t.Fatal(err)
	}
	chrome := render.Chrome{Lang: "fr", SiteTitle: "Site", Nav: []render.Link{{Text: "a", URL: "/a", Current: true}}}
	calls := []struct {
		name string
		data any
	}{
		{"layouts/partials/header.html", chrome},
		{"layouts/partials/footer.html", chrome},
		{"layouts/partials/steps.html", []render.Step{{Title: "t", Text: "x"}}},
		{"layouts/partials/contacts.html", []render.Contact{{Label: "l", Email: "a@b.c", Tel: template.URL("tel:+33")}}},
	}
	var wg sync.WaitGroup
	results := make([][]template.HTML, 8)
	for g := range results {
		wg.Go(func() {
			for _, c := range calls {
				h, err := th.Partial(c.name, c.data)
				if err != nil {
					t.Error(err)
				}
				results[g] = append(results[g], h)
			}
		})
	}
	wg.Wait()
	for _, r := range results[1:] {
		if !slices.Equal(r, results[0]) {
			t.Fatalf("partials differ: %q, %q", r, results[0])
		}
	}
}
