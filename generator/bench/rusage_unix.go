//go:build unix

package bench

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// peakRSS returns the peak resident memory of a reaped child, in bytes.
// Linux and the BSDs report ru_maxrss in KiB, macOS in bytes.
func peakRSS(ps *os.ProcessState) (int64, error) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, fmt.Errorf("no resource usage for process %d", ps.Pid())
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss), nil
	}
	return int64(ru.Maxrss) << 10, nil
}
