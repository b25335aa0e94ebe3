package site_test

import (
	"bytes"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// FuzzCheck puts arbitrary bytes in one CQP file of a valid site and checks
// that Check never panics and that every position it reports for that file
// lies inside the file. Its seed corpus (the valid site's files and the
// break-one-line cases) runs with every `go test`.
func FuzzCheck(f *testing.F) {
	valid := sitetest.File(f, "testdata/valid.txtar")
	for _, file := range valid {
		f.Add(file.Data)
	}
	for _, src := range []string{
		"", "---", "---\n---\n", "\ufeff---\r\ntitle: x\r\n---\r\n", "---\ntitle: [\n---\n",
		"---\na: &a [1]\nb: *a\n---\n", "---\ntitle: \"x\n---\n", "---\n\ttitle: x\n---\n",
		"---\nblocks:\n  - code: B1\n    common_with: [x/B1, /, a/]\n---\n[x](cqp:)\n",
		"---\nregistration: {register: rncp, number: RNCP1, level: 99}\n---\n",
		"---\n? a\n: b\n---\n", "---\nx: !!str 1\n---\n", "---\n- a\n- b\n---\n",
		"---\ntitle: caf\xe9\n---\n", "---\ntitle: x\n...\n---\n", "---\ntitle: |\n  a\n  b\n---\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := sitetest.Clone(valid)
		fsys["content/cqp/fuzz.md"] = &fstest.MapFile{Data: data}
		list := check(fsys)
		lines := bytes.Split(data, []byte("\n"))
		for _, d := range list {
			if d.Pos.Path != "content/cqp/fuzz.md" {
				continue
			}
			if d.Pos.Line < 1 || d.Pos.Line > len(lines) {
				t.Fatalf("%s: line outside the file (%d lines)", d, len(lines))
			}
			if n := utf8.RuneCount(lines[d.Pos.Line-1]); d.Pos.Col < 1 || d.Pos.Col > n+1 {
				t.Fatalf("%s: column outside line %d (%d characters)", d, d.Pos.Line, n)
			}
		}
	})
}
