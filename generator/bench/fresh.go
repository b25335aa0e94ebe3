package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// No measured run follows a deletion.
//
// On ext4 without a journal (the machine the harness was written on:
// /proc/fs/jbd2 is empty), the kernel's inode allocator skips every inode
// freed in the last 60 s, and 300 s more while the block of the inode
// table that holds it is dirty (recently_deleted in fs/ext4/ialloc.c).
// Right after an `rm -rf` of a large tree, creating files in the same
// region of the disk walks past all those inodes for every new one: `perf
// record` shows 57 % of the time in recently_deleted and
// find_get_block_common under __ext4_new_inode, and a mkdir or an
// open(O_CREAT) costs about 420 µs instead of about 10 µs (10,000 folders,
// each with a file of 22 KB: 8.6 s right after deleting a tree, 0.3 s on
// tmpfs). Removing the previous output before each run, as the harness
// once did, made every build of both tools pay for the deletion that had
// just happened: the figures measured this quirk more than the tools, and
// penalised the tool that writes more files.
//
// So nothing is removed until every measure is taken:
//
//   - each run of the harness writes into <Dir>/work, a folder that did not
//     exist: what an earlier run left there (or in the <Dir>/n<size>
//     folders of the former layout) is moved aside into <Dir>/trash, a
//     rename that frees no inode;
//   - each size's catalogues are written into new folders,
//     work/n<size>/cqp and work/n<size>/hugo;
//   - run k of `cqp build` and of `hugo` writes into <out>.run-<k>, new,
//     and run k of Pagefind indexes Hugo's run k and writes its pagefind/
//     folder into it, new too; the Prepare of each run checks that its
//     folder does not exist, and removes nothing;
//   - Chromium's profiles and the profiled benchmark's outputs are new
//     folders under work/ too;
//   - work/ and trash/ are removed once, at the end of Run, after the last
//     measure and the profiles (workspace.cleanup, the only place in the
//     package that removes files; a test checks it).

const (
	workName  = "work"
	trashName = "trash"
	runSuffix = ".run-"
)

// workspace is the scratch tree of one run of the harness.
type workspace struct {
	work  string // <Dir>/work: catalogues, outputs, Chromium profiles
	trash string // <Dir>/trash: what earlier runs left, moved aside
}

// legacyName matches the size folders of the harness's former layout,
// <Dir>/n1000, which every run wrote into again.
var legacyName = regexp.MustCompile(`^n[0-9]+$`)

// newWorkspace makes <dir>/work anew. What an earlier run left (work/,
// or the former n<size>/ folders) is moved into trash/, not removed:
// cleanup removes it with this run's files, after the measures.
func newWorkspace(dir string) (workspace, error) {
	w := workspace{work: filepath.Join(dir, workName), trash: filepath.Join(dir, trashName)}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return w, err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || (name != workName && !legacyName.MatchString(name)) {
			continue
		}
		if err := os.MkdirAll(w.trash, 0o755); err != nil {
			return w, err
		}
		aside, err := os.MkdirTemp(w.trash, name+"-")
		if err != nil {
			return w, err
		}
		if err := os.Rename(filepath.Join(dir, name), filepath.Join(aside, name)); err != nil {
			return w, fmt.Errorf("moving aside what an earlier run left: %w", err)
		}
	}
	if err := os.Mkdir(w.work, 0o755); err != nil {
		return w, err
	}
	return w, nil
}

// sizeDir is the folder of one catalogue size's catalogues and outputs.
func (w workspace) sizeDir(n int) string {
	return filepath.Join(w.work, fmt.Sprintf("n%d", n))
}

// cleanup removes work/ and trash/. Run calls it once, after the last
// measure.
func (w workspace) cleanup() error {
	return errors.Join(os.RemoveAll(w.work), os.RemoveAll(w.trash))
}

// runDir is the output folder of run k (1, 2, …) of a command that writes
// the tree base: base.run-<k>.
func runDir(base string, k int) string {
	return base + runSuffix + strconv.Itoa(k)
}

// runDirShown is runDir in the shell loops that the report prints:
// base.run-$k.
func runDirShown(base string) string {
	return base + runSuffix + "$k"
}

// runsLoop is the shell loop that reruns cmd, which names its run $k, as
// the harness ran it: for k in 1 2 3; do cmd; done.
func runsLoop(runs int, cmd string) string {
	ks := make([]string, runs)
	for i := range ks {
		ks[i] = strconv.Itoa(i + 1)
	}
	return fmt.Sprintf("for k in %s; do %s; done", strings.Join(ks, " "), cmd)
}

// mustBeNew fails when p exists: a measured run writes into a new folder,
// it never removes one.
func mustBeNew(p string) error {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return fmt.Errorf("%s already exists: a measured run writes into a new folder and removes none (see generator/bench/fresh.go)", p)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	}
	return err
}

// cqpBuildCmd is `cqp build` of the catalogue src; run k writes
// runDir(out, k).
func cqpBuildCmd(cqp, src, out string) Cmd {
	return Cmd{Label: "cqp build", Path: cqp,
		RunArgs: func(k int) []string { return []string{"build", "--src", src, "--out", runDir(out, k)} },
		Prepare: func(k int) error { return mustBeNew(runDir(out, k)) },
	}
}

// hugoCmd is `hugo` of the site in dir; run k writes runDir(out, k). out
// must be absolute: Hugo takes a relative -d from the site folder.
func hugoCmd(hugo, dir, out string) Cmd {
	return Cmd{Label: "hugo", Path: hugo,
		RunArgs: func(k int) []string { return []string{"--quiet", "-s", dir, "-d", runDir(out, k)} },
		Prepare: func(k int) error { return mustBeNew(runDir(out, k)) },
	}
}

// pagefindCmd is Pagefind on Hugo's outputs: run k indexes runDir(out, k),
// which Hugo's run k wrote, and writes its pagefind/ folder there, new.
func pagefindCmd(pagefind, out string) Cmd {
	return Cmd{Label: "pagefind", Path: pagefind,
		RunArgs: func(k int) []string { return []string{"--site", runDir(out, k)} },
		Prepare: func(k int) error {
			site := runDir(out, k)
			if _, err := os.Stat(site); err != nil {
				return fmt.Errorf("Hugo's output for this run: %w", err)
			}
			return mustBeNew(filepath.Join(site, "pagefind"))
		},
	}
}
