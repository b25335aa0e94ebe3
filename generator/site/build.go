package site

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/internal/par"
	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/schema"
	"github.com/cqp-catalogue/cqp/generator/search"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// BuildOptions tune a build.
type BuildOptions struct {
	// Today and Strict are the check's. Today also dates the feed when no
	// CQP has a date; leave it zero (rather than time.Now) unless it comes
	// from SOURCE_DATE_EPOCH, so that output never depends on the clock.
	Options
	// BaseURL replaces the site's base_url (--base-url); it must be an
	// absolute http(s) URL, which the command checks.
	BaseURL string
	// Minify shrinks HTML, CSS, JS, JSON, SVG and XML without changing
	// their meaning (--no-minify turns it off for debugging).
	Minify bool
}

// Build checks the site in fsys, then renders it in memory. On any error
// of the check (warnings included with Strict) it returns the diagnostics
// and no files, so that nothing is written. The error is for what is not
// the content's fault: a broken theme (with the layout, line and column),
// a file the minifier cannot read. The catalogue is returned whenever the
// content could be read, for the command's summary and the dev server.
func Build(fsys fs.FS, opts BuildOptions) (render.Files, *catalog.Catalog, diag.List, error) {
	cat, list := Check(fsys, opts.Options)
	if list.Errors() > 0 {
		return nil, cat, list, nil
	}
	files, collect := render.Collect()
	if err := Render(fsys, cat, opts, collect); err != nil {
		return nil, cat, list, err
	}
	return files, cat, list, nil
}

// Render renders the checked catalogue cat of the site in fsys and hands
// every file to sink as soon as it is ready, from several goroutines at
// once (see render.Stream): `cqp build` writes them to the output folder
// as they come, so that a large site never sits whole in memory. Check
// must have found no error. The files are the pages and the theme's files
// (render.Stream), the search index and its script (search/), and the
// JSON Schemas of the front matter (schema/), which the files `cqp new`
// writes name as <base_url>schema/<kind>.schema.json.
func Render(fsys fs.FS, cat *catalog.Catalog, opts BuildOptions, sink render.Sink) error {
	th, err := LoadTheme(fsys, cat, opts.Minify)
	if err != nil {
		return err
	}
	ropts := RenderOptions(th, opts.Minify)
	ropts.BaseURL, ropts.Today = opts.BaseURL, opts.Today
	// The index first, and out of memory before the pages start: both
	// use every core, and one after the other they never hold their
	// working sets at the same time.
	extra, err := search.Index(cat, search.Options{})
	if err != nil {
		return err
	}
	schemas := schema.JSONSchemas()
	for _, p := range slices.Sorted(maps.Keys(schemas)) {
		if _, clash := extra[p]; clash {
			return fmt.Errorf("%s : fichier en double (bogue du générateur)", p)
		}
		extra[p] = schemas[p]
	}
	if err := emitAll(extra, skipSearchData(ropts.Post), sink); err != nil {
		return err
	}
	ropts.Reserved = make(map[string]bool, len(extra))
	for p := range extra {
		ropts.Reserved[p] = true
	}
	extra = nil
	return render.Stream(cat, th, ropts, sink)
}

// emitAll passes files through post, on every core, then to sink.
func emitAll(files map[string][]byte, post func(string, []byte) ([]byte, error), sink render.Sink) error {
	paths := slices.Sorted(maps.Keys(files))
	errs := make([]error, len(paths))
	par.For(len(paths), func(i int) {
		p, b := paths[i], files[paths[i]]
		if post != nil {
			out, err := post(p, b)
			if err != nil {
				errs[i] = err
				return
			}
			b = out
		}
		errs[i] = sink.Put(p, b)
	})
	// The first in path order, whatever the scheduling.
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// LoadTheme loads the site's theme. With minify, its layouts are minified
// once (publish.MinifyLayout), so that pages come out minified without a
// pass over each; RenderOptions says how to finish the job. Build and the
// dev server load it this way, so that both serve the same bytes.
func LoadTheme(fsys fs.FS, cat *catalog.Catalog, minify bool) (*theme.Theme, error) {
	var opts theme.Options
	if minify {
		opts.Compact = publish.MinifyLayout
	}
	return theme.LoadWith(fsys, cat.Site.Theme, cat.Site.Language, opts)
}

// RenderOptions returns the render options that minify the site's files
// when minify is set: with layouts minified (th.Compacted), the Markdown
// bodies and the figure as fragments and every file but the pages as a
// whole; with layouts the minifier could not read (a theme's own), every
// file, pages included, as a whole. catalogue.json is written compact
// (render.Options.CompactData).
func RenderOptions(th *theme.Theme, minify bool) render.Options {
	switch {
	case !minify:
		return render.Options{}
	case th.Compacted():
		return render.Options{Post: publish.MinifyAsset, Fragment: publish.MinifyFragment, MinifiedBodies: true, CompactData: true}
	}
	return render.Options{Post: publish.MinifyFile, CompactData: true}
}

// skipSearchData is post but for the search index's result and block
// groups, which package search writes compact (search.Minified): the
// script minifier would only drop their final ";\n"
// (TestMinifiedDataFiles), and reading the 3,647 files of 10,000 CQPs
// again took 0.2 s of CPU.
func skipSearchData(post func(string, []byte) ([]byte, error)) func(string, []byte) ([]byte, error) {
	if post == nil {
		return nil
	}
	return func(p string, b []byte) ([]byte, error) {
		if search.Minified(p) {
			return b, nil
		}
		return post(p, b)
	}
}
