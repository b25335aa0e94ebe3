//go:build unix

package search

import "syscall"

// cpuTime is the CPU time the process has used so far, user and system,
// in nanoseconds, all threads together.
func cpuTime() (int64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
