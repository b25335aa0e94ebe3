// Package sitetest builds sites for tests from txtar archives, Hugo style:
//
//	-- content/_index.md --
//	---
//	title: …
//	---
//
// so a test reads like the site it checks. It also edits one line of a
// site, for the break-one-line tests of the checker.
package sitetest

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/cqp-catalogue/cqp/generator/synth"
)

// FS turns a txtar archive into an in-memory site folder.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// File reads a txtar archive from a file (usually under testdata/).
func File(t testing.TB, path string) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return FS(string(data))
}

// Clone copies a site so a test can change it without touching others.
func Clone(fsys fstest.MapFS) fstest.MapFS {
	out := make(fstest.MapFS, len(fsys))
	for k, v := range fsys {
		c := *v
		c.Data = append([]byte(nil), v.Data...)
		out[k] = &c
	}
	return out
}

// Replace changes the first occurrence of old into new in one file of a
// copy of the site; old must occur in the file, so a test never silently
// edits nothing.
func Replace(t testing.TB, fsys fstest.MapFS, path, old, new string) fstest.MapFS {
	t.Helper()
	out := Clone(fsys)
	f, ok := out[path]
	if !ok {
		t.Fatalf("sitetest: no file %s", path)
	}
	if !strings.Contains(string(f.Data), old) {
		t.Fatalf("sitetest: %s does not contain %q", path, old)
	}
	f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
	return out
}

// Corpus returns the Markdown files of the sample catalogue (root/content,
// root being the repository's root) and of a synthetic catalogue of n
// CQPs (package synth, seed 42), cut at their "---" lines, in path order:
// the front matters and the bodies. The differential tests of fast paths
// (the YAML subset parser, the link scanner) run on them.
func Corpus(t testing.TB, root string, n int) (fronts, bodies [][]byte) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(root, "content", "*", "*.md"))
	paths = append(paths, filepath.Join(root, "content", "_index.md"))
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	gen, err := synth.Files(synth.Options{N: n, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(gen)) {
		files = append(files, gen[name])
	}
	for _, data := range files {
		if parts := bytes.SplitN(data, []byte("---\n"), 3); len(parts) == 3 {
			fronts = append(fronts, parts[1])
			bodies = append(bodies, parts[2])
		}
	}
	return fronts, bodies
}
