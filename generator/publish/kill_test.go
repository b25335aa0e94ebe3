package publish

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The kill test runs Write in a child process (this test binary again,
// started with the variables below) and kills it with SIGKILL at random
// moments; after each kill the output folder must hold one complete tree.
const (
	envKillDir        = "CQP_PUBLISH_KILL_DIR"        // output folder the child writes, again and again
	envKillGen        = "CQP_PUBLISH_KILL_GEN"        // first generation the child writes
	envKillNoExchange = "CQP_PUBLISH_KILL_NOEXCHANGE" // "1": the child uses the two-rename swap
	envKillSeed       = "CQP_PUBLISH_KILL_SEED"       // seed of the kill moments (default: fixed)
	envKillShort      = "CQP_PUBLISH_KILL_SHORT"      // "1": the child writes the -short tree
	envKillTmp        = "CQP_PUBLISH_KILL_TMP"        // folder to run in (default: /dev/shm when there is one)
)

// killTreeFiles is the size of the tree: about the size of a 10,000-CQP
// site (one page per CQP, its JSON, the listings); -short uses a quarter.
func killTreeFiles() int {
	if testing.Short() || os.Getenv(envKillShort) == "1" {
		return 5000
	}
	return 20000
}

func TestMain(m *testing.M) {
	flag.Parse() // testing.Short is read before m.Run
	if dir := os.Getenv(envKillDir); dir != "" {
		killChild(dir)
		return
	}
	os.Exit(m.Run())
}

// killChild writes generation after generation into dir and reports each
// Write that returned on stdout ("ok <generation>"), until it is killed.
func killChild(dir string) {
	gen, err := strconv.Atoi(os.Getenv(envKillGen))
	if err != nil {
		fmt.Fprintln(os.Stderr, "kill child:", err)
		os.Exit(3)
	}
	opts := Options{noExchange: os.Getenv(envKillNoExchange) == "1"}
	for ; ; gen++ {
		if err := opts.Write(dir, killTree(gen)); err != nil {
			fmt.Fprintln(os.Stderr, "kill child:", err)
			os.Exit(3)
		}
		fmt.Printf("ok %d\n", gen)
	}
}

// killTree is generation gen of the site: every file's content names its
// generation, and odd and even generations have different file sets, so
// that a mix of two generations, a missing file or a stale one shows. The
// manifest sorts last, so it is the last file Write writes.
func killTree(gen int) map[string][]byte {
	n := killTreeFiles()
	files := make(map[string][]byte, n+1)
	pad := strings.Repeat("·", 40)
	for i := range n {
		var p string
		switch {
		case gen%2 == 0:
			p = fmt.Sprintf("cqp/%03d/%05d/index.html", i/100, i)
		case i%10 == 0:
			p = fmt.Sprintf("impairs/%05d.json", i) // odd generations only
		default:
			p = fmt.Sprintf("cqp/%03d/%05d/index.html", i/100, i)
		}
		files[p] = fmt.Appendf(nil, "generation %d, file %d %s\n", gen, i, pad)
	}
	files["zz-manifest.txt"] = fmt.Appendf(nil, "generation %d\nfiles %d\n", gen, len(files))
	return files
}

// treeGeneration reads the manifest of the tree in dir and checks that the
// tree is exactly that generation's, file for file, plus the marker.
func treeGeneration(t *testing.T, dir string) (int, error) {
	t.Helper()
	m, err := os.ReadFile(filepath.Join(dir, "zz-manifest.txt"))
	if err != nil {
		return 0, fmt.Errorf("no manifest: %v", err)
	}
	var gen, n int
	if _, err := fmt.Sscanf(string(m), "generation %d\nfiles %d\n", &gen, &n); err != nil {
		return 0, fmt.Errorf("manifest %q: %v", m, err)
	}
	want := killTree(gen)
	want[Marker] = []byte(markerText)
	got := make(map[string][]byte, len(want))
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		return gen, err
	}
	if len(got) != len(want) {
		return gen, fmt.Errorf("generation %d has %d files, want %d", gen, len(got), len(want))
	}
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			return gen, fmt.Errorf("generation %d: %s = %.40q, want %.40q", gen, p, got[p], b)
		}
	}
	return gen, nil
}

func TestWriteSurvivesSIGKILL(t *testing.T) {
	kills := 8
	if testing.Short() {
		kills = 3
	}
	seed := uint64(20250115)
	if s := os.Getenv(envKillSeed); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", envKillSeed, s, err)
		}
		seed = v
	}
	t.Run("exchange", func(t *testing.T) { killLoop(t, Options{}, kills, seed) })
	t.Run("two renames", func(t *testing.T) { killLoop(t, Options{noExchange: true}, (kills+1)/2, seed+1) })
}

// killLoop starts a writing child kills times, kills it with SIGKILL after
// a random delay, and checks the output folder after each kill.
func killLoop(t *testing.T, opts Options, kills int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	root := killRoot(t)
	dir := filepath.Join(root, "public")

	// Generations 0 and 1 are written here, so that there is always a
	// previous site, and to time one Write of the tree.
	if err := opts.Write(dir, killTree(0)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := opts.Write(dir, killTree(1)); err != nil {
		t.Fatal(err)
	}
	cycle := time.Since(start)
	t.Logf("one Write of %d files: %v; seed %d", killTreeFiles(), cycle.Round(time.Millisecond), seed)

	last := 1 // the generation the folder holds
	var sawOld, sawNew, sawAside, leftovers int
	for k := range kills {
		// The child's start-up (exec, cleaning leftovers) comes first; the
		// delay spans it and about two Writes, so that kills land while
		// cleaning, writing, syncing, swapping and removing the old tree.
		delay := time.Duration(rng.Int64N(int64(2*cycle + 50*time.Millisecond)))
		done, err := runAndKill(t, dir, last+1, opts.noExchange, delay)
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}

		entries, _ := os.ReadDir(root)
		var beside []string
		for _, e := range entries {
			if e.Name() != "public" {
				beside = append(beside, e.Name())
			}
		}
		leftovers += len(beside)
		if limit := map[bool]int{false: 1, true: 2}[opts.noExchange]; len(beside) > limit {
			t.Errorf("kill %d after %v: %d folders beside the output, want at most %d: %v", k, delay, len(beside), limit, beside)
		}

		// The folder holds the last generation the child reported, or the
		// next one if the child was killed after the swap but before it
		// could report. With two renames, it may also be missing (killed
		// between the renames), the previous site whole beside it.
		check := dir
		if _, err := os.Lstat(dir); err != nil {
			if !opts.noExchange {
				t.Fatalf("kill %d after %v: the output folder is missing with RENAME_EXCHANGE: %v (beside it: %v)", k, delay, err, beside)
			}
			var aside []string
			for _, b := range beside {
				if strings.HasPrefix(b, "public.old-") {
					aside = append(aside, b)
				}
			}
			if len(aside) != 1 {
				t.Fatalf("kill %d after %v: output folder missing and %d previous sites set aside: %v", k, delay, len(aside), beside)
			}
			check = filepath.Join(root, aside[0])
			sawAside++
		}
		gen, err := treeGeneration(t, check)
		if err != nil {
			t.Fatalf("kill %d after %v (child had finished generation %d): the folder is not a complete tree: %v", k, delay, done, err)
		}
		switch gen {
		case done:
			sawOld++
		case done + 1:
			sawNew++
		default:
			t.Fatalf("kill %d after %v: the folder holds generation %d, the child had finished %d", k, delay, gen, done)
		}
		t.Logf("kill %2d after %4v: child finished up to generation %d, folder holds %d, beside it %v", k, delay.Round(time.Millisecond), done, gen, beside)
		last = max(gen, done)
	}
	t.Logf("%d kills: the folder held the previous tree %d times and the new one %d times (%d times set aside between two renames); %d leftovers found and cleaned by the next run", kills, sawOld, sawNew, sawAside, leftovers)

	// A last Write cleans every leftover.
	final := killTree(last + 1)
	if err := opts.Write(dir, final); err != nil {
		t.Fatal(err)
	}
	if gen, err := treeGeneration(t, dir); err != nil || gen != last+1 {
		t.Fatalf("after the last Write: generation %d, %v; want %d", gen, err, last+1)
	}
	assertNoLeftovers(t, dir)
}

// killRoot returns the folder the kill test writes in. What a kill can
// break is what other processes see through the kernel's folder cache, the
// same on every filesystem; a tmpfs (/dev/shm) gives the same answers as a
// disk at a tenth of the cost and leaves the shared disk alone, so it is
// the default. CQP_PUBLISH_KILL_TMP picks another folder (a disk, a network
// filesystem) to test there. The two-rename swap and syncfs(2) on a real
// disk are covered by the other tests, which write in t.TempDir().
func killRoot(t *testing.T) string {
	base := os.Getenv(envKillTmp)
	if base == "" {
		if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
			base = "/dev/shm"
		}
	}
	if base == "" {
		return t.TempDir()
	}
	root, err := os.MkdirTemp(base, "cqp-publish-kill-")
	if err != nil {
		t.Logf("cannot write in %s (%v): using the test's temporary folder", base, err)
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	t.Logf("writing in %s", root)
	return root
}

// runAndKill starts the child writing generations from gen on, kills it
// with SIGKILL after delay and returns the last generation it reported
// finished (gen-1 if none).
func runAndKill(t *testing.T, dir string, gen int, noExchange bool, delay time.Duration) (int, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envKillDir+"="+dir, envKillGen+"="+strconv.Itoa(gen))
	if noExchange {
		cmd.Env = append(cmd.Env, envKillNoExchange+"=1")
	}
	if testing.Short() {
		cmd.Env = append(cmd.Env, envKillShort+"=1")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	lines := make(chan []string, 1)
	go func() {
		var got []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
	}()
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		return 0, err
	}
	reported := <-lines
	werr := cmd.Wait()
	if stderr.Len() > 0 {
		return 0, fmt.Errorf("child failed: %s", stderr.Bytes())
	}
	if werr == nil {
		return 0, fmt.Errorf("child exited by itself: %v", reported)
	}
	done := gen - 1
	for _, l := range reported {
		var g int
		if _, err := fmt.Sscanf(l, "ok %d", &g); err != nil {
			return 0, fmt.Errorf("child said %q", l)
		}
		if g != done+1 {
			return 0, fmt.Errorf("child reported generation %d after %d", g, done)
		}
		done = g
	}
	return done, nil
}
