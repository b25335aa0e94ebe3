// Package synth generates synthetic CQP catalogues for tests and benchmarks.
//
// It is a Go port of shared/bench/gen_corpus.py: the same vocabulary, the same
// distributions (trades, branches weighted 1/rank^0.8, 8% CQPI draws, levels,
// 4–8 blocks of 4–10 skills, bodies of 3–6 paragraphs) and the same seed
// semantics, down to a reimplementation of CPython's random module, so that
// one (N, seed) pair names one catalogue whichever tool writes it.
//
// # Layouts
//
// LayoutHugo writes what gen_corpus.py --layout hugo writes, byte for byte,
// for the Hugo site in shared/bench/hugo-site: content/_index.md, the
// section pages, content/branches/<slug>/_index.md and
// content/cqp/CQP-0001.md.
//
// LayoutCQP writes the cqp content model of shared/CONTENT-MODEL.md:
// content/_index.md, content/branches/<id>.md and content/cqp/<id>.md. The
// CQPs are the same, with the same titles, branches, certifiers, levels,
// blocks, skills, assessments and bodies, written as shared/bench/to_cqp.py
// would rewrite them (unique registration numbers, block codes <number>BCnn
// under RNCP and Bnn otherwise, VAE only under RNCP, CPF only with a
// registration). To them it adds what a real catalogue has and to_cqp.py
// leaves out, drawn from a second generator per CQP ("<seed>:cqp-model:<i>")
// so that the shared draws stay aligned: a quarter of RS and unregistered
// CQPs, summaries, publics, jobs with ROME codes, block hours, passerelles
// (common_with) to same-titled blocks of other CQPs, cqp: and branche: links
// in bodies, keywords, updated dates, a few archived CQPs, branch websites
// and CPNEs. Every reference resolves and every échéance (until) lies after
// 2027-12-31, renewed by steps of five years from the drawn date, so the
// catalogue passes `cqp check --strict` with no warning; these dates are
// fixed, never derived from the clock.
//
// CQPIs are CQPs with two branches or more, about a fifth of them: 8% of
// gen_corpus.py's draws are CQPIs and it gives two or three branches to 15%
// of the others too. Both layouts keep these branches, so that Hugo and cqp
// build the same catalogue.
//
// # Determinism
//
// The output depends on Options alone: two runs give the same bytes. Each CQP
// draws from its own generator seeded with "<seed>:cqp:<i>", as in
// gen_corpus.py, and every reference (passerelle, link, the choice of a free
// registration number) points to an earlier CQP, so the catalogue of N CQPs
// is exactly the first N CQP files of a larger one.
//
// # Output
//
// Files returns the catalogue in memory and FS wraps it as an fs.FS, so that
// benchmarks build sites without touching the disk; Write is the only
// function that writes files.
package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing/fstest"
)

// Layouts that Write, Files and FS can produce.
const (
	LayoutCQP  = "cqp"  // the cqp content model
	LayoutHugo = "hugo" // gen_corpus.py --layout hugo
)

// Options chooses a catalogue.
type Options struct {
	// N is the number of CQPs, at least 1.
	N int
	// Seed names the catalogue; gen_corpus.py's --seed with the same value
	// (decimal) gives the same CQPs. The bench uses 42.
	Seed int64
	// Layout is LayoutCQP or LayoutHugo; empty means LayoutCQP.
	Layout string
}

// Stats counts what a catalogue holds.
type Stats struct {
	CQPs        int   // CQP files
	CQPIs       int   // CQPs carried by two branches or more
	Branches    int   // branch files
	Blocks      int   // blocks of competences, all CQPs together
	Passerelles int   // common_with entries (cqp layout only)
	Links       int   // cqp: and branche: links in bodies (cqp layout only)
	Files       int   // every file written, section and site pages included
	Bytes       int64 // their total size
}

// emitFunc receives each file of a catalogue, in a fixed order, with its
// slash-separated path relative to the site folder.
type emitFunc func(path string, data []byte) error

// generator holds what every file of one catalogue shares.
type generator struct {
	opts      Options
	seed      string // Options.Seed as gen_corpus.py formats it into RNG seeds
	branches  []branch
	branchCum []float64
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Layout == "" {
		opts.Layout = LayoutCQP
	}
	if opts.Layout != LayoutCQP && opts.Layout != LayoutHugo {
		return nil, fmt.Errorf("synth: unknown layout %q (want %q or %q)", opts.Layout, LayoutCQP, LayoutHugo)
	}
	if opts.N < 1 {
		return nil, fmt.Errorf("synth: N = %d, want at least 1 CQP", opts.N)
	}
	return &generator{
		opts:      opts,
		seed:      strconv.FormatInt(opts.Seed, 10),
		branches:  makeBranches(),
		branchCum: cumulative(branchWeights[:]),
	}, nil
}

// run produces the catalogue file by file: site and branches first, then
// the CQPs in order. CQPs go by chunks: drawn in parallel, resolved in
// order (the cqp model's references point backwards), rendered in parallel,
// emitted in order.
func (g *generator) run(emit emitFunc) (Stats, error) {
	var st Stats
	count := func(path string, data []byte) error {
		st.Files++
		st.Bytes += int64(len(data))
		return emit(path, data)
	}
	st.Branches = len(g.branches)
	hugo := g.opts.Layout == LayoutHugo
	var state *cqpState
	if hugo {
		if err := g.hugoSite(count); err != nil {
			return st, err
		}
	} else {
		if err := g.cqpSite(count); err != nil {
			return st, err
		}
		state = newCQPState(g.opts.N)
	}

	workers := runtime.GOMAXPROCS(0)
	chunk := 64 * workers
	drafts := make([]*draft, chunk)
	rngs := make([]*pyRandom, chunk)
	entries := make([]*cqpEntry, chunk)
	data := make([][]byte, chunk)
	for first := 1; first <= g.opts.N; first += chunk {
		n := min(chunk, g.opts.N-first+1)
		parallel(n, workers, func(k int) {
			drafts[k] = drawCQP(g.seed, first+k, g.branchCum)
			if hugo {
				data[k] = g.hugoCQP(drafts[k])
			} else {
				rngs[k] = modelRNG(g.seed, first+k)
			}
		})
		if !hugo {
			for k := range n {
				entries[k] = resolveCQP(drafts[k], rngs[k], state, &st)
			}
			parallel(n, workers, func(k int) { data[k] = g.renderCQP(entries[k]) })
		}
		for k := range n {
			d := drafts[k]
			st.CQPs++
			st.Blocks += len(d.blocks)
			if len(d.branches) > 1 {
				st.CQPIs++
			}
			path := "content/cqp/" + cqpID(d.index) + ".md"
			if hugo {
				path = "content/cqp/" + d.code() + ".md"
			}
			if err := count(path, data[k]); err != nil {
				return st, err
			}
			drafts[k], rngs[k], entries[k], data[k] = nil, nil, nil, nil
		}
	}
	return st, nil
}

// parallel calls f(0) … f(n-1) on up to workers goroutines and waits.
func parallel(n, workers int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < n; k = int(next.Add(1)) - 1 {
				f(k)
			}
		})
	}
	wg.Wait()
}

// Files returns the catalogue as file contents keyed by slash-separated
// paths relative to the site folder ("content/cqp/cqp-0001.md").
func Files(opts Options) (map[string][]byte, error) {
	g, err := newGenerator(opts)
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, opts.N+len(g.branches)+8)
	_, err = g.run(func(path string, data []byte) error {
		files[path] = data
		return nil
	})
	return files, err
}

// FS returns the catalogue as an in-memory file system rooted at the site
// folder, ready for a loader that reads an fs.FS.
func FS(opts Options) (fstest.MapFS, error) {
	files, err := Files(opts)
	if err != nil {
		return nil, err
	}
	fsys := make(fstest.MapFS, len(files))
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys, nil
}

// Write writes the catalogue under dir, creating the folders it needs. It
// adds files and overwrites those of the same name but removes nothing:
// write into a folder without a content/ subfolder, or files of an earlier,
// larger catalogue stay behind. Files are written by several goroutines
// because the time goes into creating them, not generating them.
func Write(dir string, opts Options) (Stats, error) {
	g, err := newGenerator(opts)
	if err != nil {
		return Stats{}, err
	}
	w := newDiskWriter(dir)
	st, err := g.run(w.write)
	if cerr := w.close(); err == nil {
		err = cerr
	}
	return st, err
}

// diskWriter creates folders as the files first need them, in the calling
// goroutine, and hands the files to a pool of writers. The first error
// stops the generation.
type diskWriter struct {
	dir   string
	dirs  map[string]bool
	files chan diskFile
	wg    sync.WaitGroup

	mu  sync.Mutex
	err error
}

type diskFile struct {
	path string
	data []byte
}

func newDiskWriter(dir string) *diskWriter {
	w := &diskWriter{dir: dir, dirs: map[string]bool{}, files: make(chan diskFile, 256)}
	workers := min(runtime.GOMAXPROCS(0), 16)
	for range workers {
		w.wg.Go(func() {
			for f := range w.files {
				if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
					w.fail(err)
				}
			}
		})
	}
	return w
}

func (w *diskWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *diskWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *diskWriter) write(path string, data []byte) error {
	if err := w.failed(); err != nil {
		return err
	}
	full := filepath.Join(w.dir, filepath.FromSlash(path))
	if d := filepath.Dir(full); !w.dirs[d] {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		w.dirs[d] = true
	}
	w.files <- diskFile{full, data}
	return nil
}

// close waits for the pending files and returns the first write error.
func (w *diskWriter) close() error {
	close(w.files)
	w.wg.Wait()
	return w.failed()
}
