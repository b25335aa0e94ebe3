// Command cqpgen writes a synthetic CQP catalogue for tests and benchmarks.
//
//	cqpgen -n 10000 -o DIR [-seed 42] [-layout cqp|hugo] [-force]
//
// Layout cqp writes DIR/content in the cqp content model, ready for
// `cqp build --src DIR`; layout hugo writes what shared/bench/gen_corpus.py
// --layout hugo writes, into a copy of shared/bench/hugo-site. The same -n
// and -seed give the same CQPs in both layouts (see package generator/synth).
//
// DIR/content must not exist or be empty, so that no CQP of an earlier,
// larger run stays behind; -force removes it first. Exit status: 0 on
// success, 1 if the catalogue could not be written, 2 on usage errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cqp-catalogue/cqp/generator/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cqpgen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: cqpgen -n N -o DIR [-seed 42] [-layout cqp|hugo] [-force]\n\n"+
			"Writes a synthetic catalogue of N CQPs and their branches under DIR/content.\n\n")
		fl.PrintDefaults()
	}
	n := fl.Int("n", 0, "number of CQPs (at least 1)")
	out := fl.String("o", "", "site folder to write `DIR`/content into (created if needed)")
	seed := fl.Int64("seed", 42, "seed; the same as gen_corpus.py's --seed gives the same CQPs")
	layout := fl.String("layout", synth.LayoutCQP, "cqp (content model) or hugo (shared/bench/hugo-site)")
	force := fl.Bool("force", false, "remove DIR/content first if it holds files")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "cqpgen: "+format+"\n", a...)
		fmt.Fprintln(stderr, "usage: cqpgen -n N -o DIR [-seed 42] [-layout cqp|hugo] [-force]")
		return 2
	}
	switch {
	case fl.NArg() > 0:
		return usage("unexpected argument %q", fl.Arg(0))
	case *n < 1:
		return usage("-n %d: give the number of CQPs, at least 1", *n)
	case *out == "":
		return usage("-o is missing: give the folder to write into")
	case *layout != synth.LayoutCQP && *layout != synth.LayoutHugo:
		return usage("-layout %q: want cqp or hugo", *layout)
	}

	content := filepath.Join(*out, "content")
	if entries, err := os.ReadDir(content); err == nil && len(entries) > 0 {
		if !*force {
			fmt.Fprintf(stderr, "cqpgen: %s already holds files: remove it or pass -force\n", content)
			return 1
		}
		if err := os.RemoveAll(content); err != nil {
			fmt.Fprintf(stderr, "cqpgen: %v\n", err)
			return 1
		}
	}

	start := time.Now()
	st, err := synth.Write(*out, synth.Options{N: *n, Seed: *seed, Layout: *layout})
	if err != nil {
		fmt.Fprintf(stderr, "cqpgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d CQPs (%d CQPIs, %d blocks", st.CQPs, st.CQPIs, st.Blocks)
	if *layout == synth.LayoutCQP {
		fmt.Fprintf(stdout, ", %d passerelles, %d links", st.Passerelles, st.Links)
	}
	fmt.Fprintf(stdout, ") and %d branches to %s: %d files, %.1f MiB, layout %s, seed %d, %s\n",
		st.Branches, content, st.Files, float64(st.Bytes)/(1<<20), *layout, *seed,
		time.Since(start).Round(time.Millisecond))
	return 0
}
