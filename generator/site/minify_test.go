package site_test

import (
	"bytes"
	"io/fs"
	"os"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/search"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// A build minifies the layouts once and the Markdown bodies as fragments,
// not every page (publish/layout.go). This checks, on every file of the
// sample site and of a synthetic catalogue, that the result means what a
// minification of each whole page gives: minifying the built page again
// gives exactly the page that rendering with the layouts as written, then
// minifying, gives. And that the pages are minified in fact: at most 2 %
// above the fully minified size (html/template writes an apostrophe
// &#39;, which the page minifier shortens: about 1 % of a French page).
func TestMinifiedLayoutsMeanWhatMinifiedPagesMean(t *testing.T) {
	for name, fsys := range sampleAndSynth(t, 7) {
		t.Run(name, func(t *testing.T) {
			built, cat, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
			if err != nil || list.Errors() > 0 {
				t.Fatalf("build: %v %v", err, list)
			}
			th, err := theme.Load(fsys, cat.Site.Theme, cat.Site.Language)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := render.Render(cat, th, render.Options{Today: today, Post: publish.MinifyFile, CompactData: true})
			if err != nil {
				t.Fatal(err)
			}
			var pages, builtSize, refSize int
			for p, want := range ref {
				got, ok := built[p]
				if !ok {
					t.Errorf("%s: not built", p)
					continue
				}
				again, err := publish.MinifyFile(p, got)
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if !bytes.Equal(again, want) {
					i := 0
					for i < min(len(again), len(want)) && again[i] == want[i] {
						i++
					}
					t.Errorf("%s: minified again, differs from the minified page at byte %d:\n got %q\nwant %q", p, i, excerpt(again, i), excerpt(want, i))
					continue
				}
				if bytes.HasSuffix([]byte(p), []byte(".html")) {
					pages++
					builtSize += len(got)
					refSize += len(want)
					if len(got) > len(want)+len(want)*2/100+64 {
						t.Errorf("%s: %d bytes, fully minified %d: not minified", p, len(got), len(want))
					}
				}
			}
			if pages == 0 {
				t.Fatal("no pages compared")
			}
			t.Logf("%d pages: %d bytes built, %d fully minified (%+.2f %%)", pages, builtSize, refSize, 100*float64(builtSize-refSize)/float64(refSize))
		})
	}
}

func excerpt(b []byte, i int) []byte {
	return b[max(0, i-60):min(len(b), i+60)]
}

// The data files that cqp writes compact itself skip the minifier's parse
// (render.Options.CompactData, skipSearchData): on the sample site and on a synthetic
// catalogue, catalogue.json is exactly what the JSON minifier makes of the
// unminified file, and each result or block group of the search index is
// what the script minifier makes of it but for the final ";\n" it would
// drop.
func TestMinifiedDataFiles(t *testing.T) {
	for name, fsys := range sampleAndSynth(t, 11) {
		t.Run(name, func(t *testing.T) {
			raw, _, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}})
			if err != nil || list.Errors() > 0 {
				t.Fatalf("build: %v %v", err, list)
			}
			built, _, _, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
			if err != nil {
				t.Fatal(err)
			}
			data, groups := 0, 0
			for p, b := range raw {
				var want []byte
				switch {
				case p == render.DataPath:
					if want, err = publish.MinifyFile(p, bytes.Clone(b)); err != nil {
						t.Fatal(err)
					}
				case search.Minified(p):
					groups++
					min, err := publish.MinifyFile(p, bytes.Clone(b))
					if err != nil {
						t.Fatal(err)
					}
					if want = b; !bytes.Equal(min, bytes.TrimSuffix(b, []byte(";\n"))) {
						t.Errorf("%s: the script minifier changes more than the final \";\\n\":\n%q\n%q", p, excerpt(b, len(b)), excerpt(min, len(min)))
					}
				default:
					continue
				}
				data++
				if !bytes.Equal(built[p], want) {
					t.Errorf("%s: built minified, %d bytes, differs from the minifier's %d bytes", p, len(built[p]), len(want))
				}
			}
			if data != groups+1 || groups < 2 {
				t.Fatalf("compared %d data files, %d of them search groups", data, groups)
			}
		})
	}
}

// sampleAndSynth returns the sample site and a synthetic catalogue of 300
// CQPs drawn with seed.
func sampleAndSynth(t *testing.T, seed int64) map[string]fs.FS {
	t.Helper()
	synthFS, err := synth.FS(synth.Options{N: 300, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]fs.FS{"sample": os.DirFS("../.."), "synth": synthFS}
}
