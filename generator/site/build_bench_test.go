package site_test

import (
	"fmt"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// BenchmarkBuild builds synthetic catalogues in memory (check, render,
// search index, minify), without writing: the figure is the pipeline's.
// To profile: go test ./generator/site -run '^$' -bench Build/10000 -cpuprofile cpu.out
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				files, _, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
				if err != nil || list.Errors() > 0 {
					b.Fatalf("build: %v %v", err, list)
				}
				b.ReportMetric(float64(files.Size())/1e6, "MB-out")
			}
		})
	}
}
