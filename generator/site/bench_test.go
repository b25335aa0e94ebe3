package site_test

import (
	"fmt"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// BenchmarkCheck checks synthetic catalogues held in memory, so that the
// figure is the checker's, not the disk's. To profile:
//
//	go test ./generator/site -run '^$' -bench Check/10000 -cpuprofile cpu.out `make bench` runs it; the
//
// targets (10,000 CQPs under one second on two cores, under 300 MB) are
// measured on the built command by `make bench` as well.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, list := site.Check(fsys, site.Options{Today: today}); list.Errors() > 0 {
					b.Fatalf("synthetic catalogue has errors: %v", list[0])
				}
			}
		})
	}
}
