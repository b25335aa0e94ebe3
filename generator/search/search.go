// Package search builds the client-side search of a site from its model:
// an index split into small files and the script that queries it, both
// under search/ of the output. Nothing is scraped from HTML, and two
// builds of the same catalogue give the same bytes.
//
// # Contract
//
// Index returns the files to write, keyed by their path in the output:
//
//	search/search.js     the engine and the page script (js/core.js + js/ui.js)
//	search/meta.js       what the first query needs: field weights, the
//	                     boundaries of the term chunks, the facets
//	search/t/<n>.js      term chunk n: folded terms, their stems' range
//	search/d/<k>.js      what a result shows of the CQPs of ordinals
//	                     k*DocGroup to k*DocGroup+DocGroup-1
//	search/b/<k>.js      their blocks, BlockGroup CQPs to a file, for a
//	                     query that names a block code
//
// Every data file is a script that calls cqpSearch.load(kind, key, data)
// with a JSON literal, so that a <script src> loads it where fetch() of a
// local file is refused (a page opened from file://), under a
// Content-Security-Policy of default-src 'self' (no inline script, no
// eval). search.js finds the site's root from its own URL, so the index
// works under any sub-path and from disk.
//
// # Ordinals
//
// A CQP is known by its ordinal: its position in catalogue order
// (catalog.Catalog.CQPs: the owner's first, then by title). Archived CQPs
// are indexed too, flagged, so that "include archived CQPs" can work; the
// script leaves them out by default.
//
// # Fields and weights
//
// A term of a CQP is filed under the best field it appears in: the title;
// the keys (code, registration number, keywords, jobs and their ROME codes,
// block codes); the block titles; the skills and branch names; the
// summary; the body. Weights give the order title > keys > blocks > skills
// > summary > body; the script multiplies them by how exactly a word
// matched (exact, stem, prefix, one typo).
//
// # Size
//
// A query downloads search.js, meta.js, the chunk of each word's stem and
// the small file that holds each result shown, so that at 10,000 CQPs the
// first results cost under 100 KB without compression. Results are grouped
// a few consecutive CQPs to a file: a file per CQP would make 20,000 files
// at 10,000 CQPs, and creating a file costs a build more than writing its
// bytes. The format is described in docs/search.md; meta.js carries
// Version, which changes with it.
package search

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// Version is the index format's version, written in meta.js; the script
// refuses an index of another version rather than misread it.
const Version = 2

// DefaultChunkBytes is the size a term chunk aims at. A query loads one
// chunk per word, so this bounds what a word costs; a single term whose
// postings are larger gets a chunk of its own.
const DefaultChunkBytes = 8 << 10

// DefaultDocGroup is the number of consecutive CQPs whose result data
// share a file of search/d/. The results of a query are often far apart
// in catalogue order, so each shown result may cost a whole group: three
// keeps the twenty results of a broad query, typed a letter at a time,
// 4 KB within the budget at 10,000 CQPs, while writing a third of the
// files (docs/search.md, "Why groups").
const DefaultDocGroup = 3

// DefaultBlockGroup is the number of consecutive CQPs whose blocks share
// a file of search/b/. The engine loads a blocks file only for a result
// whose block a query names by its code, most often one CQP, so these
// groups can be larger.
const DefaultBlockGroup = 32

// Options tune the index.
type Options struct {
	// ChunkBytes is the size a term chunk aims at; zero means
	// DefaultChunkBytes. Tests make it small to get many chunks.
	ChunkBytes int
	// DocGroup and BlockGroup are the CQPs to a file of search/d/ and
	// search/b/; zero means DefaultDocGroup and DefaultBlockGroup. Tests
	// make them small to get several groups.
	DocGroup, BlockGroup int
}

// Field is where in a CQP a term was found; lower is better.
type Field int

// The fields, best first.
const (
	FieldTitle   Field = iota // title
	FieldKeys                 // code, number, keywords, jobs, ROME codes, block codes
	FieldBlocks               // block titles
	FieldSkills               // skills, branch names, kind and eligibility words
	FieldSummary              // summary
	FieldBody                 // the Markdown body
	numFields
)

// Weight is a field's weight: meta.js carries the weights to the script,
// which ranks with them (docs/search.md, "Ranking").
func (f Field) Weight() int { return [numFields]int{12, 8, 5, 3, 2, 1}[f] }

//go:embed js/core.js
var coreJS []byte

//go:embed js/ui.js
var uiJS []byte

// Index builds the search files of a catalogue. The catalogue must be one
// that checked without errors; Index reports what it cannot encode.
func Index(cat *catalog.Catalog, opts Options) (map[string][]byte, error) {
	if cat == nil {
		return nil, fmt.Errorf("search: no catalogue")
	}
	if opts.ChunkBytes <= 0 {
		opts.ChunkBytes = DefaultChunkBytes
	}
	if opts.DocGroup <= 0 {
		opts.DocGroup = DefaultDocGroup
	}
	if opts.BlockGroup <= 0 {
		opts.BlockGroup = DefaultBlockGroup
	}
	docs, words := analyse(cat)
	out := make(map[string][]byte, len(docs)/opts.DocGroup+len(docs)/opts.BlockGroup+len(docs)/16+8)

	// Three independent tasks: the term chunks, the result files, the
	// facets.
	var wg sync.WaitGroup
	groups := make(map[string][]byte, len(docs)/opts.DocGroup+len(docs)/opts.BlockGroup+2)
	wg.Go(func() { writeGroups(groups, docs, opts) })
	var facets []*facet
	var encodings []encoding
	wg.Go(func() { facets, encodings = facetMeta(cat) })
	chunks := chunkTerms(invert(docs, words), opts.ChunkBytes)
	for i, c := range chunks {
		out[chunkPath(i)] = loadCall("t", i, c.body)
	}
	wg.Wait()
	maps.Copy(out, groups)
	meta := buildMeta(len(docs), facets, encodings, chunks)
	meta.DocGroup, meta.BlockGroup = opts.DocGroup, opts.BlockGroup
	// The stamp names this build of the index: the script appends it to the
	// URLs it loads over http(s), so that a browser never mixes the chunks
	// of two builds from its cache. It hashes the data files, so it changes
	// when any of them does and only then; a change of their format is
	// Version's business.
	meta.Stamp = stamp(out)
	data, err := marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("search: meta: %w", err)
	}
	out["search/meta.js"] = loadCall("meta", 0, data)
	out[ScriptPath] = Script()
	return out, nil
}

// ScriptPath is the path of Script in the output.
const ScriptPath = "search/search.js"

// Minified tells whether the file at p of Index is written as a script
// minifier would write it, but for its final ";\n": the result and block
// groups (search/d/, search/b/), calls with arrays of strings and numbers,
// written compact. (The term chunks and meta.js hold objects, whose keys a
// minifier unquotes.) site checks it on real sites.
func Minified(p string) bool {
	return strings.HasPrefix(p, "search/d/") || strings.HasPrefix(p, "search/b/")
}

// Script is search/search.js: the engine and the page script in one
// classic script, wrapped so that nothing but window.cqpSearch leaks.
func Script() []byte {
	var b bytes.Buffer
	b.WriteString("/* cqp: recherche (docs/search.md) */\n(function () {\n")
	b.Write(coreJS)
	b.WriteString("\n")
	b.Write(uiJS)
	b.WriteString("})();\n")
	return b.Bytes()
}

func chunkPath(i int) string  { return "search/t/" + strconv.Itoa(i) + ".js" }
func docPath(k int) string    { return "search/d/" + strconv.Itoa(k) + ".js" }
func blocksPath(k int) string { return "search/b/" + strconv.Itoa(k) + ".js" }

// writeGroups adds the files of search/d/ and search/b/ to out: group k
// of each holds the CQPs of ordinals k*size to k*size+size-1, as a JSON
// array with one item per CQP. A doc item is the array of DocView's
// fields in order, empty ones at the end left out; a blocks item is the
// array of the CQP's blocks, each [code, title] (the anchor is
// BlockAnchor of the code, which the engine computes). Blocks items of
// CQPs without blocks at the end of a group are left out, and so is a
// blocks file whose CQPs have none.
func writeGroups(out map[string][]byte, docs []doc, opts Options) {
	var b []byte
	for k := 0; k*opts.DocGroup < len(docs); k++ {
		b = b[:0]
		b = append(b, '[')
		for i, d := range docs[k*opts.DocGroup : min(len(docs), (k+1)*opts.DocGroup)] {
			if i > 0 {
				b = append(b, ',')
			}
			fields := []string{d.view.ID, d.view.Title, d.view.Summary, d.view.Number, d.view.Code, d.view.Blocks}
			for len(fields) > 2 && fields[len(fields)-1] == "" {
				fields = fields[:len(fields)-1]
			}
			b = appendJSONStrings(b, fields...)
		}
		b = append(b, ']')
		out[docPath(k)] = loadCall("d", k, b)
	}
	for k := 0; k*opts.BlockGroup < len(docs); k++ {
		group := docs[k*opts.BlockGroup : min(len(docs), (k+1)*opts.BlockGroup)]
		last := len(group) - 1
		for last >= 0 && len(group[last].blocks) == 0 {
			last--
		}
		if last < 0 {
			continue
		}
		b = b[:0]
		b = append(b, '[')
		for i, d := range group[:last+1] {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for j, bl := range d.blocks {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONStrings(b, bl.Code, bl.Title)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
		out[blocksPath(k)] = loadCall("b", k, b)
	}
}

// appendJSONStrings appends the JSON array of ss, as marshal writes it.
func appendJSONStrings(b []byte, ss ...string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string, as marshal writes it: as
// it is between quotes when nothing in it needs an escape, which is the
// common case, else as encoding/json escapes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				data, _ := marshal(s) // a string always marshals
				return append(b, data...)
			}
			i++
			continue
		}
		// encoding/json also escapes U+2028 and U+2029, and replaces
		// invalid UTF-8.
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			data, _ := marshal(s)
			return append(b, data...)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// loadCall wraps JSON data into the script that hands it to the engine.
func loadCall(kind string, key int, data []byte) []byte {
	b := make([]byte, 0, len(data)+40)
	b = append(b, "cqpSearch.load(\""...)
	b = append(b, kind...)
	b = append(b, "\","...)
	b = strconv.AppendInt(b, int64(key), 10)
	b = append(b, ',')
	b = append(b, data...)
	b = append(b, ");\n"...)
	return b
}

// marshal is json.Marshal without HTML escaping: the data lands in script
// files, never inline in a page, and "&" is shorter than "\u0026".
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func stamp(files map[string][]byte) string {
	h := fnv.New64a()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(files[p])
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// DocView is what a result shows of a CQP, written to its group of
// search/d/ as an array, fields in this order. Facet values (kind, level,
// branches) come from meta.js instead, which every query loads anyway, and
// the blocks from search/b/, which only a query that names a block needs:
// each file a result costs stays small. The engine reads the array back
// into an object of the keys below.
type DocView struct {
	ID      string `json:"id"`
	Title   string `json:"t"`
	Summary string `json:"s,omitempty"`
	Number  string `json:"n,omitempty"`
	Code    string `json:"c,omitempty"`
	// Blocks lists, compacted and separated by spaces, the codes of the
	// CQP's blocks that are not of the form <number>BCnn: with the number,
	// they tell the engine whether a code in a query names one of the
	// CQP's blocks before it loads any blocks file.
	Blocks string `json:"k,omitempty"`
}

// BlockView is a block as a result names it when a query gives its code:
// the code, the title and the anchor of the block on the CQP's page. The
// blocks files hold the code and the title; the engine adds the anchor.
type BlockView struct {
	Code   string `json:"c"`
	Title  string `json:"t"`
	Anchor string `json:"a"`
}

// BlockAnchor is the id of a block's section on its CQP's page: "bloc-"
// and the code folded to lower case, so that the search can link straight
// to it.
func BlockAnchor(code string) string { return "bloc-" + Compact(code) }

// doc is one CQP analysed.
type doc struct {
	view   DocView
	blocks []BlockView
	// terms holds each term of the CQP once, at the best field it appears
	// in, as its number in the dictionary of the analyser that read it
	// (words[worker]) shifted left by termShift, or'ed with the field.
	terms  []uint32
	worker int
}

const (
	termShift = 3
	fieldMask = 1<<termShift - 1
)

// analyse turns every CQP into its terms, in parallel, and returns the
// dictionary of each worker: a doc's term numbers index its worker's.
func analyse(cat *catalog.Catalog) ([]doc, [][]string) {
	docs := make([]doc, len(cat.CQPs))
	md := markdown.New()
	workers := min(runtime.GOMAXPROCS(0), max(1, len(cat.CQPs)))
	words := make([][]string, workers)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := range workers {
		wg.Go(func() {
			a := newAnalyser(md)
			for i := range next {
				docs[i] = a.analyseCQP(cat.CQPs[i])
				docs[i].worker = w
			}
			words[w] = a.words
		})
	}
	for i := range cat.CQPs {
		next <- i
	}
	close(next)
	wg.Wait()
	return docs, words
}

// analyser is the state of one worker of analyse: buffers that each text
// reuses, and a dictionary of the words it has met, so that a word read
// a thousand times is looked up, not copied, each time.
type analyser struct {
	md    goldmark.Markdown
	raw   []byte          // a body's text
	buf   []byte          // the folded text being read
	join  []byte          // a hyphenated compound joined
	folds map[rune]string // catalog.Fold of characters beyond latinFold

	dict  map[string]int32   // word → its number, -1 for a word not kept
	words []string           // number → word
	texts map[string][]int32 // text → the numbers of its terms, in order
	ids   []int32
	// For the CQP being read: seen[n] is stamp when word n is in it, best[n]
	// its best field so far, and cur lists its words in order of arrival.
	seen  []uint32
	best  []Field
	stamp uint32
	cur   []int32
}

func newAnalyser(md goldmark.Markdown) *analyser {
	return &analyser{md: md, folds: map[rune]string{}, dict: make(map[string]int32, 1<<14), texts: make(map[string][]int32, 1<<12)}
}

// number returns the number of a word in the dictionary, adding it, or
// -1 for a word that Keep leaves out.
func (a *analyser) number(w []byte) int32 {
	id, ok := a.dict[string(w)]
	if ok {
		return id
	}
	id = -1
	if keepBytes(w) {
		id = int32(len(a.words))
		a.words = append(a.words, string(w))
		a.seen = append(a.seen, 0)
		a.best = append(a.best, 0)
	}
	a.dict[string(w)] = id
	return id
}

// file files word id in the current CQP under field f.
func (a *analyser) file(id int32, f Field) {
	if a.seen[id] != a.stamp {
		a.seen[id] = a.stamp
		a.best[id] = f
		a.cur = append(a.cur, id)
	} else if f < a.best[id] {
		a.best[id] = f
	}
}

// text files the terms of a text (Terms) under field f. Titles, skills,
// keywords repeat from one CQP to the next (at 10,000 synthetic CQPs, 40
// MB of them are 30,000 distinct texts): each is read once, and its
// words' numbers kept.
func (a *analyser) text(f Field, text string) {
	ids, ok := a.texts[text]
	if !ok {
		a.buf = appendFold(a.buf[:0], text, a.folds)
		a.ids = a.ids[:0]
		scanWords(a.buf, &a.join, func(w []byte) {
			if id := a.number(w); id >= 0 {
				a.ids = append(a.ids, id)
			}
		})
		ids = slices.Clone(a.ids)
		a.texts[text] = ids
	}
	for _, id := range ids {
		a.file(id, f)
	}
}

// body files the terms of the body, a text of its own: its Markdown
// source when that gives the same terms (appendPlainBody), else what the
// parser makes of it.
func (a *analyser) body(src []byte) {
	if raw, ok := appendPlainBody(a.raw[:0], src); ok {
		a.raw = raw
		a.buf = appendFold(a.buf[:0], a.raw, a.folds)
		if checkPlainFolded(a.buf) {
			a.scan(FieldBody)
			return
		}
	}
	a.raw = appendBodyText(a.raw[:0], a.md, src)
	a.buf = appendFold(a.buf[:0], a.raw, a.folds)
	a.scan(FieldBody)
}

// scan files the terms of the folded text in a.buf under field f.
func (a *analyser) scan(f Field) {
	scanWords(a.buf, &a.join, func(w []byte) {
		if id := a.number(w); id >= 0 {
			a.file(id, f)
		}
	})
}

// code files a code whole, compacted, besides its parts: "MQ 2006 10 69
// 0268" is found typed with or without its spaces.
func (a *analyser) code(f Field, code string) {
	// Codes seldom repeat: no cache.
	a.buf = appendFold(a.buf[:0], code, a.folds)
	a.scan(f)
	// Compact(code) is the letters and digits of the folded code.
	j := a.join[:0]
	for i := 0; i < len(a.buf); {
		r, size := rune(a.buf[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(a.buf[i:])
		}
		if isWordRune(r) {
			j = append(j, a.buf[i:i+size]...)
		}
		i += size
	}
	a.join = j
	if id := a.number(j); id >= 0 {
		a.file(id, f)
	}
}

// analyseCQP reads a CQP: what its results show, and its terms, each at
// the best field it appears in.
func (a *analyser) analyseCQP(c *catalog.CQP) doc {
	a.stamp++
	a.cur = a.cur[:0]
	d := doc{}
	add := a.text
	addCode := a.code
	add(FieldTitle, c.Title)
	addCode(FieldKeys, c.Code)
	number := c.Registration.Number.Value
	if number != "" {
		addCode(FieldKeys, number)
		// The digits alone too: an advisor may give "37890" for RNCP37890.
		addCode(FieldKeys, strings.TrimLeft(number, "RNCPSrncps"))
	}
	for _, k := range c.Keywords {
		add(FieldKeys, k)
	}
	for _, j := range c.Jobs {
		add(FieldKeys, j.Title)
		addCode(FieldKeys, j.ROME)
	}
	d.view = DocView{ID: c.ID, Title: c.Title, Summary: c.Summary, Number: number, Code: c.Code}
	for _, b := range c.Blocks {
		code := b.Code.Value
		d.blocks = append(d.blocks, BlockView{Code: code, Title: b.Title}) // the engine makes the anchor
		// A block code of the form <number>BCnn needs no term: the script
		// reads the number in it and finds the block in the CQP's file.
		if !derivedBlockCode(code, number) {
			addCode(FieldKeys, code)
			if w := Compact(code); w != "" {
				if d.view.Blocks != "" {
					d.view.Blocks += " "
				}
				d.view.Blocks += w
			}
		}
		add(FieldBlocks, b.Title)
		for _, s := range b.Skills {
			add(FieldSkills, s)
		}
	}
	for _, b := range c.BranchRefs {
		add(FieldSkills, b.Name)
	}
	if c.IsCQPI() {
		add(FieldSkills, "CQPI")
	}
	if c.CPF() {
		add(FieldSkills, "CPF")
	}
	if c.VAE() {
		add(FieldSkills, "VAE")
	}
	add(FieldSummary, c.Summary)
	a.body(c.Source.Body)
	d.terms = make([]uint32, len(a.cur))
	for i, id := range a.cur {
		d.terms[i] = uint32(id)<<termShift | uint32(a.best[id])
	}
	return d
}

// derivedBlockCode tells whether a block code is its CQP's number followed
// by BC and two digits, the RNCP form.
func derivedBlockCode(code, number string) bool {
	rest, ok := strings.CutPrefix(code, number+"BC")
	return number != "" && ok && len(rest) == 2 && rest[0] >= '0' && rest[0] <= '9' && rest[1] >= '0' && rest[1] <= '9'
}

// appendBodyText appends to b the text a reader sees of a Markdown body:
// link texts but not destinations, code spans but not code blocks.
func appendBodyText(b []byte, md goldmark.Markdown, src []byte) []byte {
	if len(src) == 0 {
		return b
	}
	doc := md.Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b = append(b, '\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b = append(b, n.Segment.Value(src)...)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			b = append(b, n.Value...)
		}
		return ast.WalkContinue, nil
	})
	return b
}
