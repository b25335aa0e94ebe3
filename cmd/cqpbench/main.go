// Command cqpbench measures cqp side by side with Hugo and Pagefind and
// writes docs/performance.md, docs/performance.svg and
// docs/performance.json. `make bench` runs it after building cqp:
//
//	go build -o .bench/bin/cqp ./cmd/cqp
//	go run ./cmd/cqpbench [-runs 3] [-large] [-sizes 1000,10000] [-compare=false]
//
// It must run from the module's root. Everything it generates goes under
// .bench/ (git-ignored): the catalogues, their builds, Pagefind's npm
// install, Chromium's profile, the profiles. See package generator/bench
// for what is measured and how.
//
// Exit status: 0 when every measure was taken (a missed target is a
// finding, printed and written in the report, not a failure); 1 when a
// measure failed or the two sites do not have the same pages (the report
// is still written, with the failures); 2 on usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cqp-catalogue/cqp/generator/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cqpbench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: cqpbench [-runs N] [-large] [-sizes 1000,10000] [-compare=false] [flags]")
		fl.PrintDefaults()
	}
	cqp := fl.String("cqp", ".bench/bin/cqp", "the built cqp binary to measure")
	dir := fl.String("dir", ".bench", "scratch folder for catalogues, builds and tools")
	sizes := fl.String("sizes", "1000,10000", "catalogue sizes, in CQPs, comma-separated")
	large := fl.Bool("large", false, "add a catalogue of 30,000 CQPs (BENCH_LARGE=1)")
	runs := fl.Int("runs", 3, "runs of each timed command; the report gives medians (BENCH_RUNS)")
	seed := fl.Int64("seed", 42, "seed of the synthetic catalogues")
	queries := fl.String("queries", "soudeur,maintenance,logistique", "search queries typed in the browser, comma-separated")
	pfResults := fl.Int("pagefind-results", 5, "results whose data Pagefind loads before showing them (its UI's first page)")
	serveEdits := fl.Int("serve-edits", 20, "saves timed on cqp serve")
	hugoEdits := fl.Int("hugo-edits", 10, "saves timed on hugo server")
	compare := fl.Bool("compare", true, "measure Hugo and Pagefind on the same catalogues")
	install := fl.Bool("install", true, "install Hugo, Pagefind and Chromium when missing (apt-get, npm)")
	profile := fl.Bool("profile", true, "profile the build when a build target is missed")
	goBin := fl.String("go", "go", "the go command, for profiles")
	md := fl.String("md", "docs/performance.md", "the report to write")
	js := fl.String("json", "docs/performance.json", "the raw figures to write")
	svg := fl.String("svg", "docs/performance.svg", "the plot to write, beside the report")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "cqpbench: "+format+"\n", a...)
		fl.Usage()
		return 2
	}
	if fl.NArg() > 0 {
		return usage("unexpected argument %q", fl.Arg(0))
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		return usage("%v", err)
	}
	if *large && !slices.Contains(ns, 30000) {
		ns = append(ns, 30000)
	}
	slices.Sort(ns)
	if *runs < 1 {
		return usage("-runs %d: want at least 1", *runs)
	}
	qs := splitList(*queries)
	if len(qs) == 0 {
		return usage("-queries is empty")
	}
	if *pfResults < 1 || *serveEdits < 1 || *hugoEdits < 1 {
		return usage("-pagefind-results, -serve-edits and -hugo-edits must be at least 1")
	}
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "cqpbench: %v\n", err)
		return 1
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return usage("run me from the module's root (no go.mod in %s)", root)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "cqpbench: %v\n", err)
		return 1
	}
	absDir, _ := filepath.Abs(*dir)
	absCQP, _ := filepath.Abs(*cqp)

	start := time.Now()
	res, err := bench.Run(ctx, bench.Config{
		Root: root, Dir: absDir, CQP: absCQP, Go: *goBin,
		Sizes: ns, Runs: *runs, Seed: *seed, Queries: qs,
		PagefindResults: *pfResults, ServeEdits: *serveEdits, HugoEdits: *hugoEdits,
		Compare: *compare, Install: *install, Profile: *profile,
		Today: today(), Log: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "cqpbench: %v\n", err)
		return 1
	}
	data, err := res.JSON()
	if err != nil {
		fmt.Fprintf(stderr, "cqpbench: %v\n", err)
		return 1
	}
	writes := []struct {
		path string
		b    []byte
	}{
		{*js, data},
		{*svg, bench.PlotOf(res).SVG()},
		{*md, res.Markdown(relTo(*md, *svg))},
	}
	for _, w := range writes {
		if err := os.MkdirAll(filepath.Dir(w.path), 0o755); err != nil {
			fmt.Fprintf(stderr, "cqpbench: %v\n", err)
			return 1
		}
		if err := os.WriteFile(w.path, w.b, 0o644); err != nil {
			fmt.Fprintf(stderr, "cqpbench: %v\n", err)
			return 1
		}
	}
	summary(stdout, res)
	fmt.Fprintf(stdout, "wrote %s, %s and %s in %s\n", *md, *svg, *js, time.Since(start).Round(time.Second))
	if len(res.Failures) > 0 {
		fmt.Fprintf(stderr, "cqpbench: %d measure(s) failed:\n", len(res.Failures))
		for _, f := range res.Failures {
			fmt.Fprintf(stderr, "  %s\n", f)
		}
		return 1
	}
	return 0
}

// summary prints each target's status at each size.
func summary(w io.Writer, r *bench.Result) {
	for _, s := range r.Sizes {
		fmt.Fprintf(w, "%d CQPs:\n", s.N)
		for _, t := range s.Targets {
			switch {
			case t.Status == bench.NotMeasured:
				fmt.Fprintf(w, "  %-20s not measured (%s)\n", t.ID, t.Why)
			case t.Absolute:
				fmt.Fprintf(w, "  %-20s %-7s %.2f ms (limit %.0f ms)\n", t.ID, t.Status, t.Value, t.Limit)
			default:
				fmt.Fprintf(w, "  %-20s %-7s ratio %.3f (limit %.3f): cqp %g, other %g\n", t.ID, t.Status, t.Value, t.Limit, t.Ours, t.Theirs)
			}
		}
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
}

// today is the report's date: SOURCE_DATE_EPOCH's day when set, so that
// a report can be regenerated byte for byte from its JSON's figures.
func today() time.Time {
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Unix(s, 0).UTC()
		}
	}
	return time.Now().UTC()
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a number of CQPs", f)
		}
		if !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return nil, errors.New("-sizes is empty")
	}
	return ns, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// relTo is the plot's path as the report links it.
func relTo(md, svg string) string {
	if r, err := filepath.Rel(filepath.Dir(md), svg); err == nil {
		return filepath.ToSlash(r)
	}
	return svg
}
