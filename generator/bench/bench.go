// Package bench measures cqp side by side with Hugo and Pagefind, the usual
// choice for a static catalogue with search, on the same synthetic
// catalogues, in one run on one machine: `make bench` runs it through
// cmd/cqpbench and writes docs/performance.md, docs/performance.svg and
// docs/performance.json.
//
// # What it measures
//
// For each catalogue size (1,000 and 10,000 CQPs; 30,000 on demand), as
// medians of several runs of the built binaries: `cqp check` and `cqp
// build` (which writes the search index), against `hugo` then `pagefind`
// on the same catalogue written as the Hugo site of shared/bench (embedded
// here in hugosite/, a verbatim copy, so that the harness needs nothing but
// Go, apt and npm); wall time and peak memory of each process; the size of
// both outputs and both search indexes; in headless Chromium, the bytes a
// visitor downloads before the first result and the time of a keystroke;
// and each dev server's time from saving a file to the change being
// served. It checks that both sites have as many CQP, branch and level
// pages, and evaluates issue 8's targets as ratios of the two tools'
// figures taken in the same run.
//
// # Why a harness of its own
//
// The yardsticks in shared/bench are Python, shell and Node scripts. Here
// the whole comparison is one Go program: the process figures come from
// wait4's rusage (os/exec's ProcessState), the browser is driven with
// chromedp over the DevTools protocol (already a dependency of the browser
// tests), and the static server that the browser loads from is ours, so
// that it counts what it sends and both tools are served alike. The pure
// parts (statistics, targets, formatting, the plot) are plain functions,
// tested on known numbers; the measures themselves are not tested for
// their values, which depend on the machine.
//
// # No measured run follows a deletion
//
// Every measured run of `cqp build`, `hugo` and `pagefind` writes into a
// folder that did not exist (<out>.run-<k>; Pagefind's run k indexes
// Hugo's run k), each size's catalogues are written into new folders, and
// nothing is removed before the last measure: the scratch tree of the run,
// <Dir>/work, is removed at the end of Run, with what earlier runs left,
// which Run moves aside into <Dir>/trash when it starts. The reason is a
// quirk of ext4 without a journal, where creating files right after
// deleting a large tree costs about 40 times as much (fresh.go has the
// figures): deleting each tool's previous output before each run made the
// figures measure the deletion more than the tools.
//
// Hugo, Pagefind and Chromium are installed when missing (apt-get, npm
// into the scratch folder); when Hugo or Pagefind cannot be had, cqp is
// measured alone and the report says why.
package bench

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cqp-catalogue/cqp/generator/synth"
)

//go:embed all:hugosite
var hugoSite embed.FS

// Config says what to measure.
type Config struct {
	Root    string   // the module's root; paths in the report are relative to it
	Dir     string   // the scratch folder, under Root (.bench)
	CQP     string   // the built cqp binary
	Go      string   // the go command, for profiles
	Sizes   []int    // catalogue sizes, in CQPs
	Runs    int      // runs of each timed command
	Seed    int64    // the catalogues' seed
	Queries []string // search queries
	// PagefindResults is how many results' data Pagefind loads before it
	// shows them: 5, its default UI's first page.
	PagefindResults int
	ServeEdits      int  // saves timed on cqp serve (20)
	HugoEdits       int  // saves timed on hugo server (10: 4 s each at 10,000 CQPs)
	Compare         bool // measure Hugo and Pagefind too
	Install         bool // install the missing tools
	Profile         bool // profile the build when a build target is missed
	Today           time.Time
	Log             io.Writer // progress

	start time.Time
	ws    workspace // the scratch tree of this run (fresh.go)
}

// Run measures every size and returns the result. It returns an error only
// when cqp itself cannot be measured; what else fails is in the result's
// Failures, what could not be measured in Skipped.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	cfg.start = time.Now()
	if cfg.Runs < 1 {
		return nil, fmt.Errorf("runs = %d, want at least 1", cfg.Runs)
	}
	if len(cfg.Sizes) == 0 {
		return nil, fmt.Errorf("no catalogue size to measure")
	}
	if _, err := os.Stat(cfg.CQP); err != nil {
		return nil, fmt.Errorf("the cqp binary: %w (build it with go build -o %s ./cmd/cqp)", err, cfg.CQP)
	}
	ws, err := newWorkspace(cfg.Dir)
	if err != nil {
		return nil, err
	}
	cfg.ws = ws
	r := &Result{
		Format:  FormatVersion,
		Date:    cfg.Today.UTC().Format("2006-01-02"),
		Machine: ReadMachine(),
		Runs:    cfg.Runs,
		Seed:    cfg.Seed,
		Queries: cfg.Queries,
		Results: cfg.PagefindResults,
	}
	r.Machine.CQP = strings.TrimSpace(strings.TrimPrefix(output(ctx, cfg.CQP, "version"), "cqp "))

	var tools Tools
	if cfg.Compare {
		logf(cfg, "finding Hugo, Pagefind and Chromium")
		tools = FindTools(ctx, cfg.Dir, cfg.Install, cfg.Log)
	} else {
		tools.Chromium, tools.ChromiumWhy = findChromium(ctx, cfg.Install, cfg.Log)
		tools.HugoWhy = "the comparison was turned off (-compare=false)"
	}
	r.Machine.Hugo, r.Machine.Pagefind, r.Machine.Chromium = tools.HugoVersion, tools.PagefindVersion, tools.ChromiumVersion
	compare := cfg.Compare && tools.Hugo != "" && tools.Pagefind != ""
	if !compare {
		var why []string
		for _, w := range []string{tools.HugoWhy, tools.PagefindWhy} {
			if w != "" {
				why = append(why, w)
			}
		}
		r.Skipped = append(r.Skipped, "Hugo et Pagefind : comparaison non faite, cqp mesuré seul ("+strings.Join(why, " ; ")+").")
	}
	if tools.Chromium == "" {
		r.Skipped = append(r.Skipped, "Recherche dans le navigateur : Chromium absent ("+tools.ChromiumWhy+").")
	}
	hasServe := HasServe(ctx, cfg.CQP)
	if !hasServe {
		r.Skipped = append(r.Skipped, "`cqp serve` : la commande n'existe pas encore dans ce cqp (son usage ne la liste pas) ; temps d'enregistrement à rechargement non mesuré.")
	}

	for _, n := range cfg.Sizes {
		s, err := runSize(ctx, cfg, r, tools, compare, hasServe, n)
		if err != nil {
			return r, err
		}
		s.Targets = Evaluate(s)
		r.Sizes = append(r.Sizes, s)
	}
	if cfg.Profile {
		profile(ctx, cfg, r)
	}
	cleanup(ctx, cfg, r)
	return r, nil
}

// cleanup removes the scratch tree once every measure is taken (see
// fresh.go). A run that fails or is interrupted leaves it, to look into:
// the next run moves it aside, and removes it at its end.
func cleanup(ctx context.Context, cfg Config, r *Result) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	if err := cfg.ws.cleanup(); err != nil {
		logf(cfg, "removing the scratch tree: %v", err)
		return
	}
	logf(cfg, "every measure taken: removed %s and %s in %s", cfg.rel(cfg.ws.work), cfg.rel(cfg.ws.trash), time.Since(start).Round(time.Millisecond))
	r.command(fmt.Sprintf("rm -rf %s %s   # une fois toutes les mesures prises, pas avant", cfg.rel(cfg.ws.work), cfg.rel(cfg.ws.trash)))
}

// logf reports progress, with the time since the run started, so that a
// slow step shows.
func logf(cfg Config, format string, a ...any) {
	fmt.Fprintf(cfg.Log, "bench [%s]: "+format+"\n", append([]any{time.Since(cfg.start).Round(time.Second)}, a...)...)
}

func output(ctx context.Context, name string, args ...string) string {
	b, _ := exec.CommandContext(ctx, name, args...).Output()
	return strings.TrimSpace(string(b))
}

// rel makes a path relative to the module root, for the report.
func (cfg Config) rel(p string) string {
	if r, err := filepath.Rel(cfg.Root, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

func (r *Result) command(c string) {
	if !slices.Contains(r.Commands, c) {
		r.Commands = append(r.Commands, c)
	}
}

func runSize(ctx context.Context, cfg Config, r *Result, tools Tools, compare, hasServe bool, n int) (Size, error) {
	s := Size{N: n}
	// Every folder here is new (fresh.go): the catalogues, and each run's
	// output, <out>.run-<k>. The last run's outputs are the sites that
	// the sizes, the page counts and the searches are taken from.
	base := cfg.ws.sizeDir(n)
	cqpDir := filepath.Join(base, "cqp")
	hugoDir := filepath.Join(base, "hugo")
	cqpOut := filepath.Join(cqpDir, "public")
	hugoOut := filepath.Join(hugoDir, "public")
	cqpSite := runDir(cqpOut, cfg.Runs)

	logf(cfg, "%d CQPs: writing the catalogues (cqp and Hugo layouts)", n)
	if err := writeCQP(cqpDir, n, cfg.Seed); err != nil {
		return s, err
	}
	r.command(fmt.Sprintf("go run ./cmd/cqpgen -n %d -seed %d -o %s -layout cqp", n, cfg.Seed, cfg.rel(cqpDir)))

	check := Cmd{Label: "cqp check", Path: cfg.CQP, Args: []string{"check", "--src", cqpDir}}
	build := cqpBuildCmd(cfg.CQP, cqpDir, cqpOut)
	r.command(fmt.Sprintf("%s check --src %s", cfg.rel(cfg.CQP), cfg.rel(cqpDir)))
	r.command(runsLoop(cfg.Runs, fmt.Sprintf("%s build --src %s --out %s", cfg.rel(cfg.CQP), cfg.rel(cqpDir), runDirShown(cfg.rel(cqpOut)))))
	var err error
	logf(cfg, "%d CQPs: cqp check ×%d", n, cfg.Runs)
	if s.CQP.Check, err = Measure(ctx, check, cfg.Runs); err != nil {
		return s, err
	}
	logf(cfg, "%d CQPs: cqp build ×%d", n, cfg.Runs)
	if s.CQP.Build, err = Measure(ctx, build, cfg.Runs); err != nil {
		return s, err
	}
	if s.CQP.Output, err = SizeOf(cqpSite); err != nil {
		return s, err
	}
	files, err := ListFiles(cqpSite)
	if err != nil {
		return s, err
	}
	s.CQP.Pages = CountPages(files, cqpPages)
	hasSearch := slices.Contains(files, "search/search.js")
	if hasSearch {
		s.CQP.Search, _ = SizeOf(filepath.Join(cqpSite, "search"))
	} else {
		r.skip(fmt.Sprintf("Recherche de cqp (%s CQP) : `cqp build` n'écrit pas encore `search/search.js` ; l'index n'est pas dans les chiffres de construction, ni mesuré dans le navigateur.", fmtInt(int64(n))))
	}

	if compare {
		s.Hugo = &Side{}
		if err := measureHugo(ctx, cfg, r, tools, s.Hugo, hugoDir, hugoOut, n); err != nil {
			r.fail(fmt.Sprintf("Hugo + Pagefind (%d CQP) : %v", n, err))
			s.Hugo = nil
		} else {
			s.PageDifferences = ComparePages(s.CQP.Pages, s.Hugo.Pages)
			logf(cfg, "%d CQPs: pages (CQP/branch/level): cqp %d/%d/%d, Hugo %d/%d/%d", n,
				s.CQP.Pages.CQP, s.CQP.Pages.Branch, s.CQP.Pages.Level, s.Hugo.Pages.CQP, s.Hugo.Pages.Branch, s.Hugo.Pages.Level)
			for _, d := range s.PageDifferences {
				r.fail(fmt.Sprintf("%d CQP : pages différentes : %s", n, d))
			}
		}
	}

	if tools.Chromium != "" {
		measureSearch(cfg, r, tools, &s, hasSearch, cqpSite, runDir(hugoOut, cfg.Runs))
	}

	if hasServe {
		logf(cfg, "%d CQPs: cqp serve, %d saves", n, cfg.ServeEdits)
		rl, err := CQPServe(ctx, cfg.CQP, cqpDir, cfg.ServeEdits)
		if err != nil {
			r.fail(fmt.Sprintf("cqp serve (%d CQP) : %v", n, err))
		} else {
			s.CQP.Serve = &rl
			r.command(fmt.Sprintf("%s serve --src %s --addr 127.0.0.1:PORT", cfg.rel(cfg.CQP), cfg.rel(cqpDir)))
		}
	}
	if s.Hugo != nil {
		logf(cfg, "%d CQPs: hugo server, %d saves", n, cfg.HugoEdits)
		rl, err := HugoServer(ctx, tools.Hugo, hugoDir, cfg.HugoEdits)
		if err != nil {
			r.fail(fmt.Sprintf("hugo server (%d CQP) : %v", n, err))
		} else {
			s.Hugo.Serve = &rl
			r.command(fmt.Sprintf("hugo server --bind 127.0.0.1 --port PORT -s %s", cfg.rel(hugoDir)))
		}
	}
	return s, nil
}

func (r *Result) skip(s string) { r.Skipped = append(r.Skipped, s) }
func (r *Result) fail(s string) { r.Failures = append(r.Failures, s) }

// writeCQP writes the catalogue in the cqp layout, as cqpgen does, into
// dir, a new folder.
func writeCQP(dir string, n int, seed int64) error {
	if err := mustBeNew(dir); err != nil {
		return err
	}
	_, err := synth.Write(dir, synth.Options{N: n, Seed: seed, Layout: synth.LayoutCQP})
	return err
}

// writeHugo writes the Hugo site into dir, a new folder: the embedded copy
// of shared/bench's site, then the catalogue in its layout.
func writeHugo(dir string, n int, seed int64) error {
	if err := mustBeNew(dir); err != nil {
		return err
	}
	err := fs.WalkDir(hugoSite, "hugosite", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "hugosite")))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := hugoSite.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return err
	}
	_, err = synth.Write(dir, synth.Options{N: n, Seed: seed, Layout: synth.LayoutHugo})
	return err
}

// measureHugo writes the Hugo site into dir, new, and measures Hugo, run k
// writing runDir(out, k), then Pagefind, run k indexing Hugo's run k (see
// fresh.go). The figures of the site are those of the last run's.
func measureHugo(ctx context.Context, cfg Config, r *Result, tools Tools, h *Side, dir, out string, n int) error {
	if err := writeHugo(dir, n, cfg.Seed); err != nil {
		return err
	}
	r.command(fmt.Sprintf("mkdir -p %s && cp -r generator/bench/hugosite/. %s/ && go run ./cmd/cqpgen -n %d -seed %d -o %s -layout hugo",
		cfg.rel(dir), cfg.rel(dir), n, cfg.Seed, cfg.rel(dir)))
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	hugo := hugoCmd(tools.Hugo, dir, absOut)
	pagefind := pagefindCmd(tools.Pagefind, absOut)
	site := runDir(absOut, cfg.Runs)
	// Hugo takes a relative -d from the site folder (-s); the harness
	// passes an absolute one.
	r.command(runsLoop(cfg.Runs, fmt.Sprintf("hugo --quiet -s %s -d %s", cfg.rel(dir), runDirShown(filepath.Base(out)))))
	r.command(runsLoop(cfg.Runs, fmt.Sprintf("%s --site %s", cfg.rel(tools.Pagefind), runDirShown(cfg.rel(out)))))
	logf(cfg, "%d CQPs: hugo ×%d", n, cfg.Runs)
	if h.Build, err = Measure(ctx, hugo, cfg.Runs); err != nil {
		return err
	}
	files, err := ListFiles(site)
	if err != nil {
		return err
	}
	h.Pages = CountPages(files, hugoPages)
	logf(cfg, "%d CQPs: pagefind ×%d", n, cfg.Runs)
	if h.Index, err = Measure(ctx, pagefind, cfg.Runs); err != nil {
		return err
	}
	if h.Output, err = SizeOf(site); err != nil {
		return err
	}
	h.Search, err = SizeOf(filepath.Join(site, "pagefind"))
	return err
}

// measureSearch runs the queries in Chromium against both sites. Its
// profile is a new folder, removed with the rest after the last measure.
func measureSearch(cfg Config, r *Result, tools Tools, s *Size, hasSearch bool, cqpOut, hugoOut string) {
	if !hasSearch && s.Hugo == nil {
		return
	}
	profile, err := os.MkdirTemp(cfg.ws.work, fmt.Sprintf("chromium-n%d-", s.N))
	if err != nil {
		r.fail(err.Error())
		return
	}
	br, err := StartBrowser(tools.Chromium, profile)
	if err != nil {
		r.fail(err.Error())
		return
	}
	defer br.Close()
	if hasSearch {
		logf(cfg, "%d CQPs: cqp search in Chromium: %s", s.N, strings.Join(cfg.Queries, ", "))
		s.CQP.Query = runQueries(cfg, r, s.N, "cqp", cqpOut, func(srv *StaticServer, q string) (FirstResult, error) {
			return br.CQPQuery(srv, q)
		})
	}
	if s.Hugo != nil {
		logf(cfg, "%d CQPs: Pagefind search in Chromium: %s", s.N, strings.Join(cfg.Queries, ", "))
		s.Hugo.Query = runQueries(cfg, r, s.N, "Pagefind", hugoOut, func(srv *StaticServer, q string) (FirstResult, error) {
			return br.PagefindQuery(srv, q, cfg.PagefindResults)
		})
	}
}

func runQueries(cfg Config, r *Result, n int, tool, dir string, one func(*StaticServer, string) (FirstResult, error)) *Query {
	srv, err := Serve(dir)
	if err != nil {
		r.fail(err.Error())
		return nil
	}
	defer srv.Close()
	var each []FirstResult
	for _, q := range cfg.Queries {
		fr, err := one(srv, q)
		if err != nil {
			r.fail(fmt.Sprintf("recherche %s « %s » (%d CQP) : %v", tool, q, n, err))
			continue
		}
		if fr.Results == 0 {
			r.fail(fmt.Sprintf("recherche %s « %s » (%d CQP) : aucun résultat", tool, q, n))
		}
		logf(cfg, "  %s %q: %d results, %d bytes in %d requests before the first", tool, q, fr.Results, fr.Bytes, fr.Requests)
		each = append(each, fr)
	}
	return summarizeQueries(each)
}

// profile profiles the build when a build target is missed, at the
// largest size measured up to 10,000 CQPs (the benchmark's sizes).
func profile(ctx context.Context, cfg Config, r *Result) {
	var why []string
	n := 0
	for _, s := range r.Sizes {
		for _, t := range s.Targets {
			if t.Status == Missed && (t.ID == TargetBuildTime || t.ID == TargetBuildMemory) {
				why = append(why, fmt.Sprintf("%s à %s CQP", t.ID, fmtInt(int64(s.N))))
				if s.N <= 10000 && s.N > n {
					n = s.N
				}
			}
		}
	}
	if len(why) == 0 {
		return
	}
	if n != 1000 && n != 10000 {
		n = 10000
	}
	logf(cfg, "build targets missed (%s): profiling BenchmarkSiteBuild/%d", strings.Join(why, ", "), n)
	ps, err := ProfileBuild(ctx, cfg.Go, cfg.Root, filepath.Join(cfg.Dir, "profile"), filepath.Join(cfg.ws.work, "sitebuild"), n, strings.Join(why, ", "))
	if err != nil {
		r.fail("profil : " + err.Error())
	}
	r.Profiles = append(r.Profiles, ps...)
}
