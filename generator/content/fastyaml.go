package content

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/goccy/go-yaml/token"

	"github.com/cqp-catalogue/cqp/generator/schema"
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
// The tree it returns is laid out for a short life and a small footprint:
// its Nodes, Pairs and Items are carved from a few slabs (one allocation
// each per file rather than one per node), and the text of every scalar is
// copied into one string per file, which holds the values and nothing else
// (the keys the schema knows are shared constants; indentation, comments
// and quotes are left out). Nothing in the tree points into src, so the
// caller's bytes can be dropped or reused as soon as fastParse returns, and
// a model that keeps some values keeps that string alone.
//
// src must be valid UTF-8, which Parse has checked.
func fastParse(src []byte, line0 int) (*Node, bool) {
	p := fastParsers.Get().(*fastParser)
	defer p.release()
	p.line0 = line0 - 1
	// The lines are read through a string that shares src's bytes: src is
	// not written while fastParse runs, and no string taken from it
	// outlives the call (finish copies the values out).
	if !p.split(unsafe.String(unsafe.SliceData(src), len(src))) {
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
	p.finish()
	return n, true
}

type fastLine struct {
	no     int    // line number within the YAML text, from 1
	indent int    // number of leading spaces
	text   string // the line after its indentation
	// colons counts the line's colons; plain is false when it holds a #,
	// a bracket or a brace. A value on a line with plain set and no colon
	// but its key's is a plain scalar as it stands.
	colons int
	plain  bool
}

// valSpan is a scalar whose text is vals[off:end], to be set by finish.
type valSpan struct {
	n        *Node
	off, end int
}

type fastParser struct {
	line0 int
	lines []fastLine
	i     int

	// The slabs the tree is carved from; they belong to the tree, so a
	// parser drops them when it is done. The hints size them from what
	// split counted, so that one allocation each is the rule.
	nodes                        []Node
	pairs                        []Pair
	items                        []*Node
	nodeHint, pairHint, itemHint int

	// Scratch reused from file to file: the pairs and items of the maps
	// and lists being read (nested ones above their parents), and the
	// scalar texts with the nodes they belong to.
	pairStack []Pair
	itemStack []*Node
	vals      []byte
	spans     []valSpan
}

var fastParsers = sync.Pool{New: func() any { return new(fastParser) }}

// release forgets the tree and whatever points into the source, and puts
// the parser back in the pool; scratch grown by an unusually big file is
// dropped rather than kept.
func (p *fastParser) release() {
	clear(p.lines)
	clear(p.pairStack)
	clear(p.itemStack)
	clear(p.spans)
	p.lines, p.pairStack, p.itemStack, p.vals, p.spans = p.lines[:0], p.pairStack[:0], p.itemStack[:0], p.vals[:0], p.spans[:0]
	p.nodes, p.pairs, p.items = nil, nil, nil
	p.i = 0
	if cap(p.vals) > 1<<20 || cap(p.lines) > 1<<14 {
		return
	}
	fastParsers.Put(p)
}

// finish copies the scalar texts into one string and points each scalar
// at its part of it.
func (p *fastParser) finish() {
	s := string(p.vals)
	for _, sp := range p.spans {
		sp.n.Value = s[sp.off:sp.end]
	}
}

// split cuts the text into its meaningful lines, dropping blank lines and
// whole-line comments. It also counts what the slabs will need.
func (p *fastParser) split(src string) bool {
	if n := strings.Count(src, "\n") + 1; cap(p.lines) < n {
		p.lines = make([]fastLine, 0, n)
	}
	if cap(p.vals) < len(src) {
		p.vals = make([]byte, 0, len(src))
	}
	nodes, pairs, items := 1, 0, 0
	no := 0
	for len(src) > 0 {
		no++
		var l string
		if j := strings.IndexByte(src, '\n'); j >= 0 {
			l, src = src[:j], src[j+1:]
		} else {
			l, src = src, ""
		}
		commas, colons, bracket, plain := 0, 0, false, true
		for k := 0; k < len(l); k++ {
			c := l[k]
			if splitClass[c] == 0 {
				continue
			}
			switch {
			case c < 0x20 || c == 0x7f:
				return false // tabs, CR and other controls: leave them to the reference
			case c == 0xef:
				if strings.HasPrefix(l[k:], "\ufeff") {
					return false
				}
			case c == ',':
				commas++
			case c == ':':
				colons++
			case c == '[':
				bracket, plain = true, false
			default: // # ] { }
				plain = false
			}
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
		p.lines = append(p.lines, fastLine{no: no, indent: len(l) - len(text), text: text, colons: colons, plain: plain})
		// A line makes a key and its value (a scalar, or the map or list
		// of the lines below), or a list's item, which is a scalar or,
		// for "- key: value", a map and its first key and value; a flow
		// list, one more item per comma.
		switch {
		case !isSeqItem(text):
			nodes += 2
			pairs++
		case colons == 0:
			nodes++
			items++
		default:
			nodes += 3
			items++
			pairs++
		}
		if bracket {
			nodes += commas + 1
			items += commas + 1
		}
	}
	p.nodeHint, p.pairHint, p.itemHint = nodes, pairs, items
	return true
}

// splitClass marks the bytes split looks at.
var splitClass = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		t[c] = 1
	}
	for _, c := range []byte{0x7f, 0xef, ',', ':', '[', ']', '{', '}', '#'} {
		t[c] = 1
	}
	return t
}()

func isSeqItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// node takes a Node from the slab.
func (p *fastParser) node(kind NodeKind, no, col int) *Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]Node, 0, max(p.nodeHint, 16))
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Kind, n.Line, n.Col = kind, no+p.line0, col
	return n
}

// carvePairs moves the pairs pushed since base to the slab and returns
// them as a slice of their own: its capacity ends with it, so an append
// to one map's Pairs can never write over another's.
func (p *fastParser) carvePairs(base int) []Pair {
	s := p.pairStack[base:]
	n := len(s)
	if cap(p.pairs)-len(p.pairs) < n {
		p.pairs = make([]Pair, 0, max(p.pairHint, n))
	}
	start := len(p.pairs)
	p.pairs = append(p.pairs, s...)
	clear(s)
	p.pairStack = p.pairStack[:base]
	return p.pairs[start : start+n : start+n]
}

// carveItems is carvePairs for a list's items.
func (p *fastParser) carveItems(base int) []*Node {
	s := p.itemStack[base:]
	n := len(s)
	if cap(p.items)-len(p.items) < n {
		p.items = make([]*Node, 0, max(p.itemHint, n))
	}
	start := len(p.items)
	p.items = append(p.items, s...)
	clear(s)
	p.itemStack = p.itemStack[:base]
	return p.items[start : start+n : start+n]
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

// knownKeys holds every key of the schema, so that a key node shares the
// schema's string instead of taking room in the file's value string.
var knownKeys = func() map[string]string {
	m := map[string]string{}
	var walk func(t *schema.Type)
	walk = func(t *schema.Type) {
		if t == nil {
			return
		}
		for _, f := range t.Fields {
			if _, seen := m[f.Key]; !seen {
				m[f.Key] = f.Key
				walk(f.Type)
			}
		}
		walk(t.Elem)
	}
	for _, d := range schema.Docs {
		walk(d.Type)
	}
	return m
}()

// key makes the node of a map's key.
func (p *fastParser) key(key string, no, col int) *Node {
	if k, ok := knownKeys[key]; ok {
		n := p.node(Scalar, no, col)
		n.Value = k
		return n
	}
	return p.scalar(key, false, no, col)
}

func (p *fastParser) mapping(indent int) (*Node, bool) {
	first := p.lines[p.i]
	m := p.node(Map, first.no, indent+1)
	base := len(p.pairStack)
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
		k := p.key(key, l.no, indent+1)
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
			if v, ok = p.inline(value, l.plain && l.colons == 1, l.no, col); !ok {
				return nil, false
			}
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false // a continuation line
			}
		}
		p.pairStack = append(p.pairStack, Pair{Key: k, Value: v})
	}
	m.Pairs = p.carvePairs(base)
	return m, true
}

func (p *fastParser) seq(indent int) (*Node, bool) {
	first := p.lines[p.i]
	s := p.node(Seq, first.no, indent+1)
	base := len(p.itemStack)
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
				p.lines[p.i] = fastLine{no: l.no, indent: col - 1, text: content, colons: l.colons, plain: l.plain}
				if item, ok = p.mapping(col - 1); !ok {
					return nil, false
				}
			} else {
				p.i++
				if item, ok = p.inline(content, l.plain && l.colons == 0, l.no, col); !ok {
					return nil, false
				}
				if p.i < len(p.lines) && p.lines[p.i].indent > indent {
					return nil, false
				}
			}
		}
		p.itemStack = append(p.itemStack, item)
	}
	s.Items = p.carveItems(base)
	return s, true
}

// inline parses a value written on its line: a scalar or a flow list.
// simple says that the line holds no #, bracket, brace or colon but its
// key's: a plain scalar is then the text itself.
func (p *fastParser) inline(text string, simple bool, no, col int) (*Node, bool) {
	switch text[0] {
	case '[':
		return p.flowSeq(text, no, col)
	case '"', '\'':
		off := len(p.vals)
		rest, ok := p.quoted(text)
		if !ok || !onlyComment(rest) {
			return nil, false
		}
		n := p.node(Scalar, no, col)
		p.spans = append(p.spans, valSpan{n, off, len(p.vals)})
		return n, true
	}
	if badStart(text) {
		return nil, false
	}
	if simple {
		return p.scalar(text, false, no, col), true
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

// plain returns a plain scalar without its trailing comment: the text up
// to " #", without its trailing spaces. It refuses ": " and a final ":"
// (a key, or an error) and brackets and braces (flow collections).
func plain(text string) (string, bool) {
	end := len(text)
scan:
	for i := 0; i < len(text); i++ {
		if plainClass[text[i]] == 0 {
			continue
		}
		switch text[i] {
		case '#':
			if i > 0 && text[i-1] == ' ' {
				end = i
				break scan
			}
		case ':':
			// Before a space, or last: the trimmed text would hold ": " or
			// end with ":".
			if i+1 == len(text) || text[i+1] == ' ' {
				return "", false
			}
		case '[', ']', '{', '}':
			return "", false
		}
	}
	return strings.TrimRight(text[:end], " "), true
}

var plainClass = func() (t [256]uint8) {
	for _, c := range []byte{'#', ':', '[', ']', '{', '}'} {
		t[c] = 1
	}
	return t
}()

// quoted reads a one-line quoted scalar with no escapes (but ” in single
// quotes), appends its text to vals and returns what follows it.
func (p *fastParser) quoted(text string) (rest string, ok bool) {
	q := text[0]
	start := 1
	for i := 1; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\':
			return "", false
		case c == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			p.vals = append(p.vals, text[start:i+1]...)
			i++
			start = i + 1
		case c == q:
			p.vals = append(p.vals, text[start:i]...)
			return text[i+1:], true
		}
	}
	return "", false
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
	base := len(p.itemStack)
	off := 1
	for rest := inner; ; {
		part := rest
		j := strings.IndexByte(rest, ',')
		if j >= 0 {
			part = rest[:j]
		}
		item := strings.TrimLeft(part, " ")
		start := off + len(part) - len(item)
		off += len(part) + 1
		item = strings.TrimRight(item, " ")
		if item == "" || badStart(item) || strings.ContainsAny(item, "[]{}#:") {
			return nil, false
		}
		p.itemStack = append(p.itemStack, p.scalar(item, false, no, col+utf8.RuneCountInString(text[:start])))
		if j < 0 {
			break
		}
		rest = rest[j+1:]
	}
	s.Items = p.carveItems(base)
	return s, true
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

// plainType types a plain scalar the way the reference parser does
// (goccy/go-yaml's token.New, YAML 1.2), for the cases content files are
// made of; ok is false for the others, which token.New then types.
//
//   - A scalar that starts with a letter is text, but for the keywords
//     null, true and false in their three spellings: no number starts with
//     a letter (token.New's numbers start with a digit, a sign, a dot or
//     an underscore, which it refuses), and .inf and .nan start with a dot.
//   - One that starts with none of the characters a number or keyword can
//     start with (a digit, + - . ~ or _) is text.
//   - A date YYYY-MM-DD is text; a decimal integer without a leading zero,
//     short enough never to overflow, is an integer.
//
// TestPlainTypeAgreesWithTheReference and FuzzPlainType hold it to token.New.
func plainType(v string) (kind NodeKind, tag ScalarTag, ok bool) {
	c := v[0]
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		if len(v) <= 5 {
			switch v {
			case "null", "Null", "NULL":
				return Null, StrTag, true
			case "true", "True", "TRUE", "false", "False", "FALSE":
				return Scalar, BoolTag, true
			}
		}
		return Scalar, StrTag, true
	case c >= '0' && c <= '9':
		if isDate(v) {
			return Scalar, StrTag, true
		}
		if len(v) <= 18 && (c != '0' || len(v) == 1) {
			for i := 1; i < len(v); i++ {
				if v[i] < '0' || v[i] > '9' {
					return 0, 0, false
				}
			}
			return Scalar, IntTag, true
		}
		return 0, 0, false
	case c == '+', c == '-', c == '.', c == '~', c == '_':
		return 0, 0, false
	}
	return Scalar, StrTag, true
}

// referenceType types a plain scalar with the reference's own function.
func referenceType(v string) (NodeKind, ScalarTag) {
	switch token.New(v, v, &token.Position{}).Type {
	case token.NullType:
		return Null, StrTag
	case token.BoolType:
		return Scalar, BoolTag
	case token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType:
		return Scalar, IntTag
	case token.FloatType, token.InfinityType, token.NanType:
		return Scalar, FloatTag
	}
	return Scalar, StrTag
}

// scalar makes the node of a scalar, typed the way the reference parser
// does; its text goes to the file's value string (quoted scalars are
// made by inline, always text).
func (p *fastParser) scalar(v string, quoted bool, no, col int) *Node {
	n := p.node(Scalar, no, col)
	if !quoted {
		kind, tag, ok := plainType(v)
		if !ok {
			kind, tag = referenceType(v)
		}
		if kind == Null {
			n.Kind = Null
			return n
		}
		n.Tag = tag
	}
	off := len(p.vals)
	p.vals = append(p.vals, v...)
	p.spans = append(p.spans, valSpan{n, off, len(p.vals)})
	return n
}
