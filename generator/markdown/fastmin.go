package markdown

import "bytes"

// The minified form
//
// Package site minifies each body with publish.MinifyFragment:
// tdewolff/minify's HTML minifier with KeepEndTags, KeepQuotes,
// KeepDocumentTags and KeepDefaultAttrVals, white space collapsed and
// comments removed. On the HTML that renderFast writes, tags (p, h1…h6,
// ul and li, which the minifier counts as blocks; em, strong and a) and
// text, that minifier keeps every tag as it is written: the attribute
// values, ids of [a-z0-9-] (never empty) and plainURL destinations (no
// entity, no white space, http: and https: in lower case, no data:), need
// neither quotes changed nor entities decoded. It only rewrites text,
// token by token (a text token runs from one tag to the next), as
// html.Minifier.Minify does with its omitSpace flag:
//
//   - every run of white space (' ' and '\n' here) becomes its first byte,
//     '\n' if the run holds one (parse.ReplaceMultipleWhitespaceAndEntities);
//   - "&quot;" becomes '"'; "&amp;" becomes '&' unless an ASCII letter or
//     digit (or '#') follows it in the token;
//   - omitSpace holds after a block tag and after a token that ends in
//     white space; the leading white space of a token goes when it holds;
//     a token that is left empty keeps it, and one that ends in anything
//     else clears it;
//   - the trailing white space of a token goes when the next tag, past end
//     tags of em, strong and a and tokens of white space only, is a block
//     tag (or the input ends); a start tag of em, strong or a, or a token
//     with other text, keeps it. The minifier looks at most 100 tokens
//     ahead; maxSpans bounds what it may pass to far fewer;
//   - an <em> or <strong> (a "normal" tag to the minifier, which <a> is
//     not) followed at once by its end tag clears omitSpace (renderFast
//     writes one when the link it held lost its <a>);
//   - the line breaks that goldmark writes between blocks are text tokens
//     of white space after a block tag: they go.
//
// renderFast with minify set writes that form as it goes: what it writes
// through text, quote, ampersand, tag and blockTag is what the minifier
// would keep of it, with minifierState standing for the minifier's own.
// TestFastAgrees and FuzzFast hold it equal to MinifyFragment's output.

// softBreak is goldmark's soft line break, between the lines of a
// paragraph.
var softBreak = []byte("\n")

// tagKind is the kind of tag renderFast writes, as the minifier tells them
// apart.
type tagKind int

const (
	tagBlock  tagKind = iota // a start or end tag of p, h1…h6, ul or li
	tagPhrase                // <em> or <strong>
	tagLink                  // <a href="…">
	tagClose                 // </em>, </strong> or </a>
)

// minifierState is the minifier's state while renderFast writes the
// minified form.
type minifierState struct {
	omit   bool // omitSpace: a text's leading white space goes
	space  bool // out ends with white space of the text being written
	amp    bool // out ends with "&amp;", which may yet shrink to "&"
	trail  int  // where the last text's trailing white space is that a block tag removes; 0 for none (out starts with a tag)
	opened bool // the last thing written is <em> or <strong>
}

// text writes b, text of no markup: source text of one line, or a soft
// break alone, so that only a soft break is a '\n' and runs of white
// space within b are of spaces.
func (r *fastRenderer) text(b []byte) {
	if len(b) == 0 {
		return
	}
	if !r.min {
		r.out = append(r.out, b...)
		return
	}
	if r.amp {
		r.settleAmp(b[0])
	}
	r.opened = false
	// Leading white space: it goes on the run that out ends with, its
	// first byte standing for the run, or goes by omitSpace.
	i := 0
	for ; i < len(b) && (b[i] == ' ' || b[i] == '\n') && (r.space || r.omit); i++ {
		if r.space && b[i] == '\n' {
			r.out[len(r.out)-1] = '\n'
		}
	}
	if i == len(b) {
		return
	}
	for rest := b[i:]; ; {
		k := bytes.Index(rest, doubleSpace)
		if k < 0 {
			r.out = append(r.out, rest...)
			break
		}
		r.out = append(r.out, rest[:k+1]...)
		rest = bytes.TrimLeft(rest[k+1:], " ")
	}
	if c := b[len(b)-1]; c == ' ' || c == '\n' {
		r.omit, r.space, r.trail = true, true, len(r.out)-1
	} else {
		r.omit, r.space, r.trail = false, false, 0
	}
}

var doubleSpace = []byte("  ")

// quote writes a '"' of the text.
func (r *fastRenderer) quote() {
	if r.min {
		r.text([]byte{'"'})
		return
	}
	r.out = append(r.out, "&quot;"...)
}

// ampersand writes a '&' of the text, where no entity can start.
func (r *fastRenderer) ampersand() {
	if !r.min {
		r.out = append(r.out, "&amp;"...)
		return
	}
	r.text([]byte{'&'})
	r.out = append(r.out, "amp;"...)
	r.amp = true
}

// settleAmp shrinks the "&amp;" that ends out to "&" unless next, the
// byte that follows it in the text, is one that the minifier keeps it for.
func (r *fastRenderer) settleAmp(next byte) {
	r.amp = false
	if !('a' <= next && next <= 'z' || 'A' <= next && next <= 'Z' || '0' <= next && next <= '9' || next == '#') {
		r.out = r.out[:len(r.out)-len("amp;")]
	}
}

// tag ends the text before a tag of the given kind, which the caller then
// writes.
func (r *fastRenderer) tag(kind tagKind) {
	if !r.min {
		return
	}
	if r.amp {
		r.settleAmp('<')
	}
	r.space = false
	switch kind {
	case tagBlock:
		if r.trail > 0 {
			r.out = append(r.out[:r.trail], r.out[r.trail+1:]...)
		}
		r.omit, r.trail = true, 0
	case tagPhrase, tagLink:
		r.trail = 0
	case tagClose:
		if r.opened {
			r.omit = false
		}
	}
	r.opened = kind == tagPhrase
}

// blockTag writes the tag of a block element, with the line break that
// goldmark writes after it when tag ends in one, which the minified form
// leaves out.
func (r *fastRenderer) blockTag(tag string) {
	r.tag(tagBlock)
	if r.min && tag[len(tag)-1] == '\n' {
		tag = tag[:len(tag)-1]
	}
	r.out = append(r.out, tag...)
}
