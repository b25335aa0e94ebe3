package site_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// Build is Check, then render: what check accepts is what build publishes,
// and a site with errors gives diagnostics and no files.
func TestBuildChecksFirst(t *testing.T) {
	valid := sitetest.File(t, "testdata/valid.txtar")
	files, cat, list, err := site.Build(valid, site.BuildOptions{Options: site.Options{Today: today}})
	if err != nil || len(list) != 0 || cat == nil {
		t.Fatalf("Build(valid) = %v, %v", list, err)
	}
	for _, p := range []string{"index.html", "cqp/soudeur/index.html", "catalogue.json"} {
		if files[p] == nil {
			t.Errorf("Build(valid) has no %s", p)
		}
	}

	broken := sitetest.Replace(t, valid, "content/cqp/soudeur.md", "level: 3", "level: 9")
	files, cat, list, err = site.Build(broken, site.BuildOptions{Options: site.Options{Today: today}})
	if err != nil || files != nil || list.Errors() != 1 || cat == nil {
		t.Errorf("Build(broken) = %d files, %v, %v; want the error and no files", len(files), lines(list), err)
	}

	// A warning stops the build with Strict only.
	expired := sitetest.Replace(t, valid, "content/cqp/soudeur.md", "until: 2028-06-01", "until: 2026-01-31")
	if files, _, list, _ := site.Build(expired, site.BuildOptions{Options: site.Options{Today: today}}); files == nil || list.Warnings() != 1 {
		t.Errorf("Build(expired) = %d files, %v; want a warning and the files", len(files), lines(list))
	}
	if files, _, list, _ := site.Build(expired, site.BuildOptions{Options: site.Options{Today: today, Strict: true}}); files != nil || list.Errors() != 1 {
		t.Errorf("Build(expired, Strict) = %d files, %v; want an error and no files", len(files), lines(list))
	}
}

func TestBuildOptions(t *testing.T) {
	valid := sitetest.File(t, "testdata/valid.txtar")
	plain, _, _, err := site.Build(valid, site.BuildOptions{Options: site.Options{Today: today}, BaseURL: "https://autre.example.net/"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(plain["cqp/soudeur/index.html"], []byte(`href="https://autre.example.net/cqp/soudeur/"`)) {
		t.Error("BaseURL not used for the canonical link")
	}
	small, _, _, err := site.Build(valid, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"cqp/soudeur/index.html", "style.css", "catalogue.json"} {
		if len(small[p]) >= len(plain[p]) {
			t.Errorf("Minify: %s is %d bytes, unminified %d", p, len(small[p]), len(plain[p]))
		}
	}
	// Minified or not, the same page.
	if !strings.Contains(string(small["cqp/soudeur/index.html"]), "Soudeur industriel") {
		t.Error("the minified page lost its title")
	}
}

// A theme that does not execute stops the build with the layout and line.
func TestBuildReportsThemeErrors(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.File(t, "testdata/valid.txtar"), "content/_index.md", "owner: metallurgie", "owner: metallurgie\ntheme: maison")
	fsys["themes/maison/layouts/cqp.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n<p>{{.CQP.Absent}}</p>\n{{end}}")}
	for _, minify := range []bool{false, true} {
		// Minified, the layouts run compacted; the error still names the
		// line as written.
		files, _, _, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: minify})
		if err == nil || files != nil || !strings.Contains(err.Error(), "layouts/cqp.html:2") {
			t.Errorf("Build (minify %v) with a broken layout = %d files, %v; want an error at layouts/cqp.html:2", minify, len(files), err)
		}
	}
}

// A theme's static file in the place of the search script is the theme's
// mistake, said as such, not a generator bug.
func TestBuildRefusesStaticOverGeneratedFiles(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.File(t, "testdata/valid.txtar"), "content/_index.md", "owner: metallurgie", "owner: metallurgie\ntheme: maison")
	fsys["themes/maison/static/search/search.js"] = &fstest.MapFile{Data: []byte("alert(1)")}
	files, _, _, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
	if err == nil || files != nil || !strings.Contains(err.Error(), "static/search/search.js prend la place") {
		t.Errorf("Build = %d files, %v; want the theme's clash named", len(files), err)
	}
}

// Two builds of the same input, minified as `cqp build` does, are
// byte-identical: the batches of the minifier change nothing.
func TestBuildTwiceSameBytes(t *testing.T) {
	fsys := sitetest.File(t, "testdata/valid.txtar")
	opts := site.BuildOptions{Options: site.Options{Today: today}, Minify: true}
	a, _, _, err := site.Build(fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _, err := site.Build(fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}
