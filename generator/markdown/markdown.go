// Package markdown configures goldmark once for cqp and knows the site's
// own link schemes: in a body, [text](cqp:<id>), [text](branche:<id>) and
// [text](page:<slug>) point at other files of the catalogue. The checker
// finds them with Refs; the renderer turns them into relative links.
package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The link schemes of the content model.
const (
	SchemeCQP    = "cqp"
	SchemeBranch = "branche"
	SchemePage   = "page"
)

// Schemes lists them in the order the docs give.
var Schemes = []string{SchemeCQP, SchemeBranch, SchemePage}

// Ref is one link to another content file, found in a body.
type Ref struct {
	Scheme string // cqp, branche or page
	Target string // the id or slug
	Dest   string // the destination as written
	Offset int    // byte offset of the destination in the body
}

// New returns the goldmark instance every body is parsed and rendered
// with, the only one in cqp: GitHub flavoured Markdown (tables,
// strikethrough, autolinks) and heading anchors. Raw HTML is never
// interpreted: it is shown escaped (HTML comments are dropped). Links to
// javascript:, vbscript: and data: URLs lose their link, whatever their
// spelling. Table alignment becomes a class rather than a style attribute,
// which a strict Content-Security-Policy would block. Task lists are left
// out: their checkboxes have no label a screen reader could read.
//
// Render adds the page's context, which turns the site's links into
// relative links; Refs parses without it.
func New() goldmark.Markdown {
	return instance{goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
			extension.Strikethrough,
			extension.Linkify,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(rawHTMLRenderer{}, 100)),
		),
	)}
}

// instance marks the goldmark.Markdown that New configures, so that
// Render knows it may take its fast path (renderFast), which writes what
// this configuration would.
type instance struct{ goldmark.Markdown }

// SplitRef tells whether dest uses one of the site's schemes, and splits it.
func SplitRef(dest string) (scheme, target string, ok bool) {
	for _, s := range Schemes {
		if rest, found := strings.CutPrefix(dest, s+":"); found {
			return s, rest, true
		}
	}
	return "", "", false
}

// mayHaveRefs is a cheap test that lets most bodies skip parsing.
func mayHaveRefs(src []byte) bool {
	for _, s := range Schemes {
		if bytes.Contains(src, []byte(s+":")) {
			return true
		}
	}
	return false
}

// Refs returns every link and image of src whose destination uses one of
// the site's schemes, in document order.
func Refs(md goldmark.Markdown, src []byte) []Ref {
	if !mayHaveRefs(src) {
		return nil
	}
	doc := md.Parser().Parse(text.NewReader(src))
	var refs []Ref
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.Image:
			dest = n.Destination
		default:
			return ast.WalkContinue, nil
		}
		scheme, target, ok := SplitRef(string(dest))
		if !ok {
			return ast.WalkContinue, nil
		}
		refs = append(refs, Ref{Scheme: scheme, Target: target, Dest: string(dest), Offset: destOffset(src, n.Pos(), dest)})
		return ast.WalkContinue, nil
	})
	return refs
}

// destOffset finds where a link's destination is written: after the link's
// start for inline links, else (reference links) at its definition.
func destOffset(src []byte, start int, dest []byte) int {
	if start >= 0 && start < len(src) {
		if i := bytes.Index(src[start:], dest); i >= 0 {
			return start + i
		}
	}
	if i := bytes.Index(src, dest); i >= 0 {
		return i
	}
	return max(start, 0)
}

// LineCol turns a byte offset in src into a 1-based line and column (in
// characters, like every column cqp reports), relative to src.
func LineCol(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	line = 1 + bytes.Count(src[:offset], []byte("\n"))
	col = 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:offset], '\n')+1:offset])
	return line, col
}
