package publish

import (
	"fmt"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"
)

// Minifying the layouts rather than the pages
//
// Minifying 10,000 rendered pages was a fifth of a build's time, and most
// of what it removed came from the layouts (indentation, newlines between
// elements), the same on every page. MinifyLayout minifies the layouts
// once, when the theme loads, with the settings of pages and the
// minifier's Go-template mode, which keeps every {{…}} action as written
// and treats it as opaque text. Pages executed from them come out
// minified, except for what the layouts insert as it is (template.HTML):
// the Markdown bodies, which MinifyFragment minifies as they are rendered,
// and the partials that package render renders once and shares, which
// come from minified layouts too. A test (site) checks on every page of
// the sample site that minifying the page again gives the page that the
// old per-page minification gave.

// layoutMinifier minifies layouts: the HTML settings of pages, with
// html/template actions kept.
var layoutMinifier = sync.OnceValue(func() *minify.M {
	m := minify.New()
	h := htmlMinifier()
	h.TemplateDelims = html.GoTemplateDelims
	m.Add(typeHTML, h)
	addOthers(m)
	return m
})

// MinifyLayout minifies the source of an html/template layout or partial
// (path names it in errors). The actions, {{…}}, are kept byte for byte,
// trim markers included.
func MinifyLayout(path string, src []byte) ([]byte, error) {
	out, err := layoutMinifier().Bytes(typeHTML, src)
	if err != nil {
		return nil, fmt.Errorf("minification de %s : %v", path, err)
	}
	return out, nil
}

// MinifyFragment minifies a piece of HTML that a layout inserts as it is,
// such as a Markdown body, with the settings of pages.
func MinifyFragment(b []byte) ([]byte, error) {
	return shared().Bytes(typeHTML, b)
}

// MinifyFile minifies one file as Minify would: path picks the minifier
// (a file of another type is returned as it is). It may return b itself.
func MinifyFile(path string, b []byte) ([]byte, error) {
	if mediaType(path) == "" {
		return b, nil
	}
	return minifyFile(shared(), path, b)
}

// MinifyAsset is MinifyFile for every file but HTML pages, which it returns
// as they are: for pages executed from layouts that MinifyLayout minified.
func MinifyAsset(path string, b []byte) ([]byte, error) {
	if mt := mediaType(path); mt == "" || mt == typeHTML {
		return b, nil
	}
	return minifyFile(shared(), path, b)
}
