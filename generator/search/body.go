package search

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// A body's terms are those of the text a reader sees of its Markdown
// (appendBodyText), and parsing Markdown is most of what the index costs
// once the words are counted. Most bodies use little of Markdown:
// paragraphs, headings, bullet lists, emphasis and inline links. For those,
// the source itself gives the same terms once the links' destinations are
// cut out: what the parser would also remove (heading and list markers,
// emphasis delimiters, link brackets) is punctuation, which separates
// words, and the index keeps words. appendPlainBody and checkPlainFolded
// take that shortcut when they can prove it gives the same terms, and
// decline otherwise; the parser then reads the body (TestPlainBodyAgrees
// and FuzzPlainBody hold the two equal).

// plainBodyBail are bytes that may make the parser drop or change text:
// escapes, entities, raw HTML and autolinks, code spans and fences,
// strikethrough, tables, block quotes, e-mail autolinks, NUL (which the
// parser replaces), tabs (which may indent code).
const plainBodyBail = "\\&<>`~|@\x00\t"

// appendPlainBody appends to b the text of the Markdown body src with its
// inline links' destinations removed, and reports whether its terms are
// those of appendBodyText, folded. When it returns false, b[len(b):] is
// garbage and the caller parses the body.
//
// What it accepts: paragraphs; ATX and setext headings; thematic breaks;
// bullet lists; emphasis with * and _; inline links [text](destination)
// with a destination of no space, parenthesis or <; brackets and
// parentheses that are no link. What it declines: invalid UTF-8, any byte
// of plainBodyBail, "![" (images), reference links and definitions ("][",
// "]:"), a "](" that is not such a link, a link's text over two lines, an
// autolink the parser would make of text ("://", "www."), a carriage
// return not followed by a line feed, an ordered list or code indented by
// four spaces: a line, or a bullet's content, whose first non-space
// character is a digit, a line that starts with four spaces, a bullet
// followed by five. The caller still checks, on the folded text, that the
// characters the parser might remove and this keeps cannot change a word
// (checkPlainFolded).
func appendPlainBody(b, src []byte) ([]byte, bool) {
	// Invalid UTF-8 too: a byte that is no character could make one with
	// the next once the parser removes what stands between them.
	if !utf8.Valid(src) || bytes.ContainsAny(src, plainBodyBail) || bytes.Contains(src, []byte("![")) ||
		bytes.Contains(src, []byte("][")) || bytes.Contains(src, []byte("]:")) {
		return b, false
	}
	// Lines: no indented code, no ordered list, at the start of a line or
	// of a list item's content.
	for line := src; len(line) > 0; {
		end := bytes.IndexByte(line, '\n')
		if end < 0 {
			end = len(line)
		}
		l := bytes.TrimSuffix(line[:end], []byte("\r"))
		line = line[min(len(line), end+1):]
		if bytes.IndexByte(l, '\r') >= 0 {
			return b, false // a carriage return alone: not worth guessing
		}
		for limit := 4; ; limit = 5 {
			spaces := 0
			for spaces < len(l) && l[spaces] == ' ' {
				spaces++
			}
			if spaces == len(l) {
				break // a blank line, or an empty item
			}
			if spaces >= limit || '0' <= l[spaces] && l[spaces] <= '9' {
				return b, false
			}
			// A bullet: its content follows it and one to four spaces (five
			// or more start a code block).
			if c := l[spaces]; (c == '-' || c == '+' || c == '*') && spaces+1 < len(l) && l[spaces+1] == ' ' {
				l = l[spaces+1:]
				continue
			}
			break
		}
	}
	start := len(b)
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], ']')
		if j < 0 {
			b = append(b, src[i:]...)
			break
		}
		j += i
		b = append(b, src[i:j+1]...)
		i = j + 1
		if i == len(src) || src[i] != '(' {
			continue
		}
		// "](": the destination of an inline link, unless it is one of
		// the forms this does not read.
		if bytes.LastIndexByte(src[:j], '[') < 0 {
			return b, false
		}
		k := i + 1
		for k < len(src) && src[k] != ')' {
			if c := src[k]; c <= ' ' || c == '(' || c == '<' || c == 0x7f {
				return b, false
			}
			k++
		}
		if k == len(src) {
			return b, false
		}
		i = k + 1
	}
	text := b[start:]
	// The parser's autolinks start with a scheme and "://", or with
	// "www." in lower case.
	if bytes.Contains(text, []byte("://")) || bytes.Contains(text, []byte("www.")) {
		return b, false
	}
	// The brackets of a link hold its text, on one line: no bracket
	// inside, and a bracket closes what it opened (no stray "]" that the
	// loop above read as a link's end with a "[" of an earlier pair).
	open := false
	for i := 0; ; i++ {
		k := bytes.IndexAny(text[i:], "[]\n")
		if k < 0 {
			return b, !open
		}
		i += k
		switch c := text[i]; {
		case c == '[' && !open:
			open = true
		case c == ']' && open:
			open = false
		case c == '\n' && !open:
		default:
			return b, false
		}
	}
}

// plainMarkup are the characters the parser may remove from within a
// field of text (emphasis delimiters, link brackets) that appendPlainBody
// keeps. Heading and list markers, setext underlines and thematic breaks
// are fields of their own, of no letter or digit: they give no term
// either way.
func isPlainMarkup(c byte) bool { return c == '*' || c == '_' || c == '[' || c == ']' }

// checkPlainFolded tells whether the folded text of appendPlainBody gives
// the terms the parser's text would, whichever of its markup characters
// the parser removes: a run of them never joins two letters or digits,
// and in a field (a run of non-spaces) with a hyphen, whose compound
// would be joined, they stand only before its first letter or digit or
// after its last, where the compound is trimmed.
func checkPlainFolded(folded []byte) bool {
	for i := 0; i < len(folded); {
		c := folded[i]
		if !isPlainMarkup(c) {
			i++
			continue
		}
		// A field with markup: from the last space before it to the next.
		fs, fe := i, i
		for fs > 0 && !isSpaceBefore(folded, fs) {
			_, size := utf8.DecodeLastRune(folded[:fs])
			fs -= size
		}
		for fe < len(folded) {
			r, size := utf8.DecodeRune(folded[fe:])
			if isSpaceRune(r) {
				break
			}
			fe += size
		}
		if !checkPlainField(folded[fs:fe]) {
			return false
		}
		i = fe
	}
	return true
}

// isSpaceBefore tells whether the character that ends at folded[:i] is a
// space.
func isSpaceBefore(folded []byte, i int) bool {
	r, _ := utf8.DecodeLastRune(folded[:i])
	return isSpaceRune(r)
}

func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r] == classSpace
	}
	return unicode.IsSpace(r)
}

// checkPlainField is checkPlainFolded of one field.
func checkPlainField(field []byte) bool {
	first, last := -1, -1 // the first letter or digit, the end of the last
	hyphen := false
	prevWord := false // the character before the current run is a word rune
	for i := 0; i < len(field); {
		c := field[i]
		if isPlainMarkup(c) {
			j := i
			for j < len(field) && isPlainMarkup(field[j]) {
				j++
			}
			if prevWord && j < len(field) {
				if r, _ := utf8.DecodeRune(field[j:]); isWordRune(r) {
					return false
				}
			}
			i = j
			prevWord = false
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(field[i:])
		}
		prevWord = isWordRune(r)
		if prevWord {
			if first < 0 {
				first = i
			}
			last = i + size
		}
		hyphen = hyphen || c == '-'
		i += size
	}
	if !hyphen || first < 0 {
		return true
	}
	for _, c := range field[first:last] {
		if isPlainMarkup(c) {
			return false
		}
	}
	return true
}
