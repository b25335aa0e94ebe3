package site

import (
	"io/fs"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
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
	th, err := theme.Load(fsys, cat.Site.Theme, cat.Site.Language)
	if err != nil {
		return nil, cat, list, err
	}
	ropts := render.Options{BaseURL: opts.BaseURL, Today: opts.Today}
	if opts.Minify {
		// Minified as they are rendered, by batches: the unminified pages
		// of a large catalogue never all sit in memory.
		ropts.Post = func(f render.Files) error { return publish.Minify(f) }
	}
	files, err := render.Render(cat, th, ropts)
	if err != nil {
		return nil, cat, list, err
	}
	// The search index and its script (search/), built from the model, and
	// the JSON Schemas of the front matter, which the files `cqp new`
	// writes name as <base_url>schema/<kind>.schema.json.
	extra, err := search.Index(cat, search.Options{})
	if err != nil {
		return nil, cat, list, err
	}
	for p, b := range schema.JSONSchemas() {
		extra[p] = b
	}
	if opts.Minify {
		if err := publish.Minify(extra); err != nil {
			return nil, cat, list, err
		}
	}
	for p, b := range extra {
		files[p] = b
	}
	return files, cat, list, nil
}
