package publish

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// benchSite is a site of n CQP pages shaped like the rendered ones, with
// the shared files.
func benchSite(n int) map[string][]byte {
	files := sampleFiles()
	for i := range n {
		files[fmt.Sprintf("cqp/cqp-%05d/index.html", i)] = []byte(strings.ReplaceAll(pageHTML, "Opérateur", fmt.Sprint("Opérateur ", i)))
	}
	return files
}

func BenchmarkMinify(b *testing.B) {
	site := benchSite(1000)
	var size int64
	for _, f := range site {
		size += int64(len(f))
	}
	b.SetBytes(size)
	for b.Loop() {
		if err := Minify(maps.Clone(site)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	site := benchSite(10000)
	dir := filepath.Join(b.TempDir(), "public")
	for _, sync := range []bool{true, false} {
		b.Run(fmt.Sprintf("sync=%v", sync), func(b *testing.B) {
			for b.Loop() {
				if err := (Options{NoSync: !sync}).Write(dir, site); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
