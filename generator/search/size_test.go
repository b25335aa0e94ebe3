package search

import (
	"bytes"
	"compress/gzip"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// budget is what the first result of a query may cost at 10,000 CQPs,
// downloaded from a plain static server without compression (Pagefind
// needs 305 KB for the same catalogue, a Hugo site's single JSON index
// 4.2 MB).
const budget = 100_000

// synthetic checks a synthetic catalogue of n CQPs (the bench's seed).
func synthetic(t testing.TB, n int) *catalog.Catalog {
	t.Helper()
	fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	cat, list := catalog.Load(fsys, catalog.Options{Today: today})
	if list.Errors() > 0 {
		t.Fatalf("synthetic catalogue of %d CQPs:\n%s", n, list)
	}
	return cat
}

// published is the index as `cqp build` writes it: minified.
func published(t testing.TB, files map[string][]byte) map[string][]byte {
	t.Helper()
	out := maps.Clone(files)
	if err := publish.Minify(out); err != nil {
		t.Fatal(err)
	}
	return out
}

func sizes(files map[string][]byte) (raw, gz int) {
	for _, p := range slices.Sorted(maps.Keys(files)) {
		raw += len(files[p])
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(files[p])
		w.Close()
		gz += b.Len()
	}
	return raw, gz
}

// TestSizeBudget builds the index of 10,000 synthetic CQPs, publishes it
// as the build does, and asks the engine, from a cold cache, for the
// first results of queries of every kind: each must arrive within the
// budget, search.js and meta.js included. It logs the figures that
// docs/search.md reports.
func TestSizeBudget(t *testing.T) {
	cat := synthetic(t, 10000)
	plain := index(t, cat, Options{})
	m := readMeta(t, plain)
	files := published(t, plain)
	raw, gz := sizes(files)
	nd, nb := groupFiles(files)
	t.Logf("10,000 CQPs: %d files (%d in d/, %d in b/), %d bytes raw, %d gzip; search.js %d, meta.js %d, %d term chunks (largest %d)",
		len(files), nd, nb, raw, gz, len(files["search/search.js"]), len(files["search/meta.js"]), len(m.ChunkBytes), slices.Max(m.ChunkBytes))
	// Creating a file costs a build more than writing its bytes: results
	// are grouped, a few CQPs to a file (docs/search.md, "The index
	// format"), rather than 20,000 files.
	if nd+nb > 4000 {
		t.Errorf("10,000 CQPs: %d files in d/ and b/, want at most 4,000", nd+nb)
	}
	dir := t.TempDir()
	writeIndex(t, files, dir)
	reqs := []request{
		{Q: "soudeur"}, {Q: "maintenance"}, {Q: "logistique"}, {Q: "technicienne maintenance"},
		{Q: "conductrice de ligne"}, {Q: "agent d'exploitation"}, {Q: "techncien "}, {Q: "competences"},
		{Q: "preparer", Filters: map[string][]string{"niveau": {"4"}, "cpf": {"1"}}},
		{Q: "maintenance", Filters: map[string][]string{"branche": {"metallurgie"}, "public": {"jeunes"}}},
		{Q: "RNCP12352"}, {Q: "RNCP12352BC03"}, {Q: "H2913"},
		{Type: "soudeur"}, {Type: "maintenance"}, {Type: "conducteur de ligne"}, {Type: "competences"}, {Type: "operateur"},
	}
	for i := range reqs {
		// The page shows twenty results at a time (PAGE in js/ui.js).
		reqs[i].Top = 20
	}
	for _, a := range query(t, dir, reqs) {
		if a.Steps != nil {
			var worst float64
			for _, s := range a.Steps {
				worst = max(worst, s.MS)
			}
			t.Logf("typing %q: first results at %q after %d bytes; %d bytes once typed; slowest keystroke %.2f ms in Node",
				typed(a), a.FirstAt, a.BytesFst, a.Bytes, worst)
			if a.BytesFst > budget {
				t.Errorf("typing %q: the first results cost %d bytes, over %d", typed(a), a.BytesFst, budget)
			}
			continue
		}
		t.Logf("%-28q %5d results, %6d bytes in %2d files, %.2f ms in Node", a.Q, a.Total, a.Bytes, len(a.Files)+1, a.MS)
		if a.Total == 0 {
			t.Errorf("%q: no result in the synthetic catalogue", a.Q)
		}
		if a.Bytes > budget {
			t.Errorf("%q: the first results cost %d bytes (%s), over %d", a.Q, a.Bytes, strings.Join(a.Files, " "), budget)
		}
	}
}

// groupFiles counts the files of d/ and b/.
func groupFiles(files map[string][]byte) (d, b int) {
	for p := range files {
		switch {
		case strings.HasPrefix(p, "search/d/"):
			d++
		case strings.HasPrefix(p, "search/b/"):
			b++
		}
	}
	return d, b
}

func typed(a answer) string {
	if len(a.Steps) == 0 {
		return ""
	}
	return a.Steps[len(a.Steps)-1].Q
}

// TestIndexSizes logs the size of the index of the sample and of 1,000
// synthetic CQPs, raw and compressed, as published.
func TestIndexSizes(t *testing.T) {
	for _, c := range []struct {
		name string
		cat  *catalog.Catalog
	}{{"sample", sample(t)}, {"1,000 CQPs", synthetic(t, 1000)}} {
		plain := index(t, c.cat, Options{})
		m := readMeta(t, plain)
		files := published(t, plain)
		raw, gz := sizes(files)
		nd, nb := groupFiles(files)
		t.Logf("%s (%d CQPs): %d files (%d in d/, %d in b/), %d bytes raw, %d gzip; search.js %d, meta.js %d, %d chunks",
			c.name, len(c.cat.CQPs), len(files), nd, nb, raw, gz, len(files["search/search.js"]), len(files["search/meta.js"]), len(m.ChunkBytes))
		if len(files["search/meta.js"]) > 20_000+20*len(c.cat.CQPs) {
			t.Errorf("%s: meta.js is %d bytes", c.name, len(files["search/meta.js"]))
		}
	}
}

// BenchmarkIndex1000 and BenchmarkIndex10000 time Index on synthetic
// catalogues. Besides the wall time they report cpu-ns/op, the CPU time of
// all threads per index, which a machine shared with other builds
// disturbs less.
func BenchmarkIndex1000(b *testing.B)  { benchmarkIndex(b, 1000) }
func BenchmarkIndex10000(b *testing.B) { benchmarkIndex(b, 10000) }

func benchmarkIndex(b *testing.B, n int) {
	cat := synthetic(b, n)
	runtime.GC()
	cpu0, ok := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Index(cat, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if cpu1, _ := cpuTime(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}
