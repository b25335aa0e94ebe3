package markdown

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// Resolver maps a site link (scheme and target, as SplitRef gives them) to
// the output path it points at, relative to the output root and
// slash-separated, such as "cqp/x/index.html". It reports false for a
// target that does not exist; the checker has refused those already, so
// the renderer then keeps the text and drops the link.
type Resolver func(scheme, target string) (path string, ok bool)

// Context is what a body needs to know about the page it lands on.
type Context struct {
	// Dir is the page's output folder, relative to the output root ("" for
	// the root, "cqp/x" for a CQP page): site links are made relative to
	// it, so that the output works under any sub-path and from file://.
	Dir string
	// Resolve turns cqp:, branche: and page: links into output paths.
	Resolve Resolver
	// TopHeading is the level the body's highest headings get, so that a
	// body written with "#" or with "###" fits under the page's own
	// headings without skipping a level; 0 keeps the levels as written.
	TopHeading int
	// ReservedIDs are element ids the page's layout uses; heading anchors
	// never take them.
	ReservedIDs []string
}

var contextKey = parser.NewContextKey()

// Render converts a body to HTML for the page described by c. Site links
// become relative links, dangerous URLs lose their link, raw HTML is
// escaped, headings are shifted to c.TopHeading and get ids folded to
// ASCII ("Qu'est-ce qu'un CQP ?" → "qu-est-ce-qu-un-cqp"). When md comes
// from New, a body of the subset that renderFast reads skips goldmark and
// gets the same bytes.
func Render(md goldmark.Markdown, src []byte, c Context) ([]byte, error) {
	if _, ok := md.(instance); ok {
		if out, ok := renderFast(src, c, false); ok {
			return out, nil
		}
	}
	return renderGoldmark(md, src, c)
}

// RenderMinified is Render for a caller that minifies the result with the
// HTML minifier's settings of package publish (publish.MinifyFragment).
// When Render would take its fast path, it writes the minified form at
// once, byte for byte what that minifier makes of Render's output
// (fastmin.go), and reports true; otherwise it returns Render's output and
// false, for the caller to minify.
func RenderMinified(md goldmark.Markdown, src []byte, c Context) ([]byte, bool, error) {
	if _, ok := md.(instance); ok {
		if out, ok := renderFast(src, c, true); ok {
			return out, true, nil
		}
	}
	out, err := renderGoldmark(md, src, c)
	return out, false, err
}

// renderGoldmark is Render by goldmark alone.
func renderGoldmark(md goldmark.Markdown, src []byte, c Context) ([]byte, error) {
	pc := parser.NewContext(parser.WithIDs(newIDs(c.ReservedIDs)))
	pc.Set(contextKey, &c)
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Rel returns the URL of target (an output path relative to the root)
// as seen from a page in dir: "../../" once per folder of dir, then target.
func Rel(dir, target string) string {
	if dir == "" {
		return target
	}
	return strings.Repeat("../", strings.Count(dir, "/")+1) + target
}

// IsDangerousURL tells whether a URL would run code or smuggle a document
// when followed: javascript:, vbscript: and data: URLs. It sees through
// what browsers ignore or decode before reading a scheme: character
// references (java&#x73;cript:), backslash escapes, case, and whitespace or
// control characters anywhere in the scheme.
func IsDangerousURL(u string) bool {
	u = html.UnescapeString(u)
	var b strings.Builder
	for _, r := range u {
		switch {
		case r <= 0x20 || r == 0x7f || r == '\\':
			continue
		case r == ':':
			s := strings.ToLower(b.String())
			return s == "javascript" || s == "vbscript" || s == "data"
		case r == '/' || r == '?' || r == '#':
			return false
		}
		if b.Len() > 16 {
			return false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return false
}

// linkTransformer rewrites site links, removes dangerous links and images,
// marks table alignment with classes and shifts headings. Without a
// Context (as when the checker parses for Refs) it only removes dangerous
// URLs, so that what Refs sees is what the renderer will resolve.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	c, _ := pc.Get(contextKey).(*Context)
	src := reader.Source()
	type change struct {
		node ast.Node
		text []byte // for an image: its alt text, which replaces it
	}
	var unwrap []change
	minLevel := 7
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if dest, ok := rewrite(c, n.Destination); ok {
				n.Destination = dest
			} else {
				unwrap = append(unwrap, change{node: n})
			}
		case *ast.Image:
			if dest, ok := rewrite(c, n.Destination); ok {
				n.Destination = dest
			} else {
				unwrap = append(unwrap, change{node: n, text: altText(n, src)})
			}
		case *ast.AutoLink:
			if IsDangerousURL(string(n.URL(src))) {
				unwrap = append(unwrap, change{node: n, text: n.Label(src)})
			}
		case *ast.Heading:
			headings = append(headings, n)
			minLevel = min(minLevel, n.Level)
		case *east.TableCell:
			switch n.Alignment {
			case east.AlignLeft, east.AlignRight, east.AlignCenter:
				n.SetAttributeString("class", []byte("align-"+n.Alignment.String()))
			}
		}
		return ast.WalkContinue, nil
	})
	for _, u := range unwrap {
		parent := u.node.Parent()
		if parent == nil {
			continue
		}
		switch u.node.(type) {
		case *ast.Link:
			for child := u.node.FirstChild(); child != nil; {
				next := child.NextSibling()
				parent.InsertBefore(parent, u.node, child)
				child = next
			}
			parent.RemoveChild(parent, u.node)
		default:
			parent.ReplaceChild(parent, u.node, ast.NewString(u.text))
		}
	}
	if c != nil && c.TopHeading > 0 && len(headings) > 0 {
		shift := c.TopHeading - minLevel
		for _, h := range headings {
			h.Level = min(max(h.Level+shift, 1), 6)
		}
	}
}

// rewrite returns the destination a link or image keeps, or false when it
// must lose it.
func rewrite(c *Context, dest []byte) ([]byte, bool) {
	if IsDangerousURL(string(dest)) {
		return nil, false
	}
	scheme, target, ok := SplitRef(string(dest))
	if !ok || c == nil {
		return dest, true
	}
	if c.Resolve == nil {
		return nil, false
	}
	p, ok := c.Resolve(scheme, target)
	if !ok {
		return nil, false
	}
	return []byte(Rel(c.Dir, p)), true
}

func altText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.Bytes()
}

// rawHTMLRenderer shows raw HTML as the text the editor typed, escaped,
// rather than dropping it silently: a visible "<b>" tells the editor that
// HTML is not interpreted, where goldmark's default would hide it in a
// comment. HTML comments stay invisible, as their author meant.
type rawHTMLRenderer struct{}

func (rawHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var raw []byte
	segs := n.(*ast.RawHTML).Segments
	for i := range segs.Len() {
		seg := segs.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	if !bytes.HasPrefix(raw, []byte("<!--")) {
		_, _ = w.Write(util.EscapeHTML(raw))
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if !entering || n.HTMLBlockType == ast.HTMLBlockType2 {
		return ast.WalkContinue, nil
	}
	var raw []byte
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		raw = append(raw, line.Value(src)...)
	}
	if n.HasClosure() {
		cl := n.ClosureLine
		raw = append(raw, cl.Value(src)...)
	}
	raw = bytes.TrimRight(raw, "\n")
	_, _ = w.WriteString("<p>")
	_, _ = w.Write(bytes.ReplaceAll(util.EscapeHTML(raw), []byte("\n"), []byte("<br>\n")))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// ids makes heading anchors readable in French: accents folded, every run
// of other characters a single hyphen, unique within the page and never
// one of the layout's own ids.
type ids struct {
	used map[string]bool
}

func newIDs(reserved []string) *ids {
	m := make(map[string]bool, len(reserved))
	for _, r := range reserved {
		m[r] = true
	}
	return &ids{used: m}
}

func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 2; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// Slug folds text to lower-case ASCII letters, digits and single hyphens,
// the shape of anchors and ids: "Bloc n° 2 : Régler" → "bloc-n-2-regler".
func Slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(s) {
		var piece string
		switch {
		case r >= 0x300 && r <= 0x36f:
			continue
		case r == 'œ' || r == 'Œ':
			piece = "oe"
		case r == 'æ' || r == 'Æ':
			piece = "ae"
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			piece = string(unicode.ToLower(r))
		default:
			hyphen = true
			continue
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(piece)
	}
	return b.String()
}
