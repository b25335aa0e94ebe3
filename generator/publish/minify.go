package publish

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Media types, by the output file's extension. Files with any other
// extension (robots.txt, images, fonts) are left byte for byte.
const (
	typeHTML = "text/html"
	typeCSS  = "text/css"
	typeJS   = "application/javascript"
	typeJSON = "application/json"
	typeSVG  = "image/svg+xml"
	typeXML  = "application/xml"
)

var extTypes = map[string]string{
	".html":        typeHTML,
	".htm":         typeHTML,
	".css":         typeCSS,
	".js":          typeJS,
	".mjs":         typeJS,
	".json":        typeJSON,
	".jsonld":      typeJSON,
	".webmanifest": typeJSON,
	".svg":         typeSVG,
	".xml":         typeXML,
	".atom":        typeXML,
	".rss":         typeXML,
	".xsl":         typeXML,
}

// mediaType returns the media type Minify uses for the output path p, or ""
// when the file is left alone.
func mediaType(p string) string {
	return extTypes[strings.ToLower(path.Ext(p))]
}

// newMinifier configures tdewolff/minify (once: see shared). A minify.M
// is safe for concurrent use once configured (its registry is read under a
// read lock), so the workers share it. Every setting below is chosen so that
// the minified file means exactly what the rendered one meant: same DOM, same
// text, same attributes that CSS selectors, axe-core and scripts look at,
// same JSON values.
func newMinifier() *minify.M {
	m := minify.New()
	m.Add(typeHTML, htmlMinifier())
	addOthers(m)
	return m
}

// htmlMinifier holds the HTML settings, shared by pages, fragments and
// layouts.
func htmlMinifier() *html.Minifier {
	return &html.Minifier{
		// <html lang>, <head> and <body> stay: the lang attribute is what
		// screen readers and axe's html-has-lang rule read, and omitting the
		// tags (valid HTML) confuses tools that read the files as text.
		KeepDocumentTags: true,
		// </p>, </li>, </td>... stay: optional end tags are valid HTML but
		// a tag soup that only a full HTML5 parser reads back; feeds, tests
		// and editors' tools are not all full parsers.
		KeepEndTags: true,
		// Attribute values keep their quotes: unquoted values are valid but
		// brittle for any tool that greps or rewrites the output.
		KeepQuotes: true,
		// type="text" on inputs, type="submit" on buttons, method="get"...
		// are kept because the theme's CSS selects on them
		// (input[type=text]) and removing them would silently unstyle the
		// page; they cost a few bytes.
		KeepDefaultAttrVals: true,
		// Whitespace is collapsed, which is what a browser does anyway; the
		// minifier never touches <pre> and <textarea> (and the raw text of
		// <script> and <style>, which it hands to the JS and CSS minifiers),
		// and it keeps one space between inline elements. A theme that sets
		// `white-space: pre` on other elements must use <pre>.
		KeepWhitespace: false,
		// Comments go, including conditional comments (no browser we support
		// reads them) and "important" <!--! --> ones: the output carries no
		// licence text of its own, and a comment never changes the page.
		KeepComments:        false,
		KeepSpecialComments: false,
	}
}

// addOthers registers every minifier but HTML's.
func addOthers(m *minify.M) {
	// Precision 0 keeps every significant digit of numbers: shortening
	// 0.333333 to .33 would move layouts.
	m.Add(typeCSS, &css.Minifier{Precision: 0})

	jsMin := &js.Minifier{
		// Local variables are renamed only where minify proves it safe (not
		// in scopes holding eval or with); globals and properties are never
		// renamed, so the theme's scripts keep talking to each other and to
		// the search index through the same names.
		KeepVarNames: false,
		// Precision 0: numbers keep every digit.
		Precision: 0,
		// The output uses no syntax newer than ES2020, which every browser
		// of the last four years reads (Safari 14, the oldest iPhones still
		// in use); the input may be newer, it is then kept as written.
		Version: 2020,
	}
	m.Add(typeJS, jsMin)
	// Inline scripts, when a theme has any (the default theme has none: a
	// strict CSP forbids them), are minified the same way. type="module"
	// is JavaScript too.
	m.AddRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), jsMin)
	m.Add("module", jsMin)

	// KeepNumbers: a JSON minifier may write 1000000 as 1e6, which is the
	// same JSON number but which Go's encoding/json refuses to decode into
	// an int: open data consumers must read the numbers we wrote. Strings
	// are copied as written, so \u003c escapes inside JSON-LD stay escaped
	// and "</script>" can never appear.
	jsonMin := &json.Minifier{KeepNumbers: true}
	m.Add(typeJSON, jsonMin)
	// application/ld+json (JSON-LD in <script> elements), and any +json.
	m.AddRegexp(regexp.MustCompile(`^application/([a-z0-9.-]+\+)?json$`), jsonMin)

	// SVG: Precision 0 keeps every coordinate digit; comments and editor
	// metadata go, <title> and <desc> (the accessible name of a figure)
	// stay. Inline <svg> in HTML also goes through this minifier.
	m.Add(typeSVG, &svg.Minifier{Precision: 0})

	// XML (sitemap.xml, feed.xml): whitespace between elements goes and runs
	// of spaces in text collapse to one, which changes nothing for the
	// sitemap's URLs and the feed's titles and summaries. Feeds that carry
	// whitespace-sensitive content are left whole, see xmlCollapsible.
	m.Add(typeXML, &xml.Minifier{KeepWhitespace: false})
}

// xmlCollapsible reports whether collapsing runs of whitespace in the text
// of the XML document b is harmless. The XML minifier collapses whitespace
// in every text node; in an Atom entry whose content is HTML (escaped or in
// CDATA) holding <pre> or <textarea>, or under xml:space="preserve", that
// would reflow code samples in feed readers, so such a document is written
// as rendered.
func xmlCollapsible(b []byte) bool {
	lower := bytes.ToLower(b)
	for _, s := range []string{"xml:space", "&lt;pre", "&lt;textarea", "<pre", "<textarea", "&#60;pre", "&#x3c;pre"} {
		if bytes.Contains(lower, []byte(s)) {
			return false
		}
	}
	return true
}

// Minify minifies, in place, every file of files whose extension is that of
// HTML (.html), CSS, JavaScript (.js, .mjs), JSON (.json, .jsonld,
// .webmanifest), SVG or XML (.xml, .atom, .rss). Inside HTML, inline CSS,
// inline SVG and JSON-LD are minified too. Keys are slash-separated output
// paths, as the render package produces them (its Files type has this
// underlying type and is assignable to the parameter).
//
// The files are shared out among GOMAXPROCS workers; each file's output
// depends only on its input, so the result is the same whatever the
// scheduling. When files fail (a syntax error in a theme's script, for
// instance), those are left as they were and the error names every one of
// them, in path order, with the minifier's line and column.
func Minify(files map[string][]byte) error {
	return minifyWhere(files, func(mt string) bool { return true })
}

// MinifyAssets is Minify for every file but HTML pages (CSS, JavaScript,
// JSON, SVG, XML): for a site whose pages were executed from layouts that
// MinifyLayout minified, and so need no second pass.
func MinifyAssets(files map[string][]byte) error {
	return minifyWhere(files, func(mt string) bool { return mt != typeHTML })
}

// minifyWhere minifies the files whose media type keep accepts.
func minifyWhere(files map[string][]byte, keep func(mediaType string) bool) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		if mt := mediaType(p); mt != "" && keep(mt) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	slices.Sort(paths)

	m := shared()
	out := make([][]byte, len(paths))
	errs := make([]error, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		// Workers take the next file from a shared counter rather than a
		// fixed half each, so that one huge file (the search index) does
		// not leave the other core idle. The map is only read here; it is
		// written below, after Wait, by this goroutine alone.
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(paths) {
					return
				}
				out[i], errs[i] = minifyFile(m, paths[i], files[paths[i]])
			}
		})
	}
	wg.Wait()

	var failed []error
	for i, p := range paths {
		if errs[i] != nil {
			failed = append(failed, errs[i])
			continue
		}
		files[p] = out[i]
	}
	return errors.Join(failed...)
}

// shared is the minifier that every call uses: configured once, and safe
// for concurrent use.
var shared = sync.OnceValue(newMinifier)

// minifyFile returns the minified content of the file at p.
func minifyFile(m *minify.M, p string, b []byte) ([]byte, error) {
	mt := mediaType(p)
	if mt == typeXML && !xmlCollapsible(b) {
		return b, nil
	}
	// Bytes reads b in place; Minify over a reader would copy every file.
	out, err := m.Bytes(mt, b)
	if err != nil {
		return nil, fmt.Errorf("minification de %q : %v", p, err)
	}
	return out, nil
}
