package catalog

import (
	"bytes"
	"slices"

	"github.com/yuin/goldmark"

	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// findRefs returns the site links of a body, exactly as markdown.Refs
// does. Most bodies are prose with a few inline links, which simpleRefs
// reads without building a Markdown tree; the others are parsed with
// goldmark (markdown.Refs).
func findRefs(md goldmark.Markdown, body []byte) []markdown.Ref {
	if refs, ok := simpleRefs(body); ok {
		return refs
	}
	return markdown.Refs(md, body)
}

// refSpecial marks the bytes that simpleRefs refuses or looks at, outside
// a link's destination: the controls, line feed included, and [ ] ` < \ |.
var refSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for _, c := range "`<\\|[]\x7f" {
		t[c] = true
	}
	return t
}()

// delimiterLike tells whether a line could be the delimiter row of a table
// (isTableDelim in goldmark's table extension): only spaces, -, : and |,
// and not only -. Such a line may turn the paragraph above into a table.
func delimiterLike(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	allDash := true
	for _, c := range line {
		if c != ' ' && c != '-' && c != ':' && c != '|' {
			return false
		}
		allDash = allDash && c == '-'
	}
	return !allDash
}

// simpleRefs finds the site links of a body written in the plain subset of
// Markdown where every bracket belongs to an inline link on one line, with
// a plain text and a plain destination: [text](destination). ok is false
// as soon as the body steps outside that subset, that is at anything that
// could make goldmark see a link differently or not at all: code
// (backticks, ~~~ fences, four spaces in a row or a tab, which may indent
// code), raw HTML and autolinks (<), escapes (\), tables (|, or a line
// that could be a table's delimiter row), images (![), reference links and
// their definitions (a [ or ] that is not part of an inline link), control
// characters, and the bare URLs that the linkify extension turns into links
// (http:, https:, ftp:, www.) anywhere but in a link's destination, since
// they may run over brackets.
//
// In that subset, goldmark finds exactly these links, in this order, and
// places each at its [, from which the destination's offset is found as
// markdown.Refs finds it. FuzzSimpleRefs holds simpleRefs to markdown.Refs.
func simpleRefs(b []byte) (refs []markdown.Ref, ok bool) {
	if bytes.Contains(b, []byte("    ")) || bytes.Contains(b, []byte("~~~")) || bytes.Contains(b, []byte("![")) {
		return nil, false
	}
	// The bare URLs, which must all lie in destinations.
	urls := bareURLs(b)
	var dests [][2]int
	for i := 0; i < len(b); i++ {
		if i == 0 || b[i-1] == '\n' {
			if c := b[i]; c == ' ' || c == '-' || c == ':' || c == '|' {
				end := bytes.IndexByte(b[i:], '\n')
				if end < 0 {
					end = len(b) - i
				}
				if delimiterLike(b[i : i+end]) {
					return nil, false
				}
			}
		}
		for i < len(b) && !refSpecial[b[i]] {
			i++
		}
		if i == len(b) {
			break
		}
		switch b[i] {
		case '\n':
		case '[':
			end, start, good := simpleLink(b, i)
			if !good {
				return nil, false
			}
			dest := b[start : end-1]
			dests = append(dests, [2]int{start, end - 1})
			d := string(dest)
			if scheme, target, isRef := markdown.SplitRef(d); isRef {
				refs = append(refs, markdown.Ref{Scheme: scheme, Target: target, Dest: d, Offset: i + bytes.Index(b[i:], dest)})
			}
			i = end - 1 // a link ends before its line does
		default:
			return nil, false
		}
	}
	for _, u := range urls {
		for len(dests) > 0 && dests[0][1] <= u {
			dests = dests[1:]
		}
		if len(dests) == 0 || u < dests[0][0] {
			return nil, false
		}
	}
	return refs, true
}

// bareURLs returns, in order, the offsets of what the linkify extension may
// turn into a link: http:, https:, ftp: and www.
func bareURLs(b []byte) []int {
	var at []int
	for _, p := range [...]string{"http", "ftp:", "www."} {
		for off := 0; ; {
			i := bytes.Index(b[off:], []byte(p))
			if i < 0 {
				break
			}
			i += off
			if p != "http" || bytes.HasPrefix(b[i+4:], []byte(":")) || bytes.HasPrefix(b[i+4:], []byte("s:")) {
				at = append(at, i)
			}
			off = i + 1
		}
	}
	slices.Sort(at)
	return at
}

// simpleLink reads the link [text](destination) that starts at b[open]:
// a text of 1 to 900 bytes on one line, with no bracket and none of the
// characters simpleRefs refuses, then a destination of at least one byte
// that holds no space, control, bracket, parenthesis, quote, backtick, <,
// >, \ or |. It returns the offsets just past the link and of the
// destination.
func simpleLink(b []byte, open int) (end, dest int, ok bool) {
	i := open + 1
	for i < len(b) && !refSpecial[b[i]] {
		i++
	}
	if i == open+1 || i-open-1 > 900 || i+1 >= len(b) || b[i] != ']' || b[i+1] != '(' {
		return 0, 0, false
	}
	start := i + 2
	j := start
	for j < len(b) && destByte[b[j]] {
		j++
	}
	if j == start || j >= len(b) || b[j] != ')' {
		return 0, 0, false
	}
	return j + 1, start, true
}

var destByte = func() (t [256]bool) {
	for c := 0x21; c < 0x100; c++ {
		t[c] = true
	}
	for _, c := range "()[]<>\\\"'`|\x7f" {
		t[c] = false
	}
	return t
}()
