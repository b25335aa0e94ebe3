//go:build unix

package publish

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
)

// A strict umask (077, common on shared servers) must not make the site
// unreadable by the web server.
func TestWriteModesUnderStrictUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(dir, siteV1()); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		want := fs.FileMode(fileMode)
		if d.IsDir() {
			want = dirMode
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v under umask 077, want %v", p, got, want)
		}
		return nil
	})
}

// Two Writes into the same parent folder at once take turns; neither takes
// the other's temporary folder for a leftover.
func TestConcurrentWrites(t *testing.T) {
	root := t.TempDir()
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			name := "public"
			if i%2 == 1 {
				name = "public2"
			}
			errs <- Write(filepath.Join(root, name), siteV1())
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	assertTree(t, filepath.Join(root, "public"), siteV1())
	assertTree(t, filepath.Join(root, "public2"), siteV1())
	assertNoLeftovers(t, filepath.Join(root, "public"), "public2")
}
