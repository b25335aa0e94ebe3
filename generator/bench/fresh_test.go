package bench

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes files (slash-separated paths relative to dir).
func writeTree(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// keeps fails for each file of before that after lacks.
func keeps(t *testing.T, what string, before, after []string) {
	t.Helper()
	for _, f := range before {
		if !slices.Contains(after, f) {
			t.Errorf("%s removed %s: a measured run must not follow a deletion (fresh.go)", what, f)
		}
	}
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	files, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestMeasuredRunsWriteNewFolders runs the measured commands as runSize and
// measureHugo build them, with the test binary standing for cqp, Hugo and
// Pagefind: every run must write into a folder that did not exist, and no
// run's Prepare may remove anything, not even what sits where the former
// harness wrote (public/) or an earlier run's output.
func TestMeasuredRunsWriteNewFolders(t *testing.T) {
	helperEnv(t, "write")
	bin := testBinary(t)
	work := t.TempDir()
	cqpDir := filepath.Join(work, "n10", "cqp")
	hugoDir := filepath.Join(work, "n10", "hugo")
	cqpOut := filepath.Join(cqpDir, "public")
	hugoOut := filepath.Join(hugoDir, "public")
	writeTree(t, work,
		"n10/cqp/content/cqp/a.md", "n10/cqp/public/index.html", "n10/cqp/public/cqp/a/index.html",
		"n10/hugo/content/cqp/a.md", "n10/hugo/public/index.html", "n10/hugo/public/pagefind/pagefind.js",
	)
	const runs = 3
	for _, c := range []Cmd{cqpBuildCmd(bin, cqpDir, cqpOut), hugoCmd(bin, hugoDir, hugoOut), pagefindCmd(bin, hugoOut)} {
		before := list(t, work)
		if _, err := Measure(t.Context(), c, runs); err != nil {
			t.Fatalf("%s: %v", c.Label, err)
		}
		keeps(t, c.Label, before, list(t, work))
		var outs []string
		for k := 1; k <= runs; k++ {
			args := c.args(k)
			out := args[len(args)-1]
			if slices.Contains(outs, out) {
				t.Errorf("%s: run %d writes into %s, as an earlier run did", c.Label, k, out)
			}
			outs = append(outs, out)
		}
	}
	after := list(t, work)
	for k := 1; k <= runs; k++ {
		for _, f := range []string{"n10/cqp/public.run-%d/index.html", "n10/hugo/public.run-%d/index.html", "n10/hugo/public.run-%d/pagefind/index.html"} {
			f = fmt.Sprintf(f, k)
			if !slices.Contains(after, f) {
				t.Errorf("run %d wrote no %s", k, f)
			}
		}
	}
}

// TestPrepareRefusesAnExistingFolder: a run whose folder exists fails
// before it starts, and leaves the folder as it was (the former Prepare
// removed it).
func TestPrepareRefusesAnExistingFolder(t *testing.T) {
	helperEnv(t, "write")
	work := t.TempDir()
	out := filepath.Join(work, "public")
	writeTree(t, work, "public.run-2/index.html", "site.run-1/index.html", "site.run-1/pagefind/pagefind.js")
	before := list(t, work)
	_, err := Measure(t.Context(), cqpBuildCmd(testBinary(t), work, out), 3)
	if err == nil || !strings.Contains(err.Error(), "preparing run 2") || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a run whose folder exists gave %v, want a refusal at run 2", err)
	}
	_, err = Measure(t.Context(), pagefindCmd(testBinary(t), filepath.Join(work, "site")), 1)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a Pagefind run whose pagefind/ exists gave %v, want a refusal", err)
	}
	_, err = Measure(t.Context(), pagefindCmd(testBinary(t), filepath.Join(work, "nosite")), 1)
	if err == nil || !strings.Contains(err.Error(), "Hugo's output") {
		t.Errorf("a Pagefind run without Hugo's output gave %v, want an error", err)
	}
	keeps(t, "a refused run", before, list(t, work))
	if err := writeCQP(filepath.Join(work, "site.run-1"), 10, 1); err == nil {
		t.Error("writeCQP into an existing folder: no error")
	}
	if err := writeHugo(filepath.Join(work, "site.run-1"), 10, 1); err == nil {
		t.Error("writeHugo into an existing folder: no error")
	}
	keeps(t, "a catalogue writer", before, list(t, work))
}

// TestWorkspace: a run starts in a new work/, with what earlier runs left
// moved into trash/ and nothing removed; cleanup, at the end, removes both
// and nothing else.
func TestWorkspace(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir,
		"work/n1000/cqp/public.run-1/index.html", // an interrupted run's
		"n10000/cqp/public/index.html",           // the former layout's
		"node_modules/.bin/pagefind", "profile/cpu.out", "n1000.txt",
	)
	before := list(t, dir)
	w, err := newWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w.work != filepath.Join(dir, "work") || w.sizeDir(1000) != filepath.Join(dir, "work", "n1000") {
		t.Errorf("workspace %+v, size folder %s", w, w.sizeDir(1000))
	}
	if entries, err := os.ReadDir(w.work); err != nil || len(entries) != 0 {
		t.Errorf("work/ is not new and empty: %v, %v", entries, err)
	}
	after := list(t, dir)
	// Nothing removed: each file is where it was, or under trash/.
	for _, f := range before {
		moved := slices.ContainsFunc(after, func(a string) bool {
			return strings.HasPrefix(a, "trash/") && strings.HasSuffix(a, "/"+f)
		})
		kept := slices.Contains(after, f)
		switch {
		case strings.HasPrefix(f, "work/") || strings.HasPrefix(f, "n10000/"):
			if !moved || kept {
				t.Errorf("%s: moved into trash/ %v, still in place %v; want moved", f, moved, kept)
			}
		case !kept:
			t.Errorf("%s was touched; only work/ and n<size>/ are moved aside", f)
		}
	}
	// A second start (trash/ not yet removed) moves the new work/ too.
	writeTree(t, w.work, "n10/cqp/content/a.md")
	if _, err := newWorkspace(dir); err != nil {
		t.Fatal(err)
	}
	if n := len(list(t, filepath.Join(dir, "trash"))); n != 3 {
		t.Errorf("trash/ holds %d files, want 3", n)
	}
	if err := w.cleanup(); err != nil {
		t.Fatal(err)
	}
	if got, want := list(t, dir), []string{"n1000.txt", "node_modules/.bin/pagefind", "profile/cpu.out"}; !slices.Equal(got, want) {
		t.Errorf("after cleanup: %q, want %q", got, want)
	}
	for _, d := range []string{"work", "trash"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("%s/ is still there after cleanup", d)
		}
	}
}

func TestRunDirs(t *testing.T) {
	if got := runDir("a/public", 2); got != "a/public.run-2" {
		t.Errorf("runDir = %q", got)
	}
	if got := strings.ReplaceAll(runDirShown("a/public"), "$k", "2"); got != runDir("a/public", 2) {
		t.Errorf("the command shown names %q, the harness writes %q", got, runDir("a/public", 2))
	}
	if got, want := runsLoop(3, "cqp build --out "+runDirShown("public")), "for k in 1 2 3; do cqp build --out public.run-$k; done"; got != want {
		t.Errorf("runsLoop = %q, want %q", got, want)
	}
}

// TestOnlyCleanupRemoves reads the package's source: the only call that
// removes files is in workspace.cleanup, which Run calls after the last
// measure. A deletion anywhere else (a Prepare, a catalogue writer, the
// browser's profile) could land just before a measured run.
func TestOnlyCleanupRemoves(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	removers := map[string]bool{"Remove": true, "RemoveAll": true}
	found := 0
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			allowed := fn.Name.Name == "cleanup" && fn.Recv != nil
			ast.Inspect(fn, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "os" && removers[n.Sel.Name] {
						found++
						if !allowed {
							t.Errorf("%s: %s calls os.%s: only workspace.cleanup removes files, after the last measure (fresh.go)", fset.Position(n.Pos()), fn.Name.Name, n.Sel.Name)
						}
					}
				case *ast.BasicLit:
					if n.Kind == token.STRING && n.Value == `"rm"` {
						t.Errorf("%s: %s runs rm", fset.Position(n.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Error("no os.RemoveAll found at all: workspace.cleanup no longer removes the scratch tree?")
	}
}
