package search

import (
	"bytes"
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// alphabet writes numbers in the index: 64 characters that need no escape
// in a JSON string. A posting list uses it as base-32 digits with a
// continuation flag (values 32–63 say "more digits follow"); bitsets and
// facet columns as plain base-64 digits.
const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// appendVarint writes v ≥ 0 in 5-bit groups, most significant first; every
// group but the last is shifted into the upper half of the alphabet.
func appendVarint(b []byte, v int) []byte {
	var tmp [8]byte
	i := len(tmp) - 1
	tmp[i] = alphabet[v&31]
	for v >>= 5; v > 0; v >>= 5 {
		i--
		tmp[i] = alphabet[32+v&31]
	}
	return append(b, tmp[i:]...)
}

// appendPostings writes the ordinals (ascending) of one field of one term,
// whichever way is shorter: the gaps between them as varints (the first
// gap counted from -1), or "*" and a bitset, six ordinals to a character,
// trailing zeros left out. Common words cost a bit per CQP, rare ones a
// few characters each.
func appendPostings(b []byte, ords []int32) []byte {
	var list []byte
	prev := -1
	for _, o := range ords {
		list = appendVarint(list, int(o)-prev)
		prev = int(o)
	}
	bits := (int(ords[len(ords)-1]) + 6) / 6
	if bits+1 < len(list) {
		set := make([]byte, bits)
		for _, o := range ords {
			set[o/6] |= 1 << (o % 6)
		}
		b = append(b, '*')
		for _, v := range set {
			b = append(b, alphabet[v])
		}
		return b
	}
	return append(b, list...)
}

// term is one entry of the dictionary.
type term struct {
	word, stem string
	fields     [numFields][]int32 // ordinals, ascending, per best field
}

// invert turns the CQPs' terms into the dictionary, sorted by stem then
// word: the order of the chunks, which keeps the words of one stem
// together. words[w] is the dictionary of worker w of analyse.
func invert(docs []doc, words [][]string) []*term {
	// The workers' dictionaries merged: local[w][id] is the number of
	// worker w's word id in all.
	byWord := make(map[string]int32, len(words[0])+len(words[0])/2)
	var all []term
	local := make([][]int32, len(words))
	for w, ws := range words {
		local[w] = make([]int32, len(ws))
		for id, word := range ws {
			n, ok := byWord[word]
			if !ok {
				n = int32(len(all))
				all = append(all, term{word: word})
				byWord[word] = n
			}
			local[w][id] = n
		}
	}
	// Count, then fill, every list in one array: docs are visited in
	// order, so each list gets its ordinals in ascending order.
	counts := make([][numFields]int32, len(all))
	total := 0
	for _, d := range docs {
		l := local[d.worker]
		for _, x := range d.terms {
			counts[l[x>>termShift]][x&fieldMask]++
		}
		total += len(d.terms)
	}
	arena := make([]int32, total)
	for i := range all {
		for f, n := range counts[i] {
			if n > 0 {
				all[i].fields[f], arena = arena[:0:n], arena[n:]
			}
		}
	}
	for i, d := range docs {
		l := local[d.worker]
		for _, x := range d.terms {
			t := &all[l[x>>termShift]]
			t.fields[x&fieldMask] = append(t.fields[x&fieldMask], int32(i))
		}
	}
	terms := make([]*term, len(all))
	for i := range all {
		all[i].stem = Stem(all[i].word)
		terms[i] = &all[i]
	}
	slices.SortFunc(terms, func(a, b *term) int {
		return cmp.Or(strings.Compare(a.stem, b.stem), strings.Compare(a.word, b.word))
	})
	return terms
}

// entry is a term as a chunk writes it: "word":"postings".
func (t *term) entry() []byte {
	var b []byte
	b = strconv.AppendQuote(b, t.word) // words are letters and digits: no escape differs from JSON's
	b = append(b, ':', '"')
	last := 0
	for f := range numFields {
		if len(t.fields[f]) > 0 {
			last = int(f)
		}
	}
	for f := 0; f <= last; f++ {
		if f > 0 {
			b = append(b, ',')
		}
		if len(t.fields[f]) > 0 {
			b = appendPostings(b, t.fields[f])
		}
	}
	return append(b, '"')
}

// chunk is one search/t/<n>.js: a JSON object of entries.
type chunk struct {
	first string // the first stem it holds; the first chunk's is ""
	body  []byte
}

// chunkTerms cuts the sorted dictionary into chunks of about target bytes,
// never between two words of one stem, so that the words a query word
// matches by its stem are in one file.
func chunkTerms(terms []*term, target int) []chunk {
	var chunks []chunk
	var cur bytes.Buffer
	first := ""
	flush := func() {
		cur.WriteByte('}')
		chunks = append(chunks, chunk{first: first, body: bytes.Clone(cur.Bytes())})
		cur.Reset()
	}
	for i := 0; i < len(terms); {
		j := i + 1
		for j < len(terms) && terms[j].stem == terms[i].stem {
			j++
		}
		var group bytes.Buffer
		for _, t := range terms[i:j] {
			if group.Len() > 0 {
				group.WriteByte(',')
			}
			group.Write(t.entry())
		}
		if cur.Len() > 0 && cur.Len()+group.Len()+2 > target {
			flush()
		}
		if cur.Len() == 0 {
			cur.WriteByte('{')
			if len(chunks) > 0 {
				first = terms[i].stem
			}
		} else {
			cur.WriteByte(',')
		}
		cur.Write(group.Bytes())
		i = j
	}
	if cur.Len() > 0 || len(chunks) == 0 {
		if cur.Len() == 0 {
			cur.WriteByte('{')
		}
		flush()
	}
	return chunks
}

// meta is search/meta.js.
type meta struct {
	Version int    `json:"v"`
	Stamp   string `json:"stamp"`
	N       int    `json:"n"` // CQPs, ordinals 0..n-1
	// DocGroup and BlockGroup are the CQPs to a file of search/d/ and
	// search/b/: ordinal i is item i%DocGroup of d/<i/DocGroup>.js.
	DocGroup   int `json:"dg"`
	BlockGroup int `json:"bg"`
	// Weights of the fields, FieldTitle first.
	Weights []int `json:"w"`
	// ChunkFirst[i] is the first stem of chunk i; ChunkBytes[i] its size.
	// A stem s is in the last chunk whose first stem is <= s.
	ChunkFirst []string   `json:"cf"`
	ChunkBytes []int      `json:"cb"`
	Facets     []*facet   `json:"facets"`
	Encodings  []encoding `json:"enc"`
}

// facet is one filter the search page offers.
type facet struct {
	Key    string      `json:"key"`   // the URL parameter
	Label  string      `json:"label"` // the fieldset's legend
	Values [][2]string `json:"values"`
	// docs holds each CQP's values (indices into Values, ascending), for
	// the encoder.
	docs [][]int
}

// encoding writes the values of some facets for every CQP, in one of three
// ways; buildMeta picks, facet by facet, the one that costs fewest bytes.
//
// "p" (profiles): each CQP has a profile, the tuple of its value sets for
// the facets F; Profiles lists the distinct tuples and Col gives each
// CQP's profile number in W base-64 digits. A value set is a bit mask.
// Facets that vary together (level, register, CPF, VAE) share a column
// this way for the price of one.
//
// "c" (column): one facet; Col gives each CQP's first value plus one (0:
// none) in W digits; X lists the CQPs with more values as varints: the gap
// from the previous such ordinal (from -1), the number of other values,
// the values. For facets of many values, such as branches.
//
// "s" (sparse): one facet; V[k] is the posting list of value k, as in the
// term chunks. For values few CQPs have (archived).
type encoding struct {
	Type     string   `json:"t"`
	F        []int    `json:"f"`
	W        int      `json:"w,omitempty"`
	Profiles [][]int  `json:"p,omitempty"`
	Col      string   `json:"col,omitempty"`
	X        string   `json:"x,omitempty"`
	V        []string `json:"v,omitempty"`
}

// size is what the encoding adds to meta.js.
func (e encoding) size() int {
	b, _ := marshal(e)
	return len(b)
}

// buildMeta is meta.js but for the stamp, of the catalogue's facets (see
// facetMeta) and the term chunks.
func buildMeta(n int, facets []*facet, encodings []encoding, chunks []chunk) *meta {
	m := &meta{Version: Version, N: n, Facets: facets, Encodings: encodings}
	for f := range numFields {
		m.Weights = append(m.Weights, f.Weight())
	}
	for i, c := range chunks {
		m.ChunkFirst = append(m.ChunkFirst, c.first)
		m.ChunkBytes = append(m.ChunkBytes, len(loadCall("t", i, c.body)))
	}
	return m
}

// facetMeta lists the facets that have values, and their encodings.
func facetMeta(cat *catalog.Catalog) ([]*facet, []encoding) {
	var facets []*facet
	for _, f := range buildFacets(cat) {
		if len(f.Values) > 0 {
			facets = append(facets, f)
		}
	}
	return facets, encodeFacets(facets, len(cat.CQPs))
}

// encodeFacets puts the facets of up to maxMask values in one profile
// column, then takes out of it, one at a time, the facet whose removal
// saves most (written sparse instead), while that saves anything. Facets
// of more values get a column of their own. The choice depends on the data
// alone, so it is deterministic.
func encodeFacets(facets []*facet, n int) []encoding {
	var small []int
	var out []encoding
	for i, f := range facets {
		if len(f.Values) <= maxMask {
			small = append(small, i)
		} else {
			out = append(out, columnEncoding(i, f, n))
		}
	}
	var sparse []int
	cost := func(in, sp []int) int {
		total := 0
		if len(in) > 0 {
			total += profileEncoding(in, facets, n).size()
		}
		for _, i := range sp {
			total += sparseEncoding(i, facets[i], n).size()
		}
		return total
	}
	best := cost(small, sparse)
	for len(small) > 0 {
		pick, pickCost := -1, best
		for k := range small {
			in := slices.Delete(slices.Clone(small), k, k+1)
			if c := cost(in, append(slices.Clone(sparse), small[k])); c < pickCost {
				pick, pickCost = k, c
			}
		}
		if pick < 0 {
			break
		}
		sparse = append(sparse, small[pick])
		small = slices.Delete(small, pick, pick+1)
		best = pickCost
	}
	if len(small) > 0 {
		out = append(out, profileEncoding(small, facets, n))
	}
	slices.Sort(sparse)
	for _, i := range sparse {
		out = append(out, sparseEncoding(i, facets[i], n))
	}
	return out
}

// maxMask is the most values a facet may have to be written as bit masks:
// JavaScript's bitwise operators work on 32 bits.
const maxMask = 30

// appendFixed writes v in w base-64 digits.
func appendFixed(b []byte, v, w int) []byte {
	for k := w - 1; k >= 0; k-- {
		b = append(b, alphabet[v>>(6*k)&63])
	}
	return b
}

// width is the number of base-64 digits that write 0..n-1.
func width(n int) int {
	w := 1
	for limit := 64; n > limit; limit *= 64 {
		w++
	}
	return w
}

func profileEncoding(fs []int, facets []*facet, n int) encoding {
	e := encoding{Type: "p", F: fs}
	index := map[string]int{}
	ids := make([]int, n)
	key := make([]byte, 0, 32)
	for i := range n {
		profile := make([]int, len(fs))
		key = key[:0]
		for j, fi := range fs {
			for _, v := range facets[fi].docs[i] {
				profile[j] |= 1 << v
			}
			key = strconv.AppendInt(append(key, ','), int64(profile[j]), 10)
		}
		id, ok := index[string(key)]
		if !ok {
			id = len(e.Profiles)
			index[string(key)] = id
			e.Profiles = append(e.Profiles, profile)
		}
		ids[i] = id
	}
	e.W = width(len(e.Profiles))
	col := make([]byte, 0, n*e.W)
	for _, id := range ids {
		col = appendFixed(col, id, e.W)
	}
	e.Col = string(col)
	return e
}

func columnEncoding(fi int, f *facet, n int) encoding {
	e := encoding{Type: "c", F: []int{fi}, W: width(len(f.Values) + 1)}
	col := make([]byte, 0, n*e.W)
	var x []byte
	prev := -1
	for i := range n {
		vs := f.docs[i]
		first := 0
		if len(vs) > 0 {
			first = vs[0] + 1
		}
		col = appendFixed(col, first, e.W)
		if len(vs) > 1 {
			x = appendVarint(x, i-prev)
			x = appendVarint(x, len(vs)-1)
			for _, v := range vs[1:] {
				x = appendVarint(x, v)
			}
			prev = i
		}
	}
	e.Col, e.X = string(col), string(x)
	return e
}

func sparseEncoding(fi int, f *facet, n int) encoding {
	e := encoding{Type: "s", F: []int{fi}, V: make([]string, len(f.Values))}
	lists := make([][]int32, len(f.Values))
	for i := range n {
		for _, v := range f.docs[i] {
			lists[v] = append(lists[v], int32(i))
		}
	}
	for v, l := range lists {
		if len(l) > 0 {
			e.V[v] = string(appendPostings(nil, l))
		}
	}
	return e
}

// Short French labels of the facet values.
var (
	registerLabels = map[string]string{
		catalog.RNCP: "RNCP",
		catalog.RS:   "Répertoire spécifique",
		catalog.None: "Transmis à France compétences",
	}
	publicLabels = map[string]string{
		"jeunes":            "Jeunes",
		"salaries":          "Salariés",
		"demandeurs-emploi": "Demandeurs d'emploi",
	}
	accessLabels = map[string]string{
		"formation": "Par la formation",
		"vae":       "Par la VAE",
	}
)

// The facet keys, which are also the URL's parameters (?niveau=4&cpf=1).
// The script knows two by name: archives holds the archived flag, which
// the page offers as "include archived CQPs" (?archives=1) rather than a
// filter, and type, which a result's description reads.
const (
	FacetBranch   = "branche"
	FacetLevel    = "niveau"
	FacetRegister = "repertoire"
	FacetCPF      = "cpf"
	FacetVAE      = "vae"
	FacetKind     = "type"
	FacetPublic   = "public"
	FacetRoute    = "voie"
	FacetStatus   = "archives"
)

// buildFacets lists the facets with the values the catalogue uses, in the
// order a visitor expects (branches as the catalogue orders them, levels
// ascending, the schema's order elsewhere), and each CQP's values.
func buildFacets(cat *catalog.Catalog) []*facet {
	n := len(cat.CQPs)
	mk := func(key, label string) *facet {
		return &facet{Key: key, Label: label, docs: make([][]int, n)}
	}
	branch := mk(FacetBranch, "Branche")
	kind := mk(FacetKind, "Type de certificat")
	level := mk(FacetLevel, "Niveau RNCP")
	register := mk(FacetRegister, "Répertoire")
	cpf := mk(FacetCPF, "CPF")
	vae := mk(FacetVAE, "VAE")
	public := mk(FacetPublic, "Public")
	route := mk(FacetRoute, "Voie d'accès")
	status := mk(FacetStatus, "CQP archivés")

	branchIdx := map[*catalog.Branch]int{}
	used := map[*catalog.Branch]bool{}
	for _, q := range cat.CQPs {
		for _, b := range q.BranchRefs {
			used[b] = true
		}
	}
	for _, b := range cat.Branches {
		if used[b] {
			branchIdx[b] = len(branch.Values)
			branch.Values = append(branch.Values, [2]string{b.ID, b.Name})
		}
	}
	levels := map[int]bool{}
	registers := map[string]bool{}
	publics := map[string]bool{}
	routes := map[string]bool{}
	var anyCQPI, anyCQP, anyCPF, anyVAE, anyArchived bool
	for _, q := range cat.CQPs {
		if l := q.Level(); l > 0 {
			levels[l] = true
		}
		registers[q.Registration.Register] = true
		for _, p := range q.Publics {
			publics[p] = true
		}
		for _, a := range q.Access {
			routes[a.Value] = true
		}
		anyCQPI = anyCQPI || q.IsCQPI()
		anyCQP = anyCQP || !q.IsCQPI()
		anyCPF = anyCPF || q.CPF()
		anyVAE = anyVAE || q.VAE()
		anyArchived = anyArchived || q.Archived()
	}
	for _, l := range slices.Sorted(maps.Keys(levels)) {
		level.Values = append(level.Values, [2]string{strconv.Itoa(l), "Niveau " + strconv.Itoa(l)})
	}
	values := func(f *facet, names []string, used map[string]bool, labels map[string]string) map[string]int {
		idx := map[string]int{}
		for _, v := range names {
			if used[v] {
				idx[v] = len(f.Values)
				f.Values = append(f.Values, [2]string{v, labels[v]})
			}
		}
		return idx
	}
	registerIdx := values(register, schema.Registers.Names(), registers, registerLabels)
	publicIdx := values(public, schema.Publics.Names(), publics, publicLabels)
	routeIdx := values(route, schema.Access.Names(), routes, accessLabels)
	kindIdx := values(kind, []string{"cqp", "cqpi"}, map[string]bool{"cqp": anyCQP, "cqpi": anyCQPI}, map[string]string{"cqp": "CQP", "cqpi": "CQPI (interbranche)"})
	if anyCPF {
		cpf.Values = [][2]string{{"1", "Finançable par le CPF"}}
	}
	if anyVAE {
		vae.Values = [][2]string{{"1", "Accessible par la VAE"}}
	}
	if anyArchived {
		status.Values = [][2]string{{"1", "Inclure les CQP archivés"}}
	}
	levelIdx := map[int]int{}
	for i, v := range level.Values {
		l, _ := strconv.Atoi(v[0])
		levelIdx[l] = i
	}

	for i, q := range cat.CQPs {
		for _, b := range q.BranchRefs {
			branch.docs[i] = append(branch.docs[i], branchIdx[b])
		}
		slices.Sort(branch.docs[i])
		if q.IsCQPI() {
			kind.docs[i] = []int{kindIdx["cqpi"]}
		} else {
			kind.docs[i] = []int{kindIdx["cqp"]}
		}
		if l := q.Level(); l > 0 {
			level.docs[i] = []int{levelIdx[l]}
		}
		if ri, ok := registerIdx[q.Registration.Register]; ok {
			register.docs[i] = []int{ri}
		}
		if q.CPF() {
			cpf.docs[i] = []int{0}
		}
		if q.VAE() {
			vae.docs[i] = []int{0}
		}
		for _, p := range q.Publics {
			public.docs[i] = append(public.docs[i], publicIdx[p])
		}
		slices.Sort(public.docs[i])
		for _, a := range q.Access {
			route.docs[i] = append(route.docs[i], routeIdx[a.Value])
		}
		slices.Sort(route.docs[i])
		if q.Archived() {
			status.docs[i] = []int{0}
		}
	}
	return []*facet{branch, kind, level, register, cpf, vae, public, route, status}
}
