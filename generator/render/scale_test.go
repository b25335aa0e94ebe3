package render_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"iter"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/search"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// largeSite writes a catalogue of n CQPs: most in the owner's branch, a
// fifth shared between branches (CQPIs), one in twenty archived, levels 3
// to 7, so that every list of the site is long.
func largeSite(n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/_index.md": file("---\ntitle: Grand catalogue\nbase_url: https://cqp.example.org/\nowner: b0\n---\nUn grand catalogue.\n"),
	}
	const branches = 6
	for b := range branches {
		fsys[fmt.Sprintf("content/branches/b%d.md", b)] = file(fmt.Sprintf("---\nname: Branche %d\nopco: OPCO %d\ncatalogue_url: https://b%d.example.org/\n---\nLa branche %d.\n", b, b%2, b, b))
	}
	for i := range n {
		first := max(0, i%10-4) // half in the owner's branch b0
		bs := []string{fmt.Sprintf("b%d", first)}
		if i%7 == 0 {
			second := (first + 1 + i%(branches-1)) % branches
			bs = append(bs, fmt.Sprintf("b%d", second))
		}
		status := "active"
		if i%20 == 7 {
			status = "archived"
		}
		number := fmt.Sprintf("RNCP%d", 40000+i)
		fsys[fmt.Sprintf("content/cqp/q%05d.md", i)] = file(fmt.Sprintf(`---
title: Métier numéro %d de l'industrie
branches: [%s]
status: %s
registration:
  register: rncp
  number: %s
  level: %d
summary: Conduire, régler et surveiller une installation de production numéro %d en sécurité.
blocks:
  - code: %sBC01
    title: Préparer
  - code: %sBC02
    title: Conduire
---
Le métier %d.
`, i, strings.Join(bs, ", "), status, number, 3+i%5, i, number, number, i))
	}
	return fsys
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func gzipSize(b []byte) int {
	var c countWriter
	w, _ := gzip.NewWriterLevel(&c, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return int(c)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var cardTag = regexp.MustCompile(`<li class="card`)

// Pages that list CQPs stay small however large the catalogue: the home
// page shows a bounded number, the others split their lists in pages.
// Only recherche/, whose no-JavaScript view is the whole catalogue by
// contract, grows with it, by one short line per CQP.
func TestListsStaySmallAtScale(t *testing.T) {
	const n = 3000
	// The whole build, search index included, so that every link resolves.
	files, cat, list, err := site.Build(largeSite(n), site.BuildOptions{Options: site.Options{Today: today}})
	if err != nil || list.Errors() > 0 {
		t.Fatalf("build: %v %v", err, list)
	}
	active := 0
	for _, q := range cat.CQPs {
		if !q.Archived() {
			active++
		}
	}
	for _, p := range files.Paths() {
		if !strings.HasSuffix(p, ".html") || p == "recherche/index.html" {
			continue
		}
		page := files[p]
		if cards := len(cardTag.FindAll(page, -1)); cards > 3*render.PageSize {
			t.Errorf("%s lists %d CQPs", p, cards)
		}
		if len(page) > 96<<10 {
			t.Errorf("%s is %d KB", p, len(page)>>10)
		}
	}
	if cards := len(cardTag.FindAll(files["index.html"], -1)); cards != render.HomeLimit {
		t.Errorf("home lists %d CQPs, want %d", cards, render.HomeLimit)
	}
	if z := gzipSize(files["index.html"]); z > 30<<10 {
		t.Errorf("home page is %d KB gzip-compressed, want under 30 KB", z>>10)
	}
	assertFile(t, files, "index.html", `<a href="branches/b0/index.html">Voir les `)
	// The owner's long lists continue on numbered pages, linked both ways.
	assertFile(t, files, "branches/b0/index.html", `<a href="../../branches/b0/cqp/page/2/index.html" rel="next">`, `aria-label="Les CQP de la branche Branche 0, page 1 sur`)
	assertFile(t, files, "branches/b0/cqp/page/2/index.html", `<a href="../../../../../branches/b0/index.html#cqp" rel="prev">`, `<a href="../../../../../cqp/`)
	assertFile(t, files, "niveaux/3/page/2/index.html", `<a href="../../../../niveaux/3/index.html" rel="prev">`)
	assertFile(t, files, "cqpi/page/2/index.html", `<svg class="fig"`, `<a href="../../../cqpi/index.html" rel="prev">`)
	// Every page of every list exists, and every active CQP is on one of
	// them: the lists lose nothing.
	seen := map[string]bool{}
	link := regexp.MustCompile(`<h3><a href="[./]*cqp/([a-z0-9-]+)/index.html">`)
	for _, p := range files.Paths() {
		if strings.HasPrefix(p, "niveaux/") {
			for _, m := range link.FindAllSubmatch(files[p], -1) {
				seen[string(m[1])] = true
			}
		}
	}
	if len(seen) != active {
		t.Errorf("the level pages list %d CQPs, want the %d active ones", len(seen), active)
	}
	if rows := strings.Count(string(files["recherche/index.html"]), "<li data-id="); rows != active {
		t.Errorf("recherche/ lists %d CQPs, want %d", rows, active)
	}
	checkLinks(t, files)
}

// A passerelle or a search result links to a block by its anchor; the
// page and the search index must agree on it.
func TestBlockAnchorsMatchSearch(t *testing.T) {
	files := buildTxtar(t, catalogue)
	for _, code := range []string{"RNCP37890BC01", "B01", "M1"} {
		id := search.BlockAnchor(code)
		found := false
		for _, p := range files.Paths() {
			if strings.HasPrefix(p, "cqp/") && strings.Contains(string(files[p]), `<li class="block" id="`+id+`">`) {
				found = true
			}
		}
		if !found {
			t.Errorf("no block with the anchor %q that search.BlockAnchor(%q) gives", id, code)
		}
	}
}

// partsSink keeps the files a Sink receives whole and the size of each
// part of the files it receives in parts.
type partsSink struct {
	render.Emit
	mu    sync.Mutex
	parts map[string][]int
}

func (s *partsSink) PutParts(p string, parts iter.Seq2[[]byte, error]) error {
	var b []byte
	for part, err := range parts {
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.parts[p] = append(s.parts[p], len(part))
		s.mu.Unlock()
		b = append(b, part...)
	}
	return s.Emit(p, b)
}

// catalogue.json reaches the sink in parts of a few hundred CQPs, never
// whole, and the parts make the file that Render gives.
func TestOpenDataComesInParts(t *testing.T) {
	const n = 700
	fsys := largeSite(n)
	whole, cat := build(t, fsys, render.Options{Today: today, CompactData: true})
	th, err := theme.Load(fsys, cat.Site.Theme, cat.Site.Language)
	if err != nil {
		t.Fatal(err)
	}
	files, emit := render.Collect()
	sink := &partsSink{Emit: emit, parts: map[string][]int{}}
	if err := render.Stream(cat, th, render.Options{Today: today, CompactData: true}, sink); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files[render.DataPath], whole[render.DataPath]) {
		t.Fatal("catalogue.json in parts differs from catalogue.json whole")
	}
	sizes := sink.parts[render.DataPath]
	// The head, three batches of CQPs, the closing brackets.
	if len(sizes) != 5 {
		t.Fatalf("catalogue.json came in %d parts %v, want 5", len(sizes), sizes)
	}
	if largest := slices.Max(sizes); largest > len(whole[render.DataPath])/2 {
		t.Errorf("a part of %d bytes, of a file of %d", largest, len(whole[render.DataPath]))
	}
	if len(sink.parts) != 1 {
		t.Errorf("files in parts: %v, want catalogue.json alone", slices.Collect(maps.Keys(sink.parts)))
	}
}
