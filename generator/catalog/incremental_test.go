package catalog_test

import (
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

const incrementalSite = `
-- content/_index.md --
---
title: Catalogue
base_url: https://example.org/
owner: textile
---
Bienvenue. Voir [le CQP](cqp:agent) et [la branche](branche:textile).
-- content/branches/textile.md --
---
name: Textile
catalogue_url: https://example.org/t
cpne: CPNE Textile
---
La branche.
-- content/branches/plasturgie.md --
---
name: Plasturgie
website: https://example.org/p/
---
-- content/cqp/agent.md --
---
title: Agent de fabrication
branches: [textile, plasturgie]
registration: {register: rncp, number: RNCP100, level: 3}
summary: Fabriquer.
blocks:
  - code: RNCP100BC01
    title: Préparer
    common_with: [conducteur/B1]
---
Voir [le conducteur](cqp:conducteur).
-- content/cqp/conducteur.md --
---
title: Conducteur de ligne
branches: [textile]
registration: {register: none}
summary: Conduire.
blocks:
  - code: B1
    title: Préparer la ligne
---
-- content/pages/vae.md --
---
title: La VAE
menu: 1
---
Voir [l'agent](cqp:agent).
`

// edit is one step of an editing session: what an editor does to the
// site, and the paths a watcher would report.
type edit struct {
	name    string
	apply   func(t *testing.T, fsys fstest.MapFS)
	changed []string
}

func replaceIn(path, old, new string) func(*testing.T, fstest.MapFS) {
	return func(t *testing.T, fsys fstest.MapFS) {
		t.Helper()
		f := fsys[path]
		if f == nil || !strings.Contains(string(f.Data), old) {
			t.Fatalf("%s does not contain %q", path, old)
		}
		f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
	}
}

func write(path, text string) func(*testing.T, fstest.MapFS) {
	return func(t *testing.T, fsys fstest.MapFS) { fsys[path] = &fstest.MapFile{Data: []byte(text), Mode: 0o644} }
}

func remove(path string) func(*testing.T, fstest.MapFS) {
	return func(t *testing.T, fsys fstest.MapFS) { delete(fsys, path) }
}

var session = []edit{
	// Same length: only the watcher's word tells the loader.
	{"title, same size", replaceIn("content/cqp/agent.md", "Agent de fabrication", "Agent de Fabrication"), []string{"content/cqp/agent.md"}},
	{"body", replaceIn("content/cqp/conducteur.md", "---\n", "---\nUn nouveau paragraphe.\n"), []string{"content/cqp/conducteur.md"}},
	{"add a block", replaceIn("content/cqp/conducteur.md", "    title: Préparer la ligne\n", "    title: Préparer la ligne\n  - code: B2\n    title: Régler\n"), []string{"content/cqp/conducteur.md"}},
	{"break a file", replaceIn("content/cqp/agent.md", "summary: Fabriquer.", "summary: [Fabriquer."), []string{"content/cqp/agent.md"}},
	{"break a link elsewhere", replaceIn("content/pages/vae.md", "cqp:agent", "cqp:agnet"), []string{"content/pages/vae.md"}},
	{"fix both", func(t *testing.T, fsys fstest.MapFS) {
		replaceIn("content/cqp/agent.md", "summary: [Fabriquer.", "summary: Fabriquer.")(t, fsys)
		replaceIn("content/pages/vae.md", "cqp:agnet", "cqp:agent")(t, fsys)
	}, []string{"content/cqp/agent.md", "content/pages/vae.md"}},
	{"add a CQP", write("content/cqp/monteur.md", "---\ntitle: Monteur\nbranches: [plasturgie]\nregistration: {register: rs, number: RS42}\nsummary: Monter.\nblocks:\n  - code: M1\n    title: Monter\n    common_with: [agent/RNCP100BC01]\n---\n"), []string{"content/cqp/monteur.md"}},
	{"delete a CQP that others point at", remove("content/cqp/conducteur.md"), []string{"content/cqp/conducteur.md"}},
	{"put it back", write("content/cqp/conducteur.md", "---\ntitle: Conducteur de ligne\nbranches: [textile]\nregistration: {register: none}\nsummary: Conduire.\nblocks:\n  - code: B1\n    title: Préparer la ligne\n---\n"), []string{"content/cqp/conducteur.md"}},
	{"site settings", replaceIn("content/_index.md", "owner: textile", "owner: plasturgie"), []string{"content/_index.md"}},
	{"rename a branch", replaceIn("content/branches/plasturgie.md", "name: Plasturgie", "name: Plasturgie et composites"), []string{"content/branches/plasturgie.md"}},
	{"not UTF-8", write("content/cqp/monteur.md", "---\ntitle: Mont\xffeur\n---\n"), []string{"content/cqp/monteur.md"}},
	{"misplaced file", write("content/notes.md", "---\ntitle: x\n---\n"), []string{"content/notes.md"}},
	{"pages folder moved away", func(t *testing.T, fsys fstest.MapFS) {
		delete(fsys, "content/pages/vae.md")
	}, []string{"content/pages"}},
	{"a non-Markdown file, then gone", write("content/cqp/notes.txt", "x"), []string{"content/cqp/notes.txt"}},
	{"gone", remove("content/cqp/notes.txt"), []string{"content/cqp/notes.txt"}},
	{"tidy up", func(t *testing.T, fsys fstest.MapFS) {
		delete(fsys, "content/notes.md")
		delete(fsys, "content/cqp/monteur.md")
	}, []string{"content"}},
}

// TestLoaderMatchesLoad replays an editing session and checks, after every
// step, that the incremental loader gives what a fresh Load gives: the same
// catalogue, value for value, and the same diagnostics; with Load (which
// looks at every file) and with Reload (which trusts the list of changes).
func TestLoaderMatchesLoad(t *testing.T) {
	opts := catalog.Options{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, mode := range []string{"Load", "Reload"} {
		t.Run(mode, func(t *testing.T) {
			fsys := sitetest.FS(incrementalSite)
			l := catalog.NewLoader()
			got, gotList := l.Load(fsys, opts)
			assertSameLoad(t, "first load", fsys, opts, got, gotList)
			for _, e := range session {
				e.apply(t, fsys)
				if mode == "Load" {
					got, gotList = l.Load(fsys, opts, e.changed...)
				} else {
					got, gotList = l.Reload(fsys, opts, e.changed)
				}
				assertSameLoad(t, e.name, fsys, opts, got, gotList)
			}
		})
	}
}

func assertSameLoad(t *testing.T, step string, fsys fs.FS, opts catalog.Options, got *catalog.Catalog, gotList diag.List) {
	t.Helper()
	want, wantList := catalog.Load(fsys, opts)
	if !slices.Equal(gotList, wantList) {
		t.Fatalf("%s: diagnostics differ\ngot:\n%s\nwant:\n%s", step, listText(gotList), listText(wantList))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the incremental catalogue differs from Load's", step)
	}
}

func listText(l diag.List) string {
	var b strings.Builder
	l.Write(&b, diag.Text)
	return b.String()
}

// countingFS counts the files read, to show that a save reads one file.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	reads map[string]int
}

// Stat is not a read: the loader stats every file to see what changed.
func (c *countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err == nil {
		if st, serr := f.Stat(); serr == nil && !st.IsDir() {
			c.mu.Lock()
			c.reads[name]++
			c.mu.Unlock()
		}
	}
	return f, err
}

func TestLoaderReadsOnlyWhatChanged(t *testing.T) {
	fsys := sitetest.FS(incrementalSite)
	cfs := &countingFS{FS: fsys, reads: map[string]int{}}
	l := catalog.NewLoader()
	l.Load(cfs, catalog.Options{})
	if len(cfs.reads) != len(fsys) {
		t.Fatalf("first load read %d files, want all %d", len(cfs.reads), len(fsys))
	}
	v1, _ := l.Version("content/cqp/agent.md")

	cfs.reads = map[string]int{}
	replaceIn("content/cqp/agent.md", "Voir [le conducteur]", "Voir donc [le conducteur]")(t, fsys)
	l.Load(cfs, catalog.Options{}, "content/cqp/agent.md")
	if want := map[string]int{"content/cqp/agent.md": 1}; !reflect.DeepEqual(cfs.reads, want) {
		t.Errorf("a save read %v, want %v", cfs.reads, want)
	}
	v2, _ := l.Version("content/cqp/agent.md")
	if v2.Front != v1.Front || v2.Body == v1.Body {
		t.Errorf("a body edit: versions %+v then %+v, want the same Front and another Body", v1, v2)
	}

	// Unnamed, but its size changed: the loader sees it by itself.
	cfs.reads = map[string]int{}
	replaceIn("content/cqp/conducteur.md", "title: Conducteur de ligne", "title: Conducteur de ligne automatisée")(t, fsys)
	l.Load(cfs, catalog.Options{})
	if want := map[string]int{"content/cqp/conducteur.md": 1}; !reflect.DeepEqual(cfs.reads, want) {
		t.Errorf("an unnamed save read %v, want %v", cfs.reads, want)
	}

	// Reload reads the file it is told about, and looks at nothing else.
	cfs.reads = map[string]int{}
	replaceIn("content/pages/vae.md", "Voir [l'agent]", "Voir donc [l'agent]")(t, fsys)
	l.Reload(cfs, catalog.Options{}, []string{"content/pages/vae.md"})
	if want := map[string]int{"content/pages/vae.md": 1}; !reflect.DeepEqual(cfs.reads, want) {
		t.Errorf("Reload read %v, want %v", cfs.reads, want)
	}

	// A temporary file, written and renamed away, is nothing to read.
	cfs.reads = map[string]int{}
	l.Reload(cfs, catalog.Options{}, []string{"content/cqp/sed4Xk2pQ", "content/pages/vae.md"})
	if want := map[string]int{"content/pages/vae.md": 1}; !reflect.DeepEqual(cfs.reads, want) {
		t.Errorf("Reload with a temporary file read %v, want %v", cfs.reads, want)
	}

	// Naming a folder reads everything under it.
	cfs.reads = map[string]int{}
	l.Load(cfs, catalog.Options{}, "content/branches")
	if want := map[string]int{"content/branches/plasturgie.md": 1, "content/branches/textile.md": 1}; !reflect.DeepEqual(cfs.reads, want) {
		t.Errorf("naming content/branches read %v, want %v", cfs.reads, want)
	}
	if _, ok := l.Version("content/cqp/nothing.md"); ok {
		t.Error("Version of a file that does not exist: ok")
	}
}

// TestLoaderLeavesEarlierCatalogues checks that a load does not change the
// catalogue an earlier load returned: the dev server may still be rendering
// it while the next save is loaded.
func TestLoaderLeavesEarlierCatalogues(t *testing.T) {
	fsys := sitetest.FS(incrementalSite)
	l := catalog.NewLoader()
	first, _ := l.Load(fsys, catalog.Options{})
	before := sitetest.Clone(fsys)
	for _, e := range session[:3] {
		e.apply(t, fsys)
		l.Load(fsys, catalog.Options{}, e.changed...)
	}
	want, _ := catalog.Load(before, catalog.Options{})
	if !reflect.DeepEqual(first, want) {
		t.Error("a later load changed the catalogue of the first")
	}
}

// TestLoaderOnTheSample loads the real content twice, the second time as a
// watcher that saw every file change would, and compares with Load.
func TestLoaderOnTheSample(t *testing.T) {
	fsys := os.DirFS("../..")
	if _, err := fs.Stat(fsys, "content/_index.md"); err != nil {
		t.Fatalf("the sample content is missing: %v", err)
	}
	opts := catalog.Options{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := catalog.NewLoader()
	got, gotList := l.Load(fsys, opts)
	assertSameLoad(t, "first load", fsys, opts, got, gotList)
	got, gotList = l.Load(fsys, opts, "content")
	assertSameLoad(t, "everything named", fsys, opts, got, gotList)
	got, gotList = l.Load(fsys, opts)
	assertSameLoad(t, "nothing changed", fsys, opts, got, gotList)
}
