package render_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// today is the reference date of these tests, as SOURCE_DATE_EPOCH would
// set it.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// build checks and renders a site; the site must check without errors.
func build(t testing.TB, fsys fs.FS, opts render.Options) (render.Files, *catalog.Catalog) {
	t.Helper()
	cat, list := site.Check(fsys, site.Options{Today: today})
	if list.Errors() > 0 {
		var b strings.Builder
		_ = list.Write(&b, diag.Text)
		t.Fatalf("the site does not check:\n%s", b.String())
	}
	th, err := theme.Load(fsys, cat.Site.Theme, cat.Site.Language)
	if err != nil {
		t.Fatal(err)
	}
	files, err := render.Render(cat, th, opts)
	if err != nil {
		t.Fatal(err)
	}
	return files, cat
}

// buildTxtar builds a site written as a txtar archive.
func buildTxtar(t testing.TB, archive string) render.Files {
	t.Helper()
	files, _ := build(t, sitetest.FS(archive), render.Options{})
	return files
}

// assertFile checks that the file at path contains each line, Hugo style:
// a line that starts with "! " must not be there.
func assertFile(t testing.TB, files render.Files, path string, lines ...string) {
	t.Helper()
	b, ok := files[path]
	if !ok {
		t.Errorf("no file %s", path)
		return
	}
	s := string(b)
	for _, l := range lines {
		if not, ok := strings.CutPrefix(l, "! "); ok {
			if strings.Contains(s, not) {
				t.Errorf("%s contains %q", path, not)
			}
		} else if !strings.Contains(s, l) {
			t.Errorf("%s lacks %q", path, l)
		}
	}
}

// assertNoFile checks that a file was not produced.
func assertNoFile(t testing.TB, files render.Files, path string) {
	t.Helper()
	if _, ok := files[path]; ok {
		t.Errorf("unexpected file %s", path)
	}
}

// count returns how many times sub occurs in the file at path.
func count(files render.Files, path, sub string) int {
	return strings.Count(string(files[path]), sub)
}

// between returns the part of s from the first start to the next end.
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, end)
	return in
}

// urls returns the values of the href and src attributes of an HTML page,
// as html/template writes them (always in double quotes), entities
// decoded.
var urlAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)

func urls(page []byte) []string {
	var out []string
	for _, m := range urlAttr.FindAllSubmatch(page, -1) {
		out = append(out, strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'").Replace(string(m[1])))
	}
	return out
}
