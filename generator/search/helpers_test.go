package search

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// today keeps the checks of the test catalogues independent of the date.
var today = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fixture is testdata/fixture.txtar, checked.
func fixture(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, list := catalog.Load(sitetest.File(t, "testdata/fixture.txtar"), catalog.Options{Today: today})
	if list.Errors() > 0 {
		t.Fatalf("testdata/fixture.txtar does not check:\n%s", list)
	}
	return cat
}

// sample is the site's own sample catalogue, content/ at the top of the
// repository.
func sample(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, list := catalog.Load(os.DirFS("../.."), catalog.Options{Today: today})
	if list.Errors() > 0 {
		t.Fatalf("the sample catalogue does not check:\n%s", list)
	}
	if len(cat.CQPs) == 0 {
		t.Fatal("the sample catalogue has no CQP")
	}
	return cat
}

func index(t testing.TB, cat *catalog.Catalog, opts Options) map[string][]byte {
	t.Helper()
	files, err := Index(cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// writeIndex writes the files under search/ into dir, as the build's
// search/ folder.
func writeIndex(t testing.TB, files map[string][]byte, dir string) {
	t.Helper()
	for p, b := range files {
		rel, ok := strings.CutPrefix(p, "search/")
		if !ok {
			t.Fatalf("Index returned %s, outside search/", p)
		}
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// request and answer are those of js/run.mjs.
type request struct {
	Q       string              `json:"q,omitempty"`
	Type    string              `json:"type,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
	Top     int                 `json:"top,omitempty"`
}

type answer struct {
	Q        string                    `json:"q"`
	IDs      []string                  `json:"ids"`
	Total    int                       `json:"total"`
	Partial  bool                      `json:"partial"`
	Waiting  []string                  `json:"waiting"`
	Direct   string                    `json:"direct"`
	Counts   map[string]map[string]int `json:"counts"`
	Files    []string                  `json:"files"`
	Bytes    int                       `json:"bytes"`
	MS       float64                   `json:"ms"`
	FirstAt  string                    `json:"firstAt"`
	BytesFst int                       `json:"bytesFirst"`
	Steps    []struct {
		Q     string  `json:"q"`
		Total int     `json:"total"`
		MS    float64 `json:"ms"`
	} `json:"steps"`
}

// node finds Node.js, which runs the engine in the tests; make test
// installs it with the other tools.
func node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node (Node.js 20 or later) is needed to run the search engine: apt-get install nodejs, or make test")
	}
	return p
}

// query runs requests through js/run.mjs against the index in dir.
func query(t testing.TB, dir string, reqs []request) []answer {
	t.Helper()
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node(t), "js/run.mjs", dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node js/run.mjs: %v\n%s", err, stderr.Bytes())
	}
	var answers []answer
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("node js/run.mjs: %v\n%s", err, out)
	}
	if len(answers) != len(reqs) {
		t.Fatalf("node js/run.mjs answered %d requests of %d", len(answers), len(reqs))
	}
	return answers
}

// decodeVarints reads what appendVarint writes, as core.js does.
func decodeVarints(s string) []int {
	var out []int
	acc := 0
	for i := range len(s) {
		d := strings.IndexByte(alphabet, s[i])
		if d >= 32 {
			acc = acc*32 + d - 32
			continue
		}
		out = append(out, acc*32+d)
		acc = 0
	}
	return out
}

// decodeList reads what appendPostings writes, as core.js does.
func decodeList(s string) []int32 {
	var out []int32
	if rest, ok := strings.CutPrefix(s, "*"); ok {
		for k := range len(rest) {
			d := strings.IndexByte(alphabet, rest[k])
			for bit := range 6 {
				if d&(1<<bit) != 0 {
					out = append(out, int32(k*6+bit))
				}
			}
		}
		return out
	}
	prev := -1
	for _, gap := range decodeVarints(s) {
		prev += gap
		out = append(out, int32(prev))
	}
	return out
}

// decodeFacets reads meta's facet encodings back into each CQP's values,
// as core.js does.
func decodeFacets(t testing.TB, m *meta) [][][]int {
	t.Helper()
	docs := make([][][]int, len(m.Facets))
	for i := range docs {
		docs[i] = make([][]int, m.N)
	}
	fixed := func(s string, at, w int) int {
		v := 0
		for k := range w {
			v = v*64 + strings.IndexByte(alphabet, s[at+k])
		}
		return v
	}
	for _, e := range m.Encodings {
		switch e.Type {
		case "p":
			for o := range m.N {
				p := e.Profiles[fixed(e.Col, o*e.W, e.W)]
				for j, f := range e.F {
					for v := range 31 {
						if p[j]&(1<<v) != 0 {
							docs[f][o] = append(docs[f][o], v)
						}
					}
				}
			}
		case "c":
			f := e.F[0]
			for o := range m.N {
				if v := fixed(e.Col, o*e.W, e.W); v > 0 {
					docs[f][o] = []int{v - 1}
				}
			}
			x := decodeVarints(e.X)
			prev := -1
			for i := 0; i < len(x); {
				prev += x[i]
				more := x[i+1]
				docs[f][prev] = append(docs[f][prev], x[i+2:i+2+more]...)
				i += 2 + more
			}
		case "s":
			f := e.F[0]
			for v, list := range e.V {
				if list == "" {
					continue
				}
				for _, o := range decodeList(list) {
					docs[f][o] = append(docs[f][o], v)
				}
			}
		default:
			t.Fatalf("unknown facet encoding %q", e.Type)
		}
	}
	return docs
}

// loadData reads the JSON a data file hands to cqpSearch.load.
func loadData(t testing.TB, file []byte, kind string, key int, v any) {
	t.Helper()
	prefix := []byte(`cqpSearch.load("` + kind + `",` + strconv.Itoa(key) + `,`)
	rest, ok := bytes.CutPrefix(file, prefix)
	if !ok {
		t.Fatalf("data file does not start with %s: %.60s", prefix, file)
	}
	rest, ok = bytes.CutSuffix(rest, []byte(");\n"))
	if !ok {
		t.Fatalf("data file does not end with );: %s", file[max(0, len(file)-40):])
	}
	if err := json.Unmarshal(rest, v); err != nil {
		t.Fatalf("data file %s…: %v", prefix, err)
	}
}

// readDocs reads every CQP's item of the files of search/d/, as the
// engine does.
func readDocs(t testing.TB, files map[string][]byte, m *meta) []DocView {
	t.Helper()
	if m.DocGroup <= 0 || m.BlockGroup <= 0 {
		t.Fatalf("meta.js: dg = %d, bg = %d", m.DocGroup, m.BlockGroup)
	}
	var out []DocView
	for k := 0; k*m.DocGroup < m.N; k++ {
		var items [][]string
		loadData(t, files[docPath(k)], "d", k, &items)
		if want := min(m.DocGroup, m.N-k*m.DocGroup); len(items) != want {
			t.Fatalf("%s: %d CQPs, want %d", docPath(k), len(items), want)
		}
		for _, a := range items {
			if len(a) < 2 || len(a) > 6 || a[len(a)-1] == "" && len(a) > 2 {
				t.Fatalf("%s: item %q", docPath(k), a)
			}
			a = append(a, make([]string, 6-len(a))...)
			out = append(out, DocView{ID: a[0], Title: a[1], Summary: a[2], Number: a[3], Code: a[4], Blocks: a[5]})
		}
	}
	return out
}

// readBlocks reads every CQP's blocks from the files of search/b/, as the
// engine does (the anchor included).
func readBlocks(t testing.TB, files map[string][]byte, m *meta) [][]BlockView {
	t.Helper()
	out := make([][]BlockView, m.N)
	for k := 0; k*m.BlockGroup < m.N; k++ {
		file, ok := files[blocksPath(k)]
		if !ok {
			continue
		}
		var items [][][2]string
		loadData(t, file, "b", k, &items)
		if len(items) == 0 || len(items) > m.BlockGroup || k*m.BlockGroup+len(items) > m.N {
			t.Fatalf("%s: %d CQPs", blocksPath(k), len(items))
		}
		if len(items[len(items)-1]) == 0 {
			t.Errorf("%s ends with a CQP without blocks", blocksPath(k))
		}
		for i, bs := range items {
			for _, b := range bs {
				out[k*m.BlockGroup+i] = append(out[k*m.BlockGroup+i], BlockView{Code: b[0], Title: b[1], Anchor: "bloc-" + Compact(b[0])})
			}
		}
	}
	return out
}

// readMeta decodes search/meta.js.
func readMeta(t testing.TB, files map[string][]byte) *meta {
	t.Helper()
	var m meta
	loadData(t, files["search/meta.js"], "meta", 0, &m)
	return &m
}
