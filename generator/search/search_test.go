package search

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

// checkComplete asserts that the index holds every CQP of the catalogue,
// in catalogue order, with its blocks and its archived flag.
func checkComplete(t *testing.T, cat *catalog.Catalog, files map[string][]byte) {
	t.Helper()
	m := readMeta(t, files)
	if m.N != len(cat.CQPs) {
		t.Fatalf("meta.js: n = %d, want %d CQPs", m.N, len(cat.CQPs))
	}
	values := decodeFacets(t, m)
	facet := map[string]int{}
	for i, f := range m.Facets {
		facet[f.Key] = i
	}
	docs := readDocs(t, files, m)
	blocks := readBlocks(t, files, m)
	for i, q := range cat.CQPs {
		d := docs[i]
		var others []string
		for _, b := range q.Blocks {
			if !derivedBlockCode(b.Code.Value, q.Registration.Number.Value) {
				others = append(others, Compact(b.Code.Value))
			}
		}
		if d.ID != q.ID || d.Title != q.Title || d.Summary != q.Summary || d.Number != q.Registration.Number.Value ||
			d.Code != q.Code || d.Blocks != strings.Join(others, " ") {
			t.Errorf("CQP %d = %+v, want CQP %q %q", i, d, q.ID, q.Title)
		}
		if len(blocks[i]) != len(q.Blocks) {
			t.Errorf("CQP %d (%s): %d blocks, want %d", i, q.ID, len(blocks[i]), len(q.Blocks))
		}
		for k, b := range blocks[i] {
			if k < len(q.Blocks) && (b.Code != q.Blocks[k].Code.Value || b.Title != q.Blocks[k].Title || b.Anchor != BlockAnchor(b.Code)) {
				t.Errorf("CQP %d (%s): block %d = %+v", i, q.ID, k, b)
			}
		}
		if fi, ok := facet[FacetStatus]; ok {
			if got := len(values[fi][i]) > 0; got != q.Archived() {
				t.Errorf("CQP %s: archived = %v in the index, %v in the catalogue", q.ID, got, q.Archived())
			}
		} else if q.Archived() {
			t.Errorf("CQP %s is archived but the index has no %s facet", q.ID, FacetStatus)
		}
		if fi, ok := facet[FacetBranch]; ok {
			var got []string
			for _, v := range values[fi][i] {
				got = append(got, m.Facets[fi].Values[v][0])
			}
			var want []string
			for _, b := range q.BranchRefs {
				want = append(want, b.ID)
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("CQP %s: branches %v in the index, want %v", q.ID, got, want)
			}
		}
	}
	for p := range files {
		for dir, size := range map[string]int{"search/d/": m.DocGroup, "search/b/": m.BlockGroup} {
			if rest, ok := strings.CutPrefix(p, dir); ok {
				k, err := strconv.Atoi(strings.TrimSuffix(rest, ".js"))
				if err != nil || k*size >= len(cat.CQPs) {
					t.Errorf("%s: no CQP is in group %s of %d", p, rest, size)
				}
			}
		}
	}
}

func TestIndexHoldsEveryCQP(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		cat := fixture(t)
		checkComplete(t, cat, index(t, cat, golden))
		for _, g := range []int{1, 3, 100} {
			checkComplete(t, cat, index(t, cat, Options{DocGroup: g, BlockGroup: g}))
		}
	})
	t.Run("sample", func(t *testing.T) {
		cat := sample(t)
		checkComplete(t, cat, index(t, cat, Options{}))
	})
}

func TestIndexIsDeterministic(t *testing.T) {
	// Two checks of the same files, two indexes: byte for byte the same.
	a := index(t, fixture(t), golden)
	b := index(t, fixture(t), golden)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		for p := range a {
			if !bytes.Equal(a[p], b[p]) {
				t.Errorf("%s differs between two builds", p)
			}
		}
		t.Fatal("two builds of the same catalogue differ")
	}
	s1, s2 := index(t, sample(t), Options{}), index(t, sample(t), Options{})
	if !maps.EqualFunc(s1, s2, bytes.Equal) {
		t.Fatal("two builds of the sample catalogue differ")
	}
}

func TestIndexFilesAreScripts(t *testing.T) {
	files := index(t, fixture(t), golden)
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if !strings.HasSuffix(p, ".js") {
			t.Errorf("%s: the index must load with <script src> (file://), so every file is a script", p)
		}
		if p == "search/search.js" {
			continue
		}
		if !bytes.HasPrefix(files[p], []byte("cqpSearch.load(")) {
			t.Errorf("%s does not call cqpSearch.load: %.40s", p, files[p])
		}
	}
	if !bytes.Equal(files["search/search.js"], Script()) {
		t.Error("search/search.js is not Script()")
	}
	// The script holds no eval and builds no code from strings: a
	// Content-Security-Policy of default-src 'self' must not break it.
	for _, bad := range []string{"eval(", "new Function", ".innerHTML", ".outerHTML", ".setAttribute('style'", "insertAdjacentHTML", "document.write"} {
		if bytes.Contains(Script(), []byte(bad)) {
			t.Errorf("search.js uses %s", bad)
		}
	}
}

// golden are the options of the fixture's index in testdata/index/: small
// chunks and groups, so that the JavaScript tests see several of each.
var golden = Options{ChunkBytes: 300, DocGroup: 2, BlockGroup: 3}

// TestGoldenIndex keeps testdata/index/ equal to the fixture's index: the
// JavaScript tests read it, and it shows the format file by file. After a
// deliberate change: go test -run TestGoldenIndex -update.
func TestGoldenIndex(t *testing.T) {
	files := index(t, fixture(t), golden)
	delete(files, "search/search.js") // js/ holds it, in two files
	dir := filepath.Join("testdata", "index")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		writeIndex(t, files, dir)
	}
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got["search/"+filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if !bytes.Equal(got[p], files[p]) {
			t.Errorf("%s differs from the index of testdata/fixture.txtar (go test -run TestGoldenIndex -update)", p)
		}
	}
	for p := range got {
		if _, ok := files[p]; !ok {
			t.Errorf("%s is in testdata/index but not in the index (go test -run TestGoldenIndex -update)", p)
		}
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	for _, ords := range [][]int32{
		{0},
		{5},
		{31}, {32}, {1023}, {1024}, {32767}, {99999},
		{0, 1, 2, 3, 4, 5, 6, 7},   // dense: a bitset
		{3, 40, 41, 2000, 9999},    // sparse: gaps
		{0, 6, 12, 18, 24, 30, 36}, // one bit per character
	} {
		b := appendPostings(nil, ords)
		if got := decodeList(string(b)); !slices.Equal(got, ords) {
			t.Errorf("appendPostings(%v) = %q, which reads back as %v", ords, b, got)
		}
		if bytes.ContainsAny(b, `",\`) {
			t.Errorf("appendPostings(%v) = %q: a posting list holds no quote, comma or backslash", ords, b)
		}
	}
	// Every ordinal of a large catalogue, one at a time and all together.
	var all []int32
	for i := range int32(10000) {
		if got := decodeList(string(appendPostings(nil, []int32{i}))); len(got) != 1 || got[0] != i {
			t.Fatalf("ordinal %d reads back as %v", i, got)
		}
		if i%7 == 0 {
			all = append(all, i)
		}
	}
	if got := decodeList(string(appendPostings(nil, all))); !slices.Equal(got, all) {
		t.Fatal("every seventh ordinal of 10,000 does not read back")
	}
}

// entries reads a chunk back as term → postings.
func entries(t *testing.T, files map[string][]byte, i int) map[string]string {
	var e map[string]string
	loadData(t, files[chunkPath(i)], "t", i, &e)
	return e
}

func TestChunksKeepAStemTogether(t *testing.T) {
	cat := sample(t)
	files := index(t, cat, Options{ChunkBytes: 500})
	m := readMeta(t, files)
	if len(m.ChunkFirst) < 10 {
		t.Fatalf("%d chunks of 500 bytes: want many to test the lookup", len(m.ChunkFirst))
	}
	if m.ChunkFirst[0] != "" || !slices.IsSorted(m.ChunkFirst) {
		t.Fatalf("chunk boundaries %q: want \"\" first, then ascending", m.ChunkFirst)
	}
	chunkOf := func(stem string) int {
		i, _ := slices.BinarySearch(m.ChunkFirst, stem)
		if i == len(m.ChunkFirst) || m.ChunkFirst[i] != stem {
			i--
		}
		return i
	}
	seen := map[string]int{}
	for i := range m.ChunkFirst {
		if got := len(files[chunkPath(i)]); got != m.ChunkBytes[i] {
			t.Errorf("chunk %d: meta says %d bytes, the file has %d", i, m.ChunkBytes[i], got)
		}
		for term := range entries(t, files, i) {
			stem := Stem(term)
			if c, ok := seen[stem]; ok && c != i {
				t.Errorf("stem %q is in chunks %d and %d", stem, c, i)
			}
			seen[stem] = i
			if c := chunkOf(stem); c != i {
				t.Errorf("term %q (stem %q) is in chunk %d, the lookup says %d", term, stem, i, c)
			}
		}
	}
}

func TestTermsAtTheirBestField(t *testing.T) {
	cat := fixture(t)
	files := index(t, cat, Options{})
	ord := map[string]int{}
	for i, q := range cat.CQPs {
		ord[q.ID] = i
	}
	postings := map[string][numFields][]int32{}
	m := readMeta(t, files)
	for i := range m.ChunkFirst {
		for term, p := range entries(t, files, i) {
			var fields [numFields][]int32
			for f, part := range strings.Split(p, ",") {
				if part != "" {
					fields[f] = decodeList(part)
				}
			}
			postings[term] = fields
		}
	}
	for _, c := range []struct {
		term  string
		cqp   string
		field Field
	}{
		{"soudeur", "soudeur", FieldTitle}, // also a job title: the title wins
		{"soudeur", "chaudronnier", FieldKeys},
		{"soudeur", "tuyauteur", FieldBlocks},
		{"soudeur", "monteur", FieldSkills},
		{"soudeur", "ajusteur", FieldSummary},
		{"soudeur", "mecanicien", FieldBody},
		{"soudeuse", "soudeuse-laser", FieldTitle},
		{"rncp37890", "soudeur", FieldKeys},
		{"37890", "soudeur", FieldKeys},
		{"h2913", "soudeur", FieldKeys},
		{"cqpm0268", "tuyauteur", FieldKeys}, // the code whole
		{"0268", "tuyauteur", FieldKeys},     // and its parts
		{"t1", "tuyauteur", FieldKeys},       // a block code not of the RNCP form
		{"tig", "soudeur", FieldKeys},
		{"metallurgie", "soudeur", FieldSkills}, // the branch's name
		{"cqpi", "cqpi-logistique", FieldSkills},
		{"vae", "soudeur", FieldSkills},
		{"cpf", "tuyauteur", FieldSkills},
	} {
		fields, ok := postings[c.term]
		if !ok {
			t.Errorf("term %q is not in the index", c.term)
			continue
		}
		found := -1
		for f, list := range fields {
			if slices.Contains(list, int32(ord[c.cqp])) {
				if found >= 0 {
					t.Errorf("term %q: CQP %s in two fields", c.term, c.cqp)
				}
				found = f
			}
		}
		if Field(found) != c.field {
			t.Errorf("term %q: CQP %s in field %d, want %d", c.term, c.cqp, found, c.field)
		}
	}
	// Block codes of the RNCP form are read from the number, not indexed.
	if _, ok := postings["rncp37890bc01"]; ok {
		t.Error("rncp37890bc01 is indexed: the number rncp37890 already finds it")
	}
	for _, stop := range []string{"de", "le", "l", "d", "pour"} {
		if _, ok := postings[stop]; ok {
			t.Errorf("%q is indexed", stop)
		}
	}
}

func TestFacetEncodingsRoundTrip(t *testing.T) {
	check := func(t *testing.T, cat *catalog.Catalog) {
		m := readMeta(t, index(t, cat, Options{}))
		got := decodeFacets(t, m)
		want := buildFacets(cat)
		keys := map[string]*facet{}
		for _, f := range want {
			keys[f.Key] = f
		}
		for i, f := range m.Facets {
			w := keys[f.Key]
			if !slices.Equal(f.Values, w.Values) {
				t.Errorf("facet %s: values %v, want %v", f.Key, f.Values, w.Values)
			}
			for o := range m.N {
				if !slices.Equal(got[i][o], w.docs[o]) {
					t.Errorf("facet %s, CQP %d: %v, want %v", f.Key, o, got[i][o], w.docs[o])
				}
			}
		}
	}
	t.Run("fixture", func(t *testing.T) { check(t, fixture(t)) })
	t.Run("sample", func(t *testing.T) { check(t, sample(t)) })

	// Each of the three encodings, forced by the data: a facet of many
	// values (a column with extra values), a rare value (sparse) and small
	// facets that vary together (profiles).
	n := 500
	many := &facet{Key: "many", docs: make([][]int, n)}
	for v := range 40 {
		many.Values = append(many.Values, [2]string{strconv.Itoa(v), ""})
	}
	rare := &facet{Key: "rare", Values: [][2]string{{"1", ""}}, docs: make([][]int, n)}
	// a and b make 64 profiles: one character per CQP, which rare would
	// double.
	a := &facet{Key: "a", docs: make([][]int, n)}
	b := &facet{Key: "b", docs: make([][]int, n)}
	for v := range 8 {
		a.Values = append(a.Values, [2]string{strconv.Itoa(v), ""})
		b.Values = append(b.Values, [2]string{strconv.Itoa(v), ""})
	}
	for o := range n {
		many.docs[o] = []int{o % 40}
		if o%9 == 0 {
			many.docs[o] = append(many.docs[o], 39-o%13)
			slices.Sort(many.docs[o])
			many.docs[o] = slices.Compact(many.docs[o])
		}
		if o%97 == 0 {
			rare.docs[o] = []int{0}
		}
		a.docs[o] = []int{o % 8}
		b.docs[o] = []int{o / 8 % 8}
	}
	facets := []*facet{many, rare, a, b}
	enc := encodeFacets(facets, n)
	var types []string
	for _, e := range enc {
		types = append(types, fmt.Sprint(e.Type, e.F))
	}
	if want := []string{"c[0]", "p[2 3]", "s[1]"}; !slices.Equal(types, want) {
		t.Errorf("encodings %v, want %v", types, want)
	}
	got := decodeFacets(t, &meta{N: n, Facets: facets, Encodings: enc})
	for i, f := range facets {
		for o := range n {
			if !slices.Equal(got[i][o], f.docs[o]) {
				t.Fatalf("facet %s, CQP %d: %v, want %v", f.Key, o, got[i][o], f.docs[o])
			}
		}
	}
}

func TestIndexOfAnEmptyCatalogue(t *testing.T) {
	files := index(t, &catalog.Catalog{Site: &catalog.Site{}}, Options{})
	m := readMeta(t, files)
	if m.N != 0 || len(m.ChunkFirst) != 1 || len(m.Facets) != 0 {
		t.Errorf("empty catalogue: n=%d, %d chunks, %d facets; want 0, 1 (empty), 0", m.N, len(m.ChunkFirst), len(m.Facets))
	}
	if string(files[chunkPath(0)]) != "cqpSearch.load(\"t\",0,{});\n" {
		t.Errorf("empty chunk = %q", files[chunkPath(0)])
	}
}

func TestIndexRefusesNoCatalogue(t *testing.T) {
	if _, err := Index(nil, Options{}); err == nil {
		t.Error("Index(nil) gave no error")
	}
}

func TestBlockAnchor(t *testing.T) {
	for code, want := range map[string]string{
		"RNCP37890BC01": "bloc-rncp37890bc01",
		"B01":           "bloc-b01",
		"Bloc 2-a":      "bloc-bloc2a",
		"É1":            "bloc-e1",
	} {
		if got := BlockAnchor(code); got != want {
			t.Errorf("BlockAnchor(%q) = %q, want %q", code, got, want)
		}
	}
}
