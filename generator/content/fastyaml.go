package content

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"
)

// fastParse parses the plain subset of YAML that content files are written
// in: block maps with simple keys, block lists, one-line flow lists of
// scalars, and one-line plain, 'single' or "double" quoted scalars, with
// comments. It is several times quicker than the general parser and makes
// far less garbage, which is what lets `cqp check` read 10,000 CQPs in well
// under a second.
//
// It returns ok=false as soon as the text steps outside that subset
// (anchors, tags, block scalars, multi-line values, flow maps, escapes,
// tabs, anything odd or wrong); parseYAML then hands the text to the
// general parser (goccy/go-yaml), which stays the reference: FuzzFastYAML
// checks that whenever the fast path accepts a text, the reference gives
// the very same tree, positions included.
//
// src must be valid UTF-8, which Parse has checked.
func fastParse(src []byte, line0 int) (*Node, bool) {
	p := fastParser{line0: line0 - 1}
	if !p.split(string(src)) {
		return nil, false
	}
	if len(p.lines) == 0 {
		return nil, false
	}
	if p.lines[0].indent != 0 {
		return nil, false
	}
	n, ok := p.block(0)
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	return n, true
}

type fastLine struct {
	no     int    // line number within the YAML text, from 1
	indent int    // number of leading spaces
	text   string // the line after its indentation
}

type fastParser struct {
	line0 int
	lines []fastLine
	i     int
}

// split cuts the text into its meaningful lines, dropping blank lines and
// whole-line comments.
func (p *fastParser) split(src string) bool {
	p.lines = make([]fastLine, 0, strings.Count(src, "\n")+1)
	no := 0
	for len(src) > 0 {
		no++
		var l string
		if j := strings.IndexByte(src, '\n'); j >= 0 {
			l, src = src[:j], src[j+1:]
		} else {
			l, src = src, ""
		}
		for k := 0; k < len(l); k++ {
			if c := l[k]; c < 0x20 || c == 0x7f {
				return false // tabs, CR and other controls: leave them to the reference
			}
		}
		if strings.Contains(l, "\ufeff") {
			return false
		}
		text := strings.TrimLeft(l, " ")
		if text == "" || text[0] == '#' {
			continue
		}
		if l[len(l)-1] == ' ' {
			return false // the reference shifts some values followed by spaces; keep its positions
		}
		if strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") {
			return false
		}
		p.lines = append(p.lines, fastLine{no: no, indent: len(l) - len(text), text: text})
	}
	return true
}

func isSeqItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

func (p *fastParser) node(kind NodeKind, no, col int) *Node {
	return &Node{Kind: kind, Line: no + p.line0, Col: col}
}

// block parses the map or list that starts at the current line.
func (p *fastParser) block(indent int) (*Node, bool) {
	if p.i >= len(p.lines) || p.lines[p.i].indent != indent {
		return nil, false
	}
	if isSeqItem(p.lines[p.i].text) {
		return p.seq(indent)
	}
	return p.mapping(indent)
}

// splitKey cuts "key: rest" or "key:"; the key must be a plain word.
func splitKey(text string) (key, rest string, ok bool) {
	i := strings.IndexByte(text, ':')
	if i <= 0 || (i+1 < len(text) && text[i+1] != ' ') {
		return "", "", false
	}
	key = text[:i]
	for k := 0; k < len(key); k++ {
		c := key[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || k > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return "", "", false
		}
	}
	return key, text[i+1:], true
}

func (p *fastParser) mapping(indent int) (*Node, bool) {
	first := p.lines[p.i]
	m := p.node(Map, first.no, indent+1)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent || isSeqItem(l.text) && l.indent == indent {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		key, rest, ok := splitKey(l.text)
		if !ok {
			return nil, false
		}
		k := p.scalar(key, false, l.no, indent+1)
		if k.Kind != Scalar {
			return nil, false
		}
		p.i++
		value := strings.TrimLeft(rest, " ")
		var v *Node
		if value == "" || value[0] == '#' {
			if value != "" && rest[0] != ' ' {
				return nil, false
			}
			if p.i < len(p.lines) && (p.lines[p.i].indent > indent || p.lines[p.i].indent == indent && isSeqItem(p.lines[p.i].text)) {
				if v, ok = p.block(p.lines[p.i].indent); !ok {
					return nil, false
				}
			} else {
				return nil, false // an empty value: the reference places its null; let it
			}
		} else {
			col := indent + 1 + len(l.text) - len(value)
			if v, ok = p.inline(value, l.no, col); !ok {
				return nil, false
			}
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false // a continuation line
			}
		}
		m.Pairs = append(m.Pairs, Pair{Key: k, Value: v})
	}
	return m, true
}

func (p *fastParser) seq(indent int) (*Node, bool) {
	first := p.lines[p.i]
	s := p.node(Seq, first.no, indent+1)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent != indent || !isSeqItem(l.text) {
			if l.indent > indent {
				return nil, false
			}
			break
		}
		rest := l.text[1:]
		content := strings.TrimLeft(rest, " ")
		col := indent + 1 + len(l.text) - len(content)
		var item *Node
		var ok bool
		switch {
		case content == "" || content[0] == '#':
			return nil, false // an empty item or a nested block: rare, leave it to the reference
		case isSeqItem(content):
			return nil, false
		default:
			if _, _, isKey := splitKey(content); isKey {
				p.lines[p.i] = fastLine{no: l.no, indent: col - 1, text: content}
				if item, ok = p.mapping(col - 1); !ok {
					return nil, false
				}
			} else {
				p.i++
				if item, ok = p.inline(content, l.no, col); !ok {
					return nil, false
				}
				if p.i < len(p.lines) && p.lines[p.i].indent > indent {
					return nil, false
				}
			}
		}
		s.Items = append(s.Items, item)
	}
	return s, true
}

// inline parses a value written on its line: a scalar or a flow list.
func (p *fastParser) inline(text string, no, col int) (*Node, bool) {
	switch text[0] {
	case '[':
		return p.flowSeq(text, no, col)
	case '"', '\'':
		v, rest, ok := quoted(text)
		if !ok || !onlyComment(rest) {
			return nil, false
		}
		return p.scalar(v, true, no, col), true
	}
	if badStart(text) {
		return nil, false
	}
	v, ok := plain(text)
	if !ok {
		return nil, false
	}
	return p.scalar(v, false, no, col), true
}

// badStart tells whether a plain scalar would start with a YAML indicator:
// such text means something else than plain text, or is an error.
func badStart(s string) bool {
	switch s[0] {
	case '{', '}', '[', ']', '&', '*', '!', '|', '>', '%', '@', '`', '?', ':', ',', '#', '\'', '"':
		return true
	case '-':
		return len(s) == 1 || s[1] == ' '
	}
	return false
}

// plain returns a plain scalar without its trailing comment.
func plain(text string) (string, bool) {
	if i := strings.Index(text, " #"); i >= 0 {
		text = text[:i]
	}
	text = strings.TrimRight(text, " ")
	if strings.Contains(text, ": ") || strings.HasSuffix(text, ":") || strings.ContainsAny(text, "[]{}") {
		return "", false
	}
	return text, true
}

// quoted reads a one-line quoted scalar with no escapes (but ” in single
// quotes) and returns it and what follows.
func quoted(text string) (value, rest string, ok bool) {
	q := text[0]
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\':
			return "", "", false
		case c == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == q:
			return b.String(), text[i+1:], true
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

func onlyComment(rest string) bool {
	t := strings.TrimLeft(rest, " ")
	return t == "" || t[0] == '#' && len(t) < len(rest)
}

func (p *fastParser) flowSeq(text string, no, col int) (*Node, bool) {
	end := strings.IndexByte(text, ']')
	if end < 0 || !onlyComment(text[end+1:]) {
		return nil, false
	}
	s := p.node(Seq, no, col)
	inner := text[1:end]
	if strings.TrimSpace(inner) == "" {
		return nil, false // [] : rare, leave the empty list to the reference
	}
	off := 1
	for _, part := range strings.Split(inner, ",") {
		item := strings.TrimLeft(part, " ")
		start := off + len(part) - len(item)
		off += len(part) + 1
		item = strings.TrimRight(item, " ")
		if item == "" || badStart(item) || strings.ContainsAny(item, "[]{}#:") {
			return nil, false
		}
		s.Items = append(s.Items, p.scalar(item, false, no, col+utf8.RuneCountInString(text[:start])))
	}
	return s, true
}

// isPlainText tells, without the reference's costlier classification, that
// a plain scalar is text: it starts with a letter and is longer than every
// YAML keyword (null, true, false, .inf… have five letters at most), or it
// starts with a character no number or keyword starts with.
func isPlainText(v string) bool {
	c := v[0]
	switch {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.', c == '~':
		return false
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return len(v) > 5
	}
	return true
}

// isDate recognises YYYY-MM-DD, which the reference reads as text.
func isDate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	for i := 0; i < 10; i++ {
		if i != 4 && i != 7 && (v[i] < '0' || v[i] > '9') {
			return false
		}
	}
	return true
}

// scalar types a scalar the way the reference parser does, with its own
// classification of plain scalars.
func (p *fastParser) scalar(v string, quoted bool, no, col int) *Node {
	n := p.node(Scalar, no, col)
	n.Value = v
	if quoted || isPlainText(v) || isDate(v) {
		return n
	}
	switch token.New(v, v, &token.Position{}).Type {
	case token.NullType:
		n.Kind, n.Value = Null, ""
	case token.BoolType:
		n.Tag = BoolTag
	case token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType:
		n.Tag = IntTag
	case token.FloatType, token.InfinityType, token.NanType:
		n.Tag = FloatTag
	}
	return n
}
