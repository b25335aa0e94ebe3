package site_test

import (
	"flag"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// today is the reference date of these tests, as SOURCE_DATE_EPOCH would set it.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func check(fsys fstest.MapFS) diag.List {
	_, list := site.Check(fsys, site.Options{Today: today})
	return list
}

func lines(list diag.List) []string {
	out := make([]string, len(list))
	for i, d := range list {
		out[i] = d.String()
	}
	return out
}

func TestValidSiteHasNoDiagnostics(t *testing.T) {
	valid := sitetest.File(t, "testdata/valid.txtar")
	if list := check(valid); len(list) > 0 {
		t.Fatalf("valid site: got diagnostics:\n%s", strings.Join(lines(list), "\n"))
	}
}

var printBreaks = flag.Bool("print", false, "print the diagnostics of every break-one-line case")

// breakCase changes one line of the valid site and expects exactly these
// diagnostics.
type breakCase struct {
	name     string
	path     string
	old, new string
	want     []string
}

func runBreaks(t *testing.T, cases []breakCase) {
	valid := sitetest.File(t, "testdata/valid.txtar")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := lines(check(sitetest.Replace(t, valid, c.path, c.old, c.new)))
			if *printBreaks {
				t.Logf("%s:\n%s", c.name, strings.Join(got, "\n"))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("after %q → %q in %s:\ngot:\n%s\nwant:\n%s", c.old, c.new, c.path, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
