package site_test

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// The benchmarks run on synthetic catalogues held in memory, so that the
// figures are the pipeline's, not the disk's. To profile:
//
//	go test ./generator/site -run '^$' -bench Build/10000 -cpuprofile cpu.out
func benchSizes(b *testing.B, run func(b *testing.B, fsys fstest.MapFS)) {
	for _, n := range []int{1000, 10000} {
		fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			b.ReportAllocs()
			run(b, fsys)
		})
	}
}

// BenchmarkCheck: load, decode and every rule.
func BenchmarkCheck(b *testing.B) {
	benchSizes(b, func(b *testing.B, fsys fstest.MapFS) {
		for b.Loop() {
			if _, list := site.Check(fsys, site.Options{Today: today}); list.Errors() > 0 {
				b.Fatalf("synthetic catalogue has errors: %v", list[0])
			}
		}
	})
}

// BenchmarkBuild: check, render, search index, schemas and minify, without
// writing.
func BenchmarkBuild(b *testing.B) {
	benchSizes(b, func(b *testing.B, fsys fstest.MapFS) {
		for b.Loop() {
			files, _, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
			if err != nil || list.Errors() > 0 {
				b.Fatalf("build: %v %v", err, list)
			}
			b.ReportMetric(float64(files.Size())/1e6, "MB-out")
		}
	})
}
