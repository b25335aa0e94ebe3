package publish

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Files put from many goroutines at once, sharing folders, land whole;
// the output folder changes only at Commit.
func TestTreeConcurrentPuts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := (Options{NoSync: true}).Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for i := range 400 {
		want[fmt.Sprintf("cqp/c%03d/index.html", i)] = []byte(fmt.Sprintf("page %d", i))
		want[fmt.Sprintf("search/d/%d.js", i%7)] = []byte(fmt.Sprintf("chunk %d", i%7))
	}
	tree, err := Options{}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	errs := make(chan error, len(want))
	for range 8 {
		wg.Go(func() {
			for p := range work {
				if err := tree.Put(p, want[p]); err != nil {
					errs <- err
				}
			}
		})
	}
	for p := range want {
		work <- p
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Not yet committed: the previous site is still there, whole.
	assertTree(t, dir, siteV1())
	if tree.Files() != len(want) {
		t.Errorf("Files() = %d, want %d", tree.Files(), len(want))
	}
	if err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, want)
	assertNoLeftovers(t, dir)
}

// A path written twice, or a file where a folder is (or the reverse), is
// a generator bug that Put reports; Abort leaves the previous site.
func TestTreePutConflictsAndAbort(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := (Options{NoSync: true}).Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	tree, err := Options{NoSync: true}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Put("a/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"a/index.html", "écrit deux fois"},
		{"a/index.html/x", "à la fois fichier et dossier"},
		{"a", "écrit deux fois, ou à la fois fichier et dossier"},
		{"../evil", "chemin de sortie invalide"},
		{Marker, "réservé"},
	} {
		err := tree.Put(tc.path, []byte("y"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Put(%q) = %v, want an error with %q", tc.path, err, tc.want)
		}
	}
	tree.Abort()
	tree.Abort() // twice is harmless
	assertTree(t, dir, siteV1())
	assertNoLeftovers(t, dir)
	if err := tree.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// A tree left by a killed build (never committed nor aborted) is removed
// by the next Create, and the lock it held died with its process (here:
// released by hand, as the kernel would).
func TestTreeLeftoverRemovedByNextCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	tree, err := Options{NoSync: true}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Put("x/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	tree.unlock()
	if _, err := os.Stat(tree.tmp); err != nil {
		t.Fatal(err)
	}
	if err := (Options{NoSync: true}).Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, siteV1())
	assertNoLeftovers(t, dir)
}

// PutParts writes a file from its parts, in order, and counts its bytes;
// an error from the parts is returned as it is and the tree can still be
// aborted, leaving the output whole.
func TestTreePutParts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := (Options{NoSync: true}).Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	parts := func(n int, fail error) iter.Seq2[[]byte, error] {
		return func(yield func([]byte, error) bool) {
			for i := range n {
				if !yield([]byte(fmt.Sprintf("part %d;", i)), nil) {
					return
				}
			}
			if fail != nil {
				yield(nil, fail)
			}
		}
	}
	tree, err := Options{NoSync: true}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.PutParts("data/catalogue.json", parts(3, nil)); err != nil {
		t.Fatal(err)
	}
	if err := tree.PutParts("data/catalogue.json", parts(1, nil)); err == nil || !strings.Contains(err.Error(), "deux fois") {
		t.Errorf("a file put twice: err = %v", err)
	}
	if got, want := tree.Size(), int64(len("part 0;part 1;part 2;")); got != want {
		t.Errorf("Size() = %d, want %d", got, want)
	}
	if err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, map[string][]byte{"data/catalogue.json": []byte("part 0;part 1;part 2;")})

	tree, err = Options{NoSync: true}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encodage impossible")
	if err := tree.PutParts("catalogue.json", parts(2, boom)); err != boom {
		t.Errorf("parts that fail: err = %v, want %v", err, boom)
	}
	tree.Abort()
	assertTree(t, dir, map[string][]byte{"data/catalogue.json": []byte("part 0;part 1;part 2;")})
	assertNoLeftovers(t, dir)
}

// Once flushEvery bytes are written, the filesystem is flushed in the
// background while the tree is still written; Commit waits for it and
// flushes the rest.
func TestTreeFlushesEarly(t *testing.T) {
	if !canSyncFS {
		t.Skip("files are fsynced one by one here")
	}
	dir := filepath.Join(t.TempDir(), "public")
	tree, err := Options{}.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, flushEvery/2+1)
	want := map[string][]byte{}
	for i := range 3 {
		p := fmt.Sprintf("data/%d.bin", i)
		want[p] = big
		if err := tree.Put(p, big); err != nil {
			t.Fatal(err)
		}
		if i == 0 && tree.flushed.Load() != 0 {
			t.Errorf("a flush began after %d bytes", len(big))
		}
	}
	if got := tree.flushed.Load(); got < flushEvery {
		t.Errorf("no flush began after %d bytes (flushed mark %d)", tree.Size(), got)
	}
	if err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, want)
}
