//go:build !unix

package publish

// lockDir: Windows has no advisory lock on folders; concurrent builds into
// one parent folder are not supported there.
func lockDir(dir string) (func(), error) { return func() {}, nil }

// syncDir: Windows cannot fsync a folder; renames are journaled by NTFS.
func syncDir(dir string) error { return nil }

func isBusy(err error) bool { return false }
