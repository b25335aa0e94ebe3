package bench

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestCountPages(t *testing.T) {
	ours := []string{
		"index.html", "404.html", "recherche/index.html", "style.css",
		"cqp/index.html", "cqp/page/2/index.html", // the list and its pagination
		"cqp/cqp-0001/index.html", "cqp/cqp-0002/index.html", "cqp/cqpi-agent/index.html",
		"branches/index.html", "branches/metallurgie/index.html", "branches/plasturgie/index.html",
		"branches/metallurgie/page/2/index.html", // a long branch page, paged
		"niveaux/index.html", "niveaux/3/index.html", "niveaux/4/index.html",
		"cqpi/index.html", "obtenir-un-cqp/index.html",
		"search/search.js", "cqp/cqp-0001/figure.svg",
	}
	got := CountPages(ours, cqpPages)
	want := Pages{CQP: 3, Branch: 2, Level: 2, Total: 17}
	if got != want {
		t.Errorf("CountPages(cqp site) = %+v, want %+v", got, want)
	}

	hugo := []string{
		"index.html", "index.json", "style.css",
		"cqp/index.html", "cqp/cqp-0001/index.html", "cqp/cqp-0002/index.html", "cqp/cqp-0003/index.html",
		"branches/index.html", "branches/metallurgie/index.html", "branches/plasturgie/index.html",
		"level/index.html", "level/3/index.html", "level/4/index.html",
		"pagefind/pagefind.js", "pagefind/fragment/fr_1.pf_fragment",
	}
	got = CountPages(hugo, hugoPages)
	want = Pages{CQP: 3, Branch: 2, Level: 2, Total: 11}
	if got != want {
		t.Errorf("CountPages(Hugo site) = %+v, want %+v", got, want)
	}
}

func TestComparePages(t *testing.T) {
	same := Pages{CQP: 1000, Branch: 44, Level: 5, Total: 1078}
	if d := ComparePages(same, Pages{CQP: 1000, Branch: 44, Level: 5, Total: 1053}); len(d) != 0 {
		t.Errorf("ComparePages of sites that differ only in lists = %q, want none", d)
	}
	d := ComparePages(same, Pages{CQP: 999, Branch: 44, Level: 6})
	want := []string{"CQP pages: cqp 1000, Hugo 999", "level pages: cqp 5, Hugo 6"}
	if !slices.Equal(d, want) {
		t.Errorf("ComparePages = %q, want %q", d, want)
	}
}

func TestSizeOfAndListFiles(t *testing.T) {
	dir := t.TempDir()
	for p, s := range map[string]string{"index.html": "<p>1</p>", "cqp/a/index.html": "abc", "search/t/0.js": ""} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := SizeOf(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tr != (Tree{Files: 3, Bytes: 11}) {
		t.Errorf("SizeOf = %+v, want 3 files, 11 bytes", tr)
	}
	files, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"cqp/a/index.html", "index.html", "search/t/0.js"}; !slices.Equal(files, want) {
		t.Errorf("ListFiles = %q, want %q", files, want)
	}
	if _, err := SizeOf(filepath.Join(dir, "missing")); err == nil {
		t.Error("SizeOf of a missing folder: no error")
	}
}
