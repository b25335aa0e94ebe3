package markdown

import (
	"bytes"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Parsing is most of what rendering a body costs, and most bodies use
// little of Markdown: paragraphs, ATX headings, bullet lists, emphasis and
// inline links. renderFast writes those straight from the source, the very
// bytes goldmark would write with New's configuration and the same
// Context, and declines everything else; Render then asks goldmark.
// TestFastAgrees and FuzzFast hold the two equal. For RenderMinified, it
// writes in the same pass what the HTML minifier of package site
// (publish.MinifyFragment) would make of those bytes, which then skip that
// minifier: fastmin.go says how, and the same tests hold it to the
// minifier.
//
// What it accepts, line by line (a line is what ends at "\n"):
//
//   - blank lines, empty or of spaces only;
//   - ATX headings: one to six "#", one space, then text that does not
//     start with a space nor end with "#" (no closing sequence to strip);
//     their ids come from the ids type, in document order, as goldmark
//     generates them while parsing, and their levels are shifted to
//     Context.TopHeading after a first pass has found the highest;
//   - paragraphs, whose lines are joined by "\n" (goldmark's soft break);
//   - tight bullet lists: items of one line, "- " or "* " then a line that
//     would start a paragraph; a change of marker starts a new list.
//
// Inside those, it reads:
//
//   - emphasis, with runs of one or two "*" or "_" that nest well with
//     each other and with links. By goldmark's own flanking rules
//     (parser.ScanDelimiter, with util.IsPunctRune and util.IsSpaceRune),
//     a run that can only open opens a span; a run that can close must
//     close the innermost span, of the same character and length, even if
//     it could also open (as the "**" of "« x »**." can). goldmark's
//     pairing (ProcessDelimiters) then takes the pairs this takes: the
//     nearest delimiter before a closer that can open is the innermost
//     span's, and the rule of three never refuses runs of the same length,
//     one or two. A run that can neither open nor close, such as the "_"
//     of snake_case, is text;
//   - inline links [text](destination) on one line, with no bracket in
//     their text and a destination of URL-safe ASCII (plainURL): an
//     http(s):, mailto: or relative URL, which util.URLEscape and
//     util.EscapeHTML leave as it is and no dangerous-URL rule touches, or
//     a site link, which rewrite turns into such a URL or into plain text
//     as the link transformer does;
//   - '"' as "&quot;" and '&' as "&amp;" when no entity can start there,
//     as the renderer's Writer escapes text.
//
// It declines anything else, and among it every byte or sequence that
// could start something it does not read: block quotes, code spans and
// fences, indented code (a line that starts with a space), tables,
// strikethrough, raw HTML and autolinks, entities and backslash escapes,
// hard line breaks (trailing spaces or backslash), images, reference
// links and shortcut brackets, setext headings, thematic breaks and the
// delimiter rows of tables without pipes (lines of "-", "*", "_", "=",
// ":" and spaces), ordered lists, "+" lists, loose lists, nested lists, a
// list item's lazy continuation, text that Linkify would turn into a link
// ("://", "www." in any case, "@"), tabs, carriage returns and other
// control characters, and invalid UTF-8.

// lineKind is what a line of the source is, for renderFast.
type lineKind int

const (
	lineBad     lineKind = iota // a line renderFast does not read
	lineBlank                   // empty or spaces
	lineHeading                 // an ATX heading
	lineBullet                  // an item of a bullet list
	lineText                    // a line of a paragraph
)

// Byte classes of the inline scanner.
const (
	inPlain  = iota // written as it is
	inCheck         // written as it is once its neighbours are checked
	inMarkup        // markup or a character to escape
	inBail          // declined
)

var inlineClass = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = inBail
	}
	t[0x7f] = inBail
	for _, c := range []byte("\\<>`~|@") {
		t[c] = inBail
	}
	for _, c := range []byte(":wW!") {
		t[c] = inCheck
	}
	for _, c := range []byte("\"&*_[]") {
		t[c] = inMarkup
	}
	return t
}()

// urlByte are the bytes of a link destination that renderFast reads: those
// util.URLEscape and util.EscapeHTML keep and that cannot start an escape,
// an entity, a title or a nested parenthesis.
var urlByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for _, c := range []byte("-._~:/?#=+,;!*$@") {
		t[c] = true
	}
	return t
}()

// span is an emphasis or a link that renderFast has opened.
type span struct {
	delim byte // '*' or '_' for emphasis, '[' for a link
	n     int  // the emphasis's run length, or the end of the link's "(…)"
	keep  bool // the link keeps its <a>
}

// maxSpans bounds how deep spans nest in a body renderFast reads.
const maxSpans = 8

type fastRenderer struct {
	out   []byte
	c     Context
	ids   *ids // made at the first heading
	shift int  // added to heading levels
	spans [maxSpans]span
	depth int
	min   bool // write the minified form (fastmin.go)
	minifierState
}

// renderFast renders src as Render would for c, or reports false when src
// is not of the subset it reads, described above. With minify set, it
// writes the minified form of that output instead (fastmin.go).
func renderFast(src []byte, c Context, minify bool) ([]byte, bool) {
	if !utf8.Valid(src) {
		return nil, false
	}
	r := fastRenderer{out: make([]byte, 0, len(src)+len(src)/4), c: c, min: minify}
	if c.TopHeading > 0 {
		r.shift = c.TopHeading - minHeadingLevel(src)
	}
	const (
		none = iota
		para
		list
	)
	state := none
	var marker byte    // the bullet of the open list
	afterList := false // a list ended at a blank line: another would be loose
	for rest := src; len(rest) > 0; {
		l := rest
		if k := bytes.IndexByte(rest, '\n'); k >= 0 {
			l, rest = rest[:k], rest[k+1:]
		} else {
			rest = nil
		}
		kind := classifyLine(l)
		switch {
		case kind == lineBad,
			afterList && kind == lineBullet,   // the list would be loose
			state == list && kind == lineText: // the item's lazy continuation
			return nil, false
		}
		if kind != lineText && state == para || kind != lineBullet && state == list ||
			kind == lineBullet && state == list && l[0] != marker {
			if !r.end(state == list) {
				return nil, false
			}
			afterList = state == list && kind == lineBlank
			state = none
		}
		if kind != lineBlank {
			afterList = false
		}
		switch kind {
		case lineHeading:
			if !r.heading(l) {
				return nil, false
			}
		case lineBullet:
			if state != list {
				r.blockTag("<ul>\n")
				state, marker = list, l[0]
			}
			r.blockTag("<li>")
			if !r.inline(l[2:]) || r.depth != 0 {
				return nil, false
			}
			r.blockTag("</li>\n")
		case lineText:
			if state == para {
				r.text(softBreak)
			} else {
				r.blockTag("<p>")
				state = para
			}
			if !r.inline(l) {
				return nil, false
			}
		}
	}
	if state != none && !r.end(state == list) {
		return nil, false
	}
	return r.out, true
}

// end closes the open paragraph or list.
func (r *fastRenderer) end(list bool) bool {
	if list {
		r.blockTag("</ul>\n")
		return true
	}
	r.blockTag("</p>\n")
	return r.depth == 0
}

// classifyLine tells what l is, lineBad for whatever renderFast does not
// read.
func classifyLine(l []byte) lineKind {
	if len(l) == 0 {
		return lineBlank
	}
	if l[0] == ' ' {
		if len(bytes.TrimLeft(l, " ")) == 0 {
			return lineBlank
		}
		return lineBad // indented: code, a continuation, or a list's content
	}
	if l[len(l)-1] == ' ' {
		return lineBad // a hard line break, or spaces goldmark trims
	}
	if len(bytes.Trim(l, "-*_=: ")) == 0 {
		return lineBad // a thematic break, a setext underline, a table's delimiter row
	}
	switch c := l[0]; {
	case c == '#':
		n := 0
		for n < len(l) && l[n] == '#' {
			n++
		}
		if n > 6 || n+1 >= len(l) || l[n] != ' ' || l[n+1] == ' ' || l[len(l)-1] == '#' {
			return lineBad
		}
		return lineHeading
	case c == '-' || c == '*':
		if len(l) > 1 && l[1] == ' ' {
			if classifyLine(l[2:]) != lineText {
				return lineBad // empty, indented, nested or other blocks
			}
			return lineBullet
		}
	case c == '+' || c == '=':
		return lineBad
	case '0' <= c && c <= '9':
		n := 0
		for n < len(l) && '0' <= l[n] && l[n] <= '9' {
			n++
		}
		if n < len(l) && (l[n] == '.' || l[n] == ')') {
			return lineBad // maybe an ordered list
		}
	}
	return lineText
}

// minHeadingLevel is the level of the highest heading of src, 7 for none:
// every line that starts with "#" is a heading when renderFast reads src.
func minHeadingLevel(src []byte) int {
	level := 7
	for rest := src; len(rest) > 0; {
		if rest[0] == '#' {
			n := 1
			for n < len(rest) && rest[n] == '#' {
				n++
			}
			level = min(level, n)
		}
		k := bytes.IndexByte(rest, '\n')
		if k < 0 {
			break
		}
		rest = rest[k+1:]
	}
	return level
}

// heading writes the ATX heading l, which classifyLine accepted.
func (r *fastRenderer) heading(l []byte) bool {
	level := bytes.IndexByte(l, ' ')
	text := l[level+1:]
	if r.c.TopHeading > 0 {
		level = min(max(level+r.shift, 1), 6)
	}
	if r.ids == nil {
		r.ids = newIDs(r.c.ReservedIDs)
	}
	id := r.ids.Generate(text, ast.KindHeading)
	tag := byte('0' + level)
	r.tag(tagBlock)
	r.out = append(r.out, '<', 'h', tag)
	r.out = append(r.out, ` id="`...)
	r.out = append(r.out, id...)
	r.out = append(r.out, '"', '>')
	if !r.inline(text) || r.depth != 0 {
		return false
	}
	r.tag(tagBlock)
	r.out = append(r.out, '<', '/', 'h', tag, '>')
	if !r.min {
		r.out = append(r.out, '\n')
	}
	return true
}

// inline writes the inline content of one line of a block. Spans may stay
// open at its end, across the lines of a paragraph.
func (r *fastRenderer) inline(l []byte) bool {
	start := 0 // of the text not yet written
	for i := 0; i < len(l); {
		c := l[i]
		switch inlineClass[c] {
		case inPlain:
			i++
			continue
		case inBail:
			return false
		case inCheck:
			switch {
			case c == ':' && bytes.HasPrefix(l[i+1:], []byte("//")),
				c == '!' && i+1 < len(l) && l[i+1] == '[',
				(c == 'w' || c == 'W') && len(l)-i >= 4 && bytes.EqualFold(l[i:i+4], []byte("www.")):
				return false // an autolink or an image
			}
			i++
			continue
		}
		switch c {
		case '"':
			r.text(l[start:i])
			r.quote()
			i++
		case '&':
			if entityMayStart(l[i+1:]) {
				return false
			}
			r.text(l[start:i])
			r.ampersand()
			i++
		case '*', '_':
			n := 1
			for i+n < len(l) && l[i+n] == c {
				n++
			}
			open, closing := flanking(l, i, n)
			if !open && !closing {
				i += n
				continue // text
			}
			run := span{delim: c, n: n}
			switch {
			case n > 2:
				return false
			case closing && r.depth > 0 && r.spans[r.depth-1] == run:
				// The innermost span is the nearest delimiter that can
				// open: a run that could also open closes it.
				r.depth--
				r.text(l[start:i])
				r.tag(tagClose)
				r.out = append(r.out, emphasisTag[n-1][1]...)
			case open && !closing && r.depth < maxSpans:
				r.spans[r.depth] = run
				r.depth++
				r.text(l[start:i])
				r.tag(tagPhrase)
				r.out = append(r.out, emphasisTag[n-1][0]...)
			default:
				return false
			}
			i += n
		case '[':
			r.text(l[start:i])
			if !r.openLink(l, i) {
				return false
			}
			i++
		case ']':
			if r.depth == 0 || r.spans[r.depth-1].delim != '[' {
				return false
			}
			r.depth--
			r.text(l[start:i])
			if r.spans[r.depth].keep {
				r.tag(tagClose)
				r.out = append(r.out, "</a>"...)
			}
			i = r.spans[r.depth].n
		}
		start = i
	}
	r.text(l[start:])
	return true
}

var emphasisTag = [2][2]string{{"<em>", "</em>"}, {"<strong>", "</strong>"}}

// entityMayStart tells whether the text after a '&' might make it an
// entity or a character reference, which the renderer would decode.
func entityMayStart(after []byte) bool {
	if len(after) > 0 && after[0] == '#' {
		return true
	}
	n := 0
	for n < len(after) && ('a' <= after[n] && after[n] <= 'z' || 'A' <= after[n] && after[n] <= 'Z' || '0' <= after[n] && after[n] <= '9') {
		n++
	}
	return n > 0 && n < len(after) && after[n] == ';'
}

// flanking tells whether the run of n delimiters at l[i] can open and
// whether it can close emphasis, as parser.ScanDelimiter does: what stands
// outside the line (a line break, the space after a heading's or an
// item's marker) is white space.
func flanking(l []byte, i, n int) (open, closing bool) {
	before, after := ' ', ' '
	if i > 0 {
		before, _ = utf8.DecodeLastRune(l[:i])
	}
	if i+n < len(l) {
		after, _ = utf8.DecodeRune(l[i+n:])
	}
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	if l[i] == '_' {
		return left && (!right || beforePunct), right && (!left || afterPunct)
	}
	return left, right
}

// openLink opens the link whose text starts at l[i], a '[': its text
// ends at the next ']', with no '[' before, and its destination follows
// at once in parentheses, plain (plainURL) or a site link. The link's
// span remembers where the ')' ends, for the ']' to skip it.
func (r *fastRenderer) openLink(l []byte, i int) bool {
	j := i + 1
	for j < len(l) && l[j] != ']' {
		if l[j] == '[' {
			return false
		}
		j++
	}
	if j+1 >= len(l) || l[j+1] != '(' {
		return false // a bracket, a reference link, or no link
	}
	k := j + 2
	for k < len(l) && urlByte[l[k]] {
		k++
	}
	dest := l[j+2 : k]
	if k == len(l) || l[k] != ')' || len(dest) == 0 {
		return false // a title, a space, a parenthesis…
	}
	// A plain URL is no site link, and IsDangerousURL finds no dangerous
	// scheme in it: rewrite would keep it as it is.
	href, keep := dest, true
	if _, _, site := SplitRef(string(dest)); site {
		if href, keep = rewrite(&r.c, dest); keep && !plainURL(href) {
			return false
		}
	} else if !plainURL(dest) {
		return false
	}
	if r.depth == maxSpans {
		return false
	}
	r.spans[r.depth] = span{delim: '[', n: k + 1, keep: keep}
	r.depth++
	if keep {
		r.tag(tagLink)
		r.out = append(r.out, `<a href="`...)
		r.out = append(r.out, href...)
		r.out = append(r.out, '"', '>')
	}
	return true
}

// plainURL tells whether a link's destination is one the renderer writes
// as it is: bytes that util.URLEscape and util.EscapeHTML keep and that no
// escape, entity or title starts, and either no scheme at all or http:,
// https: or mailto:, so that neither IsDangerousURL nor the renderer's
// own rule (javascript:, vbscript:, file:, data:) removes it.
func plainURL(u []byte) bool {
	if len(u) == 0 {
		return false
	}
	for _, c := range u {
		if !urlByte[c] {
			return false
		}
	}
	if bytes.IndexByte(u, ':') < 0 {
		return true
	}
	return bytes.HasPrefix(u, []byte("http://")) || bytes.HasPrefix(u, []byte("https://")) ||
		bytes.HasPrefix(u, []byte("mailto:"))
}
