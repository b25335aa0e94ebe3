package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Profile is what pprof shows of a benchmark: run when a target is missed,
// so that the report names the functions that cost the most.
type Profile struct {
	Why     string `json:"why"`     // the targets missed
	Command string `json:"command"` // how to get the same profile
	Kind    string `json:"kind"`    // "cpu" or "alloc_space"
	Top     string `json:"top"`     // go tool pprof -top, header trimmed
	// Stages says where the CPU time goes, by step of the build (cpu only).
	Stages []Stage `json:"stages,omitempty"`
}

// Stage is one step of the build and its share of the CPU samples.
type Stage struct {
	Name    string  `json:"name"`
	Percent float64 `json:"percent"`
}

// buildStages are the steps of a build, each known by the functions that
// run it; nested steps (render calls markdown) count in the outer one.
var buildStages = []struct {
	name string
	re   *regexp.Regexp
}{
	{"lecture et vérification (content, catalog)", regexp.MustCompile(`^github\.com/cqp-catalogue/cqp/generator/(content|catalog)\.`)},
	{"rendu des pages (render, theme, markdown)", regexp.MustCompile(`^github\.com/cqp-catalogue/cqp/generator/(render|theme|markdown)\.`)},
	{"index de recherche (search)", regexp.MustCompile(`^github\.com/cqp-catalogue/cqp/generator/search\.`)},
	{"minification (publish : fichiers, fragments Markdown)", regexp.MustCompile(`^github\.com/cqp-catalogue/cqp/generator/publish\.(Minify[A-Za-z]*|minifyFile)$`)},
	{"écriture (publish.Tree : Put, PutParts, Commit)", regexp.MustCompile(`^github\.com/cqp-catalogue/cqp/generator/publish\.\(\*Tree\)\.(Put|PutParts|Commit)$`)},
	{"ramasse-miettes (GC)", regexp.MustCompile(`^runtime\.gcBgMarkWorker$`)},
}

// Stages reads a pprof -top -cum table and gives each build step the
// largest cumulative share of the functions that belong to it.
func Stages(cumTop string) []Stage {
	var out []Stage
	for _, st := range buildStages {
		best := 0.0
		for _, l := range strings.Split(cumTop, "\n") {
			f := strings.Fields(l)
			if len(f) < 6 || !strings.HasSuffix(f[4], "%") {
				continue
			}
			name := strings.TrimSuffix(strings.Join(f[5:], " "), " (inline)")
			if !st.re.MatchString(name) {
				continue
			}
			if v, err := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64); err == nil && v > best {
				best = v
			}
		}
		out = append(out, Stage{Name: st.name, Percent: best})
	}
	return out
}

// profileBench is the benchmark the harness profiles: BenchmarkSiteBuild
// of this package, which runs what `cqp build` runs (site.Check, then
// site.Render into a publish.Tree) on a synthetic catalogue held in memory.
const profileBench = "BenchmarkSiteBuild"

// ignoreSetup drops from a profile the samples of what the benchmark does
// outside the build: generating the catalogue before it starts timing, and,
// run without -sitebuild-out, removing its temporary folder when it ends.
const ignoreSetup = `-ignore=generator/synth\.|testing\.removeAll`

// ProfileBuild profiles the build of n CQPs for CPU and allocations with
// go test -cpuprofile -memprofile, then reads each with go tool pprof -top.
// root is the module's root; dir receives the test binary and profiles;
// out, absolute, receives the benchmark's outputs, each in a new folder
// (-sitebuild-out; see fresh.go), and is left for the caller to remove.
func ProfileBuild(ctx context.Context, goBin, root, dir, out string, n int, why string) ([]Profile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(abs, "bench.test")
	cpu := filepath.Join(abs, "cpu.out")
	mem := filepath.Join(abs, "mem.out")
	bench := fmt.Sprintf("^%s$/^%d$", profileBench, n)
	args := []string{"test", "-run", "^$", "-bench", bench, "-benchtime", "1x", "-count", "1",
		"-cpuprofile", cpu, "-memprofile", mem, "-o", bin, "./generator/bench", "-args", fmt.Sprintf("-sitebuild=%d", n), "-sitebuild-out=" + out}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = root
	var log tail
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, log.String())
	}
	// The test binary runs in the package's folder: the command shown
	// names the output folder from the module's root, where it is run.
	shownOut := out
	if r, err := filepath.Rel(root, out); err == nil && !strings.HasPrefix(r, "..") {
		shownOut = "$PWD/" + filepath.ToSlash(r)
	}
	shown := fmt.Sprintf("go test ./generator/bench -run '^$' -bench '%s' -benchtime 1x -cpuprofile cpu.out -memprofile mem.out -args -sitebuild=%d -sitebuild-out=%s", bench, n, shownOut)
	var ps []Profile
	for _, k := range []struct{ kind, file, flag, show string }{
		{"cpu", cpu, "", `go tool pprof -top -ignore="generator/synth\.|testing\.removeAll" bench.test cpu.out`},
		{"alloc_space", mem, "-sample_index=alloc_space", `go tool pprof -sample_index=alloc_space -top -ignore="generator/synth\.|testing\.removeAll" bench.test mem.out`},
	} {
		pargs := []string{"tool", "pprof", "-top", "-nodecount=25", ignoreSetup}
		if k.flag != "" {
			pargs = append(pargs, k.flag)
		}
		pargs = append(pargs, bin, k.file)
		c := exec.CommandContext(ctx, goBin, pargs...)
		c.Dir = root
		b, err := c.Output()
		if err != nil {
			return ps, fmt.Errorf("go %s: %v", strings.Join(pargs, " "), err)
		}
		p := Profile{Why: why, Command: shown + " && " + k.show, Kind: k.kind, Top: trimPprof(string(b))}
		if k.kind == "cpu" {
			cargs := append([]string{"tool", "pprof", "-top", "-cum", "-nodecount=400", ignoreSetup}, bin, k.file)
			c := exec.CommandContext(ctx, goBin, cargs...)
			c.Dir = root
			if cb, err := c.Output(); err == nil {
				p.Stages = Stages(string(cb))
			}
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// trimPprof drops the lines of pprof's header that change from run to run
// (file, build id, date) and keeps the summary and the table.
func trimPprof(s string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		keep = append(keep, strings.TrimRight(l, " "))
	}
	return strings.Join(keep, "\n")
}

// HotSpots names the first functions of a pprof -top table by flat share
// (the function's own cost), for the report's summary.
func HotSpots(top string, n int) []string {
	var out []string
	inTable := false
	for _, l := range strings.Split(top, "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == "flat" {
			inTable = true
			continue
		}
		if !inTable || len(f) < 6 {
			continue
		}
		out = append(out, strings.Join(f[5:], " ")+" ("+f[1]+")")
		if len(out) == n {
			break
		}
	}
	return out
}
