package bench

import (
	"flag"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
)

// siteBuildSizes are the catalogue sizes BenchmarkSiteBuild builds: 1,000
// CQPs in `make bench`'s run of every benchmark, which the harness then
// completes with cqp build itself at every size; the harness asks for
// 10,000 when it profiles (-args -sitebuild=10000).
var siteBuildSizes = flag.String("sitebuild", "1000", "comma-separated catalogue sizes for BenchmarkSiteBuild")

// BenchmarkSiteBuild runs what `cqp build` runs, site.Build then
// publish.Write, on synthetic catalogues held in memory. The harness
// profiles it when a build target is missed (see ProfileBuild); by hand:
//
//	go test ./generator/bench -run '^$' -bench SiteBuild -benchtime 1x -cpuprofile cpu.out -args -sitebuild=10000
//	go tool pprof -top bench.test cpu.out
func BenchmarkSiteBuild(b *testing.B) {
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sizes []int
	for _, f := range strings.Split(*siteBuildSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("-sitebuild: %q is not a number of CQPs", f)
		}
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
			if err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "public")
			b.ReportAllocs()
			for b.Loop() {
				files, _, list, err := site.Build(fsys, site.BuildOptions{Options: site.Options{Today: today}, Minify: true})
				if err != nil {
					b.Fatal(err)
				}
				if list.Errors() > 0 {
					b.Fatalf("the synthetic catalogue has errors: %v", list[0])
				}
				if err := publish.Write(out, files); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
