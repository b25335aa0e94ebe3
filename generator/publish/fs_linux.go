package publish

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the names a and b in one atomic step, so that the output
// folder never goes missing. Filesystems without RENAME_EXCHANGE (some
// network and FUSE filesystems) and old kernels answer
// errExchangeUnsupported, and Write falls back to two renames.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOTSUP) {
		return errExchangeUnsupported
	}
	return err
}

// canSyncFS: Linux flushes a whole filesystem in one syncfs(2), which costs
// far less than an fsync per file (each one waits for a journal commit: 20,000
// of them take tens of seconds on a real disk).
const canSyncFS = true

// syncFS flushes the filesystem that holds dir: data, metadata and folder
// entries of everything written there.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
