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
//	search/d/<i>.js      what a result shows of the CQP of ordinal i
//	search/b/<i>.js      its blocks, for a query that names a block code
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
// one small file per result shown, so that at 10,000 CQPs the first result
// costs well under 100 KB without compression. The format is described in
// docs/search.md; meta.js carries Version, which changes with it.
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

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// Version is the index format's version, written in meta.js; the script
// refuses an index of another version rather than misread it.
const Version = 1

// DefaultChunkBytes is the size a term chunk aims at. A query loads one
// chunk per word, so this bounds what a word costs; a single term whose
// postings are larger gets a chunk of its own.
const DefaultChunkBytes = 8 << 10

// Options tune the index.
type Options struct {
	// ChunkBytes is the size a term chunk aims at; zero means
	// DefaultChunkBytes. Tests make it small to get many chunks.
	ChunkBytes int
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
	docs := analyse(cat)
	out := make(map[string][]byte, len(docs)+64)

	terms := invert(docs)
	chunks := chunkTerms(terms, opts.ChunkBytes)
	for i, c := range chunks {
		out[chunkPath(i)] = loadCall("t", i, c.body)
	}
	for i, d := range docs {
		data, err := marshal(d.view)
		if err != nil {
			return nil, fmt.Errorf("search: CQP %q: %w", d.view.ID, err)
		}
		out[docPath(i)] = loadCall("d", i, data)
		if len(d.blocks) > 0 {
			data, err := marshal(d.blocks)
			if err != nil {
				return nil, fmt.Errorf("search: CQP %q: %w", d.view.ID, err)
			}
			out[blocksPath(i)] = loadCall("b", i, data)
		}
	}
	meta := buildMeta(cat, docs, chunks)
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
	out["search/search.js"] = Script()
	return out, nil
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
func docPath(i int) string    { return "search/d/" + strconv.Itoa(i) + ".js" }
func blocksPath(i int) string { return "search/b/" + strconv.Itoa(i) + ".js" }

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

// DocView is what a result shows of a CQP, written to search/d/<i>.js.
// Facet values (kind, level, branches) come from meta.js instead, which
// every query loads anyway, and the blocks from search/b/<i>.js, which
// only a query with a code needs: each file a result costs stays small.
type DocView struct {
	ID      string `json:"id"`
	Title   string `json:"t"`
	Summary string `json:"s,omitempty"`
	Number  string `json:"n,omitempty"`
	Code    string `json:"c,omitempty"`
}

// BlockView is a block as a result names it when a query gives its code:
// the code, the title and the anchor of the block on the CQP's page.
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
	terms  map[string]Field // each term at the best field it appears in
}

// analyse turns every CQP into its terms, in parallel: bodies are parsed
// as Markdown, which is most of the work at 10,000 CQPs.
func analyse(cat *catalog.Catalog) []doc {
	docs := make([]doc, len(cat.CQPs))
	md := markdown.New()
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				docs[i] = analyseCQP(cat.CQPs[i], md)
			}
		})
	}
	for i := range cat.CQPs {
		next <- i
	}
	close(next)
	wg.Wait()
	return docs
}

func analyseCQP(c *catalog.CQP, md goldmark.Markdown) doc {
	d := doc{terms: make(map[string]Field, 256)}
	add := func(f Field, text string) {
		eachTerm(text, func(t string) {
			if old, ok := d.terms[t]; !ok || f < old {
				d.terms[t] = f
			}
		})
	}
	// addCode files a code whole, compacted, besides its parts: "MQ 2006
	// 10 69 0268" is found typed with or without its spaces.
	addCode := func(f Field, code string) {
		add(f, code)
		if w := Compact(code); Keep(w) {
			if old, ok := d.terms[w]; !ok || f < old {
				d.terms[w] = f
			}
		}
	}
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
		d.blocks = append(d.blocks, BlockView{Code: code, Title: b.Title, Anchor: BlockAnchor(code)})
		// A block code of the form <number>BCnn needs no term: the script
		// reads the number in it and finds the block in the CQP's file.
		if !derivedBlockCode(code, number) {
			addCode(FieldKeys, code)
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
	add(FieldBody, bodyText(md, c.Source.Body))
	return d
}

// derivedBlockCode tells whether a block code is its CQP's number followed
// by BC and two digits, the RNCP form.
func derivedBlockCode(code, number string) bool {
	rest, ok := strings.CutPrefix(code, number+"BC")
	return number != "" && ok && len(rest) == 2 && rest[0] >= '0' && rest[0] <= '9' && rest[1] >= '0' && rest[1] <= '9'
}

// bodyText is the text a reader sees of a Markdown body: link texts but
// not destinations, code spans but not code blocks.
func bodyText(md goldmark.Markdown, src []byte) string {
	if len(src) == 0 {
		return ""
	}
	doc := md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
