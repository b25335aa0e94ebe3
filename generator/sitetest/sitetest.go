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
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
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
