package bench

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
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

// siteBuildOut is where BenchmarkSiteBuild writes: each iteration into a
// new folder under it. The harness gives one under its scratch tree, which
// it removes after the profiles; by default, the benchmark's temporary
// folder.
var siteBuildOut = flag.String("sitebuild-out", "", "folder under which BenchmarkSiteBuild writes each iteration's site, in a new folder (default: a temporary folder)")

// BenchmarkSiteBuild runs what `cqp build` runs (site.Check, then
// site.Render streaming every file into a publish.Tree, then Commit) on
// synthetic catalogues held in memory. Each iteration writes into a new
// folder: writing over the previous iteration's site would remove it
// first, and on ext4 without a journal creating files
// right after a deletion is slow (see fresh.go). The harness profiles it
// when a build target is missed (see ProfileBuild); by hand:
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
			parent := *siteBuildOut
			if parent == "" {
				parent = b.TempDir()
			} else if err := os.MkdirAll(parent, 0o755); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				dir, err := os.MkdirTemp(parent, "n"+strconv.Itoa(n)+"-")
				if err != nil {
					b.Fatal(err)
				}
				if err := buildLikeCQP(fsys, filepath.Join(dir, "public"), today); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// buildLikeCQP is cqp build's pipeline (cmd/cqp/build.go): check, then
// every file streamed into the new folder, then the swap.
func buildLikeCQP(fsys fs.FS, out string, today time.Time) error {
	opts := site.BuildOptions{Options: site.Options{Today: today}, Minify: true}
	cat, list := site.Check(fsys, opts.Options)
	if list.Errors() > 0 {
		return fmt.Errorf("the synthetic catalogue has errors: %v", list[0])
	}
	tree, err := publish.Options{}.Create(out)
	if err != nil {
		return err
	}
	if err := site.Render(fsys, cat, opts, tree); err != nil {
		tree.Abort()
		return err
	}
	return tree.Commit()
}
