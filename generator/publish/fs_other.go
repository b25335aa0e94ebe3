//go:build !linux

package publish

// exchange is not available outside Linux (macOS has renameatx_np with
// RENAME_SWAP, but not on every filesystem it mounts); Write uses two
// renames.
func exchange(a, b string) error { return errExchangeUnsupported }

// canSyncFS: without syncfs(2), every file is fsynced as it is written.
const canSyncFS = false

func syncFS(dir string) error { return nil }
