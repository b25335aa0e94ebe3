package devserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// today is these tests' SOURCE_DATE_EPOCH: the same for the server and
// for the builds it is compared with.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// testSite has a CQP and a CQPI linked by a passerelle, two branches, a
// free page, and a theme on disk that overrides the stylesheet and adds a
// static file of each kind the server must type.
const testSite = `
-- content/_index.md --
---
title: Catalogue de test
base_url: https://example.org/cqp/
owner: textile
---
Bienvenue sur le catalogue.
-- content/branches/textile.md --
---
name: Industrie textile
website: https://example.org/textile/
cpne: CPNE du textile
---
La branche textile.
-- content/branches/plasturgie.md --
---
name: Plasturgie
website: https://example.org/plasturgie/
---
-- content/cqp/agent.md --
---
title: Agent de fabrication
branches: [textile, plasturgie]
registration: {register: rncp, number: RNCP100, level: 3}
summary: Fabriquer des produits.
updated: 2025-03-01
blocks:
  - code: RNCP100BC01
    title: Préparer la fabrication
    common_with: [conducteur/B1]
---
Le corps de la fiche, qui cite [le conducteur](cqp:conducteur).
-- content/cqp/conducteur.md --
---
title: Conducteur de ligne
branches: [textile]
registration: {register: none}
summary: Conduire une ligne.
blocks:
  - code: B1
    title: Préparer la ligne
---
-- content/pages/vae.md --
---
title: La VAE
menu: 1
---
Tout sur la VAE.
-- themes/default/static/style.css --
body { color: #111; }
-- themes/default/static/favicon.ico --
ICO
-- themes/default/static/img/logo.png --
PNG
-- themes/default/static/brut.html --
<p>Une page sans body.</p>
`

// newServer builds the site in fsys and serves it with httptest.
func newServer(t testing.TB, fsys fs.FS) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{FS: fsys, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// fullBuild is what `cqp build` writes for fsys.
func fullBuild(t testing.TB, fsys fs.FS) map[string][]byte {
	t.Helper()
	files, _, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
	if list.Errors() > 0 {
		t.Fatalf("the site does not build:\n%s", listText(list))
	}
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func listText(l diag.List) string {
	var b strings.Builder
	_ = l.Write(&b, diag.Text)
	return b.String()
}

// assertSameFiles fails when got and want differ, naming the files.
func assertSameFiles(t testing.TB, step string, want, got map[string][]byte) {
	t.Helper()
	var diffs []string
	for _, p := range slices.Sorted(mapsKeys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+p)
		case !bytes.Equal(g, want[p]):
			diffs = append(diffs, p+" differs: "+firstDiff(want[p], g))
		}
	}
	for _, p := range slices.Sorted(mapsKeys(got)) {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 8 {
			diffs = append(diffs[:8], fmt.Sprintf("… and %d more", len(diffs)-8))
		}
		t.Fatalf("%s: the served files are not those of a full build:\n  %s", step, strings.Join(diffs, "\n  "))
	}
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func firstDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	clip := func(b []byte) string {
		lo, hi := max(0, i-40), min(len(b), i+40)
		return fmt.Sprintf("%q", b[lo:hi])
	}
	return fmt.Sprintf("at byte %d: want …%s…, got …%s…", i, clip(want), clip(got))
}

// get fetches a URL and returns the response and its body.
func get(t testing.TB, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// events is an open /_cqp/events stream.
type events struct {
	t    testing.TB
	msgs chan message
}

// listen opens /_cqp/events as the page at page would.
func listen(t testing.TB, base, page string) *events {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_cqp/events?page="+page, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		cancel()
		t.Fatalf("events: Content-Type %q", ct)
	}
	e := &events{t: t, msgs: make(chan message, 64)}
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var m message
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Errorf("events: bad message %q: %v", data, err)
				return
			}
			e.msgs <- m
		}
	}()
	t.Cleanup(cancel)
	return e
}

// next returns the next message, failing after a generous timeout: a
// loaded machine may be slow, and the test never waits longer than it
// must.
func (e *events) next(what string) message {
	e.t.Helper()
	select {
	case m := <-e.msgs:
		return m
	case <-time.After(10 * time.Second):
		e.t.Fatalf("no event message after 10 s (waiting for %s)", what)
		return message{}
	}
}

// until returns the first message for which ok is true.
func (e *events) until(what string, ok func(message) bool) message {
	e.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m := <-e.msgs:
			if ok(m) {
				return m
			}
		case <-deadline:
			e.t.Fatalf("no event message for %s after 10 s", what)
		}
	}
}

// withoutSnippet removes the injected script from a served HTML page.
func withoutSnippet(t testing.TB, page []byte) []byte {
	t.Helper()
	i := bytes.Index(page, []byte(`<script src="/_cqp/live.js" data-cqp-build="`))
	if i < 0 {
		t.Fatalf("no live script in the page:\n%s", page)
	}
	j := bytes.Index(page[i:], []byte("</script>"))
	out := append(slices.Clone(page[:i]), page[i+j+len("</script>"):]...)
	if bytes.Contains(out, []byte("/_cqp/")) {
		t.Fatalf("the page holds the live script twice")
	}
	return out
}

// diskSite writes a txtar site into a new temporary folder.
func diskSite(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range sitetest.FS(archive) {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), string(f.Data))
	}
	return dir
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sampleFS copies the sample site at the root of the repository into
// memory, so that a test may edit it.
func sampleFS(t testing.TB) fstest.MapFS {
	t.Helper()
	root := os.DirFS("../..")
	out := fstest.MapFS{}
	for _, dir := range []string{"content", "themes"} {
		err := fs.WalkDir(root, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dir && dir == "themes" {
					return fs.SkipAll // the sample may use the embedded theme only
				}
				return err
			}
			if d.IsDir() || !strings.HasPrefix(p, dir) {
				return nil
			}
			b, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			out[p] = &fstest.MapFile{Data: b, Mode: 0o644}
			return nil
		})
		if err != nil {
			t.Fatalf("reading the sample: %v", err)
		}
	}
	if out["content/_index.md"] == nil {
		t.Fatal("the sample content is missing (content/_index.md)")
	}
	return out
}

func mustJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
}

func sitetestClone(archive string) fstest.MapFS { return sitetest.FS(archive) }
